/**
 * Parameter order and loss conventions against PyTorch: fixtures made once by
 * test/fixtures/torch-order/make.py (nn.Sequential(Linear(3, 4), Tanh(), Linear(4, 2)) with biases,
 * float64, nn.MSELoss mean and sum): torch's parameters_to_vector order is our `row` order, torch's
 * Hessian–vector product in that order equals ours converted, and torch's dense-Hessian eigenvalues
 * are the eigenvalues of the model's own loss (reduction "mean" / "sum").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fromRowOrder, inOrder, toColumnOrder, toRowOrder } from '../../src/curvature/order.js';
import type { ParameterBlock } from '../../src/curvature/problem.js';
import { loadNetwork } from '../../src/families/registry.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { runCliAsync } from '../support/cli.js';
import { checkProperty } from '../support/property.js';

const dir = join(__dirname, '..', 'fixtures', 'torch-order');
interface TorchFixture {
  loss: number;
  thetaRowOrder: number[];
  vectorRowOrder: number[];
  hvpRowOrder: number[];
  lambdaMax: number;
  lambdaMin: number;
}
const torchOf = (reduction: string): TorchFixture => JSON.parse(readFileSync(join(dir, `torch-${reduction}.json`), 'utf8')) as TorchFixture;
const maxAbs = (v: readonly number[]): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

describe('toRowOrder / fromRowOrder', () => {
  test('hand example: W_1 2×3, b_1, W_2 1×2', () => {
    const net = {
      blocks: [
        { name: 'W_1', offset: 0, rows: 2, cols: 3 },
        { name: 'b_1', offset: 6, rows: 2, cols: 1 },
        { name: 'W_2', offset: 8, rows: 1, cols: 2 },
      ],
    };
    // Column order: W_1 = [[a, b, c], [d, e, f]] is (a, d, b, e, c, f); row order (a, b, c, d, e, f).
    const theta = ['a', 'd', 'b', 'e', 'c', 'f', 'p', 'q', 'u', 'v'];
    expect(toRowOrder(net, theta)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'p', 'q', 'u', 'v']);
    expect(fromRowOrder(net, toRowOrder(net, theta))).toEqual(theta);
    expect(() => toRowOrder(net, [1, 2])).toThrow(/expected 10 entries \(the parameter count\), got 2/);
  });

  test('inverse of each other on random block layouts', () => {
    const layout = fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 4 });
    checkProperty(
      fc.property(layout, (shapes) => {
        let o = 0;
        const blocks: ParameterBlock[] = shapes.map(([rows, cols], k) => {
          const b = { name: `W_${k + 1}`, offset: o, rows, cols };
          o += rows * cols;
          return b;
        });
        const theta = Array.from({ length: o }, (_, i) => i);
        const row = toRowOrder({ blocks }, theta);
        expect(fromRowOrder({ blocks }, row)).toEqual(theta);
        expect(toColumnOrder({ blocks }, inOrder({ blocks }, theta, 'row'), 'row')).toEqual(theta);
        expect([...row].sort((a, b) => a - b)).toEqual(theta);
      }),
    );
  });
});

describe.each(['mean', 'sum'])('torch fixture, nn.MSELoss(reduction=%s), biases on', (reduction) => {
  const torch = torchOf(reduction);
  const network = loadNetwork(join(dir, `model-${reduction}.json`));

  test('θ in row order is torch’s parameters_to_vector, bit for bit; the loss is torch’s', () => {
    expect(network.blocks.map((b) => b.name)).toEqual(['W_1', 'b_1', 'W_2', 'b_2']);
    expect(toRowOrder(network, network.theta)).toEqual(torch.thetaRowOrder);
    expect(Math.abs(network.loss(network.theta) - torch.loss)).toBeLessThanOrEqual(1e-14 * torch.loss);
    expect(network.convention.reduction).toBe(reduction);
  });

  test('a row-order HVP equals torch’s; the column-order product permuted is the same vector', () => {
    const v = fromRowOrder(network, torch.vectorRowOrder);
    const Hv = toRowOrder(network, Array.from(network.hessian.matvec(v)));
    expect(maxDiff(Hv, torch.hvpRowOrder)).toBeLessThanOrEqual(1e-12 * maxAbs(torch.hvpRowOrder));
    // Feeding the torch-ordered vector as if it were column order gives a different (wrong) product.
    const wrong = toRowOrder(network, Array.from(network.hessian.matvec(torch.vectorRowOrder)));
    expect(maxDiff(wrong, torch.hvpRowOrder)).toBeGreaterThan(1e-3 * maxAbs(torch.hvpRowOrder));
  });

  test('λ_max and λ_min of the dense Hessian are torch’s (the model’s own loss convention)', () => {
    const { values } = symmetricEigen(network.denseHessian());
    const top = values[values.length - 1] as number;
    expect(Math.abs(top - torch.lambdaMax)).toBeLessThanOrEqual(1e-12 * Math.abs(torch.lambdaMax));
    expect(Math.abs((values[0] as number) - torch.lambdaMin)).toBeLessThanOrEqual(1e-12 * Math.abs(torch.lambdaMax));
  });

  test('hessian-vector --order row --vector reads and writes torch’s order', async () => {
    const r = await runCliAsync('hessian-vector', join(dir, `model-${reduction}.json`), '--vector', join(dir, `vector-row-${reduction}.json`), '--order', 'row', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { schemaVersion: number; order: string; product: number[] };
    expect(out.schemaVersion).toBe(1);
    expect(out.order).toBe('row');
    expect(maxDiff(out.product, torch.hvpRowOrder)).toBeLessThanOrEqual(1e-12 * maxAbs(torch.hvpRowOrder));
  });
});

test('the sum and mean conventions differ by n·d_out = 10 in every eigenvalue (torch agrees)', () => {
  expect(torchOf('sum').lambdaMax / torchOf('mean').lambdaMax).toBeCloseTo(10, 12);
});

test('sharpness names the convention and gives 2/λ_max for the model’s own loss', async () => {
  const r = await runCliAsync('sharpness', join(dir, 'model-mean.json'), '--json');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { lambdaMax: number; maxStableStep: number; convention: { reduction: string; formula: string } };
  expect(out.convention.reduction).toBe('mean');
  expect(out.convention.formula).toMatch(/torch MSELoss\(\)/);
  const torch = torchOf('mean');
  expect(Math.abs(out.lambdaMax - torch.lambdaMax)).toBeLessThanOrEqual(1e-10 * torch.lambdaMax);
  expect(out.maxStableStep).toBeCloseTo(2 / torch.lambdaMax, 10);
  const text = await runCliAsync('sharpness', join(dir, 'model-mean.json'));
  expect(text.stdout).toMatch(/loss {9}L = ‖F − Y‖²_F \/ \(n·d_out\) \(mean over samples and outputs; torch MSELoss\(\)\)/);
  expect(text.stdout).toMatch(/2\/λ_max .* \(largest stable gradient-descent step on this loss\)/);
});

test('spectrum --eigenvectors --order row writes eigenvectors in torch order; --order M is still the SLQ steps', async () => {
  const model = join(dir, 'model-mean.json');
  const network = loadNetwork(model);
  const r = await runCliAsync('spectrum', model, '--top', '1', '--eigenvectors', '--order', 'row', '--json');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { schemaVersion: number; order: string; top: { pairs: { eigenvalue: number; eigenvector: number[] }[] } };
  expect(out.order).toBe('row');
  const pair = out.top.pairs[0] as { eigenvalue: number; eigenvector: number[] };
  // Back in θ order it is an eigenvector of the Hessian; read as if it were θ order it is not.
  const u = fromRowOrder(network, pair.eigenvector);
  const residual = (x: number[]): number => Math.sqrt(Array.from(network.hessian.matvec(x)).reduce((s, y, i) => s + (y - pair.eigenvalue * (x[i] as number)) ** 2, 0));
  expect(residual(u)).toBeLessThan(1e-8 * pair.eigenvalue);
  expect(residual(pair.eigenvector)).toBeGreaterThan(1e-3 * pair.eigenvalue);
  const legacy = await runCliAsync('spectrum', model, '--top', '1', '--density', '--order', '12', '--vectors', '2', '--json');
  expect(legacy.code).toBe(0);
  expect((JSON.parse(legacy.stdout) as { density: { order: number } }).density.order).toBe(12);
  const bad = await runCliAsync('spectrum', model, '--order', 'rows');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--order: unknown order "rows" \(orders: column, row\)/);
});
