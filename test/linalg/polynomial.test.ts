import fc from 'fast-check';
import { all, create, evaluate } from 'mathjs';
import { Rational } from '../../src/field/rational.js';
import { Polynomial } from '../../src/linalg/polynomial.js';
import { checkProperty } from '../support/property.js';
import { smallRational } from '../support/arbitraries.js';

const r = (s: string): Rational => Rational.parse(s);
const poly = (lowToHigh: string[]): Polynomial => Polynomial.fromCoefficients(lowToHigh.map(r));
const polyArb = (maxLen = 6): fc.Arbitrary<Polynomial> => fc.array(smallRational(), { maxLength: maxLen }).map((c) => Polynomial.fromCoefficients(c));
if (all === undefined) throw new Error('mathjs: the full factory set is missing');
const mathFraction = create(all, { number: 'Fraction' });

describe('Polynomial', () => {
  it('trims, reports degree and coefficients', () => {
    const p = poly(['1', '0', '2', '0', '0']);
    expect(p.degree).toBe(2);
    expect(p.coefficients.length).toBe(3);
    expect(p.coefficient(2)).toEqual(r('2'));
    expect(p.coefficient(7)).toEqual(Rational.ZERO);
    expect(Polynomial.ZERO.degree).toBe(-1);
    expect(poly(['0', '0']).isZero()).toBe(true);
  });

  it('evaluates exactly and in binary64', () => {
    // p(t) = t^3 − 5t^2 + t/2 − 3 at t = 2/3: 8/27 − 20/9 + 1/3 − 3 = (8 − 60 + 9 − 81)/27 = −124/27
    const p = poly(['-3', '1/2', '-5', '1']);
    expect(p.evaluate(r('2/3'))).toEqual(r('-124/27'));
    expect(p.evaluateNumber(2)).toBe(8 - 20 + 1 - 3);
  });

  it('satisfies the commutative ring laws', () => {
    checkProperty(
      fc.property(polyArb(), polyArb(), polyArb(), (a, b, c) => {
        return (
          a.add(b).equals(b.add(a)) &&
          a.add(b).add(c).equals(a.add(b.add(c))) &&
          a.mul(b).equals(b.mul(a)) &&
          a.mul(b).mul(c).equals(a.mul(b.mul(c))) &&
          a.mul(b.add(c)).equals(a.mul(b).add(a.mul(c))) &&
          a.add(Polynomial.ZERO).equals(a) &&
          a.mul(Polynomial.ONE).equals(a) &&
          a.sub(a).isZero() &&
          a.sub(b).equals(a.add(b.neg()))
        );
      }),
    );
  });

  it('evaluation is a ring homomorphism and degrees add', () => {
    checkProperty(
      fc.property(polyArb(), polyArb(), smallRational(), (a, b, x) => {
        const degOk = a.isZero() || b.isZero() ? a.mul(b).isZero() : a.mul(b).degree === a.degree + b.degree;
        return degOk && a.mul(b).evaluate(x).equals(a.evaluate(x).mul(b.evaluate(x))) && a.add(b).evaluate(x).equals(a.evaluate(x).add(b.evaluate(x)));
      }),
    );
  });

  it('scales, differentiates and makes monic', () => {
    expect(poly(['1', '2', '3']).scale(r('1/3')).equals(poly(['1/3', '2/3', '1']))).toBe(true);
    expect(poly(['1', '2', '3']).scale(Rational.ZERO).isZero()).toBe(true);
    // d/dt (5 + 3t − t^2/2 + 4t^3) = 3 − t + 12 t^2
    expect(poly(['5', '3', '-1/2', '4']).derivative().equals(poly(['3', '-1', '12']))).toBe(true);
    expect(poly(['7']).derivative().isZero()).toBe(true);
    expect(poly(['1', '2', '-4']).monic().equals(poly(['-1/4', '-1/2', '1']))).toBe(true);
    checkProperty(fc.property(polyArb(), polyArb(), (a, b) => a.mul(b).derivative().equals(a.derivative().mul(b).add(a.mul(b.derivative())))));
  });

  it('divides exactly: a = q·b + r with deg r < deg b', () => {
    // (t^3 − 2t^2 − 4) / (t − 3) = t^2 + t + 3, remainder 5
    const { quotient, remainder } = poly(['-4', '0', '-2', '1']).divmod(poly(['-3', '1']));
    expect(quotient.equals(poly(['3', '1', '1']))).toBe(true);
    expect(remainder.equals(poly(['5']))).toBe(true);
    expect(() => poly(['1']).divmod(Polynomial.ZERO)).toThrow(RangeError);
    checkProperty(
      fc.property(polyArb(8), polyArb(5), (a, b) => {
        if (b.isZero()) return true;
        const { quotient: q, remainder: rem } = a.divmod(b);
        return q.mul(b).add(rem).equals(a) && rem.degree < b.degree;
      }),
    );
  });

  it('computes the monic gcd of products of known linear factors', () => {
    // gcd((t−1)^2 (t−2), 3(t−1)(t−3)) = t − 1
    const a = Polynomial.fromRoots([r('1'), r('1'), r('2')]);
    const b = Polynomial.fromRoots([r('1'), r('3')]).scale(r('3'));
    expect(a.gcd(b).equals(poly(['-1', '1']))).toBe(true);
    expect(Polynomial.ZERO.gcd(Polynomial.ZERO).isZero()).toBe(true);
    expect(Polynomial.ZERO.gcd(b).equals(b.monic())).toBe(true);
    const roots = fc.uniqueArray(fc.integer({ min: -30, max: 30 }), { maxLength: 9 }).chain((rs) =>
      fc.tuple(fc.constant(rs), fc.integer({ min: 0, max: rs.length }), fc.integer({ min: 0, max: rs.length }), smallRational(9, 5)),
    );
    checkProperty(
      fc.property(roots, ([rs, i, j, c]) => {
        // common = rs[0..lo), only-a = rs[lo..hi), only-b = rs[hi..): disjoint root sets.
        const lo = Math.min(i, j);
        const hi = Math.max(i, j);
        const q = (xs: number[]): Polynomial => Polynomial.fromRoots(xs.map((x) => Rational.fromBigInt(BigInt(x))));
        const common = q(rs.slice(0, lo));
        const pa = common.mul(q(rs.slice(lo, hi)));
        const pb = common.mul(q(rs.slice(hi)));
        const scaled = pb.scale(c); // the zero polynomial when c = 0: gcd(pa, 0) = pa / lc(pa)
        return pa.gcd(scaled).equals(c.isZero() ? pa.monic() : common);
      }),
    );
  });

  it('fromRoots vanishes exactly at its roots', () => {
    checkProperty(
      fc.property(fc.array(smallRational(), { maxLength: 6 }), (rs) => {
        const p = Polynomial.fromRoots(rs);
        return p.degree === rs.length && p.leadingCoefficient().equals(Rational.ONE) && rs.every((x) => p.evaluate(x).isZero());
      }),
    );
  });

  it('prints readable text and LaTeX', () => {
    expect(poly(['-3', '1/2', '-5', '1']).toString()).toBe('t^3 - 5*t^2 + 1/2*t - 3');
    expect(poly(['1', '0', '-1']).toString('x')).toBe('-x^2 + 1');
    expect(poly(['-3/4']).toString()).toBe('-3/4');
    expect(Polynomial.ZERO.toString()).toBe('0');
    expect(poly(['0', '-2/3']).toString()).toBe('-2/3*t');
    expect(poly(['-3', '1/2', '-5', '1']).toTex()).toBe('t^{3} - 5 t^{2} + \\frac{1}{2} t - 3');
    expect(poly(['0', '-1/2']).toTex('x')).toBe('-\\frac{1}{2} x');
  });

  it('toString parses with mathjs to the same values', () => {
    checkProperty(
      fc.property(polyArb(7), smallRational(9, 7), (p, x) => {
        // exact: mathjs in Fraction mode
        const exact = mathFraction.evaluate(p.toString('x'), { x: mathFraction.fraction(x.num, x.den) }) as { s: bigint; n: bigint; d: bigint };
        const want = p.evaluate(x);
        if (exact.s * exact.n !== want.num || exact.d !== want.den) return false;
        // binary64: mathjs's default number mode, within rounding of the exact value
        const approx = evaluate(p.toString(), { t: x.toNumber() }) as number;
        const mag = p.coefficients.reduce((s, c, k) => s + Math.abs(c.toNumber()) * Math.abs(x.toNumber()) ** k, 0);
        return Math.abs(approx - want.toNumber()) <= 64 * Number.EPSILON * (1 + mag);
      }),
    );
  });
});
