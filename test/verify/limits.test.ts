/**
 * The limits of the formula language (docs/verify.md, "Limits"): each refusal names the limit and
 * points at the place; values just inside the limits are computed, and correctly.
 */
import { Rational } from '../../src/field/rational.js';
import { fromRows } from '../../src/linalg/matrix.js';
import { makeDmfModel } from '../../src/models/model.js';
import { evaluateFormula } from '../../src/verify/evaluate.js';
import { evaluationStepsLimit, valueBitsLimit } from '../../src/verify/evaluation-limits.js';
import { formulaContext } from '../../src/verify/formula-context.js';
import { FormulaError } from '../../src/verify/formula-error.js';
import { parseFormula } from '../../src/verify/formula.js';
import * as L from '../../src/verify/limits.js';

const q = (n: number | bigint, d: number | bigint = 1): Rational => new Rational(BigInt(n), BigInt(d));
// Depth 2, M = W2 W1 = diag(2, 1) (‖M‖₂ = 2), exact minimizer.
const W1 = fromRows([[q(2), q(0)], [q(0), q(1)]]);
const W2 = fromRows([[q(1), q(0)], [q(0), q(1)]]);
const ctx = formulaContext(makeDmfModel([W1, W2], fromRows([[q(2), q(0)], [q(0), q(1)]])));

function refusal(text: string, bits = 100): FormulaError {
  try {
    evaluateFormula(parseFormula(text), ctx, { bits });
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error(`expected "${text}" to be refused`);
}

const value = (text: string, bits = 100): { lo: Rational; hi: Rational } => evaluateFormula(parseFormula(text), ctx, { bits }).iv;

describe('limits of the formula language', () => {
  test('length', () => {
    const text = `N${'+N'.repeat(L.MAX_FORMULA_CHARS / 2)}`;
    const e = refusal(text);
    expect(e.reason).toBe(`the formula has ${text.length} characters; the limit is ${L.MAX_FORMULA_CHARS}`);
    expect(e.span.start).toBe(L.MAX_FORMULA_CHARS);
  });

  test('nesting depth: the operation that crosses it', () => {
    const ok = `${'-'.repeat(L.MAX_FORMULA_DEPTH - 1)}N`; // N and 255 minus signs: 256 levels
    expect(value(ok).lo.toString()).toBe('-2');
    const e = refusal(`-${ok}`);
    expect(e.reason).toMatch(/more than 256 levels deep \(the limit is 256\)/);
    expect(e.span.start).toBe(0); // the outermost minus makes level 257
  });

  test('exponents: |numerator| and denominator at most 4096', () => {
    expect(refusal('N^4097').reason).toMatch(/the exponent 4097 is too large \(\|numerator\| and denominator at most 4096\)/);
    expect(refusal('N^(1/4097)').reason).toMatch(/at most 4096/);
    expect(refusal("norm2((M' * M)^65)").reason).toMatch(/a matrix power needs an integer exponent 0\.\.64, got 65/);
  });

  test('value size: exact powers beyond the limit are refused before they are taken, at the power', () => {
    const e = refusal('(N^4096)^4096');
    expect(e.reason).toMatch(/the power \(N\^4096\)\^4096 would need about \d+ bits; the limit is 65536 bits/);
    expect(e.span.start).toBe(0);
    expect(refusal('((10^4096)^4096)^4096').reason).toMatch(/would need about \d+ bits; the limit is 65536 bits/);
    // Just inside: 2^4096 · 2^4096 is exact.
    expect(value('(2^4096)^2').lo.equals(q(1n << 8192n))).toBe(true);
    expect(value("trace(((M' * M)^64)^64)").lo.equals(q(1n << 8192n).add(q(1)))).toBe(true); // tr diag(4^4096, 1)
    expect(refusal("fro((((M' * M)^64)^64)^64)").reason).toMatch(/the matrix power .* would need about \d+ bits/);
    // 1e30000 has 30001 decimal digits and exponent, about 30001 · log2(10) ≈ 99 662 bits.
    expect(refusal('N * 1e30000').reason).toMatch(/the number "1e30000" needs about 996\d\d bits; the limit is 65536 bits/);
    expect(valueBitsLimit(ctx)).toBe(L.MAX_VALUE_BITS);
  });

  test('roots of high degree are computed, rigorously: lo^4096 ≤ ‖M‖₂ = 2 ≤ hi^4096', () => {
    const r = value('norm2(M)^(1/4096)', 60);
    expect(r.lo.pow(4096).compare(q(2))).toBeLessThanOrEqual(0);
    expect(r.hi.pow(4096).compare(q(2))).toBeGreaterThanOrEqual(0);
    expect(r.hi.sub(r.lo).compare(q(1, 1n << 50n))).toBeLessThan(0);
  });

  test('root work: a root of degree k at b bits costs k·b; too much is refused naming --max-bits', () => {
    // sqrt(2) carries its square 2: the power is 2^(1/8192), a root of degree 8192.
    const e = refusal('sqrt(2)^(1/4096)', 1000);
    expect(e.reason).toMatch(/degree 8192 at 1000 bits of precision\) needs about \d+ bits of integer work; the limit is 2097152/);
    // At 16 (+24 guard) bits a root of degree 4095 costs 4095 · 40 = 163800: the 52nd crosses 8388608.
    const many = Array.from({ length: 60 }, () => '3^(1/4095)').join(' + ');
    expect(refusal(many, 16).reason).toMatch(/the roots of the formula need more than 8388608 bits of integer work in all/);
  });

  test('evaluation steps: nested reductions multiply their body by N', () => {
    const e = refusal('sumLayers(i, sumLayers(j, sumLayers(k, sumLayers(l, sumLayers(m, sumLayers(n, sumLayers(o, sumLayers(p, sumLayers(q, sumLayers(r, sumLayers(s, sumLayers(t, sumLayers(u, sumLayers(v, sumLayers(w, sumLayers(x, sumLayers(y, 1)))))))))))))))))');
    // At N = 2 the 17th level (from the inside) is the first with more than 100000 steps: 2^17 − 1 + … > 100000.
    expect(e.reason).toMatch(/^sumLayers\(b?[a-z], …\) evaluates its body 2 times at N = 2: \d+ evaluation steps in all; the limit is 100000/);
    expect(value('sumLayers(i, sumLayers(j, 1))').lo.toString()).toBe('4'); // N² = 4
    expect(evaluationStepsLimit(12)).toBe(L.MAX_EVALUATION_STEPS);
    expect(evaluationStepsLimit(1000)).toBe(84 * L.MAX_EVALUATION_STEPS);
  });
});

describe('messages on long formulas', () => {
  test('the caret line shows a window around the place', () => {
    const text = `N${' + N'.repeat(1499)}`;
    const e = refusal(text);
    const [, shown, caret] = e.describe().split('\n') as [string, string, string];
    expect(shown.length).toBeLessThan(140);
    expect(shown.startsWith('  …')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    // The caret stands under the "+" the message names.
    expect(shown[caret.indexOf('^')]).toBe('+');
  });
});
