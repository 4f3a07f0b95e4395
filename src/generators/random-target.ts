/**
 * Random exact targets `M = U_N diag(s_p) U_0ᵀ` whose balanced minimizers are exact (docs/minimizers.md):
 * rational orthogonal (Cayley) singular vectors and singular values that are perfect `N`-th powers.
 */
import { Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { mul, slice, transpose, zeros, type Matrix } from '../linalg/matrix.js';
import { diag, MinimizerError } from './minimizers.js';
import { randomOrthogonal, seededRandom } from './orthogonal.js';

const R = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));

/** Options of {@link randomTarget}. */
export interface RandomTargetOptions {
  readonly rows: number;
  readonly cols: number;
  /** Default `min(rows, cols)`. */
  readonly rank?: number;
  readonly seed: number;
  /**
   * Make the balanced minimizers of this depth (and of its divisors) exact: singular values are
   * `t_p^N` for distinct small rationals `t_p`. Left out: `N = 1` (the singular values are distinct small rationals).
   */
  readonly exactBalanced?: { readonly depth: number };
}

/** Distinct roots `t_p` for {@link randomTarget}, small first. */
const TARGET_ROOTS: readonly Rational[] = [
  R(1), R(2), R(1, 2), R(3, 2), R(3), R(2, 3), R(4, 3), R(3, 4), R(5, 2), R(5, 3), R(4), R(1, 3),
  R(5, 4), R(4, 5), R(5), R(1, 4), R(7, 4), R(7, 3), R(6, 5), R(2, 5),
];

/**
 * A random `rows × cols` rational target `M = U_N diag(s_p) U_0ᵀ` of the given rank, with rational
 * orthogonal (Cayley) `U_N`, `U_0` (their first `rank` columns) and `s_p = t_p^N` for distinct small
 * rationals `t_p`, so that the balanced minimizers of depth `N = exactBalanced.depth` are exact (and
 * `exactSvd` of src/linalg/exact.ts recovers the decomposition).
 */
export function randomTarget(options: RandomTargetOptions): Matrix<Rational> {
  const { rows, cols, seed } = options;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new MinimizerError(`randomTarget: rows and cols must be positive integers, got ${rows}×${cols}`);
  }
  const rank = options.rank ?? Math.min(rows, cols);
  if (!Number.isInteger(rank) || rank < 0 || rank > Math.min(rows, cols)) {
    throw new MinimizerError(`randomTarget: rank must be an integer in 0..${Math.min(rows, cols)}, got ${rank}`);
  }
  if (rank > TARGET_ROOTS.length) throw new MinimizerError(`randomTarget: rank at most ${TARGET_ROOTS.length} is supported, got ${rank}`);
  const N = options.exactBalanced?.depth ?? 1;
  if (!Number.isInteger(N) || N < 1) throw new MinimizerError(`randomTarget: exactBalanced.depth must be a positive integer, got ${N}`);
  const rng = seededRandom(seed);
  const pool = TARGET_ROOTS.slice(0, Math.max(rank + 2, 4));
  const roots: Rational[] = [];
  while (roots.length < rank) {
    const t = rng.pick(pool);
    if (!roots.some((x) => x.equals(t))) roots.push(t);
  }
  roots.sort((a, b) => b.compare(a));
  const UN = slice(randomOrthogonal(rows, { random: rng, signedPermutation: true }), 0, 0, rows, rank);
  const U0 = slice(randomOrthogonal(cols, { random: rng, signedPermutation: true }), 0, 0, cols, rank);
  if (rank === 0) return zeros(Q, rows, cols);
  return mul(Q, mul(Q, UN, diag(roots.map((t) => t.pow(N)))), transpose(U0));
}
