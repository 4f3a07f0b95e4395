/**
 * The float64 BLAS-style entry points every binary64 path calls; they check their arguments and run
 * on the active kernel ({@link activeKernel}). Products of at most {@link SMALL_WORK} multiply–adds
 * run in JavaScript (crossing into native code or WebAssembly costs more than they do); the
 * rounding bound of `kernel.ts` holds either way. The dense decompositions
 * ({@link kernelSymmetricEigen}, {@link kernelSvd}) run on the active kernel's LAPACK when it has
 * one and the problem is larger than {@link SMALL_DECOMPOSITION_WORK}; otherwise they return
 * `undefined` and `src/linalg` runs its JavaScript solvers.
 */
import { jsGemm, jsGemv } from './js-kernel.js';
import { activeKernel } from './registry.js';

/** Products with at most this many multiply–adds (`m·n·k`) run in JavaScript. */
export const SMALL_WORK = 16 * 16 * 16;

/**
 * Decompositions of at most this size (`n³` for an `n × n` eigenproblem, `m·n·min(m, n)` for an SVD)
 * run in JavaScript whatever the kernel: up to about 24 rows the call into LAPACK (copies, workspace)
 * costs about what the JavaScript solvers do (measured 20–300 µs either way), and small results —
 * Ritz values of short Lanczos runs, the Hessians of derivation documents — then do not depend on
 * the kernel at all.
 */
export const SMALL_DECOMPOSITION_WORK = 24 * 24 * 24;

function checkDim(fn: string, name: string, d: number): void {
  if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`${fn}: ${name} = ${d} is not a non-negative integer`);
}

function checkLength(fn: string, what: string, have: number, rows: number, cols: number): void {
  if (have < rows * cols) throw new RangeError(`${fn}: ${what} has ${have} entries, expected ${rows}×${cols} = ${rows * cols}`);
}

const asF64 = (x: ArrayLike<number>): Float64Array => (x instanceof Float64Array ? x : Float64Array.from(x));

/**
 * `C ← α op(A) op(B) + β C` on column-major arrays: `op(A)` m×k (`A` stored m×k, or k×m when
 * `transA`), `op(B)` k×n (`B` stored k×n, or n×k when `transB`), `C` m×n. With `β = 0`, `C` is
 * overwritten and not read. `C` must not alias `A` or `B`. Throws `RangeError` when a dimension is
 * not a non-negative integer or an array is too short. Rounding: see `kernel.ts`.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  beta: number,
  c: Float64Array,
  fn = 'gemm',
): void {
  checkDim(fn, 'm', m);
  checkDim(fn, 'n', n);
  checkDim(fn, 'k', k);
  checkLength(fn, 'A', a.length, transA ? k : m, transA ? m : k);
  checkLength(fn, 'B', b.length, transB ? n : k, transB ? k : n);
  checkLength(fn, 'C', c.length, m, n);
  if (m === 0 || n === 0) return;
  if (m * n * k <= SMALL_WORK) {
    jsGemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    return;
  }
  activeKernel().gemm(transA, transB, m, n, k, alpha, asF64(a), asF64(b), beta, c);
}

/**
 * `y ← α op(A) x + β y` with `A` stored m×n column-major; `op(A) = Aᵀ` when `trans` (then `x` has m
 * entries and `y` n). With `V` of orthonormal columns, `gemv(true, …)` is `Vᵀw` and
 * `gemv(false, …)` is `V c`, the two products of Lanczos reorthogonalisation.
 */
export function gemv(trans: boolean, m: number, n: number, alpha: number, a: ArrayLike<number>, x: ArrayLike<number>, beta: number, y: Float64Array): void {
  checkDim('gemv', 'm', m);
  checkDim('gemv', 'n', n);
  checkLength('gemv', 'A', a.length, m, n);
  checkLength('gemv', 'x', x.length, trans ? m : n, 1);
  checkLength('gemv', 'y', y.length, trans ? n : m, 1);
  if (m * n <= SMALL_WORK) {
    jsGemv(trans, m, n, alpha, a, x, beta, y);
    return;
  }
  activeKernel().gemv(trans, m, n, alpha, asF64(a), asF64(x), beta, y);
}

/** A symmetric eigen-decomposition computed by the active kernel's LAPACK. */
export interface KernelEigen {
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors, column-major `n × n` (column `k` for `values[k]`, signs arbitrary), or `null` when not asked for. */
  readonly vectors: Float64Array | null;
  /** The library that ran it (the kernel's `F64Kernel.lapack`, e.g. `OpenBLAS 0.3.21`). */
  readonly source: string;
}

/**
 * Eigenvalues (ascending) and, with `vectors`, orthonormal eigenvectors of the symmetric `n × n`
 * matrix `a` (column-major, finite; only its lower triangle is read; not modified) on the active
 * kernel; `undefined` when that kernel has no dense eigensolver or `n³ ≤ SMALL_DECOMPOSITION_WORK`.
 * Threads: the kernel's setting.
 * Throws `KernelConvergenceError` (from `kernel.ts`) when LAPACK does not converge.
 */
export function kernelSymmetricEigen(n: number, a: ArrayLike<number>, vectors: boolean): KernelEigen | undefined {
  checkDim('symmetricEigen', 'n', n);
  checkLength('symmetricEigen', 'A', a.length, n, n);
  const k = activeKernel();
  if (k.symmetricEigen === undefined || n * n * n <= SMALL_DECOMPOSITION_WORK) return undefined;
  const work = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) work[i] = a[i] as number;
  const values = new Float64Array(n);
  k.symmetricEigen(vectors, n, work, values);
  return { values, vectors: vectors ? work : null, source: k.lapack ?? k.description };
}

/** A thin singular value decomposition computed by the active kernel's LAPACK. */
export interface KernelSvd {
  /** The `min(m, n)` singular values, descending. */
  readonly s: Float64Array;
  /** `U`, `m × r` column-major, or `null` when not asked for. */
  readonly u: Float64Array | null;
  /** `Vᵀ`, `r × n` column-major, or `null` when not asked for. */
  readonly vt: Float64Array | null;
  /** The library that ran it (the kernel's `F64Kernel.lapack`, e.g. `OpenBLAS 0.3.21`). */
  readonly source: string;
}

/**
 * Singular values (descending) and, with `vectors`, the thin factors `U` (`m × r`) and `Vᵀ`
 * (`r × n`), `r = min(m, n)`, of the `m × n` matrix `a` (column-major, finite; not modified) on the
 * active kernel; `undefined` when that kernel has no SVD or `m·n·min(m, n) ≤ SMALL_DECOMPOSITION_WORK`.
 * Threads: the kernel's setting. Throws
 * `KernelConvergenceError` when LAPACK does not converge.
 */
export function kernelSvd(m: number, n: number, a: ArrayLike<number>, vectors: boolean): KernelSvd | undefined {
  checkDim('svd', 'm', m);
  checkDim('svd', 'n', n);
  checkLength('svd', 'A', a.length, m, n);
  const k = activeKernel();
  const r = Math.min(m, n);
  if (k.svd === undefined || m * n * r <= SMALL_DECOMPOSITION_WORK) return undefined;
  const work = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) work[i] = a[i] as number;
  const s = new Float64Array(r);
  const u = new Float64Array(vectors ? m * r : 0);
  const vt = new Float64Array(vectors ? r * n : 0);
  k.svd(vectors, m, n, work, s, u, vt);
  return { s, u: vectors ? u : null, vt: vectors ? vt : null, source: k.lapack ?? k.description };
}
