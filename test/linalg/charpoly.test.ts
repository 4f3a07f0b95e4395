import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { characteristicPolynomial, characteristicPolynomialBerkowitz } from '../../src/linalg/charpoly.js';
import { determinant } from '../../src/linalg/determinant.js';
import { ShapeError, add, at, fromRows, generate, identity, mul, scale, sub, trace, zeros, type Matrix } from '../../src/linalg/matrix.js';
import { crtStep, invMod, largePrimes, mulMod } from '../../src/linalg/modular.js';
import { Polynomial } from '../../src/linalg/polynomial.js';
import { checkProperty } from '../support/property.js';
import { matrixOf, smallRational, symmetricRational, wideRational } from '../support/arbitraries.js';

const r = (s: string): Rational => Rational.parse(s);
const M = (rows: string[][]): Matrix<Rational> => fromRows(rows.map((row) => row.map(r)));
const poly = (lowToHigh: string[]): Polynomial => Polynomial.fromCoefficients(lowToHigh.map(r));

const square = (minN: number, maxN: number, entry: fc.Arbitrary<Rational> = smallRational()): fc.Arbitrary<Matrix<Rational>> =>
  fc.integer({ min: minN, max: maxN }).chain((n) => matrixOf(n, n, entry));

/** p(A) by Horner's rule over ℚ. */
function evalAtMatrix(p: Polynomial, A: Matrix<Rational>): Matrix<Rational> {
  const n = A.rows;
  let R = zeros(Q, n, n);
  for (let k = p.degree; k >= 0; k--) R = add(Q, mul(Q, R, A), scale(Q, p.coefficient(k), identity(Q, n)));
  return R;
}

/** A deterministic pseudo-random generator for the large fixed cases (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

describe('modular helpers', () => {
  it('multiplies, inverts and remainders exactly', () => {
    const primes = largePrimes(20);
    // every listed number is prime (checked by trial division here) and below 2^26, decreasing
    const isPrime = (m: number): boolean => {
      for (let q = 2; q * q <= m; q++) if (m % q === 0) return false;
      return m > 1;
    };
    expect(primes.every((p) => p < 2 ** 26 && isPrime(p))).toBe(true);
    // they are the largest ones: no prime lies between consecutive entries
    for (let m = (primes[19] as number) + 1; m < 2 ** 26; m++) if (isPrime(m)) expect(primes).toContain(m);
    expect(primes.slice().sort((a, b) => b - a)).toEqual(primes);
    expect(largePrimes(3)).toEqual(primes.slice(0, 3));
    const p = primes[0] as number;
    checkProperty(
      fc.property(fc.integer({ min: 0, max: p - 1 }), fc.integer({ min: 1, max: p - 1 }), (a, b) => {
        const exact = Number((BigInt(a) * BigInt(b)) % BigInt(p));
        return mulMod(a, b, p, 1 / p) === exact && Number((BigInt(invMod(b, p)) * BigInt(b)) % BigInt(p)) === 1;
      }),
    );
    const [p1, p2] = primes as [number, number];
    const x = 123456789012345n;
    const M1 = BigInt(p1);
    const x1 = x % M1;
    const x12 = crtStep(x1, M1, Number(x % BigInt(p2)), p2, invMod(p1 % p2, p2));
    expect(x12).toBe(x); // x < p1·p2
  });
});

describe('characteristicPolynomial', () => {
  it('matches hand cases', () => {
    expect(characteristicPolynomial(fromRows<Rational>([]))).toEqual(Polynomial.ONE);
    // [[1,2],[3,4]]: t² − 5t − 2
    expect(characteristicPolynomial(M([['1', '2'], ['3', '4']])).equals(poly(['-2', '-5', '1']))).toBe(true);
    // [[1/2, 1/3], [1/4, 1/5]]: t² − (7/10) t + 1/60
    expect(characteristicPolynomial(M([['1/2', '1/3'], ['1/4', '1/5']])).equals(poly(['1/60', '-7/10', '1']))).toBe(true);
    // nilpotent Jordan block: t³
    expect(characteristicPolynomial(M([['0', '1', '0'], ['0', '0', '1'], ['0', '0', '0']])).equals(poly(['0', '0', '0', '1']))).toBe(true);
    expect(() => characteristicPolynomial(M([['1', '2']]))).toThrow(ShapeError);
    expect(() => characteristicPolynomialBerkowitz(M([['1', '2']]))).toThrow(ShapeError);
  });

  it('of a diagonal matrix is Π (t − d_i)', () => {
    checkProperty(
      fc.property(fc.array(smallRational(), { maxLength: 8 }), (d) => {
        const D = generate(d.length, d.length, (i, j) => (i === j ? (d[i] as Rational) : Rational.ZERO));
        return characteristicPolynomial(D).equals(Polynomial.fromRoots(d));
      }),
    );
  });

  it('of a companion matrix is the polynomial itself', () => {
    checkProperty(
      fc.property(fc.array(wideRational(), { minLength: 1, maxLength: 8 }), (c) => {
        // p(t) = t^n + c_{n−1} t^{n−1} + … + c_0; companion: ones on the subdiagonal, last column −c.
        const n = c.length;
        const C = generate(n, n, (i, j) => (j === n - 1 ? (c[i] as Rational).neg() : i === j + 1 ? Rational.ONE : Rational.ZERO));
        const p = Polynomial.fromCoefficients([...c, Rational.ONE]);
        return characteristicPolynomial(C).equals(p) && characteristicPolynomialBerkowitz(C).equals(p);
      }),
    );
  });

  it('equals Berkowitz on random matrices up to 8×8 (small and wide rationals)', () => {
    checkProperty(fc.property(square(0, 8), (A) => characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))));
    checkProperty(
      fc.property(square(1, 5, wideRational()), (A) => characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))),
      { numRuns: 25 },
    );
    const sparse = fc.oneof({ weight: 3, arbitrary: fc.constant(Rational.ZERO) }, { weight: 1, arbitrary: smallRational() });
    checkProperty(fc.property(square(1, 8, sparse), (A) => characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))));
    const sym = fc.integer({ min: 1, max: 8 }).chain((n) => symmetricRational(n));
    checkProperty(fc.property(sym, (A) => characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))), { numRuns: 30 });
  });

  it('is monic with p(t) = det(tI − A) at n + 1 rational points', () => {
    const arb = square(0, 6).chain((A) => fc.tuple(fc.constant(A), fc.array(smallRational(50, 9), { minLength: A.rows + 1, maxLength: A.rows + 1 })));
    checkProperty(
      fc.property(arb, ([A, ts]) => {
        const p = characteristicPolynomial(A);
        const n = A.rows;
        return (
          p.degree === n &&
          p.leadingCoefficient().equals(Rational.ONE) &&
          ts.every((t) => p.evaluate(t).equals(determinant(sub(Q, scale(Q, t, identity(Q, n)), A))))
        );
      }),
      { numRuns: 60 },
    );
  });

  it('satisfies Cayley–Hamilton p(A) = 0 and the trace/determinant identities', () => {
    checkProperty(
      fc.property(square(1, 6), (A) => {
        const n = A.rows;
        const p = characteristicPolynomial(A);
        const sgn = n % 2 === 0 ? Rational.ONE : Rational.ONE.neg();
        return (
          evalAtMatrix(p, A).data.every((x) => x.isZero()) &&
          p.coefficient(n - 1).equals(trace(Q, A).neg()) &&
          p.coefficient(0).equals(sgn.mul(determinant(A)))
        );
      }),
      { numRuns: 60 },
    );
  });

  it('handles a 30×30 integer matrix with 12-digit entries (matches Berkowitz)', () => {
    const next = rng(12345);
    const A = generate(30, 30, () => Rational.fromBigInt(BigInt(next() % 1_000_000) * 1_000_000n + BigInt(next() % 1_000_000) - 500_000_000_000n));
    const p = characteristicPolynomial(A);
    expect(p.equals(characteristicPolynomialBerkowitz(A))).toBe(true);
    expect(p.coefficient(29)).toEqual(trace(Q, A).neg());
  });

  it('handles entries beyond 2^53 and a common denominator (bigint residue path)', () => {
    const next = rng(777);
    const big = 1n << 70n;
    const A = generate(10, 10, (i, j) => new Rational(BigInt(next()) * big + BigInt(next()) - (big << 31n), BigInt(1 + ((i + 2 * j) % 5))));
    expect(characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))).toBe(true);
    expect(at(A, 0, 0).isZero()).toBe(false);
  });
});
