/** The structure, overlap and sample commands end to end (in process): outputs, JSON fields, exit codes, no output file on bad input. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'dln-structure-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

interface LayerJson {
  layer: number;
  kroneckerRelativeError: number;
  topOverlap: number;
  reshapedSingularValues: number[][];
  errorMethod: string;
  topEigenvalues: number[];
  centred?: { kroneckerRelativeError: number; topEigenvalues: number[] };
}

describe('dln-hessian structure', () => {
  test('--json on a two-layer model: one entry per layer with the documented keys', () => {
    const r = run('structure', 'docs/examples/two-layer-relu-ce.json', '--top', '3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { layers: LayerJson[]; family: string };
    expect(j.family).toBe('two-layer');
    expect(j.layers.map((l) => l.layer)).toEqual([1, 2]);
    for (const l of j.layers) {
      expect(l.kroneckerRelativeError).toBeGreaterThan(0);
      expect(l.topOverlap).toBeGreaterThan(0);
      expect(l.topOverlap).toBeLessThanOrEqual(1 + 1e-12);
      expect(l.reshapedSingularValues).toHaveLength(3);
      for (const s of l.reshapedSingularValues) expect(s.reduce((a, x) => a + x * x, 0)).toBeCloseTo(1, 12);
      expect(l.centred?.topEigenvalues).toHaveLength(3);
    }
  });

  test('a deep linear network with data: every layer is exactly Kronecker (error 0)', () => {
    const r = run('structure', 'example:dln-data-depth2', '--json', '--top', '2');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { layers: LayerJson[] };
    for (const l of j.layers) {
      expect(l.kroneckerRelativeError).toBe(0);
      expect(l.errorMethod).toBe('structural');
      expect(l.topOverlap).toBeCloseTo(1, 12);
    }
  });

  test('identity two-layer network equals its deep-linear twin: same top eigenvalues', () => {
    const a = JSON.parse(run('structure', 'docs/examples/two-layer-identity-squared.json', '--json', '--top', '2').stdout) as { layers: LayerJson[] };
    const twin = file(
      'twin.json',
      JSON.stringify({
        weights: [[[1, '-1/2'], ['2/3', 3], [0, 1]], [[-2, '1/4', 1]]],
        data: { inputs: [[1, 0, 2, -1], [-1, '1/2', 1, 0]], targets: [[1, -2, '1/3', 0]] },
      }),
    );
    const b = JSON.parse(run('structure', twin, '--json', '--top', '2').stdout) as { layers: LayerJson[] };
    a.layers.forEach((l, i) => l.topEigenvalues.forEach((v, t) => expect(v).toBeCloseTo(b.layers[i]?.topEigenvalues[t] ?? NaN, 10)));
    expect(a.layers.every((l) => l.errorMethod === 'structural')).toBe(true);
  });

  test('text output, --layer, --out', () => {
    const out = join(dir, 'structure.txt');
    const r = run('structure', 'docs/examples/two-layer-relu-ce.json', '--layer', '2', '--top', '2', '--out', out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/layer 2: W_2 \(3×3, 9 parameters\)/);
    expect(text).toMatch(/relative Frobenius error/);
    expect(text).toMatch(/centred input/);
    expect(text).not.toMatch(/layer 1:/);
  });

  test('bad input: exit 2 with a placed message and no output file', () => {
    const out = join(dir, 'never.json');
    const bad = file('bad.json', JSON.stringify({ kind: 'two-layer', activation: 'relu', loss: 'cross-entropy', weights: [[[1]], [[1], [2]]], data: { inputs: [[1, 2]], targets: [[0, 5]] } }));
    let r = run('structure', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/data\.targets row 1 column 2: labels out of range/);
    expect(existsSync(out)).toBe(false);
    r = run('structure', 'docs/examples/two-layer-relu-ce.json', '--layer', '3', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--layer 3 is out of range: the model has 2 layers/);
    expect(existsSync(out)).toBe(false);
    const unknown = file('act.json', JSON.stringify({ kind: 'two-layer', activation: 'swish', loss: 'squared', weights: [[[1]], [[1]]], data: { inputs: [[1]], targets: [[1]] } }));
    r = run('structure', unknown);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/activation: unknown activation "swish"/);
  });

  test('a ReLU kink is used with the convention and warned about', () => {
    const kink = file('kink.json', JSON.stringify({ kind: 'two-layer', activation: 'relu', loss: 'squared', weights: [[[1, -1], [1, 1]], [[1, 2]]], data: { inputs: [[1, 1], [0, 1]], targets: [[0, 1]] } }));
    const r = run('structure', kink, '--top', '1');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: 1 ReLU kink\(s\) \(first: sample 2, hidden unit 1\)/);
  });
});

describe('dln-hessian overlap', () => {
  test('a model against itself: overlap 1 for every j, chance j/D beside it', () => {
    const r = run('overlap', 'docs/examples/two-layer-relu-ce.json', 'docs/examples/two-layer-relu-ce.json', '--layer', '1', '--top', '3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { overlapByK: number[]; chanceByK: number[]; dimension: number };
    expect(j.dimension).toBe(6);
    for (const o of j.overlapByK) expect(o).toBeCloseTo(1, 10);
    expect(j.chanceByK).toEqual([1 / 6, 2 / 6, 3 / 6]);
  });

  test('full Hessian by default; shape mismatch is exit 2 without output', () => {
    const r = run('overlap', 'docs/examples/two-layer-relu-ce.json', 'docs/examples/two-layer-relu-ce.json', '--top', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/full Hessian, D = 15, top k = 2/);
    const out = join(dir, 'never2.json');
    const m = run('overlap', 'docs/examples/two-layer-relu-ce.json', 'docs/examples/two-layer-quadratic-squared.json', '--layer', '1', '--out', out);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/layer 1 is 3×2 in the first model but 2×2 in the second/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('dln-hessian sample', () => {
  test('writes a model file that loads and analyses; same data seed, same data', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    expect(run('sample', '--d', '3', '--h', '5', '--c', '3', '--n', '20', '--seed', '1', '--out', a).code).toBe(0);
    expect(run('sample', '--d', '3', '--h', '5', '--c', '3', '--n', '20', '--seed', '2', '--train-steps', '5', '--out', b).code).toBe(0);
    const ja = JSON.parse(readFileSync(a, 'utf8')) as { data: unknown; weights: unknown };
    const jb = JSON.parse(readFileSync(b, 'utf8')) as { data: unknown; weights: unknown };
    expect(ja.data).toEqual(jb.data);
    expect(ja.weights).not.toEqual(jb.weights);
    expect(run('overlap', a, b, '--layer', '2', '--top', '2').code).toBe(0);
    const bad = run('sample', '--activation', 'swish', '--out', join(dir, 'never3.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown activation "swish"/);
    expect(existsSync(join(dir, 'never3.json'))).toBe(false);
  });
});
