import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { determinant, integerDeterminant } from '../../src/linalg/determinant.js';
import { toIntegerMatrix } from '../../src/linalg/integer-matrix.js';
import { ShapeError, at, fromRows, generate, mul, type Matrix } from '../../src/linalg/matrix.js';
import { checkProperty } from '../support/property.js';
import { matrixOf, smallRational, wideRational } from '../support/arbitraries.js';

const r = (s: string): Rational => Rational.parse(s);
const M = (rows: string[][]): Matrix<Rational> => fromRows(rows.map((row) => row.map(r)));

/** Laplace (cofactor) expansion along the first row: an independent O(n!) reference. */
function laplace(A: Matrix<Rational>): Rational {
  const n = A.rows;
  if (n === 0) return Rational.ONE;
  let sum = Rational.ZERO;
  for (let j = 0; j < n; j++) {
    const minor = generate(n - 1, n - 1, (i, k) => at(A, i + 1, k < j ? k : k + 1));
    const term = at(A, 0, j).mul(laplace(minor));
    sum = j % 2 === 0 ? sum.add(term) : sum.sub(term);
  }
  return sum;
}

/** Sign of a permutation by counting inversions. */
function permutationSign(p: readonly number[]): Rational {
  let inv = 0;
  for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) if ((p[i] as number) > (p[j] as number)) inv++;
  return inv % 2 === 0 ? Rational.ONE : Rational.ONE.neg();
}

const squareRational = (maxN: number, entry: fc.Arbitrary<Rational> = smallRational()): fc.Arbitrary<Matrix<Rational>> =>
  fc.integer({ min: 0, max: maxN }).chain((n) => matrixOf(n, n, entry));

describe('toIntegerMatrix', () => {
  it('clears denominators with the lcm', () => {
    const I = toIntegerMatrix(M([['1/2', '1/3'], ['-5/6', '2']]));
    expect(I.scale).toBe(6n);
    expect(I.entries).toEqual([
      [3n, 2n],
      [-5n, 12n],
    ]);
  });
});

describe('determinant (Bareiss)', () => {
  it('matches hand values', () => {
    expect(determinant(M([['1', '2'], ['3', '4']]))).toEqual(r('-2'));
    expect(determinant(M([['2', '-1', '0'], ['-1', '2', '-1'], ['0', '-1', '2']]))).toEqual(r('4'));
    // 1/2·1/5 − 1/3·1/4 = 1/10 − 1/12 = 1/60
    expect(determinant(M([['1/2', '1/3'], ['1/4', '1/5']]))).toEqual(r('1/60'));
    // needs a row swap: the (1,1) entry is zero
    expect(determinant(M([['0', '1'], ['1', '0']]))).toEqual(r('-1'));
    expect(determinant(M([['0', '2', '1'], ['0', '1', '3'], ['4', '0', '0']]))).toEqual(r('20'));
    expect(determinant(M([['7']]))).toEqual(r('7'));
    expect(determinant(fromRows<Rational>([]))).toEqual(Rational.ONE);
  });

  it('is zero for singular matrices', () => {
    expect(determinant(M([['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9']]))).toEqual(Rational.ZERO);
    expect(determinant(M([['0', '0'], ['0', '0']]))).toEqual(Rational.ZERO);
    expect(determinant(M([['1/2', '1'], ['1/4', '1/2']]))).toEqual(Rational.ZERO);
  });

  it('throws on a non-square matrix', () => {
    expect(() => determinant(M([['1', '2']]))).toThrow(ShapeError);
    expect(() => integerDeterminant([[1n, 2n]])).toThrow(ShapeError);
  });

  it('agrees with Laplace expansion for n ≤ 4 (small and wide rationals)', () => {
    checkProperty(fc.property(squareRational(4), (A) => determinant(A).equals(laplace(A))));
    checkProperty(fc.property(squareRational(3, wideRational()), (A) => determinant(A).equals(laplace(A))), { numRuns: 40 });
    // sparse matrices exercise the row-pivoting path
    const sparse = fc.oneof({ weight: 2, arbitrary: fc.constant(Rational.ZERO) }, { weight: 1, arbitrary: smallRational() });
    checkProperty(fc.property(squareRational(4, sparse), (A) => determinant(A).equals(laplace(A))));
  });

  it('is multiplicative: det(AB) = det(A) det(B)', () => {
    const pair = fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(matrixOf(n, n, smallRational()), matrixOf(n, n, smallRational())));
    checkProperty(fc.property(pair, ([A, B]) => determinant(mul(Q, A, B)).equals(determinant(A).mul(determinant(B)))));
  });

  it('gives the sign of a permutation matrix, and det(PA) = sign(P) det(A)', () => {
    const perm = fc.integer({ min: 1, max: 7 }).chain((n) =>
      fc.tuple(
        fc.shuffledSubarray(
          Array.from({ length: n }, (_, k) => k),
          { minLength: n, maxLength: n },
        ),
        matrixOf(n, n, smallRational()),
      ),
    );
    checkProperty(
      fc.property(perm, ([p, A]) => {
        const n = p.length;
        const P = generate(n, n, (i, j) => (p[i] === j ? Rational.ONE : Rational.ZERO));
        const sgn = permutationSign(p);
        return determinant(P).equals(sgn) && determinant(mul(Q, P, A)).equals(sgn.mul(determinant(A)));
      }),
    );
  });
});
