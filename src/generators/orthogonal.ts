/**
 * Exact rational orthogonal matrices, and the small exact tools the generators share: a seeded
 * random source and Gauss–Jordan inversion over `Q`.
 *
 * Rational orthogonal matrices come from the Cayley transform `Q = (I − S)(I + S)^{-1}` of a rational
 * skew-symmetric `S`: `I + S` is always invertible (the eigenvalues of `S` are imaginary, so those of
 * `I + S` are `1 + iβ ≠ 0`) and `QᵀQ = (I + S)^{-ᵀ}(I − S)ᵀ(I − S)(I + S)^{-1} = (I − S)^{-1}(I − S)(I + S)(I + S)^{-1} = I`,
 * because `I − S` and `I + S` commute. Cayley matrices never have the eigenvalue −1; composing with
 * a signed permutation (also exact) reaches the rest.
 */
import { exactInverse } from '../linalg/exact.js';
import { mulberry32 } from '../random/mulberry32.js';
import { Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { add, at, equals, generate, identity, mul, ShapeError, sub, transpose, type Matrix } from '../linalg/matrix.js';

/** A small deterministic pseudo-random source (mulberry32), so generated models are reproducible from a seed. */
export interface SeededRandom {
  /** The seed it was created with. */
  readonly seed: number;
  /** A float in `[0, 1)`. */
  next(): number;
  /** An integer in `[min, max]` (inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/**
 * A seeded pseudo-random source (mulberry32 on the low 32 bits of the seed; any finite number is
 * accepted, non-integers are truncated).
 */
export function seededRandom(seed: number): SeededRandom {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const next = mulberry32(Math.trunc(seed));
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/** Thrown by {@link exactInverse} for a singular matrix. */


/** Whether `S = −Sᵀ` exactly. */
export function isSkewSymmetric(S: Matrix<Rational>): boolean {
  if (S.rows !== S.cols) return false;
  for (let j = 0; j < S.cols; j++) for (let i = j; i < S.rows; i++) if (!at(S, i, j).equals(at(S, j, i).neg())) return false;
  return true;
}

/** Whether `QᵀQ = I` exactly (square `Q`), or more generally the columns are orthonormal. */
export function hasOrthonormalColumns(A: Matrix<Rational>): boolean {
  return equals(Q, mul(Q, transpose(A), A), identity(Q, A.cols));
}

/** Whether `A` is square with `AᵀA = I` exactly. */
export function isOrthogonal(A: Matrix<Rational>): boolean {
  return A.rows === A.cols && hasOrthonormalColumns(A);
}

/** A skew-symmetric `n × n` matrix from its strictly upper entries, listed row by row (`s_12, s_13, …, s_23, …`). */
export function skewFromUpper(n: number, upper: readonly Rational[]): Matrix<Rational> {
  const need = (n * (n - 1)) / 2;
  if (upper.length !== need) throw new ShapeError(`skewFromUpper: expected ${need} entries for n = ${n}, got ${upper.length}`);
  const index = (i: number, j: number): number => i * n - (i * (i + 1)) / 2 + (j - i - 1);
  return generate(n, n, (i, j) => (i === j ? Rational.ZERO : i < j ? (upper[index(i, j)] as Rational) : (upper[index(j, i)] as Rational).neg()));
}

/**
 * The Cayley transform `(I − S)(I + S)^{-1}` of a rational skew-symmetric `S`: an exact rational
 * orthogonal matrix (never with eigenvalue −1). `S = 0` gives `I`. Throws `RangeError` when `S` is not skew-symmetric.
 */
export function cayley(S: Matrix<Rational>): Matrix<Rational> {
  if (!isSkewSymmetric(S)) throw new RangeError('cayley: S must be skew-symmetric (S = −Sᵀ)');
  const I = identity(Q, S.rows);
  return mul(Q, sub(Q, I, S), exactInverse(add(Q, I, S)));
}

/** Options of {@link randomOrthogonal}. */
export interface RandomOrthogonalOptions {
  readonly seed?: number;
  /** Random source (takes precedence over `seed`). */
  readonly random?: SeededRandom;
  /** Entries of the skew-symmetric `S` are integers in `[−maxEntry, maxEntry]` (default 2). */
  readonly maxEntry?: number;
  /** Also multiply by a random signed permutation (default false), to reach orthogonal matrices with eigenvalue −1. */
  readonly signedPermutation?: boolean;
}

/** A random exact orthogonal `n × n` matrix: the Cayley transform of a random small-integer skew-symmetric matrix. */
export function randomOrthogonal(n: number, options: RandomOrthogonalOptions = {}): Matrix<Rational> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randomOrthogonal: size must be a non-negative integer, got ${n}`);
  const rng = options.random ?? seededRandom(options.seed ?? 1);
  const m = options.maxEntry ?? 2;
  let C = identity(Q, n);
  // A few redraws so that (for n ≥ 2) the result is not a signed permutation, which would make
  // "orthogonally mixed" factors trivially sparse.
  for (let attempt = 0; attempt < 16; attempt++) {
    const upper = Array.from({ length: (n * (n - 1)) / 2 }, () => Rational.fromBigInt(BigInt(rng.int(-m, m))));
    C = cayley(skewFromUpper(n, upper));
    if (n < 2 || m < 1 || !isSignedPermutation(C)) break;
  }
  return options.signedPermutation === true ? mul(Q, randomSignedPermutation(n, rng), C) : C;
}

/**
 * The signed permutation matrix with entry `(perm[j], j) = signs[j]`: column `j` is `signs[j]·e_{perm[j]}`.
 * Throws `RangeError` when `perm` is not a permutation of `0..n−1` or a sign is not ±1.
 */
export function signedPermutation(perm: readonly number[], signs: readonly (1 | -1)[]): Matrix<Rational> {
  const n = perm.length;
  if (signs.length !== n) throw new RangeError(`signedPermutation: ${n} positions but ${signs.length} signs`);
  const seen = new Set(perm);
  if (seen.size !== n || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= n)) {
    throw new RangeError(`signedPermutation: [${perm.join(', ')}] is not a permutation of 0..${n - 1}`);
  }
  return generate(n, n, (i, j) => (perm[j] === i ? (signs[j] === -1 ? Rational.ONE.neg() : Rational.ONE) : Rational.ZERO));
}

/** Whether every entry is 0 or ±1 and each row and column has exactly one non-zero (a signed permutation). */
export function isSignedPermutation(A: Matrix<Rational>): boolean {
  if (A.rows !== A.cols) return false;
  const rowHits = new Array<number>(A.rows).fill(0);
  for (let j = 0; j < A.cols; j++) {
    let colHits = 0;
    for (let i = 0; i < A.rows; i++) {
      const x = at(A, i, j);
      if (x.isZero()) continue;
      if (!x.abs().equals(Rational.ONE)) return false;
      colHits++;
      rowHits[i] = (rowHits[i] as number) + 1;
    }
    if (colHits !== 1) return false;
  }
  return rowHits.every((h) => h === 1);
}

/** A uniformly random signed permutation matrix. */
export function randomSignedPermutation(n: number, random: SeededRandom): Matrix<Rational> {
  const perm = Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const j = random.int(0, k);
    [perm[k], perm[j]] = [perm[j] as number, perm[k] as number];
  }
  const signs = perm.map((): 1 | -1 => (random.next() < 0.5 ? -1 : 1));
  return signedPermutation(perm, signs);
}
