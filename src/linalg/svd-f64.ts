import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { kernelSvd, type KernelSvd } from '../kernels/dispatch.js';
import { KernelConvergenceError } from '../kernels/kernel.js';
import { FLUSH_BELOW, powerOfTwoExponent, powerOfTwoFactors, timesPowerOfTwo } from './eigen-f64.js';
import { ShapeError, type Matrix } from './matrix.js';

/** The thin singular value decomposition `A = U diag(s) Vᵀ` of an `m × n` matrix, `r = min(m, n)`. */
export interface SvdResult {
  /** `m × r`, orthonormal columns (column-major). */
  readonly U: Matrix<number>;
  /** The `r` singular values, descending, non-negative. */
  readonly s: number[];
  /**
   * `n × r`, orthonormal columns (column-major). Signs are normalised: the entry of largest magnitude
   * in each column of `V` (the first such) is positive, the column of `U` flipped with it.
   */
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
 * `2^-e A` column-major with entries below {@link FLUSH_BELOW} then set to zero, `e` from
 * {@link powerOfTwoExponent} of `maxAbs`: what the LAPACK path decomposes.
 */
function scaledCopy(A: Matrix<number>, maxAbs: number): { S: Float64Array; e: number } {
  const e = powerOfTwoExponent(maxAbs);
  const [f1, f2] = powerOfTwoFactors(-e);
  const S = new Float64Array(A.rows * A.cols);
  for (let idx = 0; idx < S.length; idx++) {
    const x = (A.data[idx] as number) * f1 * f2;
    S[idx] = Math.abs(x) < FLUSH_BELOW ? 0 : x;
  }
  return { S, e };
}

/** The kernel's SVD of the scaled `A`, `undefined` when it has none; a convergence failure is recorded in `failed`. */
function onKernel(A: Matrix<number>, maxAbs: number, vectors: boolean, failed: { reason: string }): { dec: KernelSvd; e: number } | undefined {
  const { S, e } = scaledCopy(A, maxAbs);
  try {
    const dec = kernelSvd(A.rows, A.cols, S, vectors);
    return dec === undefined ? undefined : { dec, e };
  } catch (err) {
    if (!(err instanceof KernelConvergenceError)) throw err;
    failed.reason = `; ${err.message}, so computed in JavaScript`;
    return undefined;
  }
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

function descendingOrder(s: ArrayLike<number>, r: number): number[] {
  return Array.from({ length: r }, (_, k) => k).sort((p, q) => (s[q] as number) - (s[p] as number));
}

/** Flips column pairs `(u_k, v_k)` so that the first entry of largest magnitude of each `v_k` is positive. */
function normaliseSigns(U: Matrix<number>, V: Matrix<number>): void {
  const u = U.data as number[];
  const v = V.data as number[];
  for (let k = 0; k < V.cols; k++) {
    let big = 0;
    let neg = false;
    for (let i = 0; i < V.rows; i++) {
      const x = v[i + k * V.rows] as number;
      if (Math.abs(x) > big) {
        big = Math.abs(x);
        neg = x < 0;
      }
    }
    if (!neg) continue;
    for (let i = 0; i < V.rows; i++) v[i + k * V.rows] = -(v[i + k * V.rows] as number);
    for (let i = 0; i < U.rows; i++) u[i + k * U.rows] = -(u[i + k * U.rows] as number);
  }
}

/**
 * Singular values of `A` in descending order (`min(m, n)` of them), in binary64: on the active
 * float64 kernel's LAPACK when it has one and `m·n·min(m, n) > 24³` (native kernel: OpenBLAS `dgesdd`
 * without vectors), else in JavaScript (ml-matrix's Golub–Kahan–Reinsch). Backward stable: the exact singular values of
 * `A + E`, `‖E‖₂ ≤ p(m, n) u ‖A‖₂` (`u = 2^-53`; `p` grows modestly, `O(max(m, n))` in practice),
 * so each is accurate to `‖E‖₂` in absolute terms (Weyl).
 *
 * @throws RangeError when an entry is not finite.
 */
export function singularValues(A: Matrix<number>): number[] {
  const maxAbs = checkFinite(A, 'singularValues');
  const r = Math.min(A.rows, A.cols);
  if (r === 0) return [];
  const native = onKernel(A, maxAbs, false, { reason: '' });
  if (native !== undefined) return descendingOrder(native.dec.s, r).map((k) => timesPowerOfTwo(native.dec.s[k] as number, native.e));
  const { M, e } = tallCopy(A, maxAbs);
  const dec = new SingularValueDecomposition(M, { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  const s = dec.diagonal;
  return descendingOrder(s, r).map((k) => timesPowerOfTwo(s[k] as number, e));
}

/**
 * The thin SVD `A = U diag(s) Vᵀ` with `U` m×r and `V` n×r orthonormal, `s` descending, `r = min(m, n)`,
 * signs normalised (see {@link SvdResult.V}). On the active float64 kernel's LAPACK when it has one
 * and `m·n·min(m, n) > 24³` (native kernel: OpenBLAS `dgesdd`, bidiagonalisation + divide and conquer, with the kernel's
 * threads), else — under `DLN_KERNEL=js` or `wasm`, or when LAPACK reports non-convergence — in
 * JavaScript (ml-matrix; wide matrices through their transpose, `Aᵀ = V diag(s) Uᵀ`). `method` says
 * which. Backward stable either way (see {@link singularValues}); `‖UᵀU − I‖`, `‖VᵀV − I‖` are `O(n u)`.
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
  const failed = { reason: '' };
  const native = onKernel(A, maxAbs, true, failed);
  let out: SvdResult;
  if (native?.dec.u != null && native.dec.vt !== null) {
    const { s, u, vt, source } = native.dec;
    const order = descendingOrder(s, r);
    const U = new Array<number>(m * r);
    const V = new Array<number>(n * r);
    order.forEach((src, dst) => {
      for (let i = 0; i < m; i++) U[i + dst * m] = u[i + src * m] as number;
      for (let j = 0; j < n; j++) V[j + dst * n] = vt[src + j * r] as number;
    });
    out = {
      U: { rows: m, cols: r, data: U },
      s: order.map((k) => timesPowerOfTwo(s[k] as number, native.e)),
      V: { rows: n, cols: r, data: V },
      method: `LAPACK dgesdd (Householder bidiagonalisation + divide and conquer) from ${source}, binary64`,
    };
  } else {
    const { M, transposed, e } = tallCopy(A, maxAbs);
    const dec = new SingularValueDecomposition(M);
    const s = dec.diagonal;
    const order = descendingOrder(s, r);
    const left = dec.leftSingularVectors; // (rows of M) × ≥ r
    const right = dec.rightSingularVectors; // (cols of M) × (cols of M) = r × r
    const values = order.map((k) => timesPowerOfTwo(s[k] as number, e));
    const method = METHOD + failed.reason;
    out = transposed
      ? { U: columns(right, m, order), s: values, V: columns(left, n, order), method }
      : { U: columns(left, m, order), s: values, V: columns(right, n, order), method };
  }
  normaliseSigns(out.U, out.V);
  return out;
}

/** `‖A‖₂`, the largest singular value (0 for an empty matrix). */
export function spectralNorm(A: Matrix<number>): number {
  const s = singularValues(A);
  return s[0] ?? 0;
}
