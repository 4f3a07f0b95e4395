/**
 * Exact root tools against polynomials built from known roots and multiplicities: the expected
 * factorizations and root counts are read off the construction, not computed by the code under test.
 */
import fc from 'fast-check';
import { Rational } from '../../src/field/rational.js';
import { Polynomial } from '../../src/linalg/polynomial.js';
import {
  countDistinctRootsIn,
  isRoot,
  primitiveIntegerPolynomial,
  realRootCount,
  signAt,
  squareFreeFactorization,
  squareFreePart,
  sturmSequence,
} from '../../src/spectral/polynomial-roots.js';
import { rationalCandidates } from '../../src/field/rational-recognition.js';
import { checkProperty } from '../support/property.js';
import { smallRational } from '../support/arbitraries.js';

const q = (s: string): Rational => Rational.parse(s);
const poly = (...c: string[]): Polynomial => Polynomial.fromCoefficients(c.map(q)); // low → high

/** Distinct rationals with multiplicities 1–3. */
const rootsWithMultiplicities = fc
  .uniqueArray(smallRational(30, 6), { minLength: 1, maxLength: 6, selector: (r) => r.toString() })
  .chain((roots) => fc.tuple(fc.constant(roots), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: roots.length, maxLength: roots.length })));

function power(p: Polynomial, m: number): Polynomial {
  let out: Polynomial = Polynomial.ONE;
  for (let i = 0; i < m; i++) out = out.mul(p);
  return out;
}

describe('square-free factorization (Yun)', () => {
  test('(t − 1)(t − 2)²(t² − 2)³ · 5/3: one factor per multiplicity, monic', () => {
    const f1 = poly('-1', '1');
    const f2 = poly('-2', '1');
    const f3 = poly('-2', '0', '1');
    const p = f1.mul(power(f2, 2)).mul(power(f3, 3)).scale(q('5/3'));
    const got = squareFreeFactorization(p);
    expect(got.map((f) => [f.factor.toString(), f.multiplicity])).toEqual([
      ['t - 1', 1],
      ['t - 2', 2],
      ['t^2 - 2', 3],
    ]);
    expect(squareFreePart(p).equals(f1.mul(f2).mul(f3))).toBe(true);
  });

  test('products of known linear factors: factors read off the construction; product reproduces p', () => {
    checkProperty(
      fc.property(rootsWithMultiplicities, smallRational(9, 5).filter((c) => !c.isZero()), ([roots, mults], lc) => {
        let p = Polynomial.constant(lc);
        roots.forEach((r, i) => (p = p.mul(power(Polynomial.fromRoots([r]), mults[i] as number))));
        const got = squareFreeFactorization(p);
        for (const m of [1, 2, 3]) {
          const want = Polynomial.fromRoots(roots.filter((_, i) => mults[i] === m));
          const f = got.find((x) => x.multiplicity === m);
          if (want.degree === 0) expect(f).toBeUndefined();
          else expect(f?.factor.equals(want)).toBe(true);
        }
        let prod = Polynomial.constant(lc);
        for (const f of got) prod = prod.mul(power(f.factor, f.multiplicity));
        expect(prod.equals(p)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  test('irreducible quadratic factors with multiplicity and a degree-60 case', () => {
    const a = poly('1', '-3', '1'); // t² − 3t + 1
    const b = poly('-5', '0', '2'); // 2t² − 5
    const p = power(a, 2).mul(b).mul(power(poly('7/2', '1'), 3));
    const got = squareFreeFactorization(p);
    expect(got.map((f) => [f.factor.toString(), f.multiplicity])).toEqual([
      ['t^2 - 5/2', 1],
      ['t^2 - 3*t + 1', 2],
      ['t + 7/2', 3],
    ]);
    // Degree 60: 20 simple roots and 20 double roots (integers and halves).
    const simple = Array.from({ length: 20 }, (_, i) => new Rational(BigInt(2 * i + 1), 2n));
    const double = Array.from({ length: 20 }, (_, i) => Rational.fromBigInt(BigInt(i * i - 50)));
    const big = Polynomial.fromRoots([...simple, ...double, ...double]);
    const f = squareFreeFactorization(big);
    expect(f.length).toBe(2);
    expect(f[0]?.factor.equals(Polynomial.fromRoots(simple))).toBe(true);
    expect(f[1]?.factor.equals(Polynomial.fromRoots(double))).toBe(true);
  });

  test('constants have no factors; zero is refused', () => {
    expect(squareFreeFactorization(Polynomial.constant(q('3')))).toEqual([]);
    expect(() => squareFreeFactorization(Polynomial.ZERO)).toThrow(RangeError);
  });
});

describe('Sturm sequences and root counts', () => {
  test('t² − 2: one root in (1, 2], two in (−2, 2], none in (3/2, 3]', () => {
    const p = poly('-2', '0', '1');
    expect(sturmSequence(p).length).toBe(3);
    expect(countDistinctRootsIn(p, q('1'), q('2'))).toBe(1);
    expect(countDistinctRootsIn(p, q('-2'), q('2'))).toBe(2);
    expect(countDistinctRootsIn(p, q('3/2'), q('3'))).toBe(0);
    expect(countDistinctRootsIn(p, q('2'), q('1'))).toBe(0);
  });

  test('half-open (lo, hi] at known rational roots, with multiplicities (distinct count)', () => {
    checkProperty(
      fc.property(rootsWithMultiplicities, smallRational(40, 6), smallRational(40, 6), fc.boolean(), ([roots, mults], a, b, onRoot) => {
        let p: Polynomial = Polynomial.ONE;
        roots.forEach((r, i) => (p = p.mul(power(Polynomial.fromRoots([r]), mults[i] as number))));
        // Sometimes put the end points exactly on roots.
        const lo0 = onRoot ? (roots[0] as Rational) : a;
        const hi0 = onRoot ? (roots[roots.length - 1] as Rational) : b;
        const [lo, hi] = lo0.compare(hi0) <= 0 ? [lo0, hi0] : [hi0, lo0];
        const inside = roots.filter((r) => r.compare(lo) > 0 && r.compare(hi) <= 0).length;
        expect(countDistinctRootsIn(p, lo, hi)).toBe(inside);
        // Descartes (p is real-rooted): roots above a point and the multiplicity at it.
        const above = roots.reduce((s, r, i) => s + (r.compare(lo) > 0 ? (mults[i] as number) : 0), 0);
        const at = roots.reduce((s, r, i) => s + (r.equals(lo) ? (mults[i] as number) : 0), 0);
        expect(realRootCount(p, lo)).toEqual({ above, at });
      }),
      { numRuns: 100 },
    );
  });

  test('realRootCount on an irrational pair: t² − 3t + 1 has roots (3 ± √5)/2', () => {
    const p = poly('1', '-3', '1');
    expect(realRootCount(p, q('0'))).toEqual({ above: 2, at: 0 });
    expect(realRootCount(p, q('1'))).toEqual({ above: 1, at: 0 });
    expect(realRootCount(p, q('13/5'))).toEqual({ above: 1, at: 0 }); // 2.6 < 2.618…
    expect(realRootCount(p, q('21/8'))).toEqual({ above: 0, at: 0 }); // 2.625 > 2.618…
  });
});

describe('evaluation and candidates', () => {
  test('signAt and isRoot agree with exact evaluation', () => {
    checkProperty(
      fc.property(fc.array(smallRational(50, 7), { minLength: 1, maxLength: 8 }), smallRational(20, 9), (coeffs, x) => {
        const p = Polynomial.fromCoefficients(coeffs);
        const v = p.evaluate(x);
        expect(signAt(p, x)).toBe(v.sign());
        expect(isRoot(p, x)).toBe(v.isZero());
        const ip = primitiveIntegerPolynomial(p);
        const back = Polynomial.fromCoefficients(ip.coefficients.map((c) => Rational.fromBigInt(c))).scale(ip.content);
        expect(back.equals(p)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  test('candidates verified exactly: the rational root of (2t − 33)(t² − 2) is found, √2 is not', () => {
    const p = poly('-33', '2').mul(poly('-2', '0', '1'));
    const found = [16.5, Math.SQRT2]
      .flatMap((x) => rationalCandidates(x, 1_000_000n))
      .filter((c) => isRoot(p, c))
      .map((c) => c.toString());
    expect(found).toEqual(['33/2']);
  });
});
