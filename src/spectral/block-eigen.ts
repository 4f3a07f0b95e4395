/**
 * Top eigenpairs of a large symmetric operator by restarted block Krylov iteration (block Lanczos
 * with thick restart on Ritz vectors), in binary64, with every bulk operation a dense product
 * ({@link gemmF64Into}).
 *
 The basis `V = [V_0, V_1, …]` (orthonormal, `D × m`) grows by `V_{j+1} ⟂ V` from `H V_j`,
 * keeping `HV = H V` (one block product per block); every few blocks a Rayleigh–Ritz step
 * `T = Vᵀ (HV)`, `T y = θ y` gives Ritz vectors `x = V y` whose residuals `‖(HV) y − θ V y‖` come
 * from the stored products (no extra products). When the basis is full the next cycle starts from
 * the top `b` Ritz vectors and their known products (a thick restart). A pair is accepted when
 * `‖H x − θ x‖ ≤ tol · max(|θ_1|, ‖H‖_est)`; it stops when the wanted pairs all pass or the product
 * budget is spent (then `converged: false` and the residuals say how far it got).
 */
import { maxOf } from '../linalg/extrema.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { gemmF64Into } from '../linalg/gemm-f64.js';
import { mulberry32 } from '../random/mulberry32.js';
import { applyBlock, type LinearOperator } from '../linop/linear-operator.js';

/** Options of {@link blockTopEigenpairs}. */
export interface BlockEigenOptions {
  /** Wanted pairs (the largest), at least 1. */
  readonly k: number;
  /** Block size (default `k + 4`, at most `D`). */
  readonly blockSize?: number;
  /** Largest basis before a thick restart (default 480 vectors). */
  readonly maxBasis?: number;
  /** Rayleigh–Ritz check every this many blocks (default 3). */
  readonly checkEvery?: number;
  /** Relative residual tolerance (default 1e-7), relative to the largest |Ritz value| (see {@link relativeTo}). */
  readonly tolerance?: number;
  /**
   * What the tolerance is relative to (default `'norm'`): the largest |Ritz value| (an estimate of
   * `‖H‖`, right for a top-`k` subspace), or `'eigenvalue'`: each pair's own `|θ|`.
   */
  readonly relativeTo?: 'norm' | 'eigenvalue';
  /**
   * Whether the `(k+1)`-th Ritz pair must converge too (default true), so that the gap
   * `λ_k − λ_{k+1}` of the top-`k` subspace is known; `false` for the wanted values alone.
   */
  readonly convergeNext?: boolean;
  /** Called after each block product with `(products so far, product budget)`, for progress output. */
  readonly onProgress?: (matvecs: number, maxMatvecs: number) => void;
  /** Product budget (default `max(1200, 60 k)`). */
  readonly maxMatvecs?: number;
  /** Seed of the random start (default 0). */
  readonly seed?: number;
  /** Start vectors (e.g. from an approximation); completed with random ones. */
  readonly start?: readonly ArrayLike<number>[];
}

/** The outcome of {@link blockTopEigenpairs}. */
export interface BlockEigenResult {
  /** The `k` largest Ritz values, descending. */
  readonly values: number[];
  readonly vectors: Float64Array[];
  /** True residuals `‖H x − θ x‖` (from stored products). */
  readonly residuals: number[];
  /** The `(k+1)`-th Ritz value (a lower estimate of `λ_{k+1}`), `null` when the basis has only `k` vectors. */
  readonly next: number | null;
  readonly converged: boolean;
  readonly matvecs: number;
  readonly cycles: number;
  readonly tolerance: number;
  readonly method: string;
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) t[j + cols * i] = a[i + rows * j] as number;
  return t;
}

/**
 * Orthonormalises the `b` columns of `W` (`D × b`) against the `m` orthonormal columns of `V` and
 * among themselves (block classical Gram–Schmidt twice, then modified Gram–Schmidt within the
 * block). A column that vanishes (an invariant subspace was reached) is replaced by a random one.
 */
function orthonormalizeBlock(W: Float64Array, D: number, b: number, V: Float64Array, m: number, rand: () => number): void {
  if (m > 0) {
    for (let pass = 0; pass < 2; pass++) {
      // C = Vᵀ W, computed as (Wᵀ V)ᵀ so that only the small block is transposed.
      const Ct = new Float64Array(b * m);
      gemmF64Into(b, m, D, transpose(W, D, b), V.subarray(0, D * m), Ct);
      const C = transpose(Ct, b, m);
      for (let k = 0; k < m * b; k++) C[k] = -(C[k] as number);
      gemmF64Into(D, b, m, V.subarray(0, D * m), C, W, { accumulate: true });
    }
  }
  for (let j = 0; j < b; j++) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const col = W.subarray(D * j, D * (j + 1));
      let before = 0;
      for (let i = 0; i < D; i++) before += (col[i] as number) ** 2;
      before = Math.sqrt(before);
      for (let pass = 0; pass < 2; pass++) {
        for (let l = 0; l < j; l++) {
          const u = W.subarray(D * l, D * (l + 1));
          let c = 0;
          for (let i = 0; i < D; i++) c += (u[i] as number) * (col[i] as number);
          for (let i = 0; i < D; i++) col[i] = (col[i] as number) - c * (u[i] as number);
        }
      }
      let after = 0;
      for (let i = 0; i < D; i++) after += (col[i] as number) ** 2;
      after = Math.sqrt(after);
      if (after > 1e-10 * before && after > 0) {
        for (let i = 0; i < D; i++) col[i] = (col[i] as number) / after;
        break;
      }
      // Dependent: draw a random column and orthogonalise it against V (block pass) and the block.
      for (let i = 0; i < D; i++) col[i] = 2 * rand() - 1;
      if (m > 0) {
        const c = new Float64Array(m);
        gemmF64Into(1, m, D, col, V.subarray(0, D * m), c);
        for (let l = 0; l < m; l++) c[l] = -(c[l] as number);
        gemmF64Into(D, 1, m, V.subarray(0, D * m), c, col, { accumulate: true });
      }
    }
  }
}

/** The `k` largest eigenpairs of a symmetric block operator (see the module comment). */
export function blockTopEigenpairs(op: LinearOperator<number>, options: BlockEigenOptions): BlockEigenResult {
  const D = op.shape[0];
  const k = options.k;
  if (!Number.isInteger(k) || k < 1 || k > D) throw new RangeError(`blockTopEigenpairs: k must be an integer in [1, ${D}], got ${k}`);
  const b = Math.min(D, options.blockSize ?? k + 4);
  const maxBasis = Math.min(D, Math.max(2 * b, options.maxBasis ?? 480));
  const checkEvery = Math.max(1, options.checkEvery ?? 3);
  const tol = options.tolerance ?? 1e-7;
  const maxMatvecs = options.maxMatvecs ?? Math.max(1200, 60 * k);
  const rand = mulberry32(options.seed ?? 0);
  const relativeTo = options.relativeTo ?? 'norm';
  const method = `block Lanczos (block size ${b}, full reorthogonalisation by block Gram–Schmidt, basis up to ${maxBasis}, thick restart on Ritz vectors), Rayleigh–Ritz, binary64, relative residual tolerance ${tol}${relativeTo === 'eigenvalue' ? ' (relative to each |θ|)' : ' (relative to ‖H‖)'}`;
  /** The residual a pair `θ` may have: `tol` times its scale, not below the rounding floor. */
  const allowed = (theta: number, scale: number, floor: number): number => Math.max(tol * (relativeTo === 'eigenvalue' ? Math.abs(theta) : scale), floor);

  let X = new Float64Array(D * b);
  const start = options.start ?? [];
  for (let j = 0; j < b; j++) {
    const s = start[j];
    for (let i = 0; i < D; i++) X[i + D * j] = s !== undefined ? (s[i] as number) : 2 * rand() - 1;
  }
  orthonormalizeBlock(X, D, b, new Float64Array(0), 0, rand);
  let HX = applyBlock(op, X, b);
  let matvecs = b;
  let cycles = 0;
  const V = new Float64Array(D * maxBasis);
  const HV = new Float64Array(D * maxBasis);
  for (;;) {
    cycles++;
    V.set(X, 0);
    HV.set(HX, 0);
    let m = X.length / D;
    // T = Vᵀ H V, grown block by block (column blocks; symmetrised at each check).
    let T = new Float64Array(0);
    let tm = 0;
    let blocksSinceCheck = 0;
    let nextCheck = Math.max(m + checkEvery * b, 2 * b);
    for (;;) {
      const canGrow = m + b <= maxBasis && matvecs + b <= maxMatvecs && m + b <= D;
      if (canGrow && (m < nextCheck || blocksSinceCheck === 0)) {
        const W = HV.slice(D * (m - b), D * m);
        orthonormalizeBlock(W, D, b, V, m, rand);
        V.set(W, D * m);
        HV.set(applyBlock(op, W, b), D * m);
        matvecs += b;
        options.onProgress?.(matvecs, maxMatvecs);
        m += b;
        blocksSinceCheck++;
        continue;
      }
      blocksSinceCheck = 0;
      // Rayleigh–Ritz on span V[:, :m]: extend T by the new columns.
      const Tn = new Float64Array(m * m);
      for (let j = 0; j < tm; j++) for (let i = 0; i < tm; i++) Tn[i + m * j] = T[i + tm * j] as number;
      if (m > tm) {
        const w = m - tm;
        const newT = new Float64Array(w * m);
        gemmF64Into(w, m, D, transpose(HV.subarray(D * tm, D * m), D, w), V.subarray(0, D * m), newT);
        const newCols = transpose(newT, w, m);
        for (let j = tm; j < m; j++) for (let i = 0; i < m; i++) Tn[i + m * j] = newCols[i + m * (j - tm)] as number;
        for (let j = tm; j < m; j++) {
          for (let i = 0; i < tm; i++) Tn[j + m * i] = Tn[i + m * j] as number;
          for (let i = j + 1; i < m; i++) {
            const a = 0.5 * ((Tn[i + m * j] as number) + (Tn[j + m * i] as number));
            Tn[i + m * j] = a;
            Tn[j + m * i] = a;
          }
        }
      }
      T = Tn;
      tm = m;
      const eig = symmetricEigen({ rows: m, cols: m, data: Array.from(T) }, { symmetryTolerance: 0 });
      const keep = Math.min(b, m);
      const Y = new Float64Array(m * keep);
      const theta: number[] = [];
      for (let t = 0; t < keep; t++) {
        const idx = m - 1 - t;
        theta.push(eig.values[idx] as number);
        for (let i = 0; i < m; i++) Y[i + m * t] = eig.vectors.data[i + m * idx] as number;
      }
      const scaleEst = maxOf(eig.values.map(Math.abs));
      const extra = options.convergeNext === false ? 0 : 1;
      const wantEst = Math.min(k + extra, keep);
      const floorEst = 64 * Math.sqrt(D) * 2 ** -52 * scaleEst;
      if (canGrow && m < D) {
        // Cheap residual estimates: H V = V T + R with R nonzero only in the last block, so
        // ‖H x − θ x‖ = ‖R_last y_last‖; skip forming Ritz vectors while an estimate fails.
        const lb = Math.min(b, m);
        const Rl = HV.slice(D * (m - lb), D * m);
        const Tl = new Float64Array(m * lb);
        for (let j = 0; j < lb; j++) for (let i = 0; i < m; i++) Tl[i + m * j] = -(T[i + m * (m - lb + j)] as number);
        gemmF64Into(D, lb, m, V.subarray(0, D * m), Tl, Rl, { accumulate: true });
        const G = new Float64Array(lb * lb);
        gemmF64Into(lb, lb, D, transpose(Rl, D, lb), Rl, G);
        let pass = true;
        for (let t = 0; t < wantEst && pass; t++) {
          let e2 = 0;
          for (let j = 0; j < lb; j++) {
            let gj = 0;
            for (let i = 0; i < lb; i++) gj += (G[i + lb * j] as number) * (Y[m - lb + i + m * t] as number);
            e2 += gj * (Y[m - lb + j + m * t] as number);
          }
          if (Math.sqrt(Math.max(0, e2)) > allowed(theta[t] as number, scaleEst, floorEst)) pass = false;
        }
        if (!pass && matvecs + b <= maxMatvecs) {
          nextCheck = Math.max(m + b, Math.ceil(1.25 * m));
          continue;
        }
      }
      const Xn = new Float64Array(D * keep);
      gemmF64Into(D, keep, m, V.subarray(0, D * m), Y, Xn);
      const HXn = new Float64Array(D * keep);
      gemmF64Into(D, keep, m, HV.subarray(0, D * m), Y, HXn);
      const scale = maxOf(eig.values.map(Math.abs));
      const residuals: number[] = [];
      for (let t = 0; t < keep; t++) {
        let r = 0;
        const th = theta[t] as number;
        for (let i = 0; i < D; i++) r += ((HXn[i + D * t] as number) - th * (Xn[i + D * t] as number)) ** 2;
        residuals.push(Math.sqrt(r));
      }
      const want = Math.min(k + extra, keep);
      const floor = 64 * Math.sqrt(D) * 2 ** -52 * scale;
      const converged = residuals.slice(0, want).every((r, t) => r <= allowed(theta[t] as number, scale, floor)) || m >= D;
      const budgetLeft = matvecs + b <= maxMatvecs;
      if (converged || !budgetLeft) {
        return {
          values: theta.slice(0, k),
          vectors: Array.from({ length: k }, (_, t) => Xn.slice(D * t, D * (t + 1))),
          residuals: residuals.slice(0, k),
          next: keep > k ? (theta[k] as number) : null,
          converged,
          matvecs,
          cycles,
          tolerance: tol,
          method,
        };
      }
      nextCheck = Math.max(m + b, Math.ceil(1.25 * m));
      if (!canGrow) {
        // Basis full: thick restart from the top Ritz vectors and their known products.
        X = Xn;
        HX = HXn;
        break;
      }
    }
  }
}
