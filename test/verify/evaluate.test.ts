/** Evaluation of formulas on exact minimizers against docs/math.md §3 values; λ_max from the reduced problem. */
import { Rational } from '../../src/field/rational.js';
import { fromRows } from '../../src/linalg/matrix.js';
import { loadExample } from '../../src/models/examples/index.js';
import { makeDmfModel, type DmfModel } from '../../src/models/model.js';
import { productOf } from '../../src/generators/minimizers.js';
import { evaluateFormula, type ScalarValue } from '../../src/verify/evaluate.js';
import { compareLambdaMax, formulaContext, lambdaMaxEnclosure } from '../../src/verify/formula-context.js';
import { FormulaEvaluationError } from '../../src/verify/formula-error.js';
import { parseFormula } from '../../src/verify/formula.js';
import * as I from '../../src/verify/interval.js';

const q = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));

function dmf(id: string): DmfModel<Rational> {
  const m = loadExample(id);
  if (m.kind !== 'dmf') throw new Error(`${id} is not a DMF example`);
  return m;
}

function model(weights: (number | [number, number])[][][]): DmfModel<Rational> {
  const W = weights.map((rows) => fromRows(rows.map((r) => r.map((x) => (Array.isArray(x) ? q(x[0], x[1]) : q(x))))));
  return makeDmfModel(W, productOf(W));
}

function value(formula: string, m: DmfModel<Rational>, bits = 100): ScalarValue {
  return evaluateFormula(parseFormula(formula), formulaContext(m), { bits });
}

function expectExact(v: ScalarValue, expected: Rational): void {
  expect(I.isPoint(v.iv)).toBe(true);
  expect(v.iv.lo.toString()).toBe(expected.toString());
}

const SUM = 'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';
const MAX = 'maxLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';
const FLAT = 'N * norm2(M)^(2 - 2/N)';

describe('known values (docs/math.md §3)', () => {
  test('depth-3 diagonal example: the spectral-norm sum is exactly 24, λ_max is exactly 33/2', () => {
    const m = dmf('dmf-diagonal-depth3');
    expectExact(value(SUM, m), q(24));
    const lam = lambdaMaxEnclosure(formulaContext(m), 60);
    expect(lam.exact).toBe(true);
    expect(lam.iv.lo.toString()).toBe('33/2');
    // max term 16 ≤ λ_max = 33/2 ≤ sum 24; flattest value for M = I is N·1 = 3.
    expectExact(value(MAX, m), q(16));
    expectExact(value(FLAT, m), q(3));
    // One exact inertia count places λ_max against any rational.
    const ctx = formulaContext(m);
    expect(compareLambdaMax(ctx, q(33, 2))).toBe('equal');
    expect(compareLambdaMax(ctx, q(16))).toBe('above');
    expect(compareLambdaMax(ctx, q(24))).toBe('below');
    expect(compareLambdaMax(ctx, q(33, 2).add(new Rational(1n, 10n ** 30n)))).toBe('below');
  });

  test('scalar chain w = (1, 2, 3): the sum is 49 = λ_max; N·|m|^(4/3) encloses 3·6^(4/3)', () => {
    const m = dmf('scalar-chain-3');
    expectExact(value(SUM, m), q(49));
    const lam = lambdaMaxEnclosure(formulaContext(m), 60);
    expect(lam.exact && lam.iv.lo.equals(q(49))).toBe(true);
    const flat = value(FLAT, m, 100);
    expect(I.isPoint(flat.iv)).toBe(false);
    // 3·6^(4/3): check by exact powering: (F/3)^3 ∈ [lo^3, hi^3] must contain 6^4.
    const lo = flat.iv.lo.div(q(3)).pow(3);
    const hi = flat.iv.hi.div(q(3)).pow(3);
    expect(lo.compare(q(1296)) <= 0 && hi.compare(q(1296)) >= 0).toBe(true);
    expect(I.agreeingDigits(flat.iv, flat.iv)).toBeGreaterThanOrEqual(25);
    expect(Math.abs(I.toNumber(flat.iv) - 3 * 6 ** (4 / 3))).toBeLessThan(1e-12);
  });

  test('balanced depth-3 example: N·‖M‖₂^(4/3) = 3·64^(2/3) = 48 exactly = λ_max (the flattest value)', () => {
    const m = dmf('dmf-balanced-depth3');
    expectExact(value(FLAT, m), q(48));
    expectExact(value(SUM, m), q(48));
    const lam = lambdaMaxEnclosure(formulaContext(m), 60);
    expect(lam.exact && lam.iv.lo.equals(q(48))).toBe(true);
  });

  test('depth 2: ‖W_1‖² + ‖W_2‖² with W_1 = diag(2, 1/2), W_2 = diag(1/2, 2) is 8 = λ_max', () => {
    const m = model([
      [
        [2, 0],
        [0, [1, 2]],
      ],
      [
        [[1, 2], 0],
        [0, 2],
      ],
    ]);
    expectExact(value(SUM, m), q(8));
    expectExact(value('norm2(W(1))^2 + norm2(W(2))^2', m), q(8));
    const lam = lambdaMaxEnclosure(formulaContext(m), 60);
    expect(lam.exact && lam.iv.lo.equals(q(8))).toBe(true);
    expectExact(value(FLAT, m), q(2));
  });
});

describe('quantities', () => {
  // W_1 = [[1, 1], [0, 1]] (2×2), W_2 = [[1, 2]] (1×2): P = M = [1, 3].
  const m = model([
    [
      [1, 1],
      [0, 1],
    ],
    [[1, 2]],
  ]);

  test('N, d(i), traces, Frobenius norms are exact', () => {
    expectExact(value('N + d(0) * 10 + d(1) * 100 + d(2) * 1000', m), q(2 + 20 + 200 + 1000));
    expectExact(value('trace(W(1) * transpose(W(1))) + trace(P * transpose(M))', m), q(13));
    expectExact(value("fro(M)^2", m), q(10));
    expectExact(value("fro(P - M)", m), q(0));
    expectExact(value("trace(W(1)' * W(1))", m), q(3));
    expectExact(value('sumLayers(i, d(i) * d(i - 1))', m), q(6));
    expectExact(value('trace(A(1) * W(1) * B(1) * transpose(M))', m), q(10));
  });

  test('norm2 of a rank-one matrix is exact (its Frobenius norm), irrational norms are tight enclosures', () => {
    expectExact(value('norm2(M)^2', m), q(10));
    const s = value('norm2(W(1))', m, 120);
    // ‖[[1,1],[0,1]]‖₂ = golden ratio φ = (1 + √5)/2.
    const phi = (1 + Math.sqrt(5)) / 2;
    expect(Math.abs(I.toNumber(s.iv) - phi)).toBeLessThan(1e-14);
    expect(I.isPoint(s.iv)).toBe(false);
    // φ² = φ + 1: the squared value encloses (3 + √5)/2, and ^2 uses it.
    const s2 = value('norm2(W(1))^2', m, 120);
    expect(Math.abs(I.toNumber(s2.iv) - phi * phi)).toBeLessThan(1e-14);
    // sigma(X, 1) = norm2(X); sigma(X, 2) = 1/φ (det = 1).
    const s1 = value('sigma(W(1), 1) - norm2(W(1))', m, 120);
    expect(I.contains(s1.iv, Rational.ZERO)).toBe(true);
    const prod = value('sigma(W(1), 1) * sigma(W(1), 2)', m, 120);
    expect(I.contains(prod.iv, Rational.ONE)).toBe(true);
    expect(I.width(prod.iv).compare(new Rational(1n, 1n << 100n))).toBeLessThan(0);
  });

  test('an irrational scalar times a matrix keeps norms exact relative to it: norm2(sqrt(2) * M)^2 = 20', () => {
    expectExact(value('norm2(sqrt(2) * M)^2', m), q(20));
    expectExact(value('fro(M / sqrt(2))^2', m), q(5));
  });

  test('abs, max, min, sqrt, negative and fractional powers', () => {
    expectExact(value('abs(-3/2) + max(1, 2, d(0)) - min(N, 7)', m), q(3, 2));
    expectExact(value('sqrt(9/4) + 8^(2/3) + 4^(-1/2)', m), q(3, 2).add(q(4)).add(q(1, 2)));
  });

  test('errors that show only on a model: shapes, index range, division by zero', () => {
    const bad = (f: string): FormulaEvaluationError => {
      try {
        value(f, m);
      } catch (e) {
        if (e instanceof FormulaEvaluationError) return e;
        throw e;
      }
      throw new Error(`expected ${f} to fail`);
    };
    expect(bad('norm2(W(3))').message).toMatch(/W\(3\): layer 3 is out of range 1\.\.N = 2/);
    expect(bad('d(N + 1)').message).toMatch(/width index 3 is out of range 0\.\.N = 2/);
    expect(bad('1 / (N - 2)').message).toMatch(/division by zero in 1 \/ \(N - 2\)/);
    expect(bad('sigma(M, 2)').message).toMatch(/k = 2 is outside 1\.\.1 for a 1×2 matrix/);
    expect(bad('0^(-1)').message).toMatch(/0 to the negative power/);
    expect(bad('(-8)^(1/3)').message).toMatch(/fractional power 1\/3 of a negative number/);
    // W(d(0)) is W(2) here: its shape 1×2 times W(1)'s 2×2 fits; W(1)*W(d(0)) does not.
    expect(bad('norm2(W(1) * W(d(0)))').message).toMatch(/shapes do not fit in the product W\(1\) \* W\(d\(0\)\): 2×2 times 1×2 \(N = 2, widths d_0\.\.d_N = 2, 2, 1\)/);
  });
});
