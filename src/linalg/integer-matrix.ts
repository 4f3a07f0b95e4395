import { commonDenominator, type Rational } from '../field/rational.js';
import type { Matrix } from './matrix.js';

/**
 * A rational matrix with its denominators cleared: `Ã = scale · A` has integer entries.
 *
 * `entries[i][j] = scale · a_ij` (row lists), and `scale` is the least common multiple of the
 * denominators of `A` (so `scale ≥ 1`; `scale = 1` exactly when `A` is already integral).
 */
export interface IntegerMatrix {
  readonly rows: number;
  readonly cols: number;
  /** `s = lcm_{ij} den(a_ij) > 0`. */
  readonly scale: bigint;
  /** `Ã_ij = s · a_ij ∈ ℤ`, as a list of rows. */
  readonly entries: bigint[][];
}

/**
 * Clears the denominators of a rational matrix:
 * ```
 *   s = lcm_{ij} den(a_ij),   Ã = s · A ∈ ℤ^{m×n}
 * ```
 * Scaling by `s > 0` changes neither the signs of pivots (inertia) nor the rank, and
 * `det(A) = det(Ã) / s^n`, `det(tI − A) = s^{−n} det(s t I − Ã)`.
 */
export function toIntegerMatrix(A: Matrix<Rational>): IntegerMatrix {
  const scale = commonDenominator(A.data);
  const entries: bigint[][] = [];
  for (let i = 0; i < A.rows; i++) {
    const row = new Array<bigint>(A.cols);
    for (let j = 0; j < A.cols; j++) {
      const a = A.data[i + j * A.rows] as Rational;
      // scale / den is exact because den divides the lcm.
      row[j] = a.den === 1n ? a.num * scale : a.num * (scale / a.den);
    }
    entries.push(row);
  }
  return { rows: A.rows, cols: A.cols, scale, entries };
}

/**
 * The same integer matrix flattened row-major: `flat[i·cols + j] = Ã_ij`
 * (the layout the elimination kernels work in).
 */
export function flattenRowMajor(M: IntegerMatrix): bigint[] {
  const flat = new Array<bigint>(M.rows * M.cols);
  for (let i = 0; i < M.rows; i++) {
    const row = M.entries[i] as bigint[];
    for (let j = 0; j < M.cols; j++) flat[i * M.cols + j] = row[j] as bigint;
  }
  return flat;
}
