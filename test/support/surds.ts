import type { Rational } from '../../src/field/rational.js';

/**
 * Whether `lower ≤ (p ± √s)/c ≤ upper` (`c > 0`), decided exactly through squares:
 * `x ≤ √s ⇔ x < 0 ∨ x² ≤ s` and `x ≥ √s ⇔ x ≥ 0 ∧ x² ≥ s`.
 */
export function containsSurd(lower: Rational, upper: Rational, p: Rational, sign: 1 | -1, s: Rational, c: Rational): boolean {
  const le = (x: Rational): boolean => x.sign() < 0 || x.mul(x).compare(s) <= 0; // x ≤ √s
  const ge = (x: Rational): boolean => x.sign() >= 0 && x.mul(x).compare(s) >= 0; // x ≥ √s
  // sign = 1: lower ≤ λ ⇔ c·lower − p ≤ √s, upper ≥ λ ⇔ c·upper − p ≥ √s;
  // sign = −1: lower ≤ λ ⇔ p − c·lower ≥ √s, upper ≥ λ ⇔ p − c·upper ≤ √s.
  const a = c.mul(lower).sub(p);
  const b = c.mul(upper).sub(p);
  return sign === 1 ? le(a) && ge(b) : ge(a.neg()) && le(b.neg());
}
