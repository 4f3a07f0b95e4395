/**
 * Item "every command takes both families where the mathematics applies": a two-layer model with
 * biases through every analysis command that reads a model, and the refusals (sharpness --exact,
 * minimizer --target) naming the family and the commands that do take it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS_TAKING } from '../../src/families/support.js';
import { runCli, runCliAsync } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'both-families-'));
const model = join(dir, 'bias.json');
writeFileSync(
  model,
  JSON.stringify({
    kind: 'two-layer',
    activation: 'tanh',
    loss: 'squared',
    weights: [
      [[0.5, -1], [1, 0.25], [-0.5, 0.75]],
      [[1, -2, 0.5]],
    ],
    biases: [[0.1, -0.2, 0.3], [0.5]],
    data: { inputs: [[1, 0, -1, 2], [0.5, 1, 1, -1]], targets: [[1, -1, 0, 0.5]] },
    reduction: 'mean',
  }),
);
const exactModel = join(dir, 'bias-quadratic.json');
writeFileSync(
  exactModel,
  JSON.stringify({
    kind: 'two-layer',
    activation: 'quadratic',
    loss: 'squared',
    weights: [[[1, -1]], [[2]]],
    biases: [[1], [-1]],
    data: { inputs: [[1, 2], [0, 1]], targets: [[1, 3]] },
  }),
);

describe('a two-layer network with biases through the commands', () => {
  test('check names the formula with biases and the loss convention', () => {
    const r = runCli('check', model);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/W_2 σ\(W_1 x \+ b_1\) \+ b_2/);
    expect(r.stdout).toMatch(/torch MSELoss\(\)/);
    const j = JSON.parse(runCli('check', model, '--json').stdout) as { params: number; biases: { b1: boolean; b2: boolean } };
    expect(j.params).toBe(6 + 3 + 3 + 1);
    expect(j.biases).toEqual({ b1: true, b2: true });
  });

  test('hessian names θ with the bias blocks; exact for a quadratic activation', () => {
    const r = runCli('hessian', model);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/θ = \(vec W_1, b_1, vec W_2, b_2\)/);
    const e = runCli('hessian', exactModel, '--exact', '--json');
    expect(e.code).toBe(0);
    expect((JSON.parse(e.stdout) as { field: string; params: number }).field).toBe('Q');
  });

  test('sharpness, spectrum, trace, structure, projections, hessian-vector run', async () => {
    for (const argv of [
      ['sharpness', model],
      ['spectrum', model, '--top', '1'],
      ['trace', model],
      ['structure', model],
      ['projections', model, '--directions', 'hessian'],
      ['hessian-vector', model],
    ]) {
      const r = await runCliAsync(...argv);
      expect([argv[0], r.code, r.stderr]).toEqual([argv[0], 0, expect.any(String)]);
    }
  });
});

describe('refusals name the family and the commands that take it', () => {
  test('sharpness --exact on a two-layer network', () => {
    const r = runCli('sharpness', model, '--exact');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sharpness --exact does not take a two-layer network: .*drop --exact/);
    expect(r.stderr).toContain(`Commands that take a two-layer network: ${COMMANDS_TAKING['two-layer'].join(', ')}`);
  });

  test('minimizer --target with a two-layer model file or example', () => {
    for (const target of [model, 'example:two-layer-identity-squared']) {
      const r = runCli('minimizer', '--target', target, '--depth', '2', '--kind', 'balanced', '--out', join(dir, 'never.json'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/minimizer --target does not take a two-layer network: it builds a deep linear network whose product/);
    }
  });
});
