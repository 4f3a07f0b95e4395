/**
 * One case of `verify` (src/verify/case-check.ts): the relation decided on hand-made enclosures, and
 * an irrational equality (λ_max = φ² + 1, by hand) that stays undecided at the finest precision.
 */
import { Rational } from '../../src/field/rational.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import type { DmfModel } from '../../src/models/model.js';
import { checkCase, decide } from '../../src/verify/case-check.js';
import { parseFormula } from '../../src/verify/formula.js';
import * as I from '../../src/verify/interval.js';

const SUM = 'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';
const q = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));

describe('one case', () => {
  test('decide: exact equality, disjoint enclosures, and overlap', () => {
    const p = (x: Rational): I.Interval => I.point(x);
    const iv = (a: Rational, b: Rational): I.Interval => ({ lo: a, hi: b });
    expect(decide('equal', p(q(3)), p(q(3)))).toBe('holds');
    expect(decide('equal', p(q(3)), p(q(7, 2)))).toBe('violated');
    expect(decide('equal', iv(q(1), q(2)), iv(q(3, 2), q(3)))).toBe('undecided');
    expect(decide('equal', iv(q(1), q(2)), iv(q(5, 2), q(3)))).toBe('violated');
    expect(decide('upper', p(q(3)), p(q(3)))).toBe('holds');
    expect(decide('upper', iv(q(3), q(4)), iv(q(2), q(3)))).toBe('holds');
    expect(decide('upper', iv(q(1), q(2)), iv(q(5, 2), q(3)))).toBe('violated');
    expect(decide('upper', iv(q(1), q(3)), iv(q(2), q(4)))).toBe('undecided');
    expect(decide('lower', iv(q(1), q(2)), iv(q(2), q(3)))).toBe('holds');
    expect(decide('lower', iv(q(4), q(5)), iv(q(2), q(3)))).toBe('violated');
    expect(decide('lower', iv(q(1), q(3)), iv(q(2), q(4)))).toBe('undecided');
  });

  test('equal irrational values stay undecided after tightening to the finest precision', () => {
    // Depth 2, W_1 = [[1, 1], [0, 1]], W_2 = I: λ_max = ‖W_1‖² + 1 = φ² + 1, irrational.
    const W1: Matrix<Rational> = { rows: 2, cols: 2, data: [q(1), q(0), q(1), q(1)] };
    const W2: Matrix<Rational> = { rows: 2, cols: 2, data: [q(1), q(0), q(0), q(1)] };
    const m: DmfModel<Rational> = { kind: 'dmf', weights: [W1, W2], widths: [2, 2, 2], target: W1, reduction: 'half' };
    const out = checkCase(parseFormula(SUM), m, 'equal', 120);
    expect(out.status).toBe('undecided');
    expect(out.bits).toBe(120);
    if (out.lambdaMax === null) throw new Error('an undecided case carries the enclosure of λ_max');
    expect(I.agreeingDigits(out.value, out.lambdaMax)).toBeGreaterThanOrEqual(30);
    expect(Math.abs(I.toNumber(out.value) - (1 + ((3 + Math.sqrt(5)) / 2)))).toBeLessThan(1e-12);
  });
});
