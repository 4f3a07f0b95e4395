/**
 * Training dynamics against values derived independently: exact rational gradient-descent steps on
 * the closed-form gradient over Q, hand-derived stability thresholds of quadratics, a finite-difference
 * Jacobian, hand values of the ansatz bounds, and determinism for a fixed seed.
 */
import fc from 'fast-check';
import { F64, Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { gradient, loss as lossOf } from '../../src/hessian/gradient.js';
import { preparePoint } from '../../src/hessian/point.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { fromColumnMajor, fromRows, type Matrix } from '../../src/linalg/matrix.js';
import { makeDlnModel, makeDmfModel, type DeepLinearModel } from '../../src/models/model.js';
import { parseModel } from '../../src/models/load.js';
import { parseTwoLayerModel } from '../../src/models/two-layer-load.js';
import { getExample } from '../../src/models/examples/index.js';
import { prepareTwoLayerPoint, twoLayerGradient } from '../../src/twolayer/point.js';
import type { TwoLayerModel } from '../../src/twolayer/model.js';
import { train } from '../../src/dynamics/train.js';
import { deepLinearTrainable } from '../../src/dynamics/deep-linear-trainable.js';
import { twoLayerTrainable } from '../../src/dynamics/two-layer-trainable.js';
import { lanczos } from '../../src/spectral/lanczos.js';
import { operatorFrom } from '../../src/linop/linear-operator.js';
import { checkProperty } from '../support/property.js';

/** The value, asserting it is present (test helper). */
function nn<T>(x: T | undefined | null): T {
  if (x === undefined || x === null) throw new Error('unexpected missing value');
  return x;
}


const r = (s: string): Rational => Rational.parse(s);
const example = (id: string): DeepLinearModel<Rational> => parseModel(getExample(id).text, id);

/** `steps` exact GD steps θ ← θ − η ∇L with the closed-form gradient over Q. */
function exactDeepLinearSteps(model: DeepLinearModel<Rational>, eta: Rational, steps: number): Rational[] {
  let weights = model.weights.slice();
  const spec = specFromModel(model);
  for (let t = 0; t < steps; t++) {
    const g = gradient(preparePoint(Q, { ...spec, weights }));
    weights = weights.map((W, i) => fromColumnMajor(W.rows, W.cols, W.data.map((w, k) => w.sub(eta.mul((g[i] as Matrix<Rational>).data[k] as Rational)))));
  }
  return weights.flatMap((W) => W.data);
}

function expectClose(float: ArrayLike<number>, exact: readonly Rational[], rel: number): void {
  expect(float.length).toBe(exact.length);
  const scale = Math.max(...exact.map((q) => Math.abs(q.toNumber())), 1);
  for (let i = 0; i < exact.length; i++) expect(Math.abs((float[i] as number) - (exact[i] as Rational).toNumber())).toBeLessThanOrEqual(rel * scale);
}

describe('gradient-descent steps against exact rational steps on the closed-form gradient', () => {
  test('DMF depth 2 (a non-minimizer), η = 1/16, 4 steps', () => {
    const m = example('dmf-nonminimizer-depth2');
    const out = train(deepLinearTrainable(m), { eta: 1 / 16, steps: 4, trackSharpness: false });
    expectClose(out.theta, exactDeepLinearSteps(m, r('1/16'), 4), 1e-14);
    expect(out.stepsRun).toBe(4);
  });

  test('DLN with data (depth 2, 4 samples), η = 1/8, 3 steps', () => {
    const m = example('dln-data-depth2');
    const out = train(deepLinearTrainable(m), { eta: 1 / 8, steps: 3, trackSharpness: false });
    expectClose(out.theta, exactDeepLinearSteps(m, r('1/8'), 3), 1e-14);
  });

  test('the scalar-chain kernel (allocation-free) agrees with the closed form over Q: w = (1, 2, 3, 1/2), m = 5', () => {
    const ws = ['1', '2', '3', '1/2'].map((s) => fromRows([[r(s)]]));
    const m = makeDmfModel(ws, fromRows([[r('5')]]));
    const out = train(deepLinearTrainable(m), { eta: 1 / 64, steps: 5, trackSharpness: false });
    expectClose(out.theta, exactDeepLinearSteps(m, r('1/64'), 5), 1e-14);
    // One step by hand: P = 3, R = −2, ∂L/∂w_i = R Π_{j≠i} w_j = −2·(3, 3/2, 1, 6) = (−6, −3, −2, −12).
    const one = train(deepLinearTrainable(m), { eta: 1 / 64, steps: 1, trackSharpness: false });
    expect(Array.from(one.theta)).toEqual([1 + 6 / 64, 2 + 3 / 64, 3 + 2 / 64, 0.5 + 12 / 64]);
    expect(one.series[0]?.loss).toBe(2); // ½(3 − 5)²
  });

  test('two-layer network (quadratic activation, exact), η = 1/8, 3 steps', () => {
    const text = JSON.stringify({
      kind: 'two-layer',
      activation: 'quadratic',
      loss: 'squared',
      weights: [[[1, '1/2'], [0, 1], ['-1/2', 1]], [[1, '1/4', -1]]],
      data: { inputs: [[1, 0, '1/2'], [0, 1, 1]], targets: [[1, 0, '1/2']] },
    });
    const m = parseTwoLayerModel(text, 'inline');
    let model: TwoLayerModel<Rational> = m;
    const eta = r('1/8');
    for (let t = 0; t < 3; t++) {
      const [G1, G2] = twoLayerGradient(prepareTwoLayerPoint(Q, model));
      const step = (W: Matrix<Rational>, G: Matrix<Rational>): Matrix<Rational> => fromColumnMajor(W.rows, W.cols, W.data.map((w, k) => w.sub(eta.mul(G.data[k] as Rational))));
      model = { ...model, weights: [step(model.weights[0], G1), step(model.weights[1], G2)] };
    }
    const out = train(twoLayerTrainable(m), { eta: 1 / 8, steps: 3, trackSharpness: false });
    expectClose(out.theta, [...model.weights[0].data, ...model.weights[1].data], 1e-14);
  });

  test('heavy-ball momentum: two steps by hand on the scalar chain w = (1, 2), m = 4', () => {
    // L = ½(w1 w2 − 4)², ∇L = (w1w2 − 4)(w2, w1). At (1,2): R = −2, g = (−4, −2); v1 = g; θ1 = (1, 2) − η g.
    const m = makeDmfModel([fromRows([[r('1')]]), fromRows([[r('2')]])], fromRows([[r('4')]]));
    const eta = 0.125;
    const beta = 0.5;
    const theta1 = [1 + 0.5, 2 + 0.25];
    const R1 = nn(theta1[0]) * nn(theta1[1]) - 4;
    const g1 = [R1 * nn(theta1[1]), R1 * nn(theta1[0])];
    const v2 = [beta * -4 + nn(g1[0]), beta * -2 + nn(g1[1])];
    const theta2 = [nn(theta1[0]) - eta * nn(v2[0]), nn(theta1[1]) - eta * nn(v2[1])];
    const out = train(deepLinearTrainable(m), { eta, steps: 2, optimizer: 'momentum', momentum: beta, trackSharpness: false });
    expect(Array.from(out.theta)).toEqual(theta2);
  });
});

describe('the stability threshold η = 2/λ_max on quadratics (depth 1, where it is exact)', () => {
  // L = (1/2n)‖W X − Y‖², H = Σ ⊗ I with Σ = XXᵀ/n. X = [[2, 0], [0, 1]]·√2 → Σ = diag(4, 1): λ_max = 4.
  const s = Math.SQRT2;
  const X = fromRows([[2 * s, 0], [0, s]].map((row) => row.map((x) => Rational.fromNumber(x))));
  const Y = fromRows([[r('1'), r('-1')]]);
  const model = makeDlnModel([fromRows([[r('0'), r('0')]])], { inputs: X, targets: Y });
  const lambda = 4;

  test('λ_max tracked along the run is 4 (hand value) with 2/η beside it', () => {
    const out = train(deepLinearTrainable(model), { eta: 0.1, steps: 10, every: 5 });
    for (const p of out.series) {
      expect(p.lambdaMax).toBeCloseTo(lambda, 9);
      expect(p.twoOverEta).toBeCloseTo(20, 12);
    }
  });

  test('η = 1.9/λ_max converges, η = 2.1/λ_max diverges (verdict "diverged", the step stated, series kept)', () => {
    const stable = train(deepLinearTrainable(model), { eta: 1.9 / lambda, steps: 400, trackSharpness: false });
    expect(stable.verdict).toBe('completed');
    expect(nn(stable.series[stable.series.length - 1]).loss).toBeLessThan(1e-12);
    const unstable = train(deepLinearTrainable(model), { eta: 2.1 / lambda, steps: 100000, every: 10, trackSharpness: false });
    expect(unstable.verdict).toBe('diverged');
    // The error along the top direction grows by |1 − 2.1| = 1.1 per step: from O(1) to overflow
    // (loss > 1.8e308) takes about log(1e308)/log(1.21) ≈ 3700 steps.
    expect(unstable.divergedAt).toBeGreaterThan(3000);
    expect(unstable.divergedAt).toBeLessThan(4500);
    const last = nn(unstable.series[unstable.series.length - 1]);
    expect(Number.isFinite(last.loss)).toBe(true);
    expect(last.step).toBeLessThanOrEqual(nn(unstable.divergedAt));
  });
});

describe('the Jacobian norm', () => {
  test('deep linear: ‖P‖₂ with P = diag(8, 1) is 8', () => {
    const m = example('dmf-balanced-depth3');
    const t = deepLinearTrainable(m);
    expect(t.jacobianNorm(t.theta0).value).toBeCloseTo(8, 13);
  });

  test('two-layer tanh: the largest ‖∂f/∂x‖₂ over the samples against central differences of the forward pass', () => {
    const W1 = [[0.7, -0.3, 0.2], [0.1, 0.9, -0.5], [-0.4, 0.2, 0.8], [0.6, 0.5, 0.1]];
    const W2 = [[0.5, -1.1, 0.3, 0.8], [0.2, 0.4, -0.6, 1.0]];
    const Xs = [[0.3, -1.2, 0.5], [1.5, 0.2, -0.7], [-0.4, 0.9, 1.1], [0.05, 0.1, -0.2]];
    const text = JSON.stringify({
      kind: 'two-layer',
      activation: 'tanh',
      loss: 'squared',
      weights: [W1, W2],
      data: { inputs: [0, 1, 2].map((i) => Xs.map((x) => x[i])), targets: [Xs.map(() => 0), Xs.map(() => 1)] },
    });
    const t = twoLayerTrainable(parseTwoLayerModel(text, 'inline'));
    const f = (x: number[]): number[] => W2.map((row) => row.reduce((s, w, k) => s + w * Math.tanh(nn(W1[k]).reduce((a, v, j) => a + v * nn(x[j]), 0)), 0));
    let best = 0;
    let arg = -1;
    Xs.forEach((x, s) => {
      const h = 1e-6;
      // J is 2×3; ‖J‖₂ = sqrt(λ_max(J Jᵀ)) of a 2×2 matrix, closed form.
      const cols = [0, 1, 2].map((j) => {
        const xp = x.slice();
        const xm = x.slice();
        xp[j] = nn(xp[j]) + h;
        xm[j] = nn(xm[j]) - h;
        const a = f(xp);
        const b = f(xm);
        return [0, 1].map((i) => (nn(a[i]) - nn(b[i])) / (2 * h));
      });
      const g11 = cols.reduce((acc, c) => acc + nn(c[0]) * nn(c[0]), 0);
      const g22 = cols.reduce((acc, c) => acc + nn(c[1]) * nn(c[1]), 0);
      const g12 = cols.reduce((acc, c) => acc + nn(c[0]) * nn(c[1]), 0);
      const top = (g11 + g22) / 2 + Math.sqrt(((g11 - g22) / 2) ** 2 + g12 * g12);
      const norm = Math.sqrt(top);
      if (norm > best) {
        best = norm;
        arg = s;
      }
    });
    const j = t.jacobianNorm(t.theta0);
    expect(j.sample).toBe(arg);
    expect(Math.abs(j.value - best)).toBeLessThan(1e-8);
  });
});

describe('ansatz bounds (hand values)', () => {
  test('balanced minimizer W_i = diag(2, 1), N = 3: lower = 3·8^(4/3) = 48 = λ_max = upper', () => {
    const t = deepLinearTrainable(example('dmf-balanced-depth3'));
    const a = t.ansatz(t.theta0);
    if ('unavailable' in a) throw new Error(a.unavailable);
    expect(a.lower).toBeCloseTo(48, 11);
    expect(a.upper).toBeCloseTo(48, 11);
    expect(a.residualBound).toBe(0);
    const s = t.sharpness(t.theta0);
    expect(s.operator).toBe('reduced operator K');
    expect(s.lambdaMax).toBeCloseTo(48, 9);
  });

  test('scalar chain w = (1, 2, 3): upper = 36 + 9 + 4 = 49 = λ_max, lower = 3·6^(4/3), flattest value the same', () => {
    const t = deepLinearTrainable(example('scalar-chain-3'));
    const a = t.ansatz(t.theta0);
    if ('unavailable' in a) throw new Error(a.unavailable);
    expect(a.upper).toBeCloseTo(49, 12);
    expect(a.lower).toBeCloseTo(3 * 6 ** (4 / 3), 12);
    expect(t.flattestValue).toBeCloseTo(3 * 6 ** (4 / 3), 12);
    expect(t.sharpness(t.theta0).lambdaMax).toBeCloseTo(49, 9);
  });

  test('"sum" loss scale doubles both bounds', () => {
    const m = example('scalar-chain-3');
    const t = deepLinearTrainable({ ...m, reduction: 'sample-mean' });
    const a = t.ansatz(t.theta0);
    if ('unavailable' in a) throw new Error(a.unavailable);
    expect(a.upper).toBeCloseTo(98, 12);
  });

  test('data that are not whitened: the bounds are reported unavailable with the reason', () => {
    const t = deepLinearTrainable(example('dln-data-depth2'));
    const a = t.ansatz(t.theta0);
    expect('unavailable' in a && a.unavailable).toMatch(/not whitened/);
  });
  test('whitened data exported in float32 (XXᵀ/n = I to float32 rounding only) keep the bounds; data off by 10⁻³ do not', () => {
    // X = √2·R(a), R a rotation: XXᵀ/2 = I exactly in real arithmetic; entries rounded to float32.
    const a = 0.7;
    const rows = [[Math.cos(a), -Math.sin(a)], [Math.sin(a), Math.cos(a)]].map((row) => row.map((x) => Math.fround(Math.SQRT2 * x)));
    const q = (x: number): Rational => Rational.fromNumber(x);
    const X = fromRows(rows.map((row) => row.map(q)));
    const Y = fromRows([[q(1), q(0.5)]]);
    const W = [fromRows([[q(0.5), q(0.25)], [q(0.125), q(1)]]), fromRows([[q(1), q(-0.5)]])];
    const t = deepLinearTrainable(makeDlnModel(W, { inputs: X, targets: Y }));
    const bounds = t.ansatz(t.theta0);
    if ('unavailable' in bounds) throw new Error(bounds.unavailable);
    // The float32 rounding leaves XXᵀ/n − I of order 10⁻⁸, far above the old absolute 10⁻¹²: the
    // tolerance scales with the data's own rounding.
    const H = t.hessianOperator(t.theta0);
    const top = lanczos(H, { k: 1, tolerance: 1e-12, maxIterations: t.params }).eigenvalues[0] as number;
    expect(top).toBeGreaterThanOrEqual(bounds.lower - bounds.residualBound - 1e-9);
    expect(top).toBeLessThanOrEqual(bounds.upper + bounds.residualBound + 1e-9);
    const off = deepLinearTrainable(makeDlnModel(W, { inputs: fromRows(rows.map((row) => row.map((x) => q(1.001 * x)))), targets: Y }));
    const b = off.ansatz(off.theta0);
    expect('unavailable' in b && b.unavailable).toMatch(/not whitened: max \|\(XXᵀ\/n − I\)_ij\| = 2\.00\de-3 is above the rounding tolerance/);
  });

  test('λ_max uses K exactly where the one minimizer test finds a zero-loss minimizer, the Hessian elsewhere', () => {
    const t = deepLinearTrainable(example('dmf-diagonal-depth3'));
    expect(t.minimizerTest(t.theta0).isZeroLoss).toBe(true);
    expect(t.sharpness(t.theta0).operator).toBe('reduced operator K');
    const moved = Float64Array.from(t.theta0);
    moved[0] = nn(moved[0]) * (1 + 1e-10);
    expect(t.minimizerTest(moved).verdict).toBe('near-minimizer');
    const s = t.sharpness(moved);
    expect(s.operator).toBe('Hessian');
    expect(s.lambdaMax).toBeCloseTo(16.5, 6);
  });

  test('balance: W_2ᵀW_2 − W_1W_1ᵀ for W_1 = diag(2, 1/2), W_2 = diag(1/4, 4) is diag(−63/16, 63/4)', () => {
    const m = makeDmfModel([fromRows([[r('2'), r('0')], [r('0'), r('1/2')]]), fromRows([[r('1/4'), r('0')], [r('0'), r('4')]])], fromRows([[r('1/2'), r('0')], [r('0'), r('2')]]));
    const b = deepLinearTrainable(m).balance(deepLinearTrainable(m).theta0);
    expect(b.imbalance[0]).toBeCloseTo(Math.hypot(63 / 16, 63 / 4), 12);
    expect(b.spectralNorms).toEqual([2, 4]);
  });
});

describe('minibatches', () => {
  const m = example('dln-data-depth2');
  test('every sample once per epoch: consecutive batches of an epoch partition the samples', () => {
    const t = deepLinearTrainable(m);
    const n = t.samples;
    const seen: number[][] = [];
    const spy = { ...t, batchLossAndGradient: (theta: ArrayLike<number>, batch: readonly number[], out: Float64Array) => (seen.push([...batch]), t.batchLossAndGradient(theta, batch, out)) };
    expect(n % 2).toBe(0);
    train(spy, { eta: 0.01, steps: (3 * n) / 2, optimizer: 'sgd', batch: 2, seed: 3, every: 1000 });
    for (let e = 0; e < 3; e++) {
      const epoch = seen.slice((e * n) / 2, ((e + 1) * n) / 2).flat();
      expect([...epoch].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  test('the minibatch loss and gradient equal the closed form on the batch (the generic gradient over a sub-model)', () => {
    const t = deepLinearTrainable(m);
    const batch = [2, 0];
    const g = new Float64Array(t.params);
    const L = t.batchLossAndGradient(t.theta0, batch, g);
    const spec = specFromModel(m);
    if (spec.objective.kind !== 'dln') throw new Error('expected data');
    const { inputs, targets } = spec.objective;
    const cols = (A: Matrix<Rational>): Matrix<Rational> => fromColumnMajor(A.rows, batch.length, batch.flatMap((s) => A.data.slice(A.rows * s, A.rows * (s + 1))));
    const pt = preparePoint(Q, { ...spec, objective: { kind: 'dln', inputs: cols(inputs), targets: cols(targets) } });
    const exact = gradient(pt).flatMap((G) => G.data);
    expectClose(g, exact, 1e-14);
    expect(L).toBeCloseTo(lossOf(pt).toNumber(), 14);
  });
});

describe('determinism and sharpness tracking', () => {
  const m = example('dln-data-depth2');
  test('SGD with a fixed seed gives the same series twice; another seed another path', () => {
    const a = train(deepLinearTrainable(m), { eta: 0.05, steps: 50, optimizer: 'sgd', batch: 2, seed: 7, every: 10 });
    const b = train(deepLinearTrainable(m), { eta: 0.05, steps: 50, optimizer: 'sgd', batch: 2, seed: 7, every: 10 });
    const c = train(deepLinearTrainable(m), { eta: 0.05, steps: 50, optimizer: 'sgd', batch: 2, seed: 8, every: 10 });
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(a.series).toEqual(b.series);
    expect(Array.from(a.theta)).not.toEqual(Array.from(c.theta));
  });

  test('warm-started λ_max along the path equals a cold Lanczos on the dense Hessian at the recorded points', () => {
    const t = deepLinearTrainable(m);
    const out = train(t, { eta: 0.05, steps: 40, every: 10 });
    expect(out.series.length).toBe(5);
    // Recompute each recorded point's λ_max independently: replay GD and take the dense Hessian's top eigenvalue.
    const theta = Float64Array.from(t.theta0);
    const g = new Float64Array(t.params);
    for (let step = 0; step <= 40; step++) {
      if (step % 10 === 0) {
        const H = t.hessianOperator(theta);
        const cold = lanczos(H, { k: 1, tolerance: 1e-12, maxIterations: t.params });
        expect(out.series[step / 10]?.lambdaMax).toBeCloseTo(cold.eigenvalues[0] as number, 7);
      }
      t.lossAndGradient(theta, g);
      for (let i = 0; i < theta.length; i++) theta[i] = nn(theta[i]) - 0.05 * nn(g[i]);
    }
  });

  test('property: Lanczos warm-started at any nonzero vector finds the same top eigenvalue of a diagonal operator', () => {
    const diag = [5, 3, 2, 1, 0.5, 0.25];
    const op = operatorFrom(F64, [6, 6], (v) => v.map((x, i) => x * nn(diag[i])), { symmetric: true, label: 'diag' });
    checkProperty(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }), (start) => {
        fc.pre(start.some((x) => Math.abs(x) > 1e-3) && Math.abs(nn(start[0])) > 1e-6);
        const res = lanczos(op, { k: 1, start: [start], tolerance: 1e-12, blockSize: 1 });
        expect(res.eigenvalues[0]).toBeCloseTo(5, 9);
      }),
      { numRuns: 50 },
    );
  });
});

test('a DMF model refuses SGD (no samples) with the reason', () => {
  expect(() => train(deepLinearTrainable(example('scalar-chain-2')), { eta: 0.1, steps: 1, optimizer: 'sgd' })).toThrow(/minibatches need a loss that is a mean over samples/);
});

test('bad options: η ≤ 0, non-finite η, steps beyond the limit', () => {
  const t = deepLinearTrainable(example('scalar-chain-2'));
  expect(() => train(t, { eta: 0, steps: 1 })).toThrow(/step size must be a finite number > 0/);
  expect(() => train(t, { eta: Number.NaN, steps: 1 })).toThrow(/finite number > 0/);
  expect(() => train(t, { eta: Infinity, steps: 1 })).toThrow(/finite number > 0/);
  expect(() => train(t, { eta: 0.1, steps: 10_000_001 })).toThrow(/from 0 to 10000000/);
  expect(() => train(t, { eta: 0.1, steps: 10_000_000, every: 1 })).toThrow(/series points \(limit 100000\)/);
});



