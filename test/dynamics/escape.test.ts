/** The escape experiment: linear-stability predictions where they are exact, certified λ_max, bad input. */
import { Rational } from '../../src/field/rational.js';
import { fromRows } from '../../src/linalg/matrix.js';
import { makeDmfModel } from '../../src/models/model.js';
import { parseModel } from '../../src/models/load.js';
import { getExample } from '../../src/models/examples/index.js';
import { escape, escapePlane } from '../../src/dynamics/escape.js';
import { NotAMinimizerError } from '../../src/sharpness/sharpness.js';
import { InputError } from '../../src/errors/input-error.js';
import { classifyResidual, isSettled } from '../../src/families/minimizer.js';
import { deepLinearTrainable } from '../../src/dynamics/deep-linear-trainable.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { toDense } from '../../src/linop/linear-operator.js';
import { parseTwoLayerModel } from '../../src/models/two-layer-load.js';

/** The value, asserting it is present (test helper). */
function nn<T>(x: T | undefined | null): T {
  if (x === undefined || x === null) throw new Error('unexpected missing value');
  return x;
}


const r = (s: string): Rational => Rational.parse(s);
const dl = (id: string) => ({ family: 'deep-linear' as const, model: parseModel(getExample(id).text, id) });

describe('a quadratic (depth 1, L = ½‖W − M‖², H = I, λ_max = 1): the prediction is exact', () => {
  const M = fromRows([[r('3'), r('1')], [r('0'), r('2')]]);
  const any = { family: 'deep-linear' as const, model: makeDmfModel([M], M) };
  const rep = escape(any, { factors: [0.5, 0.99, 1.5], steps: 3000, trajectoryPoints: 50 });

  test('λ_max = 1 certified exactly; the flattest value N σ₁^(2−2/N) = 1 for N = 1', () => {
    expect(rep.certified).toBe(true);
    expect(rep.exact !== undefined && 'value' in rep.exact && rep.exact.value).toBe('1');
    expect(rep.flattestValue).toBeCloseTo(1, 14);
  });

  test('F < 1 returns: the top component shrinks by |1 − 2F| per step', () => {
    for (const run of rep.runs.slice(0, 2)) {
      expect(run.verdict).toBe('returned');
      expect(run.escaped).toBe(false);
      expect(run.agreesWithPrediction).toBe(true);
    }
    // F = 0.5: one step lands exactly on w*.
    expect(nn(rep.runs[0]).final.distance).toBe(0);
  });

  test('F = 1.5 > 1 with 2/η below the flattest value: escapes and diverges (|1 − 3| = 2 per step), step of divergence stated', () => {
    const run = nn(rep.runs[2]);
    expect(run.belowFlattest).toBe(true);
    expect(run.verdict).toBe('diverged');
    // 1e-9·2^t overflows the loss (½‖·‖² > 1.8e308) near t = log2(1.3e154·1e9) ≈ 541.
    expect(run.divergedAt).toBeGreaterThan(530);
    expect(run.divergedAt).toBeLessThan(550);
    expect(run.agreesWithPrediction).toBe(true);
    expect(run.prediction).toMatch(/cannot converge/);
  });
});

describe('the depth-3 diagonal example (W = diag(2,½), diag(¼,4), diag(2,½)), λ_max = 33/2 exactly, flattest value 3', () => {
  const rep = escape(dl('dmf-diagonal-depth3'), { factors: [0.9, 1.2], steps: 20000, trajectoryPoints: 100 });

  test('certified 33/2; the eigenvector v_1 has residual ≈ 0 against it', () => {
    expect(rep.certified).toBe(true);
    expect(rep.exact !== undefined && 'value' in rep.exact && rep.exact.value).toBe('33/2');
    expect(rep.eigenvectorResidual).toBeLessThan(1e-12);
    expect(rep.flattestValue).toBeCloseTo(3, 13);
  });

  test('F = 0.9 returns; F = 1.2 escapes and settles at a minimizer with λ_max ≤ 2/η', () => {
    const [a, b] = rep.runs;
    expect(nn(a).verdict).toBe('returned');
    expect(nn(b).verdict).toBe('escaped');
    expect(nn(b).settled).toBe(true);
    expect(nn(nn(b).final.lambdaMax)).toBeLessThanOrEqual(nn(b).twoOverEta);
    expect(nn(b).finalBelowTwoOverEta).toBe(true);
    expect(nn(b).agreesWithPrediction).toBe(true);
    expect(nn(b).final.distance).toBeGreaterThan(rep.neighbourhood.radius);
  });

  test('the final λ_max is within its stated error of the top eigenvalue of the dense Hessian at the end point', () => {
    const one = escape(dl('dmf-diagonal-depth3'), { factors: [1.2], steps: 20000, trajectoryPoints: 0, keepFinal: true });
    const run = nn(one.runs[0]);
    const t = deepLinearTrainable(dl('dmf-diagonal-depth3').model);
    const { values } = symmetricEigen(toDense(t.hessianOperator(Float64Array.from(nn(run.theta)))));
    const top = nn(values[values.length - 1]);
    const err = nn(run.final.lambdaMaxError);
    expect(err).toBeLessThan(1e-6);
    expect(Math.abs(nn(run.final.lambdaMax) - top)).toBeLessThanOrEqual(err + 1e-12 * top);
    expect(run.finalBelowTwoOverEta).toBe(top <= run.twoOverEta + err);
  });

  test('the plane: the loss at the centre is 0 and grows along v_1 like ½λ_max α² to leading order', () => {
    const plane = escapePlane(dl('dmf-diagonal-depth3'), { ...rep, runs: [] }, 5);
    expect(nn(plane.loss[2])[2]).toBeCloseTo(0, 20);
    const a = nn(plane.alpha[3]);
    expect(nn(nn(plane.loss[2])[3]) / (0.5 * 16.5 * a * a)).toBeCloseTo(1, 4);
  });
});

describe('bad input', () => {
  test('a non-minimizer: NotAMinimizerError stating the residual (an InputError)', () => {
    let err: unknown;
    try {
      escape(dl('dmf-nonminimizer-depth2'), { factors: [1.1] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotAMinimizerError);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/relative residual \d/);
  });

  test('factors ≤ 0, perturb ≤ 0, steps beyond the limit', () => {
    const any = dl('scalar-chain-2');
    expect(() => escape(any, { factors: [0] })).toThrow(/finite number > 0/);
    expect(() => escape(any, { factors: [1.1], perturb: 0 })).toThrow(/--perturb/);
    expect(() => escape(any, { factors: [1.1], steps: 10_000_001 })).toThrow(/from 1 to 10000000/);
    expect(() => escape(any, { factors: [] })).toThrow(/1 to 32 factors/);
  });
});

describe('two-layer networks', () => {
  test('a tanh net at a zero-loss point (targets = its own outputs): F = 0.5 returns, F = 3 leaves the neighbourhood', () => {
    const W1 = [[0.7, -0.3], [0.1, 0.9], [-0.4, 0.2]];
    const W2 = [[0.5, -1.1, 0.3]];
    const X = [[0.3, -1.2, 0.5, 1.0], [1.5, 0.2, -0.7, 0.4]];
    const f = (x: number[]): number => nn(W2[0]).reduce((s, w, k) => s + w * Math.tanh(nn(W1[k]).reduce((a, v, j) => a + v * nn(x[j]), 0)), 0);
    const Y = [[0, 1, 2, 3].map((s) => f([nn(nn(X[0])[s]), nn(nn(X[1])[s])]))];
    const text = JSON.stringify({ kind: 'two-layer', activation: 'tanh', loss: 'squared', weights: [W1, W2], data: { inputs: X, targets: Y } });
    const rep = escape({ family: 'two-layer', model: parseTwoLayerModel(text, 'inline') }, { factors: [0.5, 3], steps: 2000, trajectoryPoints: 0 });
    expect(rep.certified).toBe(false);
    expect(rep.flattestValue).toBeNull();
    expect(nn(rep.runs[0]).verdict).toBe('returned');
    expect(nn(rep.runs[1]).escaped).toBe(true);
  });
});

test('settled: zero-loss by the minimizer test, or a near-minimizer of relative residual ≤ 10⁻⁶', () => {
  const at = (residualNorm: number): boolean => isSettled(classifyResidual({ residualNorm, targetNorm: 1, roundingBound: 1e-15 }));
  expect(at(1e-16)).toBe(true); // within the rounding bound
  expect(at(1e-7)).toBe(true); // near-minimizer, below 10⁻⁶
  expect(at(1e-6)).toBe(true);
  expect(at(2e-6)).toBe(false);
  expect(at(1e-2)).toBe(false); // not a minimizer
  expect(isSettled(classifyResidual({ residualNorm: Number.NaN, targetNorm: 1, roundingBound: 0, noZeroLoss: 'cross-entropy' }))).toBe(false);
});
