/**
 * The one entry point for a few extreme eigenpairs of a symmetric binary64 operator, and the one
 * result type that says how they were obtained. "Dense when small, else Krylov" is decided here:
 *
 * - `'dense'`: the full decomposition ({@link symmetricEigen}) of the dense matrix (given, or built
 *   from `n` products) when `n ≤ denseUpTo`;
 * - `'lanczos'`: {@link lanczos} (full reorthogonalisation, block size `k` or the number of start
 *   vectors, O(p) tridiagonal convergence test, true residuals decide);
 * - `'block-lanczos'`: {@link blockTopEigenpairs} (block size `k + 2` by default, thick restart,
 *   block products through the operator's `matmat`), which also wants the `(k+1)`-th pair converged
 *   so that the gap `λ_k − λ_{k+1}` of a top-`k` subspace is known;
 * - `'kronecker'`: closed forms for Kronecker products (`structure/top-eigen.ts`), same type.
 *
 * Measured on the bench's N = 4, d = 256 minimizer (docs/sharpness.md, "Extreme eigenpairs"): for one
 * pair the single-vector recurrence needs about half the products of the thick-restart block
 * solver at any block size, so `'lanczos'` is the default; the block solver is the choice for a
 * top-`k` subspace with its gap, and for operators whose block product is cheaper than `b` products.
 */
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { ShapeError, type Matrix } from '../linalg/matrix.js';
import { norm2 } from '../linalg/vectors.js';
import { applyBlock, type LinearOperator } from '../linop/linear-operator.js';
import { blockTopEigenpairs } from './block-eigen.js';
import { lanczos } from './lanczos.js';

/** How eigenpairs were obtained. */
export type EigenMethod = 'dense' | 'lanczos' | 'block-lanczos' | 'kronecker';

/** Largest dimension diagonalised densely by default ({@link TopEigenpairsOptions.denseUpTo}). */
export const DEFAULT_DENSE_UP_TO = 400;

/** Options of {@link topEigenpairs}. */
export interface TopEigenpairsOptions {
  /** Number of pairs wanted (default 1). */
  readonly k?: number;
  /** Which end of the spectrum (default `'largest'`). */
  readonly which?: 'largest' | 'smallest';
  /**
   * Residual tolerance (default `1e-10`): a pair `(θ, v)` is accepted when the true residual
   * `‖Av − θv‖ ≤ max(tol·s, 64√n·ε·‖A‖)` with `s` from {@link relativeTo}.
   */
  readonly tolerance?: number;
  /** `s` of the tolerance: each pair's `|θ|` (`'eigenvalue'`, default) or the estimate of `‖A‖` (`'norm'`). */
  readonly relativeTo?: 'eigenvalue' | 'norm';
  /**
   * `'residual'` (default): the residual test above. `'eigenvalue'` (Lanczos only) also accepts
   * `‖r‖²/gap ≤ tol·s` with `‖r‖ ≤ √tol·s`, `gap` the distance to the nearest unwanted Ritz value
   * (eigenvalues to about `tol`, vectors to about `√tol`, in fewer products; see {@link lanczos}).
   */
  readonly accuracy?: 'residual' | 'eigenvalue';
  /** Seed of the random start vectors (default 0). */
  readonly seed?: number;
  /** Warm start: vectors placed first in the start block (e.g. the previous point's eigenvector). */
  readonly start?: readonly ArrayLike<number>[];
  /** Largest dimension solved densely (default {@link DEFAULT_DENSE_UP_TO}; 0: never). */
  readonly denseUpTo?: number;
  /** The dense matrix when it is cheaper than `n` products (e.g. a closed-form Hessian). */
  readonly dense?: () => Matrix<number>;
  /** Krylov solver above `denseUpTo` (default `'lanczos'`). */
  readonly solver?: 'lanczos' | 'block-lanczos';
  /** Block Lanczos: whether the `(k+1)`-th pair must converge too, so that the gap `λ_k − λ_{k+1}` is known (default true). */
  readonly convergeNext?: boolean;
  /** Block size (Lanczos: default `k`, at least the number of start vectors; block Lanczos: default `k + 2`). */
  readonly blockSize?: number;
  /** Budget of main-loop operator products (Lanczos: its basis size, default `min(n, 300)`; block: default `max(1200, 60k)`). */
  readonly maxMatvecs?: number;
  /** Progress `(done, max)` after each product, for a progress line. */
  readonly onProgress?: (done: number, max: number) => void;
}

/** A few extreme eigenpairs and how they were obtained. */
export interface TopEigenpairs {
  /** Eigenvalues, the wanted end first (largest first for `'largest'`, smallest first for `'smallest'`). */
  readonly values: number[];
  /** Unit eigenvectors, `vectors[i]` for `values[i]`. */
  readonly vectors: Float64Array[];
  /**
   * Residuals `‖A v_i − λ_i v_i‖₂` computed from products with the operator (or the dense matrix,
   * or the Kronecker factors), never estimated.
   */
  readonly residuals: number[];
  /** The next eigenvalue past the wanted ones (`λ_{k+1}`; a Ritz value, from inside the spectrum, for Krylov methods), `null` when unknown (`k = n`). */
  readonly next: number | null;
  readonly which: 'largest' | 'smallest';
  readonly method: EigenMethod;
  /** The method in words (algorithm, block size, tolerance). */
  readonly description: string;
  /** Whether every wanted pair met the tolerance (always for `'dense'` and `'kronecker'`). */
  readonly converged: boolean;
  /** Krylov basis vectors (Lanczos), restart cycles (block Lanczos), 0 for dense and closed forms. */
  readonly iterations: number;
  /** All products with the operator (including those that built a dense matrix and the residual checks). */
  readonly matvecs: number;
  /** The residual tolerance of an iterative method, `null` for dense and closed forms (exact up to rounding). */
  readonly tolerance: number | null;
  readonly relativeTo: 'eigenvalue' | 'norm';
  readonly accuracy: 'residual' | 'eigenvalue';
  /** Whether start vectors were given (and used). */
  readonly warmStarted: boolean;
  /** Seed of the random start vectors, `null` when none were drawn. */
  readonly seed: number | null;
}

/** The fields of a {@link TopEigenpairs} obtained without iteration (dense decomposition, closed form). */
export const DIRECT_SOLUTION = {
  converged: true,
  iterations: 0,
  matvecs: 0,
  tolerance: null,
  relativeTo: 'eigenvalue',
  accuracy: 'residual',
  warmStarted: false,
  seed: null,
} as const satisfies Partial<TopEigenpairs>;

/** `‖A v − λ v‖₂` for column-major dense `A`. */
function denseResidual(A: Matrix<number>, lambda: number, v: Float64Array): number {
  const n = A.rows;
  const r = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const vj = v[j] as number;
    if (vj === 0) continue;
    for (let i = 0; i < n; i++) r[i] = (r[i] as number) + (A.data[i + j * n] as number) * vj;
  }
  for (let i = 0; i < n; i++) r[i] = (r[i] as number) - lambda * (v[i] as number);
  return norm2(r);
}

/** `‖A v − λ v‖₂` with one product. */
export function operatorResidual(op: LinearOperator<number>, lambda: number, v: Float64Array): number {
  const Av = applyBlock(op, v, 1);
  for (let i = 0; i < Av.length; i++) Av[i] = (Av[i] as number) - lambda * (v[i] as number);
  return norm2(Av);
}

/**
 * The `k` extreme eigenpairs of a dense symmetric matrix by its full decomposition, with residuals
 * computed from `H` itself.
 */
export function topDenseEigenpairs(H: Matrix<number>, k: number, which: 'largest' | 'smallest' = 'largest'): TopEigenpairs {
  const D = H.rows;
  if (H.cols !== D) throw new ShapeError(`topDenseEigenpairs: the matrix is ${H.rows}×${H.cols}, not square`);
  if (!Number.isInteger(k) || k < 1 || k > D) throw new RangeError(`topDenseEigenpairs: k must be an integer in [1, ${D}], got ${k}`);
  const e = symmetricEigen(H);
  const idx = Array.from({ length: k }, (_, t) => (which === 'largest' ? D - 1 - t : t));
  const values = idx.map((i) => e.values[i] as number);
  const vectors = idx.map((i) => Float64Array.from(e.vectors.data.slice(i * D, (i + 1) * D)));
  return {
    values,
    vectors,
    residuals: vectors.map((v, t) => denseResidual(H, values[t] as number, v)),
    next: D > k ? (e.values[which === 'largest' ? D - 1 - k : k] as number) : null,
    which,
    method: 'dense',
    description: `dense symmetric eigendecomposition, ${D}×${D}: ${e.method}`,
    ...DIRECT_SOLUTION,
  };
}

/** `−A` (for the smallest end of a solver that finds the largest). */
function negated(op: LinearOperator<number>): LinearOperator<number> {
  const neg = (x: Float64Array): Float64Array => {
    for (let i = 0; i < x.length; i++) x[i] = -(x[i] as number);
    return x;
  };
  return {
    field: op.field,
    shape: op.shape,
    symmetric: op.symmetric,
    label: `−(${op.label})`,
    matvec: (v) => op.matvec(v).map((x) => -x),
    matmat: (V, b) => neg(applyBlock(op, V, b)),
  };
}

/**
 * The `k` extreme eigenpairs of a symmetric binary64 operator (see the module comment for the
 * methods). Acceptance always rests on true residuals `‖Av − θv‖` against the stated tolerance; a
 * run that spends its budget first says `converged: false` with the residuals it reached.
 *
 * @throws ShapeError when the operator is not square or a start vector has the wrong length.
 * @throws RangeError when the operator is not flagged symmetric, or on invalid options.
 */
export function topEigenpairs(op: LinearOperator<number>, options: TopEigenpairsOptions = {}): TopEigenpairs {
  const [rows, cols] = op.shape;
  if (rows !== cols) throw new ShapeError(`topEigenpairs: the operator "${op.label}" is ${rows}×${cols}, not square`);
  if (!op.symmetric) throw new RangeError(`topEigenpairs: the operator "${op.label}" is not flagged symmetric`);
  const n = rows;
  const k = options.k ?? 1;
  const which = options.which ?? 'largest';
  const tol = options.tolerance ?? 1e-10;
  const relativeTo = options.relativeTo ?? 'eigenvalue';
  const accuracy = options.accuracy ?? 'residual';
  const seed = options.seed ?? 0;
  const denseUpTo = options.denseUpTo ?? DEFAULT_DENSE_UP_TO;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`topEigenpairs: k must be an integer in [1, ${n}], got ${k}`);
  if (which !== 'largest' && which !== 'smallest') throw new RangeError(`topEigenpairs: which must be 'largest' or 'smallest', got ${String(which)}`);
  if (!(tol > 0)) throw new RangeError(`topEigenpairs: tolerance must be positive, got ${tol}`);
  if (!(denseUpTo >= 0)) throw new RangeError(`topEigenpairs: denseUpTo must be non-negative, got ${denseUpTo}`);
  const starts = (options.start ?? []).filter((s) => s.length > 0);
  for (const s of starts) if (s.length !== n) throw new ShapeError(`topEigenpairs: a start vector has ${s.length} entries, expected ${n}`);

  if (n <= denseUpTo) {
    let matvecs = 0;
    let H: Matrix<number>;
    if (options.dense !== undefined) H = options.dense();
    else {
      const data = new Array<number>(n * n);
      const e = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        e[j] = 1;
        const col = applyBlock(op, e, 1);
        for (let i = 0; i < n; i++) data[i + j * n] = col[i] as number;
        e[j] = 0;
      }
      matvecs = n;
      H = { rows: n, cols: n, data };
    }
    const r = topDenseEigenpairs(H, k, which);
    // Residuals against the operator itself (the dense matrix may come from another formula).
    const residuals = r.vectors.map((v, t) => operatorResidual(op, r.values[t] as number, v));
    return { ...r, residuals, matvecs: matvecs + k };
  }

  const solver = options.solver ?? 'lanczos';
  if (solver === 'block-lanczos') {
    const target = which === 'largest' ? op : negated(op);
    const sign = which === 'largest' ? 1 : -1;
    const res = blockTopEigenpairs(target, {
      k,
      blockSize: Math.min(n, options.blockSize ?? k + 2),
      seed,
      tolerance: tol,
      relativeTo,
      ...(options.convergeNext !== undefined ? { convergeNext: options.convergeNext } : {}),
      ...(starts.length > 0 ? { start: starts } : {}),
      ...(options.maxMatvecs !== undefined ? { maxMatvecs: options.maxMatvecs } : {}),
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
    return {
      values: res.values.map((x) => sign * x),
      vectors: res.vectors,
      residuals: res.residuals,
      next: res.next === null ? null : sign * res.next,
      which,
      method: 'block-lanczos',
      description: res.method,
      converged: res.converged,
      iterations: res.cycles,
      matvecs: res.matvecs,
      tolerance: tol,
      relativeTo,
      accuracy: 'residual',
      warmStarted: starts.length > 0,
      seed,
    };
  }
  if (solver !== 'lanczos') throw new RangeError(`topEigenpairs: solver must be 'lanczos' or 'block-lanczos', got ${String(solver)}`);
  const progress = options.onProgress;
  const r = lanczos(op, {
    k,
    which,
    tolerance: tol,
    relativeTo,
    accuracy,
    seed,
    ...(options.blockSize !== undefined ? { blockSize: options.blockSize } : {}),
    ...(options.maxMatvecs !== undefined ? { maxIterations: Math.max(k, Math.min(n, options.maxMatvecs)) } : {}),
    ...(starts.length > 0 ? { start: starts } : {}),
    ...(progress !== undefined ? { onIteration: progress } : {}),
  });
  return {
    values: r.eigenvalues,
    vectors: r.eigenvectors.map((v) => new Float64Array(v)),
    residuals: r.residuals,
    next: r.next,
    which,
    method: 'lanczos',
    description: r.method,
    converged: r.converged,
    iterations: r.iterations,
    matvecs: r.matvecs,
    tolerance: tol,
    relativeTo,
    accuracy,
    warmStarted: starts.length > 0,
    seed,
  };
}
