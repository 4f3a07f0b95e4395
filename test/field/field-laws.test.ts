/** Field axioms as properties: exact for Q, within rounding for F64. */
import fc from 'fast-check';
import { F64, Q, type Field } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { checkProperty } from '../support/property.js';
import { smallRational, wideRational } from '../support/arbitraries.js';

function exactLaws(name: string, F: Field<Rational>, arb: fc.Arbitrary<Rational>): void {
  describe(`${name}: field axioms hold exactly`, () => {
    const eq = (a: Rational, b: Rational): boolean => F.eq(a, b);
    test('addition: associative, commutative, identity, inverse', () => {
      checkProperty(
        fc.property(arb, arb, arb, (a, b, c) => {
          expect(eq(F.add(F.add(a, b), c), F.add(a, F.add(b, c)))).toBe(true);
          expect(eq(F.add(a, b), F.add(b, a))).toBe(true);
          expect(eq(F.add(a, F.zero), a)).toBe(true);
          expect(F.isZero(F.add(a, F.neg(a)))).toBe(true);
          expect(eq(F.sub(a, b), F.add(a, F.neg(b)))).toBe(true);
        }),
      );
    });
    test('multiplication: associative, commutative, identity, inverse, distributive', () => {
      checkProperty(
        fc.property(arb, arb, arb, (a, b, c) => {
          expect(eq(F.mul(F.mul(a, b), c), F.mul(a, F.mul(b, c)))).toBe(true);
          expect(eq(F.mul(a, b), F.mul(b, a))).toBe(true);
          expect(eq(F.mul(a, F.one), a)).toBe(true);
          expect(eq(F.mul(a, F.add(b, c)), F.add(F.mul(a, b), F.mul(a, c)))).toBe(true);
          if (!F.isZero(a)) {
            expect(eq(F.mul(a, F.inv(a)), F.one)).toBe(true);
            expect(eq(F.div(b, a), F.mul(b, F.inv(a)))).toBe(true);
          }
        }),
      );
    });
    test('order is total and compatible with addition', () => {
      checkProperty(
        fc.property(arb, arb, arb, (a, b, c) => {
          expect(F.compare(a, b)).toBe(-F.compare(b, a) || 0);
          expect(F.compare(F.add(a, c), F.add(b, c))).toBe(F.compare(a, b));
          expect(F.sign(F.sub(a, b))).toBe(F.compare(a, b));
        }),
      );
    });
    test('values are kept reduced with a positive denominator', () => {
      checkProperty(
        fc.property(arb, arb, (a, b) => {
          for (const x of [F.add(a, b), F.mul(a, b), F.sub(a, b)]) {
            expect(x.den > 0n).toBe(true);
            let g = x.num < 0n ? -x.num : x.num;
            let h = x.den;
            while (h !== 0n) [g, h] = [h, g % h];
            expect(x.num === 0n ? x.den === 1n : g === 1n).toBe(true);
          }
        }),
      );
    });
  });
}

exactLaws('Q (small values)', Q, smallRational());
exactLaws('Q (wide values)', Q, wideRational());

describe('F64: field axioms hold within rounding', () => {
  const arb = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  const u = F64.unitRoundoff;
  test('addition and multiplication laws up to a few ulps of the operands', () => {
    checkProperty(
      fc.property(arb, arb, arb, (a, b, c) => {
        const m = Math.abs(a) + Math.abs(b) + Math.abs(c);
        expect(Math.abs(F64.add(F64.add(a, b), c) - F64.add(a, F64.add(b, c)))).toBeLessThanOrEqual(4 * u * m);
        expect(F64.add(a, b)).toBe(F64.add(b, a));
        expect(F64.mul(a, b)).toBe(F64.mul(b, a));
        const lhs = F64.mul(a, F64.add(b, c));
        const rhs = F64.add(F64.mul(a, b), F64.mul(a, c));
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(4 * u * Math.abs(a) * (Math.abs(b) + Math.abs(c)));
      }),
    );
  });
});

describe('conversions', () => {
  test('float → rational is exact: the rational converts back to the same double, and scaling by 2^k is exact', () => {
    checkProperty(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const q = Rational.fromNumber(x);
        expect(q.toNumber()).toBe(x === 0 ? 0 : x);
        expect(q.den & (q.den - 1n)).toBe(0n); // a dyadic rational: the denominator is a power of two
      }),
      { numRuns: 500 },
    );
    expect(Rational.fromNumber(0.1).toString()).toBe('3602879701896397/36028797018963968');
    expect(Rational.fromNumber(-0.75).toString()).toBe('-3/4');
    expect(Rational.fromNumber(Number.MIN_VALUE).den).toBe(1n << 1074n);
  });

  test('decimal strings parse exactly', () => {
    const cases: [string, string][] = [
      ['0.1', '1/10'],
      ['-0.125', '-1/8'],
      ['1e-3', '1/1000'],
      ['2.5E+2', '250'],
      ['3/4', '3/4'],
      ['-6/8', '-3/4'],
      ['.5', '1/2'],
      ['7', '7'],
      ['+2', '2'],
      ['1.20', '6/5'],
    ];
    for (const [s, want] of cases) expect(Rational.parse(s).toString()).toBe(want);
    expect(Q.parse('0.1').equals(new Rational(1n, 10n))).toBe(true);
    expect(F64.parse('0.1')).toBe(0.1);
  });

  test('bad strings are rejected with the string named', () => {
    expect(() => Rational.parse('1/0')).toThrow(/zero denominator in "1\/0"/);
    expect(() => Rational.parse('abc')).toThrow(/cannot parse "abc"/);
    expect(() => Rational.parse('1/2/3')).toThrow(/cannot parse/);
    expect(() => Rational.parse('')).toThrow(/cannot parse/);
    expect(() => Rational.parse('Infinity')).toThrow(/cannot parse/);
    expect(() => Rational.fromNumber(Number.NaN)).toThrow(/non-finite/);
    expect(() => F64.fromNumber(Number.POSITIVE_INFINITY)).toThrow(/non-finite/);
  });

  test('toNumber is correctly rounded in the normal range: no neighbouring double is nearer (ties to an even significand)', () => {
    const bits = new BigInt64Array(1);
    const f = new Float64Array(bits.buffer);
    const step = (x: number, by: bigint): number => {
      f[0] = x;
      bits[0] = (bits[0] as bigint) + by;
      return f[0] as number;
    };
    checkProperty(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.bigInt({ min: 1n, max: 10n ** 35n }), fc.integer({ min: -200, max: 200 }), (n, d, e) => {
        const q = new Rational(e >= 0 ? n << BigInt(e) : n, e >= 0 ? d : d << BigInt(-e));
        const x = q.toNumber();
        if (x === 0 || Math.abs(x) < 2 ** -1022) return;
        const err = Rational.fromNumber(x).sub(q).abs();
        // Both neighbours (one ulp away in the bit pattern) are at least as far from q.
        for (const y of [step(x, 1n), step(x, -1n)]) {
          if (!Number.isFinite(y)) continue;
          const c = err.compare(Rational.fromNumber(y).sub(q).abs());
          expect(c).toBeLessThanOrEqual(0);
          if (c === 0) {
            f[0] = x;
            expect((bits[0] as bigint) & 1n).toBe(0n); // a tie goes to the even significand
          }
        }
      }),
      { numRuns: 500 },
    );
    // Halfway cases: 1 + 2^-53 lies exactly between 1 and 1 + 2^-52 (→ 1, even); a hair above rounds up.
    expect(new Rational(2n ** 53n + 1n, 2n ** 53n).toNumber()).toBe(1);
    expect(new Rational(2n ** 80n + 2n ** 27n + 1n, 2n ** 80n).toNumber()).toBe(1 + 2 ** -52);
    expect(new Rational(1n, 3n).toNumber()).toBe(1 / 3);
    expect(new Rational(-(10n ** 30n) - 7n, 10n ** 12n).toNumber()).toBe(-1e18);
  });

  test('toNumber is within one ulp of the exact value (checked against decimal parsing by the runtime)', () => {
    checkProperty(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 25n }), (n, d) => {
        const q = new Rational(n, d);
        const x = q.toNumber();
        // Compare exactly: |x − q| ≤ ulp(x).
        const err = Rational.fromNumber(x).sub(q).abs();
        const ulp = Rational.fromNumber(Math.max(Number.MIN_VALUE, Math.abs(x) * 2 ** -52));
        expect(err.compare(ulp)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
