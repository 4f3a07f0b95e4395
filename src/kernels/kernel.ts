/**
 * The float64 kernel interface every binary64 path of dln-hessian runs on: a BLAS-style general
 * matrix product with transposes and `α, β`, and a matrix–vector product (the Gram products `Vᵀw`
 * and `Vc` of Lanczos reorthogonalisation are `gemv` with and without the transpose).
 *
 * Storage is column-major and dense: an operand stored `r × s` has leading dimension `r` (entry
 * `(i, j)` at `i + j r`). `op(X)` is `X` or `Xᵀ`.
 *
 * Rounding (every kernel): each entry of `op(A) op(B)` is a sum of the same `k` products as the
 * textbook formula in some order (blocked, vectorised or threaded), so
 * `|Ĉ − C| ≤ γ_k |α| |op(A)| |op(B)| + u |β C| + u |result|` entry-wise with `u = 2⁻⁵³` and
 * `γ_k = k u / (1 − k u)` (the last two terms are the roundings of `β C` and of the final sum; both
 * vanish for `α = 1, β ∈ {0, 1}` apart from the one addition to `C`). Two kernels therefore agree to
 * within twice that bound, which is the only way results may depend on the kernel.
 * With `β = 0`, `C` is overwritten and never read (NaN in `C` does not propagate), as in BLAS.
 *
 * Dense decompositions (optional: the native kernel has them when the system BLAS exports LAPACK;
 * otherwise `src/linalg` runs its JavaScript solvers). Both are backward stable (LAPACK Users'
 * Guide §4.7, §4.9): the computed eigenvalues are exact for `A + E`, the singular values exact for
 * `A + E`, with `‖E‖₂ ≤ p(n) u ‖A‖₂` for a modestly growing `p(n)` (the a-priori proof gives
 * `O(n²)`, `O(n)` is what is observed; see docs/performance.md), so each eigenvalue / singular value
 * is off by at most `‖E‖₂` (Weyl); eigenvectors are orthonormal to `O(n u)` and satisfy
 * `‖A V − V Λ‖ = O(n u ‖A‖₂)`.
 */

/** The kernels, fastest first. */
export const KERNEL_NAMES = ['native', 'wasm', 'js'] as const;
/** `native`: the system BLAS through a Node addon; `wasm`: WebAssembly SIMD; `js`: the JavaScript reference. */
export type KernelName = (typeof KERNEL_NAMES)[number];

export interface F64Kernel {
  readonly name: KernelName;
  /** One line: what runs underneath (e.g. the BLAS build). */
  readonly description: string;
  /** Largest thread count the kernel can use (1 for a single-threaded kernel). */
  readonly maxThreads: number;
  /** Threads the kernel uses from now on, clamped to `[1, maxThreads]`. */
  setThreads(n: number): void;
  /** Threads the kernel uses now. */
  threads(): number;
  /**
   * `C ← α op(A) op(B) + β C` with `op(A)` m×k, `op(B)` k×n, `C` m×n (all column-major; `A` stored
   * m×k, or k×m when `transA`; `B` stored k×n, or n×k when `transB`). `C` must not alias `A` or `B`.
   * Arguments are checked by the caller ({@link gemm} in `dispatch.ts`).
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void;
  /** `y ← α op(A) x + β y` with `A` stored m×n; `op(A) = Aᵀ` when `trans` (then `x` has m entries, `y` n). */
  gemv(trans: boolean, m: number, n: number, alpha: number, a: Float64Array, x: Float64Array, beta: number, y: Float64Array): void;
  /**
   * The library the dense decompositions below come from (e.g. `OpenBLAS 0.3.21`: LAPACK `dsyevd`
   * and `dgesdd`); absent when the kernel has none.
   */
  readonly lapack?: string;
  /**
   * Eigenvalues, ascending, into `w` (`n` entries) of the symmetric `n × n` matrix `a` (column-major;
   * only the lower triangle is read). With `vectors`, `a` is overwritten by orthonormal eigenvectors
   * (column `k` for `w[k]`, signs arbitrary); otherwise its contents are destroyed. Throws
   * {@link KernelConvergenceError} when the iteration does not converge. Entries must be finite.
   */
  symmetricEigen?(vectors: boolean, n: number, a: Float64Array, w: Float64Array): void;
  /**
   * Singular values, descending, into `s` (`r = min(m, n)` entries) of the `m × n` matrix `a`
   * (column-major; destroyed). With `vectors`, the thin factors: `u` (`m × r`) and `vt` (`r × n`),
   * column-major, with `a = u diag(s) vt` (signs arbitrary, paired); without, `u` and `vt` are not
   * touched. Throws {@link KernelConvergenceError} when the iteration does not converge.
   */
  svd?(vectors: boolean, m: number, n: number, a: Float64Array, s: Float64Array, u: Float64Array, vt: Float64Array): void;
}

/** A kernel's dense eigensolver or SVD did not converge (LAPACK `INFO > 0`); callers fall back to JavaScript. */
export class KernelConvergenceError extends Error {
  override readonly name = 'KernelConvergenceError';
}
