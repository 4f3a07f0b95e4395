/**
 * The native float64 kernel: the system OpenBLAS (`cblas_dgemm`, `cblas_dgemv`,
 * `openblas_set_num_threads`, and LAPACK's `dsyevd` and `dgesdd` when the library exports them) through the Node-API addon `src/kernels/native/dln_blas.c`, compiled at
 * install by `src/kernels/native/build.cjs` against the headers of the Node on the machine. Optional:
 * when the addon was not built or does not load, {@link loadNativeKernel} throws and the registry
 * moves on to the next kernel.
 */
import { join } from 'node:path';
import { KernelConvergenceError, type F64Kernel } from './kernel.js';
import { packageRoot } from './package-root.js';

/** What the addon exports (see dln_blas.c). */
interface BlasAddon {
  dgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void;
  dgemv(trans: boolean, m: number, n: number, alpha: number, a: Float64Array, x: Float64Array, beta: number, y: Float64Array): void;
  setThreads(n: number): void;
  getThreads(): number;
  config(): string;
  /** "dsyevd dgesdd" when the BLAS library exports them, else "" (absent in builds before LAPACK). */
  lapack?(): string;
  /** LAPACK's INFO. */
  dsyevd?(vectors: boolean, n: number, a: Float64Array, w: Float64Array): number;
  dgesdd?(vectors: boolean, m: number, n: number, a: Float64Array, s: Float64Array, u: Float64Array, vt: Float64Array): number;
}

function converged(routine: string, info: number): void {
  if (info !== 0) throw new KernelConvergenceError(`LAPACK ${routine} did not converge (INFO = ${info})`);
}

/** The LAPACK half of the kernel, when the addon has it and the library exports the routines. */
function lapackPart(addon: BlasAddon, config: string): Pick<F64Kernel, 'lapack' | 'symmetricEigen' | 'svd'> {
  const { dsyevd, dgesdd } = addon;
  if (typeof addon.lapack !== 'function' || typeof dsyevd !== 'function' || typeof dgesdd !== 'function') return {};
  if (addon.lapack().trim() === '') return {};
  return {
    lapack: config.split(' ').slice(0, 2).join(' ') || 'the system BLAS',
    symmetricEigen: (vectors, n, a, w) => converged('dsyevd', dsyevd(vectors, n, a, w)),
    svd: (vectors, m, n, a, s, u, vt) => converged('dgesdd', dgesdd(vectors, m, n, a, s, u, vt)),
  };
}

/** Where the addon is: `DLN_NATIVE_ADDON`, else `src/kernels/native/build/dln_blas.node` in the package. */
export function nativeAddonPath(): string {
  const env = process.env.DLN_NATIVE_ADDON;
  if (env !== undefined && env !== '') return env;
  const root = packageRoot();
  if (root === undefined) throw new Error('no package folder to load the addon from');
  return join(root, 'src', 'kernels', 'native', 'build', 'dln_blas.node');
}

/**
 * Loads the native kernel. `maxThreads` is the largest thread count it will be asked to use (the
 * registry passes the available cores). Throws an `Error` saying why when the addon is missing or
 * does not load.
 */
export function loadNativeKernel(maxThreads: number): F64Kernel {
  const path = nativeAddonPath();
  let addon: BlasAddon;
  try {
    // A compiled addon can only be loaded by require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    addon = require(path) as BlasAddon;
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new Error(
      code === 'MODULE_NOT_FOUND'
        ? `addon not built (${path} is missing: needs a C compiler, the Node headers and libopenblas-dev at install; rebuild with \`node src/kernels/native/build.cjs\`)`
        : `addon does not load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  for (const f of ['dgemm', 'dgemv', 'setThreads', 'getThreads', 'config'] as const) {
    if (typeof addon[f] !== 'function') throw new Error(`addon at ${path} lacks ${f}() (stale build? rebuild with \`node src/kernels/native/build.cjs\`)`);
  }
  const cap = Math.max(1, Math.floor(maxThreads));
  const config = addon.config().trim();
  return {
    name: 'native',
    description: `system BLAS: ${config}`,
    maxThreads: cap,
    setThreads: (n) => addon.setThreads(Math.min(cap, Math.max(1, Math.floor(n)))),
    threads: () => addon.getThreads(),
    gemm: (ta, tb, m, n, k, alpha, a, b, beta, c) => addon.dgemm(ta, tb, m, n, k, alpha, a, b, beta, c),
    gemv: (t, m, n, alpha, a, x, beta, y) => addon.dgemv(t, m, n, alpha, a, x, beta, y),
    ...lapackPart(addon, config),
  };
}
