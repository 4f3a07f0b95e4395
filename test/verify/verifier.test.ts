/**
 * `verifyFormula` on the claims of docs/math.md §3: where the spectral-norm sum is exact, where it is only
 * an upper bound (with a small shrunk counterexample, checked independently in binary64), and the
 * lower bounds. Cases are few (50) to keep the suite fast; the seed is the pinned property seed.
 */
import { F64 } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { MINIMIZER_KINDS } from '../../src/generators/minimizers.js';
import { hessian } from '../../src/hessian/dense.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { preparePoint } from '../../src/hessian/point.js';
import { equals, mul, type Matrix } from '../../src/linalg/matrix.js';
import { singularValues } from '../../src/linalg/svd-f64.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { Q } from '../../src/field/field.js';
import { toFloat64Model, type DmfModel } from '../../src/models/model.js';
import { FormulaEvaluationError } from '../../src/verify/formula-error.js';
import { verifyFormula, type VerifyOptions, type VerifyResult } from '../../src/verify/verifier.js';
import { PROPERTY_SEED } from '../support/property.js';

const SUM = 'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';
const MAX = 'maxLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';
const FLAT = 'N * norm2(M)^(2 - 2/N)';

function run(formula: string, options: Partial<VerifyOptions> & Pick<VerifyOptions, 'relation'>): VerifyResult {
  return verifyFormula(formula, { depth: [2, 4], width: [1, 4], cases: 50, seed: PROPERTY_SEED, kinds: MINIMIZER_KINDS, ...options });
}

function expectHolds(r: VerifyResult, cases = 50): void {
  expect(r.verdict).toBe('holds');
  expect(r.counterexample).toBeUndefined();
  expect(r.casesTried).toBe(cases);
  expect(r.proven + r.undecided).toBe(cases);
}

/** Binary64 λ_max from the dense Hessian (independent of the reduced problem and of the enclosures). */
function floatLambdaMax(m: DmfModel<Rational>): number {
  const f = toFloat64Model(m);
  const H = hessian(preparePoint(F64, specFromModel(f)));
  const { values } = symmetricEigen(H);
  return Math.max(...values);
}

/** Binary64 spectral-norm sum from float SVDs of the partial products. */
function floatSum(m: DmfModel<Rational>): number {
  const pt = preparePoint(F64, specFromModel(toFloat64Model(m)));
  let s = 0;
  for (let i = 0; i < pt.depth; i++) {
    const a = Math.max(...singularValues(pt.A[i] as Matrix<number>));
    const b = Math.max(...singularValues(pt.B[i] as Matrix<number>));
    s += a * a * b * b;
  }
  return s;
}

describe('the spectral-norm sum as λ_max (docs/math.md §3)', () => {
  test('holds at depth 2 (Kronecker sum), any widths', () => {
    expectHolds(run(SUM, { relation: 'equal', depth: [2, 2] }));
  });

  test('holds for scalar chains (width 1), depths 2..4, all decided exactly', () => {
    const r = run(SUM, { relation: 'equal', width: [1, 1] });
    expectHolds(r);
    expect(r.undecided).toBe(0);
  });

  test.each([PROPERTY_SEED, 1, 2])('fails at depth 3 with a small exact counterexample (seed %d)', (seed) => {
    const r = run(SUM, { relation: 'equal', depth: [3, 3], seed });
    expect(r.verdict).toBe('counterexample');
    const c = r.counterexample;
    if (c === undefined) throw new Error('no counterexample');
    expect(c.parameters).toBeLessThanOrEqual(12); // the diagonal example of docs/math.md §3 has 12
    expect(c.model.weights.length).toBe(3);
    // An exact minimizer: W_3 W_2 W_1 = M.
    const [W1, W2, W3] = c.model.weights as [Matrix<Rational>, Matrix<Rational>, Matrix<Rational>];
    expect(equals(Q, mul(Q, W3, mul(Q, W2, W1)), c.model.target)).toBe(true);
    // F > λ_max proven, and consistent with independent binary64 computations.
    expect(c.explanation).toMatch(/F = λ_max fails: F (=|∈) .* > λ_max/);
    const F = Rational.parse(c.formulaValue.lo);
    const L = Rational.parse(c.lambdaMax.hi);
    expect(F.compare(L)).toBeGreaterThan(0);
    expect(Math.abs(floatLambdaMax(c.model) - c.lambdaMax.approx)).toBeLessThan(1e-9 * Math.max(1, c.lambdaMax.approx));
    expect(Math.abs(floatSum(c.model) - c.formulaValue.approx)).toBeLessThan(1e-9 * Math.max(1, c.formulaValue.approx));
    expect(c.model.description).toContain(SUM);
  });

  test('holds as an upper bound (upper: F ≥ λ_max)', () => {
    expectHolds(run(SUM, { relation: 'upper' }));
  });

  test('fails as a lower bound, with F > λ_max shown', () => {
    const r = run(SUM, { relation: 'lower', depth: [3, 4] });
    expect(r.verdict).toBe('counterexample');
    expect(r.counterexample?.explanation).toMatch(/^F ≤ λ_max fails: .* > λ_max/);
  });
});

describe('lower bounds', () => {
  test('the flattest value N·‖M‖₂^(2−2/N) is a lower bound', () => {
    expectHolds(run(FLAT, { relation: 'lower' }));
  });

  test('the largest term max_i ‖A_i‖₂²‖B_i‖₂² is a lower bound', () => {
    expectHolds(run(MAX, { relation: 'lower' }));
  });

  test('the flattest value is not an upper bound: F < λ_max at an unbalanced minimizer', () => {
    const r = run(FLAT, { relation: 'upper' });
    expect(r.verdict).toBe('counterexample');
    expect(r.counterexample?.explanation).toMatch(/^F ≥ λ_max fails: .* < λ_max/);
  });
});

describe('mechanics', () => {
  test('the same seed gives the same result', () => {
    const a = run(SUM, { relation: 'equal', depth: [3, 3], seed: 7 });
    const b = run(SUM, { relation: 'equal', depth: [3, 3], seed: 7 });
    expect(a.counterexample?.model.weights).toEqual(b.counterexample?.model.weights);
    expect(a.casesTried).toBe(b.casesTried);
  });

  test('a formula that does not apply to some depth in the range is an error, not a counterexample', () => {
    expect(() => run('norm2(W(3))', { relation: 'equal', depth: [2, 3] })).toThrow(FormulaEvaluationError);
    expect(() => run('1 / (N - 3)', { relation: 'upper' })).toThrow(/division by zero in 1 \/ \(N - 3\)/);
    // Restricted to depths where it applies, it is checked normally.
    expect(run('norm2(W(3))', { relation: 'upper', depth: [3, 3], cases: 5 }).verdict).toBe('counterexample');
  });
});
