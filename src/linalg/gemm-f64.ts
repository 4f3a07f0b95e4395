/**
 * Binary64 matrix products on column-major arrays, run on the active float64 kernel of
 * `src/kernels/` (native BLAS, WebAssembly SIMD or the JavaScript reference; see
 * `src/kernels/registry.ts` for how it is chosen and `src/kernels/js-kernel.ts` for the reference).
 *
 * Rounding: every entry of `C` is a sum of the same `k` products as the textbook formula,
 * accumulated in a kernel-dependent order, so the usual bound `|Ĉ − C| ≤ γ_k |A| |B|` with
 * `γ_k = k u / (1 − k u)` applies whichever kernel runs. Products of integer matrices whose partial
 * sums stay below 2^53 are exact. NaN and ±Infinity propagate as in IEEE arithmetic.
 */
import { gemm } from '../kernels/dispatch.js';

/** Options of {@link gemmF64Into}. */
export interface GemmOptions {
  /** When true, computes `C ← C + A B` instead of overwriting `C`. */
  readonly accumulate?: boolean;
}

/**
 * Binary64 matrix product on column-major arrays: returns a new `C = A B` with `A` m×k, `B` k×n
 * (entry `(i, j)` of an `r`-row matrix is at `i + j r`).
 */
export function gemmF64(m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const c = new Float64Array(Number.isSafeInteger(m * n) && m >= 0 && n >= 0 ? m * n : 0);
  gemmF64Into(m, n, k, a, b, c);
  return c;
}

/**
 * `C = A B` (or `C ← C + A B` with `accumulate`) into a caller-owned column-major `C` of length
 * `m·n`, with `A` m×k and `B` k×n column-major. `C` must not alias `A` or `B`.
 * Throws `RangeError` when a dimension is not a non-negative integer or an array is too short.
 */
export function gemmF64Into(
  m: number,
  n: number,
  k: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: Float64Array,
  options: GemmOptions = {},
): void {
  gemm(false, false, m, n, k, 1, a, b, options.accumulate === true ? 1 : 0, c, 'gemmF64');
}
