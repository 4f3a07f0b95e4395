/** Rigorous interval arithmetic: containment of exact results, root bounds checked by exact powering. */
import fc from 'fast-check';
import { Rational } from '../../src/field/rational.js';
import * as I from '../../src/verify/interval.js';
import type { Interval } from '../../src/verify/interval.js';
import { checkProperty } from '../support/property.js';
import { smallRational, wideRational } from '../support/arbitraries.js';

const q = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));

/** An interval and a point inside it. */
const intervalWithPoint: fc.Arbitrary<[Interval, Rational]> = fc
  .tuple(smallRational(), smallRational(), fc.integer({ min: 0, max: 16 }))
  .map(([a, b, t]) => {
    const lo = a.compare(b) <= 0 ? a : b;
    const hi = a.compare(b) <= 0 ? b : a;
    const x = lo.add(hi.sub(lo).mul(q(t, 16)));
    return [{ lo, hi }, x];
  });

const nonNegative: fc.Arbitrary<Rational> = fc.oneof(smallRational(), wideRational()).map((x) => x.abs());

describe('interval arithmetic', () => {
  test('+ − × ÷, neg, abs, max, min contain the exact results of points inside the operands', () => {
    checkProperty(
      fc.property(intervalWithPoint, intervalWithPoint, ([a, x], [b, y]) => {
        expect(I.contains(I.add(a, b), x.add(y))).toBe(true);
        expect(I.contains(I.sub(a, b), x.sub(y))).toBe(true);
        expect(I.contains(I.mul(a, b), x.mul(y))).toBe(true);
        expect(I.contains(I.neg(a), x.neg())).toBe(true);
        expect(I.contains(I.abs(a), x.abs())).toBe(true);
        expect(I.contains(I.max(a, b), x.compare(y) >= 0 ? x : y)).toBe(true);
        expect(I.contains(I.min(a, b), x.compare(y) <= 0 ? x : y)).toBe(true);
        if (I.containsZero(b)) expect(() => I.div(a, b)).toThrow(I.IntervalError);
        else expect(I.contains(I.div(a, b), x.div(y))).toBe(true);
      }),
    );
  });

  test('integer powers contain x^k, including negative k and intervals straddling 0', () => {
    checkProperty(
      fc.property(intervalWithPoint, fc.integer({ min: -5, max: 7 }), ([a, x], k) => {
        if (k < 0 && I.containsZero(a)) {
          expect(() => I.powInt(a, k)).toThrow(I.IntervalError);
          return;
        }
        const p = I.powInt(a, k);
        expect(I.contains(p, x.pow(k))).toBe(true);
        if (k % 2 === 0 && k > 0) expect(p.lo.sign()).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  test('exact points stay exact: (1/2 + 1/3)·3 = 5/2', () => {
    const r = I.mul(I.add(I.point(q(1, 2)), I.point(q(1, 3))), I.point(q(3)));
    expect(I.isPoint(r)).toBe(true);
    expect(r.lo.equals(q(5, 2))).toBe(true);
  });

  test('compare: less, greater, overlap; width; hull', () => {
    expect(I.compare({ lo: q(1), hi: q(2) }, { lo: q(3), hi: q(4) })).toBe('less');
    expect(I.compare({ lo: q(5), hi: q(6) }, { lo: q(3), hi: q(4) })).toBe('greater');
    expect(I.compare({ lo: q(1), hi: q(3) }, { lo: q(3), hi: q(4) })).toBe('overlap');
    expect(I.width({ lo: q(1, 2), hi: q(3) }).equals(q(5, 2))).toBe(true);
    expect(I.hull({ lo: q(1), hi: q(2) }, { lo: q(-1), hi: q(0) })).toEqual({ lo: q(-1), hi: q(2) });
    expect(() => I.interval(q(2), q(1))).toThrow(I.IntervalError);
  });
});

describe('integer roots', () => {
  test('isqrt and iroot are floor roots', () => {
    checkProperty(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 200n }), fc.integer({ min: 2, max: 7 }), (n, k) => {
        const r = I.iroot(n, k);
        const K = BigInt(k);
        expect(r ** K <= n).toBe(true);
        expect((r + 1n) ** K > n).toBe(true);
        const s = I.isqrt(n);
        expect(s * s <= n && (s + 1n) * (s + 1n) > n).toBe(true);
      }),
    );
  });

  test('exactRoot finds rational roots and only those', () => {
    expect(I.exactRoot(q(9, 4), 2)?.equals(q(3, 2))).toBe(true);
    expect(I.exactRoot(q(64), 3)?.equals(q(4))).toBe(true);
    expect(I.exactRoot(q(2), 2)).toBeUndefined();
    expect(I.exactRoot(q(-8), 3)).toBeUndefined();
  });
});

describe('roots and rational powers are rigorous', () => {
  test('sqrt bounds: lo² ≤ x ≤ hi², relative width about 2^-bits, exact for perfect squares', () => {
    checkProperty(
      fc.property(nonNegative, fc.integer({ min: 8, max: 240 }), (x, bits) => {
        const r = I.sqrt(I.point(x), bits);
        expect(r.lo.sign()).toBeGreaterThanOrEqual(0);
        expect(r.lo.mul(r.lo).compare(x)).toBeLessThanOrEqual(0);
        expect(r.hi.mul(r.hi).compare(x)).toBeGreaterThanOrEqual(0);
        if (!I.isPoint(r)) {
          // Width at most 2^(2−bits) relative to the root.
          const w = I.width(r);
          expect(w.mul(new Rational(1n << BigInt(bits - 2))).compare(r.hi)).toBeLessThanOrEqual(0);
        }
        const sq = I.sqrt(I.point(x.mul(x)), bits);
        expect(I.isPoint(sq) && sq.lo.equals(x)).toBe(true);
      }),
    );
  });

  test('x^(p/q) bounds: lo^q ≤ x^p ≤ hi^q, for intervals too', () => {
    checkProperty(
      fc.property(
        intervalWithPoint,
        fc.integer({ min: -6, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 8, max: 120 }),
        ([a0, x0], p, qd, bits) => {
          const a = I.abs(a0);
          const x = x0.abs();
          if (p < 0 && I.containsZero(a)) {
            expect(() => I.powRational(a, BigInt(p), BigInt(qd), bits)).toThrow(I.IntervalError);
            return;
          }
          const r = I.powRational(a, BigInt(p), BigInt(qd), bits);
          // Reduce p/q as the implementation does, then check x^p ∈ [lo^q, hi^q] exactly.
          let g = Math.abs(p);
          let h = qd;
          while (h !== 0) [g, h] = [h, g % h];
          const pp = g === 0 ? p : p / g;
          const qq = g === 0 ? qd : qd / g;
          const xp = x.isZero() && pp === 0 ? Rational.ONE : x.pow(pp);
          expect(r.lo.pow(qq).compare(xp)).toBeLessThanOrEqual(0);
          expect(r.hi.pow(qq).compare(xp)).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('exact rational powers: 64^(2/3) = 16, (9/4)^(-1/2) = 2/3, 2^(1/2) is an enclosure', () => {
    const a = I.powRational(I.point(q(64)), 2n, 3n, 60);
    expect(I.isPoint(a) && a.lo.equals(q(16))).toBe(true);
    const b = I.powRational(I.point(q(9, 4)), -1n, 2n, 60);
    expect(I.isPoint(b) && b.lo.equals(q(2, 3))).toBe(true);
    const c = I.sqrt(I.point(q(2)), 100);
    expect(I.isPoint(c)).toBe(false);
    expect(Math.abs(I.toNumber(c) - Math.SQRT2)).toBeLessThan(1e-15);
    expect(() => I.powRational({ lo: q(-1), hi: q(1) }, 1n, 2n, 40)).toThrow(I.IntervalError);
  });

  test('roundOutward keeps containment and shortens endpoints', () => {
    checkProperty(
      fc.property(intervalWithPoint, fc.integer({ min: 4, max: 80 }), ([a, x], bits) => {
        const w = I.mul(a, { lo: q(1, 3), hi: q(1, 3).add(q(1, 7)) });
        const r = I.roundOutward(w, bits);
        expect(r.lo.compare(w.lo)).toBeLessThanOrEqual(0);
        expect(r.hi.compare(w.hi)).toBeGreaterThanOrEqual(0);
        expect(I.contains(r, x.mul(q(1, 3)))).toBe(true);
      }),
    );
  });
});

describe('display', () => {
  test('directed decimals bound the value', () => {
    checkProperty(
      fc.property(fc.oneof(smallRational(), wideRational()), fc.integer({ min: 1, max: 30 }), (x, digits) => {
        expect(Rational.parse(I.decimalDown(x, digits)).compare(x)).toBeLessThanOrEqual(0);
        expect(Rational.parse(I.decimalUp(x, digits)).compare(x)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  test('formatInterval and agreeingDigits', () => {
    expect(I.formatInterval(I.point(q(33, 2)))).toBe('33/2');
    const s = I.sqrt(I.point(q(2)), 100);
    expect(I.formatInterval(s, 6)).toBe('[1.41421, 1.41422]');
    expect(I.agreeingDigits(s, s)).toBeGreaterThanOrEqual(28);
    expect(I.agreeingDigits(I.point(q(3)), I.point(q(3)))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('outward-rounded integer powers', () => {
  test('powIntOutward(a, k) contains x^k for points x of a, and is about 2^−bits wide relative to the exact hull', () => {
    checkProperty(
      fc.property(intervalWithPoint, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 20, max: 120 }), ([a, x], k, bits) => {
        const r = I.powIntOutward(a, k, bits);
        expect(I.contains(r, x.pow(k))).toBe(true);
        expect(I.contains(r, a.lo.pow(k))).toBe(true);
        expect(I.contains(r, a.hi.pow(k))).toBe(true);
        // Compared with the exact power, each endpoint moved outward by at most about k·2^−bits relative.
        const exact = I.powInt(a, k);
        const slack = q(k + 1).mul(new Rational(1n, 1n << BigInt(bits - 2)));
        const big = exact.lo.abs().compare(exact.hi.abs()) >= 0 ? exact.lo.abs() : exact.hi.abs();
        expect(exact.lo.sub(r.lo).compare(big.mul(slack))).toBeLessThanOrEqual(0);
        expect(r.hi.sub(exact.hi).compare(big.mul(slack))).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  test('a point stays exact', () => {
    expect(I.powIntOutward(I.point(q(3, 2)), 7, 10)).toEqual(I.point(q(2187, 128)));
  });

  test('a 4096-th power of an inexact enclosure stays short', () => {
    const r = I.powIntOutward({ lo: q(14142, 10000), hi: q(14143, 10000) }, 4096, 64);
    // About 2^2048: a long number, but a short mantissa (at most 64 + a few significant bits).
    const odd = (n: bigint): bigint => (n === 0n ? n : n / (n & -n));
    expect(odd(r.hi.num).toString(2).length).toBeLessThan(80);
    expect(odd(r.lo.num).toString(2).length).toBeLessThan(80);
  });
});
