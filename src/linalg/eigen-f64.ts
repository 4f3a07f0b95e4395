import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { kernelSymmetricEigen } from '../kernels/dispatch.js';
import { KernelConvergenceError } from '../kernels/kernel.js';
import { ShapeError, type Matrix } from './matrix.js';

/**
 * Default relative symmetry tolerance of {@link symmetricEigen}: `max |a_ij − a_ji| ≤ tol · max |a_ij|`.
 * A matrix assembled in binary64 from sums of up to ~10^5 terms can be asymmetric by
 * `2 γ_k ≈ 2·10^5·1.1·10^-16 ≈ 2·10^-11` relative to its entries (Higham §3.1); `10^-10` accepts that
 * while still rejecting a transposed block or a wrongly indexed entry.
 */
export const DEFAULT_SYMMETRY_TOLERANCE = 1e-10;

/**
 * Entries below this magnitude, after {@link powerOfTwoExponent} scaling has brought the largest entry
 * into `[1/2, 4)`, are set to zero before the decomposition. The change is at most `2^-511` per entry,
 * far inside the backward error `O(n ε ‖A‖)` of the algorithms, and it keeps every square and product
 * of two entries a normal double: the JAMA/EISPACK codes lose accuracy on subnormal entries (a
 * singular value 12% off was observed) and fail outright without scaling (entries near 1e200 crash
 * ml-matrix's tred2; entries near 1e-200 underflow to a wrong spectrum).
 * @internal
 */
export const FLUSH_BELOW = 2 ** -511;

/**
 * An exponent `e` with `maxAbs · 2^-e` in `[1/2, 4)` (0 when `maxAbs` is 0 or not finite).
 * @internal
 */
export function powerOfTwoExponent(maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 0;
  return Math.floor(Math.log2(maxAbs));
}

/**
 * `x · 2^e` for any integer `e` in `[-2200, 2200]`, in two exact steps so that `2^e` itself never
 * overflows; the result is exact unless it overflows or lands in the subnormal range.
 * @internal
 */
export function timesPowerOfTwo(x: number, e: number): number {
  const half = Math.trunc(e / 2);
  return x * 2 ** half * 2 ** (e - half);
}

/**
 * The two factors `[2^⌊e/2⌋, 2^(e − ⌊e/2⌋)]` (halves truncated toward zero) of {@link timesPowerOfTwo}:
 * `x * f1 * f2` is `timesPowerOfTwo(x, e)`, bit for bit, without recomputing powers per entry.
 * @internal
 */
export function powerOfTwoFactors(e: number): [number, number] {
  const half = Math.trunc(e / 2);
  return [2 ** half, 2 ** (e - half)];
}

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions {
  /** Relative symmetry tolerance (see {@link DEFAULT_SYMMETRY_TOLERANCE}); 0 demands exact symmetry. */
  readonly symmetryTolerance?: number;
}

/** The eigen-decomposition `A = V diag(λ) Vᵀ` of a symmetric matrix, in binary64. */
export interface SymmetricEigenResult {
  /** Eigenvalues in ascending order. */
  readonly values: number[];
  /**
   * Orthonormal eigenvectors, column-major: column `k` is the unit eigenvector for `values[k]`.
   * Signs are normalised: the entry of largest magnitude in each column (the first such) is positive.
   */
  readonly vectors: Matrix<number>;
  /** How the result was obtained. */
  readonly method: string;
  /** Measured `max |a_ij − a_ji| / max |a_ij|` of the input before it was symmetrised (0 when exact). */
  readonly asymmetry: number;
}

/**
 * `2^-e (A + Aᵀ)/2` column-major with entries below {@link FLUSH_BELOW} set to zero, `e` from
 * {@link powerOfTwoExponent} of `maxAbs` (the largest entry of `A`). Scaling first, then averaging,
 * copies an exactly symmetric input exactly, subnormal entries included.
 * @internal
 */
export function preparedSymmetric(d: ArrayLike<number>, n: number, maxAbs: number): { S: Float64Array; e: number } {
  const e = powerOfTwoExponent(maxAbs);
  const [f1, f2] = powerOfTwoFactors(-e);
  const S = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      const x = 0.5 * ((d[i + j * n] as number) * f1 * f2 + (d[j + i * n] as number) * f1 * f2);
      const y = Math.abs(x) < FLUSH_BELOW ? 0 : x;
      S[i + j * n] = y;
      S[j + i * n] = y;
    }
  }
  return { S, e };
}

/** The method line of the JavaScript path. */
const ML_METHOD = 'ml-matrix EigenvalueDecomposition (Householder tridiagonalisation + implicit QL), binary64';

/** Eigenvalues (any order) and row-readable eigenvectors of the prepared `S` in JavaScript. */
function mlEigen(S: Float64Array, n: number): { lambda: number[]; at: (i: number, k: number) => number } {
  const M = new MlMatrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M.set(i, j, S[i + j * n] as number);
  const evd = new EigenvalueDecomposition(M, { assumeSymmetric: true });
  const V = evd.eigenvectorMatrix;
  return { lambda: evd.realEigenvalues, at: (i, k) => V.get(i, k) };
}

/**
 * Eigenvalues and orthonormal eigenvectors of a real symmetric matrix in binary64. The input is
 * checked to be square, finite and symmetric to a relative tolerance, then symmetrised as
 * `(A + Aᵀ)/2`, scaled by a power of two so that its largest entry is about 1 (exact; undone on the
 * eigenvalues), and entries below {@link FLUSH_BELOW} of that are set to zero (see there why).
 *
 * Where it runs: on the active float64 kernel's LAPACK when it has one and `n > 24`
 * (`SMALL_DECOMPOSITION_WORK`; the native kernel: OpenBLAS `dsyevd`, Householder tridiagonalisation
 * + divide and conquer, with the kernel's threads), else — and under `DLN_KERNEL=js` or `wasm`, or if
 * LAPACK reports non-convergence — in JavaScript through
 * ml-matrix's `EigenvalueDecomposition` (tred2/tql2 from EISPACK via JAMA). `method` says which.
 *
 * Backward stable either way: the values are the exact eigenvalues of `A + E` with
 * `‖E‖₂ ≤ p(n) u ‖A‖₂` (`u = 2^-53`; the a-priori analysis gives `p(n) = O(n²)`, in practice it is
 * `O(n)`: see docs/performance.md), so each eigenvalue is within `‖E‖₂` of the true one (Weyl); the
 * vectors satisfy `‖A V − V Λ‖ = O(n u ‖A‖)` and `‖VᵀV − I‖ = O(n u)`. Two paths agree on
 * eigenvalues within twice the bound; eigenvectors of (nearly) repeated eigenvalues may differ by a
 * rotation inside the eigenspace.
 *
 * @throws ShapeError when `A` is not square.
 * @throws RangeError when an entry is not finite or `A` is not symmetric within the tolerance.
 */
export function symmetricEigen(A: Matrix<number>, options: SymmetricEigenOptions = {}): SymmetricEigenResult {
  const n = A.rows;
  if (A.cols !== n) throw new ShapeError(`symmetricEigen: expected a square matrix, got ${A.rows}×${A.cols}`);
  if (A.data.length !== n * n) throw new ShapeError(`symmetricEigen: ${n}×${n} matrix has ${A.data.length} entries`);
  const tol = options.symmetryTolerance ?? DEFAULT_SYMMETRY_TOLERANCE;
  if (!(tol >= 0)) throw new RangeError(`symmetricEigen: symmetry tolerance must be ≥ 0, got ${tol}`);

  const d = A.data;
  let maxAbs = 0;
  for (let idx = 0; idx < n * n; idx++) {
    const x = d[idx] as number;
    if (!Number.isFinite(x)) {
      throw new RangeError(`symmetricEigen: entry (${(idx % n) + 1}, ${Math.floor(idx / n) + 1}) is ${x}; entries must be finite`);
    }
    const ax = Math.abs(x);
    if (ax > maxAbs) maxAbs = ax;
  }
  let maxDiff = 0;
  let worstI = 0;
  let worstJ = 0;
  for (let j = 0; j < n; j++) {
    for (let i = j + 1; i < n; i++) {
      const diff = Math.abs((d[i + j * n] as number) - (d[j + i * n] as number));
      if (diff > maxDiff) {
        maxDiff = diff;
        worstI = i;
        worstJ = j;
      }
    }
  }
  const asymmetry = maxAbs === 0 ? 0 : maxDiff / maxAbs;
  if (asymmetry > tol) {
    throw new RangeError(
      `symmetricEigen: matrix is not symmetric: |a(${worstI + 1},${worstJ + 1}) − a(${worstJ + 1},${worstI + 1})| = ${maxDiff} ` +
        `is ${asymmetry.toExponential(2)} of max |a_ij| = ${maxAbs} (tolerance ${tol})`,
    );
  }
  if (n === 0) return { values: [], vectors: { rows: 0, cols: 0, data: [] }, method: ML_METHOD, asymmetry };

  const { S, e } = preparedSymmetric(d, n, maxAbs);
  let lambda: ArrayLike<number>;
  let at: (i: number, k: number) => number;
  let method: string;
  let native;
  let failed = '';
  try {
    native = kernelSymmetricEigen(n, S, true);
  } catch (err) {
    if (!(err instanceof KernelConvergenceError)) throw err;
    failed = `; ${err.message}, so computed in JavaScript`;
  }
  if (native?.vectors != null) {
    const V = native.vectors;
    lambda = native.values;
    at = (i, k) => V[i + k * n] as number;
    method = `LAPACK dsyevd (Householder tridiagonalisation + divide and conquer) from ${native.source}, binary64`;
  } else {
    ({ lambda, at } = mlEigen(S, n));
    method = ML_METHOD + failed;
  }
  const scaled = Array.from(lambda, (x) => timesPowerOfTwo(x, e));

  // Both solvers return ascending values; sort a permutation anyway so the contract does not rest on that.
  const order = scaled.map((_, k) => k).sort((p, q) => (scaled[p] as number) - (scaled[q] as number));
  const values = order.map((k) => scaled[k] as number);
  const data = new Array<number>(n * n);
  order.forEach((src, dst) => {
    let big = 0;
    let sgn = 1;
    for (let i = 0; i < n; i++) {
      const v = at(i, src);
      if (Math.abs(v) > big) {
        big = Math.abs(v);
        sgn = v < 0 ? -1 : 1;
      }
    }
    for (let i = 0; i < n; i++) data[i + dst * n] = sgn * at(i, src);
  });
  return { values, vectors: { rows: n, cols: n, data }, method, asymmetry };
}
