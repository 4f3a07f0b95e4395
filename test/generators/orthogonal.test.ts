/** Exact rational orthogonal matrices (Cayley transform, signed permutations) and the exact helpers beside them. */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { equals, fromRows, identity, mul, transpose, type Matrix } from '../../src/linalg/matrix.js';
import { exactInverse, SingularMatrixError } from '../../src/linalg/exact.js';
import {
  cayley,
  isOrthogonal,
  isSignedPermutation,
  isSkewSymmetric,
  randomOrthogonal,
  randomSignedPermutation,
  seededRandom,
  signedPermutation,
  skewFromUpper,
} from '../../src/generators/orthogonal.js';
import { checkProperty } from '../support/property.js';
import { smallRational } from '../support/arbitraries.js';

const q = (s: string): Rational => Rational.parse(s);
const rows = (A: Matrix<Rational>): string[][] => Array.from({ length: A.rows }, (_, i) => Array.from({ length: A.cols }, (_, j) => String(A.data[i + j * A.rows])));

describe('Cayley transform', () => {
  test('S = [[0, 2], [−2, 0]] gives the (3, 4, 5) rotation exactly', () => {
    const C = cayley(fromRows([[q('0'), q('2')], [q('-2'), q('0')]]));
    expect(rows(C)).toEqual([['-3/5', '-4/5'], ['4/5', '-3/5']]);
    expect(isOrthogonal(C)).toBe(true);
  });

  test('S = 0 gives I; a matrix that is not skew-symmetric is refused', () => {
    expect(equals(Q, cayley(skewFromUpper(3, [q('0'), q('0'), q('0')])), identity(Q, 3))).toBe(true);
    expect(() => cayley(fromRows([[q('1'), q('0')], [q('0'), q('0')]]))).toThrow(/skew-symmetric/);
  });

  test('QᵀQ = QQᵀ = I exactly for every rational skew-symmetric S (property)', () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(fc.constant(n), fc.array(smallRational(6, 4), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }))),
        ([n, upper]) => {
          const S = skewFromUpper(n, upper);
          expect(isSkewSymmetric(S)).toBe(true);
          const C = cayley(S);
          expect(equals(Q, mul(Q, transpose(C), C), identity(Q, n))).toBe(true);
          expect(equals(Q, mul(Q, C, transpose(C)), identity(Q, n))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('randomOrthogonal is orthogonal, reproducible from its seed, and not a signed permutation for n ≥ 2', () => {
    for (let seed = 0; seed < 30; seed++) {
      for (const n of [1, 2, 3, 4]) {
        const A = randomOrthogonal(n, { seed });
        expect(isOrthogonal(A)).toBe(true);
        expect(equals(Q, A, randomOrthogonal(n, { seed }))).toBe(true);
        if (n >= 2) expect(isSignedPermutation(A)).toBe(false);
        expect(isOrthogonal(randomOrthogonal(n, { seed, signedPermutation: true }))).toBe(true);
      }
    }
  });
});

describe('signed permutations', () => {
  test('column j is signs[j]·e_{perm[j]}; orthogonal; invalid input refused', () => {
    const P = signedPermutation([2, 0, 1], [1, -1, 1]);
    expect(rows(P)).toEqual([['0', '-1', '0'], ['0', '0', '1'], ['1', '0', '0']]);
    expect(isOrthogonal(P)).toBe(true);
    expect(isSignedPermutation(P)).toBe(true);
    expect(() => signedPermutation([0, 0], [1, 1])).toThrow(/not a permutation/);
    expect(() => signedPermutation([0, 1], [1])).toThrow(/signs/);
  });

  test('random signed permutations are orthogonal', () => {
    const rng = seededRandom(7);
    for (let k = 0; k < 20; k++) {
      const P = randomSignedPermutation(1 + (k % 5), rng);
      expect(isSignedPermutation(P)).toBe(true);
      expect(isOrthogonal(P)).toBe(true);
    }
  });
});

describe('exact helpers', () => {
  test('exactInverse: A A⁻¹ = I; singular matrices are refused', () => {
    const A = fromRows([[q('2'), q('1'), q('0')], [q('1/2'), q('0'), q('3')], [q('0'), q('-1'), q('1')]]);
    expect(equals(Q, mul(Q, A, exactInverse(A)), identity(Q, 3))).toBe(true);
    expect(() => exactInverse(fromRows([[q('1'), q('2')], [q('2'), q('4')]]))).toThrow(SingularMatrixError);
  });

  test('seededRandom is deterministic and in range', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    for (let k = 0; k < 100; k++) {
      const x = a.int(-3, 3);
      expect(x).toBe(b.int(-3, 3));
      expect(x).toBeGreaterThanOrEqual(-3);
      expect(x).toBeLessThanOrEqual(3);
    }
    expect(() => seededRandom(Number.NaN)).toThrow(/finite/);
  });
});
