import fc from 'fast-check';
import type { Reduction } from '../../src/models/reduction.js';
import { deepLinearReference, twoLayerReference, type ClosedReference } from '../../src/autodiff/crosscheck.js';
import { deepLinearDeviceModel, twoLayerDeviceModel, type DeviceModel } from '../../src/autodiff/device-model.js';
import { startBackend, type AutodiffSession } from '../../src/autodiff/session.js';
import { F64 } from '../../src/field/field.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { toDense } from '../../src/linop/linear-operator.js';
import { convertModel, makeDlnModel, makeDmfModel, type DeepLinearModel } from '../../src/models/model.js';
import { ACTIVATIONS, TWO_LAYER_LOSSES, type TwoLayerModel } from '../../src/twolayer/model.js';
import { checkAsyncProperty } from '../support/property.js';
import { randomFloatModel } from '../twolayer/helpers.js';
import { generate } from '../../src/linalg/matrix.js';
import { mulberry32, standardNormal } from '../../src/random/mulberry32.js';
import { backendsHere } from './backends.js';

/**
 * One conformance suite for every autodiff backend that starts here: loss, gradient, HVP and
 * λ_max of the autodiff path against the closed forms (binary64) on generated models. Each
 * tolerance is the backend's declared rounding bound `γ` (from its precision, the widths and the
 * depth; src/autodiff/precision.ts) times the magnitude the error scales with — never a number
 * tuned to what the backend happens to produce.
 */

jest.setTimeout(600_000);

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const dist = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((s, x, i) => s + (x - (b[i] as number)) ** 2, 0));

/** A deep linear network with small Gaussian weights: DMF or with data, any loss scale. */
function deepLinear(seed: number, widths: number[], withData: boolean, reduction: Reduction): DeepLinearModel<number> {
  const r = mulberry32(seed);
  const gauss = (): number => standardNormal(r);
  const weights = widths.slice(1).map((rows, i) => generate(rows, widths[i] as number, () => gauss() / Math.sqrt(widths[i] as number)));
  const d0 = widths[0] as number;
  const dN = widths[widths.length - 1] as number;
  const options = { reduction };
  if (!withData) return makeDmfModel(weights, generate(dN, d0, gauss), options);
  const n = 1 + Math.floor(r() * 6);
  return makeDlnModel(weights, { inputs: generate(d0, n, gauss), targets: generate(dN, n, gauss) }, options);
}

/** Compares every quantity of one model on one backend. */
async function conform(session: AutodiffSession, device: DeviceModel, ref: ClosedReference): Promise<void> {
  const model = await session.load(device);
  try {
    const gamma = model.tolerance;
    const H = toDense(ref.hessian);
    const { values } = symmetricEigen(H);
    const lambdaMax = values[values.length - 1] as number;
    const hNorm = Math.max(Math.abs(lambdaMax), Math.abs(values[0] as number));
    // loss: |ΔL| ≤ γ·(loss magnitude)
    expect(Math.abs((await model.loss()) - ref.loss)).toBeLessThanOrEqual(gamma * ref.lossMagnitude);
    // gradient: ‖Δg‖ ≤ γ·max(‖g‖, √(2‖H‖·L_mag))
    const g = await model.gradient();
    expect(dist(g, ref.gradient)).toBeLessThanOrEqual(gamma * Math.max(norm(ref.gradient), Math.sqrt(2 * hNorm * ref.lossMagnitude)));
    // HVP against the dense closed-form Hessian: ‖ΔHv‖ ≤ γ·‖H‖‖v‖
    const r = mulberry32(device.dimension);
    const v = Array.from({ length: device.dimension }, () => r() - 0.5);
    const Hv = await model.hvp(v);
    const HvDense = ref.hessian.matvec(v);
    expect(dist(Hv, HvDense)).toBeLessThanOrEqual(gamma * hNorm * norm(v));
    // λ_max against the dense eigenvalues: |Δλ| ≤ (γ + Lanczos tolerance)·‖H‖
    const eig = await model.eigen({ k: 1 });
    expect(eig.converged).toBe(true);
    expect(Math.abs((eig.eigenvalues[0] as number) - lambdaMax)).toBeLessThanOrEqual((gamma + eig.tolerance) * hNorm);
  } finally {
    await model.dispose();
  }
}

const widthsArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 5 });

describe.each(backendsHere())('autodiff backend %s conforms to the closed forms', (backend) => {
  let session: AutodiffSession;
  beforeAll(async () => {
    session = await startBackend(backend);
  });
  afterAll(async () => {
    await session.close();
  });

  test('declares its precision (float32 on every tfjs backend here)', () => {
    expect(session.precision.name).toBe('float32');
    expect(session.precision.unitRoundoff).toBe(2 ** -24);
    expect(session.info.backend).toBe(backend);
  });

  test('deep linear networks (DMF and with data, every reduction, depth 1–4)', async () => {
    await checkAsyncProperty(
      fc.asyncProperty(widthsArb, fc.boolean(), fc.constantFrom<Reduction>('half', 'sample-mean', 'sum', 'mean'), fc.nat(), async (widths, withData, reduction, seed) => {
        const m = deepLinear(seed, widths, withData, reduction);
        await conform(session, deepLinearDeviceModel(m, (x) => x), deepLinearReference(m));
      }),
      { numRuns: backend === 'webgl' ? 8 : 25 },
    );
  });

  test.each(ACTIVATIONS.flatMap((a) => TWO_LAYER_LOSSES.map((l) => [a, l] as const)))('two-layer network, %s activation, %s loss', async (activation, loss) => {
    const m: TwoLayerModel<number> = randomFloatModel(11, { d: 3, h: 4, c: 3, n: 5 }, activation, loss);
    await conform(session, twoLayerDeviceModel(m, (x) => x), twoLayerReference(m));
  });

  test.each([
    ['tanh', 'squared'],
    ['relu', 'cross-entropy'],
    ['quadratic', 'squared'],
  ] as const)('two-layer network with biases b_1, b_2, %s activation, %s loss (reduction mean)', async (activation, loss) => {
    const base = randomFloatModel(13, { d: 3, h: 4, c: 3, n: 5 }, activation, loss);
    const r = mulberry32(17);
    const m: TwoLayerModel<number> = { ...base, reduction: 'mean', biases: { b1: [0.3, -0.2, 0.5, 0.1].map((x) => x + 0.1 * r()), b2: [-0.4, 0.2, 0.25] } };
    await conform(session, twoLayerDeviceModel(m, (x) => x), twoLayerReference(m));
  });

  test('top-3 and bottom-2 eigenvalues against the dense spectrum; the same seed gives the same numbers', async () => {
    const m = deepLinear(5, [3, 4, 2, 3], true, 'half');
    const ref = deepLinearReference(m);
    const { values } = symmetricEigen(toDense(ref.hessian));
    const hNorm = Math.max(...values.map(Math.abs));
    const model = await session.load(deepLinearDeviceModel(m, (x) => x));
    try {
      const top = await model.eigen({ k: 3, which: 'largest', seed: 4 });
      const again = await model.eigen({ k: 3, which: 'largest', seed: 4 });
      const bottom = await model.eigen({ k: 2, which: 'smallest', seed: 4 });
      expect(again.eigenvalues).toEqual(top.eigenvalues);
      const bound = (model.tolerance + top.tolerance) * hNorm;
      top.eigenvalues.forEach((x, i) => expect(Math.abs(x - (values[values.length - 1 - i] as number))).toBeLessThanOrEqual(bound));
      bottom.eigenvalues.forEach((x, i) => expect(Math.abs(x - (values[i] as number))).toBeLessThanOrEqual(bound));
      // true residuals are reported and small: ‖Hy − θy‖ ≤ √tol·|θ| or at the rounding floor
      top.residuals.forEach((r, i) => expect(r).toBeLessThanOrEqual(Math.max(Math.sqrt(top.tolerance) * Math.abs(top.eigenvalues[i] as number), 2 * model.tolerance * hNorm)));
    } finally {
      await model.dispose();
    }
  });

  test('long sums stay within the bound: the loss of a 1024×1024 one-layer factorization with W − M = 0.1·1', async () => {
    // A sequential float32 sum of 2^20 equal squares drifts far beyond γ; the device sums in two stages.
    const d = 1024;
    const W = generate(d, d, () => 0.25);
    const M = generate(d, d, () => 0.15);
    const m = makeDmfModel([W], M);
    const device = deepLinearDeviceModel(m, (x) => x);
    const f32 = (x: number): number => Math.fround(x);
    const exact = 0.5 * d * d * (f32(0.25) - f32(0.15)) ** 2; // the loss of the float32-rounded inputs
    const model = await session.load(device);
    try {
      expect(Math.abs((await model.loss()) - exact)).toBeLessThanOrEqual(model.tolerance * exact);
    } finally {
      await model.dispose();
    }
  });

  test('an exact minimizer from a model file: λ_max = 48 (example dmf-balanced-depth3, docs/math.md §3)', async () => {
    const { loadModelSource } = await import('../../src/models/source.js');
    const m = convertModel(loadModelSource('example:dmf-balanced-depth3'), F64.fromRational);
    const model = await session.load(deepLinearDeviceModel(m, (x) => x));
    const eig = await model.eigen({ k: 1 });
    expect(Math.abs((eig.eigenvalues[0] as number) - 48)).toBeLessThanOrEqual((model.tolerance + eig.tolerance) * 48);
    await model.dispose();
  });
});
