import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { FLUSH_BELOW, powerOfTwoExponent, timesPowerOfTwo } from './eigen-f64.js';
import { ShapeError, type Matrix } from './matrix.js';

/** The thin singular value decomposition `A = U diag(s) Vᵀ` of an `m × n` matrix, `r = min(m, n)`. */
export interface SvdResult {
  /** `m × r`, orthonormal columns (column-major). */
  readonly U: Matrix<number>;
  /** The `r` singular values, descending, non-negative. */
  readonly s: number[];
  /** `n × r`, orthonormal columns (column-major). */
  readonly V: Matrix<number>;
  /** How the result was obtained. */
  readonly method: string;
}

const METHOD = 'ml-matrix SingularValueDecomposition (Golub–Kahan–Reinsch, LINPACK via JAMA), binary64';

/** Checks the entries are finite; returns the largest magnitude. */
function checkFinite(A: Matrix<number>, fn: string): number {
  if (A.data.length !== A.rows * A.cols) throw new ShapeError(`${fn}: ${A.rows}×${A.cols} matrix has ${A.data.length} entries`);
  let maxAbs = 0;
  for (let idx = 0; idx < A.data.length; idx++) {
    const x = A.data[idx] as number;
    if (!Number.isFinite(x)) {
      throw new RangeError(`${fn}: entry (${(idx % A.rows) + 1}, ${Math.floor(idx / A.rows) + 1}) is ${x}; entries must be finite`);
    }
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  return maxAbs;
}

/**
 * A row-major ml-matrix copy of `2^-e A` when `A` is tall (`m ≥ n`), of `2^-e Aᵀ` otherwise (the JAMA
 * algorithm requires at least as many rows as columns), with `e` chosen so the largest entry is about 1
 * and entries below {@link FLUSH_BELOW} then set to zero (see there why; the change is far inside the
 * backward error). Singular values scale back exactly by `2^e`.
 */
function tallCopy(A: Matrix<number>, maxAbs: number): { M: MlMatrix; transposed: boolean; e: number } {
  const transposed = A.rows < A.cols;
  const rows = transposed ? A.cols : A.rows;
  const cols = transposed ? A.rows : A.cols;
  const e = powerOfTwoExponent(maxAbs);
  const M = new MlMatrix(rows, cols);
  for (let j = 0; j < A.cols; j++) {
    for (let i = 0; i < A.rows; i++) {
      const x0 = timesPowerOfTwo(A.data[i + j * A.rows] as number, -e);
      const x = Math.abs(x0) < FLUSH_BELOW ? 0 : x0;
      if (transposed) M.set(j, i, x);
      else M.set(i, j, x);
    }
  }
  return { M, transposed, e };
}

/** Columns `order` of the first `rows` rows of an ml-matrix, as a column-major matrix. */
function columns(M: MlMatrix, rows: number, order: readonly number[]): Matrix<number> {
  const data = new Array<number>(rows * order.length);
  order.forEach((src, dst) => {
    for (let i = 0; i < rows; i++) data[i + dst * rows] = M.get(i, src);
  });
  return { rows, cols: order.length, data };
}

function descendingOrder(s: readonly number[], r: number): number[] {
  return Array.from({ length: r }, (_, k) => k).sort((p, q) => (s[q] as number) - (s[p] as number));
}

/**
 * Singular values of `A` in descending order (`min(m, n)` of them), in binary64. Backward stable:
 * each is accurate to `O(max(m, n) u ‖A‖₂)` in absolute terms, `u = 2^-53`.
 *
 * @throws RangeError when an entry is not finite.
 */
export function singularValues(A: Matrix<number>): number[] {
  const maxAbs = checkFinite(A, 'singularValues');
  const r = Math.min(A.rows, A.cols);
  if (r === 0) return [];
  const { M, e } = tallCopy(A, maxAbs);
  const dec = new SingularValueDecomposition(M, { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  const s = dec.diagonal;
  return descendingOrder(s, r).map((k) => timesPowerOfTwo(s[k] as number, e));
}

/**
 * The thin SVD `A = U diag(s) Vᵀ` with `U` m×r and `V` n×r orthonormal, `s` descending, `r = min(m, n)`.
 * Wide matrices are decomposed through their transpose (`Aᵀ = V diag(s) Uᵀ`).
 *
 * @throws RangeError when an entry is not finite.
 */
export function svd(A: Matrix<number>): SvdResult {
  const maxAbs = checkFinite(A, 'svd');
  const m = A.rows;
  const n = A.cols;
  const r = Math.min(m, n);
  if (r === 0) {
    return { U: { rows: m, cols: 0, data: [] }, s: [], V: { rows: n, cols: 0, data: [] }, method: METHOD };
  }
  const { M, transposed, e } = tallCopy(A, maxAbs);
  const dec = new SingularValueDecomposition(M);
  const s = dec.diagonal;
  const order = descendingOrder(s, r);
  const left = dec.leftSingularVectors; // (rows of M) × ≥ r
  const right = dec.rightSingularVectors; // (cols of M) × (cols of M) = r × r
  const values = order.map((k) => timesPowerOfTwo(s[k] as number, e));
  return transposed
    ? { U: columns(right, m, order), s: values, V: columns(left, n, order), method: METHOD }
    : { U: columns(left, m, order), s: values, V: columns(right, n, order), method: METHOD };
}

/** `‖A‖₂`, the largest singular value (0 for an empty matrix). */
export function spectralNorm(A: Matrix<number>): number {
  const s = singularValues(A);
  return s[0] ?? 0;
}
