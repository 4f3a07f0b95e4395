import { toNumberArray } from '../kernels/arrays.js';
import { gemv } from '../kernels/dispatch.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { mulberry32 } from '../random/mulberry32.js';
import { norm2, norm2F64 } from '../linalg/vectors.js';
import { semiOrthogonalityTracker } from './semi-orthogonality.js';
import { tridiagonalEigenvalues, tridiagonalEigenvector } from './tridiagonal.js';
import { ShapeError } from '../linalg/matrix.js';
import type { LinearOperator } from '../linop/linear-operator.js';

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** Number of eigenpairs wanted (default 1). */
  readonly k?: number;
  /** Which end of the spectrum (default `'largest'`). */
  readonly which?: 'largest' | 'smallest';
  /**
   * Relative residual tolerance (default `1e-10`): a Ritz pair `(θ, v)` is accepted when
   * `‖Av − θv‖ ≤ max(tol·|θ|, 64·√n·ε·‖A‖)`, `ε = 2^-52`, `‖A‖` estimated by the largest |Ritz value|.
   * The second term is the rounding floor of a binary64 matrix–vector product; it only matters for
   * eigenvalues much smaller than `‖A‖` (e.g. the zero eigenvalues of a singular Hessian).
   */
  readonly tolerance?: number;
  /**
   * What the tolerance bounds (default `'residual'`). `'eigenvalue'` accepts a Ritz value once its
   * error estimate `‖r‖²/gap ≤ tol·|θ|` (with `gap` the distance to the nearest unwanted Ritz value,
   * the Kato–Temple/Saad bound with the gap estimated from the Ritz values) and `‖r‖ ≤ √tol·|θ|`:
   * eigenvalues to `tol` relative at far fewer products, eigenvectors only to about `√tol`.
   */
  readonly accuracy?: 'residual' | 'eigenvalue';
  /**
   * What the tolerance is relative to (default `'eigenvalue'`): each pair's own `|θ|`, or `'norm'`:
   * the estimate of `‖A‖` (the largest |Ritz value| and product norm seen), the right scale for
   * eigenvalues near zero or for a top-`k` subspace.
   */
  readonly relativeTo?: 'eigenvalue' | 'norm';
  /** Cap on the Krylov basis size, i.e. on main-loop products (default `min(n, 300)`, at least `k`). */
  readonly maxIterations?: number;
  /** Seed of the deterministic start (and restart) vectors (default 0). */
  readonly seed?: number;
  /**
   * Block size `b` (default `k`): the first `b` basis vectors are random and each new one comes from
   * `A` applied to the basis vector `b` places back. A block of size `b` finds an eigenvalue of
   * multiplicity up to `b` with all its copies, which a single Krylov sequence cannot (it only
   * sees the projection of its start vector onto each eigenspace).
   */
  readonly blockSize?: number;
  /**
   * Warm start: vectors placed first in the starting block (orthonormalised; dependent or zero ones are
   * replaced by random vectors), e.g. an eigenvector estimate from another method. The block size is at
   * least their number; the remaining block vectors stay random, so the Krylov space still explores.
   * Acceptance is unchanged: true residuals with fresh products.
   */
  readonly start?: readonly ArrayLike<number>[];
  /** Called after each main-loop product with `(iterations, maxIterations)`, for progress output (convergence usually comes earlier). */
  readonly onIteration?: (done: number, max: number) => void;
}

/** The outcome of {@link lanczos}: typed, with how it was obtained. */
export interface LanczosResult {
  /** `k` Ritz values: largest first for `'largest'`, smallest first for `'smallest'`. */
  readonly eigenvalues: number[];
  /** Unit Ritz vectors, `eigenvectors[i]` for `eigenvalues[i]`. */
  readonly eigenvectors: number[][];
  /** True residuals `‖A v_i − λ_i v_i‖₂`, computed with fresh products (not estimates). */
  readonly residuals: number[];
  /**
   * The Ritz value next to the wanted ones (the `(k+1)`-th largest, or smallest), an estimate of
   * `λ_{k+1}` (from inside the spectrum: never beyond it); `null` when the basis has only `k` vectors.
   */
  readonly next: number | null;
  /** Krylov basis vectors processed (main-loop products). */
  readonly iterations: number;
  /** All products with `A`, including the residual checks. */
  readonly matvecs: number;
  /** Whether every wanted pair met the tolerance. */
  readonly converged: boolean;
  readonly seed: number;
  /** Restarts with a fresh random vector after an invariant subspace (or a dependent block vector). */
  readonly restarts: number;
  /**
   * Products orthogonalised against the whole basis. Single vector before any restart: only when
   * Simon's estimates of the loss of orthogonality ask for it (partial reorthogonalisation), else
   * every product.
   */
  readonly wholeBasisPasses: number;
  readonly tolerance: number;
  readonly method: string;
}



/**
 * Classical Gram–Schmidt of `w` against the `m` orthonormal columns of `V` (`n × m`, column-major,
 * contiguous), as two matrix–vector products per pass (`h = Vᵀw`, `w ← w − Vh`), repeated while a
 * pass removes more than `1 − 1/√2` of the norm (the Daniel–Gragg–Kaufman–Stewart criterion; at most
 * twice, "twice is enough", Giraud et al. 2005); returns the accumulated coefficients `Vᵀ w` and
 * leaves the remainder in `w`.
 *
 * `local > 0`: first a pass against the columns `local … m−1` only, where the Lanczos recurrence
 * puts all of `w` in exact arithmetic (the band of `H`); the DGKS test of the full passes is then
 * measured from the remainder of that pass, so one full pass usually suffices instead of two (the
 * full basis is read half as often; orthogonality to working precision is what the criterion
 * guarantees either way). `localOnly`: that pass alone (repeated once by the DGKS test), for partial
 * reorthogonalisation.
 */
export function orthogonalize(w: Float64Array, V: Float64Array, m: number, before0?: number, local = 0, localOnly = false): number[] {
  const n = w.length;
  const coef = new Array<number>(m).fill(0);
  if (m === 0) return coef;
  let before = before0 ?? norm2F64(w);
  if (local > 0 && local < m) {
    const q = m - local;
    const h = new Float64Array(q);
    const Vl = V.subarray(n * local, n * m);
    gemv(true, n, q, 1, Vl, w, 0, h);
    gemv(false, n, q, -1, Vl, h, 1, w);
    for (let i = 0; i < q; i++) coef[local + i] = h[i] as number;
    const after = norm2F64(w);
    if (localOnly) {
      // Cancellation in the local pass (DGKS): once more against the same columns.
      if (after <= Math.SQRT1_2 * before) {
        gemv(true, n, q, 1, Vl, w, 0, h);
        gemv(false, n, q, -1, Vl, h, 1, w);
        for (let i = 0; i < q; i++) coef[local + i] = (coef[local + i] as number) + (h[i] as number);
      }
      return coef;
    }
    before = after;
  }
  const Vm = V.subarray(0, n * m);
  const h = new Float64Array(m);
  for (let pass = 0; pass < 2; pass++) {
    gemv(true, n, m, 1, Vm, w, 0, h);
    gemv(false, n, m, -1, Vm, h, 1, w);
    for (let i = 0; i < m; i++) coef[i] = (coef[i] as number) + (h[i] as number);
    const after = norm2F64(w);
    if (after > Math.SQRT1_2 * before) break;
    before = after;
  }
  return coef;
}

/**
 * A few extreme eigenpairs of a symmetric operator in binary64, by Lanczos with full
 * reorthogonalisation (Rayleigh–Ritz on the Krylov basis).
 *
 * With `V = [v_0 … v_{p−1}]` the processed orthonormal basis, every product is orthogonalised
 * against the whole basis (classical Gram–Schmidt, twice), which records `H = VᵀAV` exactly as the
 * Gram–Schmidt coefficients (tridiagonal up to rounding for `b = 1`, banded for blocks) and
 * ```
 *   A V = V H + R,   R = [v_p … v_{p+b−1}] B   (the next block and its coefficients)
 * ```
 * so a Ritz pair `(θ, Vy)` with `Hy = θy` has residual `‖By‖₂` (for `b = 1`: `|β_p y_p|`); when the
 * estimates of the `k` wanted pairs pass, true residuals from fresh products confirm them.
 * When a new vector vanishes after orthogonalisation (`‖r‖ ≤ 10^-12‖A‖`: the basis spans an invariant
 * subspace), a random vector orthogonal to the basis restarts the sequence, so eigenvalues the start
 * vector could not see (other copies of a multiple eigenvalue) are still found; with `b = 1` the
 * extreme Ritz pair of the restarted sequence must converge as well before the result is accepted.
 * Without an invariant subspace a single sequence cannot see a second copy: use `blockSize ≥` the
 * multiplicity (the default `k` does that for the wanted pairs). When the basis
 * reaches `n` vectors `H` is similar to `A` and the pairs are exact up to rounding.
 *
 * With a single vector and before any restart, every product is followed by an O(p) test on the
 * tridiagonal `H` (bisection for the Ritz values, inverse iteration for the last components of their
 * vectors, see `tridiagonal.ts`); otherwise Ritz values come from {@link symmetricEigen} on `H`
 * (checked every product while the basis is small, then every ~5% growth). In both cases a pass
 * leads to the Rayleigh–Ritz step on the full recorded `H` ({@link symmetricEigen}) and to true
 * residuals with fresh products, which alone decide acceptance.
 *
 * @throws ShapeError when the operator is not square.
 * @throws RangeError when it is not flagged symmetric, or on invalid options.
 */
export function lanczos(op: LinearOperator<number>, options: LanczosOptions = {}): LanczosResult {
  const [rows, cols] = op.shape;
  if (rows !== cols) throw new ShapeError(`lanczos: the operator "${op.label}" is ${rows}×${cols}, not square`);
  if (!op.symmetric) throw new RangeError(`lanczos: the operator "${op.label}" is not flagged symmetric; Lanczos needs a symmetric operator`);
  const n = rows;
  const k = options.k ?? 1;
  const which = options.which ?? 'largest';
  const tol = options.tolerance ?? 1e-10;
  const accuracy = options.accuracy ?? 'residual';
  const relativeTo = options.relativeTo ?? 'eigenvalue';
  const seed = options.seed ?? 0;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`lanczos: k must be an integer in [1, ${n}], got ${k}`);
  if (which !== 'largest' && which !== 'smallest') throw new RangeError(`lanczos: which must be 'largest' or 'smallest', got ${String(which)}`);
  if (!(tol > 0)) throw new RangeError(`lanczos: tolerance must be positive, got ${tol}`);
  if (!Number.isFinite(seed)) throw new RangeError(`lanczos: seed must be finite, got ${seed}`);
  const maxIt = Math.min(n, options.maxIterations ?? Math.min(n, 300));
  if (!Number.isInteger(maxIt) || maxIt < k) throw new RangeError(`lanczos: maxIterations must be an integer ≥ k = ${k}, got ${options.maxIterations}`);
  const starts = options.start ?? [];
  const b = Math.min(Math.max(options.blockSize ?? k, starts.length), n);
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`lanczos: blockSize must be a positive integer, got ${options.blockSize}`);
  const method = `Lanczos, ${b === 1 && accuracy === 'eigenvalue' && which === 'largest' ? 'partial reorthogonalisation (Simon\'s ω-recurrence; whole-basis classical Gram–Schmidt, repeated by the DGKS criterion, when an estimate exceeds √ε, and after a restart on every product)' : 'full reorthogonalisation (classical Gram–Schmidt, repeated by the DGKS criterion)'}, block size ${b}${starts.length > 0 ? ` (${starts.length} warm-start vector${starts.length === 1 ? '' : 's'})` : ''}, tridiagonal convergence test, Rayleigh–Ritz via symmetricEigen, binary64, ${accuracy} tolerance ${tol}${relativeTo === 'norm' ? ' relative to ‖A‖' : ''}`;

  const rand = mulberry32(seed);
  let matvecs = 0;
  let restarts = 0;
  const apply = (v: Float64Array): Float64Array => {
    matvecs++;
    if (op.matmat !== undefined) {
      const out = op.matmat(v, 1);
      if (out.length !== n) throw new ShapeError(`lanczos: matmat returned ${out.length} entries, expected ${n}`);
      return out;
    }
    const out = op.matvec(toNumberArray(v));
    if (out.length !== n) throw new ShapeError(`lanczos: matvec returned ${out.length} entries, expected ${n}`);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = out[i] as number;
    return y;
  };

  // The orthonormal basis, contiguous and column-major (`n × m`), so that reorthogonalisation is two
  // matrix–vector products on the kernel layer; its capacity doubles up to the most it can hold.
  const maxBasis = Math.min(n, maxIt + b);
  let V = new Float64Array(n * Math.min(maxBasis, Math.max(b + 1, 32)));
  let m = 0;
  const column = (j: number): Float64Array => V.subarray(n * j, n * (j + 1));
  const push = (w: Float64Array, scale: number): void => {
    if (n * (m + 1) > V.length) {
      const grown = new Float64Array(n * Math.min(maxBasis, Math.max(m + 1, 2 * (V.length / n))));
      grown.set(V.subarray(0, n * m));
      V = grown;
    }
    const col = column(m);
    for (let i = 0; i < n; i++) col[i] = (w[i] as number) / scale;
    m++;
  };
  /** Random unit vector orthogonal to the basis (the basis has fewer than n vectors). */
  const randomOrthogonal = (): void => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[i] = 2 * rand() - 1;
      const before = norm2F64(w);
      orthogonalize(w, V, m, before);
      const r = norm2F64(w);
      if (r > 1e-8 * before) {
        push(w, r);
        return;
      }
    }
    throw new Error('lanczos: could not draw a vector orthogonal to the basis');
  };
  for (const x of starts.slice(0, b)) {
    if (x.length !== n) throw new ShapeError(`lanczos: a start vector has ${x.length} entries, expected ${n}`);
    const w = Float64Array.from(x);
    const before = norm2(w);
    if (!(before > 0) || !Number.isFinite(before)) continue;
    orthogonalize(w, V, m, before);
    const r = norm2F64(w);
    if (r > 1e-8 * before) push(w, r);
  }
  while (m < b) randomOrthogonal();

  /** coef[j][i] = v_iᵀ A v_j (i over the basis at the time v_j was processed, plus the new vector). */
  const coef: number[][] = [];
  let normEst = 0;
  let p = 0;
  /** Basis index of the latest restart vector (−1: none). */
  let lastRestart = -1;
  // No Ritz pair is judged before the whole starting block has been expanded (a warm-start vector that is an
  // eigenvector of an unwanted eigenvalue would otherwise pass alone).
  let nextCheck = Math.max(k, b);
  const eps = 2 ** -52;

  type Pairs = { values: number[]; vectors: number[][]; residuals: number[]; next: number | null };
  /** Whether a Ritz pair with residual `r` and gap `gap` to the unwanted Ritz values is accepted. */
  const accepted = (r: number, theta: number, gap: number, floor: number, scale: number): boolean => {
    const size = relativeTo === 'norm' ? scale : Math.abs(theta);
    if (r <= Math.max(tol * size, floor)) return true;
    return accuracy === 'eigenvalue' && gap > 0 && (r * r) / gap <= tol * size && r <= Math.sqrt(tol) * size;
  };
  /**
   * The convergence test of the single-vector recurrence before any restart, in O(p) per wanted
   * pair: `H` is then tridiagonal up to rounding (`α_j = v_jᵀAv_j`, `β_j = ‖r_j‖`), its extreme
   * eigenvalues come from bisection and the last components of their eigenvectors from inverse
   * iteration, so the residual estimates `|β_{p−1} y_{p−1}|` cost nothing next to a product.
   * Only a pass leads to the full Rayleigh–Ritz step, whose true residuals decide.
   */
  const tridiagonalEstimatesPass = (): boolean => {
    const alpha = new Float64Array(p);
    const beta = new Float64Array(Math.max(0, p - 1));
    for (let j = 0; j < p; j++) {
      const cj = coef[j] as number[];
      alpha[j] = cj[j] as number;
      if (j < p - 1) beta[j] = cj[j + 1] as number;
    }
    const betaLast = (coef[p - 1] as number[])[p] ?? 0;
    const want = Math.min(p, k + 1);
    const idx = Array.from({ length: want }, (_, t) => (which === 'largest' ? p - 1 - t : t));
    const ends = tridiagonalEigenvalues(alpha, beta, which === 'largest' ? [0, ...idx] : [p - 1, ...idx]);
    const theta = ends.slice(1);
    const scale = Math.max(normEst, Math.abs(ends[0] as number), ...theta.map(Math.abs));
    const floor = 64 * Math.sqrt(n) * eps * scale;
    const unwanted = p > k ? (theta[k] as number) : Number.NaN;
    for (let t = 0; t < k; t++) {
      const th = theta[t] as number;
      const y = tridiagonalEigenvector(alpha, beta, th);
      const est = Math.abs(betaLast * (y[p - 1] as number));
      const gap = Number.isNaN(unwanted) ? 0 : Math.abs(th - unwanted);
      if (!accepted(est, th, gap, floor, scale)) return false;
    }
    return true;
  };
  const ritz = (estimateOnly: boolean): { pairs: Pairs; estimatesPass: boolean } => {
    const H = new Array<number>(p * p);
    for (let j = 0; j < p; j++) {
      const cj = coef[j] as number[];
      for (let i = 0; i <= j; i++) {
        const v = cj[i] as number;
        H[i + j * p] = v;
        H[j + i * p] = v;
      }
    }
    const eig = symmetricEigen({ rows: p, cols: p, data: H }, { symmetryTolerance: 0 });
    const order = which === 'largest' ? Array.from({ length: k }, (_, t) => p - 1 - t) : Array.from({ length: k }, (_, t) => t);
    const scale = Math.max(normEst, ...eig.values.map(Math.abs));
    const floor = 64 * Math.sqrt(n) * eps * scale;
    const values: number[] = [];
    const ys: number[][] = [];
    const gaps: number[] = [];
    let pass = true;
    // Nearest unwanted Ritz value: the first one past the wanted set.
    const unwanted = which === 'largest' ? (eig.values[p - 1 - k] ?? Number.NaN) : (eig.values[k] ?? Number.NaN);
    const next = Number.isNaN(unwanted) ? null : unwanted;
    const residuals: number[] = [];
    for (const idx of order) {
      const theta = eig.values[idx] as number;
      const y = Array.from({ length: p }, (_, l) => eig.vectors.data[l + idx * p] as number);
      // Residual estimate ‖B y‖: rows i ≥ p of the coefficient columns.
      let s = 0;
      for (let i = p; i < m; i++) {
        let r = 0;
        for (let l = 0; l < p; l++) r += ((coef[l] as number[])[i] ?? 0) * (y[l] as number);
        s += r * r;
      }
      const est = Math.sqrt(s);
      residuals.push(est);
      const gap = Number.isNaN(unwanted) ? 0 : Math.abs(theta - unwanted);
      gaps.push(gap);
      if (!accepted(est, theta, gap, floor, scale)) pass = false;
      values.push(theta);
      ys.push(y);
    }
    // Single-vector mode after a restart: the new sequence explores the orthogonal complement of an
    // invariant subspace (where further copies of a found eigenvalue live); its extreme Ritz pair
    // must have converged too before the wanted set is accepted.
    if (b === 1 && lastRestart >= 0) {
      if (lastRestart >= p) pass = false;
      else {
        const q = p - lastRestart;
        const Hs = new Array<number>(q * q);
        for (let j = 0; j < q; j++) for (let i = 0; i < q; i++) Hs[i + j * q] = H[lastRestart + i + (lastRestart + j) * p] as number;
        const sub = symmetricEigen({ rows: q, cols: q, data: Hs }, { symmetryTolerance: 0 });
        const idx = which === 'largest' ? q - 1 : 0;
        const theta = sub.values[idx] as number;
        let s = 0;
        for (let i = p; i < m; i++) {
          let r = 0;
          for (let l = 0; l < q; l++) r += ((coef[lastRestart + l] as number[])[i] ?? 0) * (sub.vectors.data[l + idx * q] as number);
          s += r * r;
        }
        if (Math.sqrt(s) > Math.max(tol * (relativeTo === 'norm' ? scale : Math.abs(theta)), floor)) pass = false;
      }
    }
    if (estimateOnly && !pass) return { pairs: { values, vectors: [], residuals, next }, estimatesPass: false };
    const vectors = ys.map((y) => {
      // x = V_p y on the kernel layer.
      const x = new Float64Array(n);
      gemv(false, n, p, 1, V.subarray(0, n * p), Float64Array.from(y), 0, x);
      const xn = norm2F64(x);
      for (let r = 0; r < n; r++) x[r] = (x[r] as number) / xn;
      return x;
    });
    const trueRes = vectors.map((x, t) => {
      const ax = apply(x);
      const theta = values[t] as number;
      for (let r = 0; r < n; r++) ax[r] = (ax[r] as number) - theta * (x[r] as number);
      return norm2F64(ax);
    });
    const truePass = trueRes.every((r, t) => accepted(r, values[t] as number, gaps[t] as number, floor, scale));
    return { pairs: { values, vectors: vectors.map((x) => toNumberArray(x)), residuals: trueRes, next }, estimatesPass: truePass };
  };

  const finish = (pairs: Pairs, converged: boolean): LanczosResult => ({
    eigenvalues: pairs.values,
    eigenvectors: pairs.vectors,
    residuals: pairs.residuals,
    next: pairs.next,
    iterations: p,
    matvecs,
    converged,
    seed,
    restarts,
    wholeBasisPasses,
    tolerance: tol,
    method,
  });

  let wholeBasisPasses = 0;
  const usePartial = b === 1 && accuracy === 'eigenvalue' && which === 'largest';
  const semiOrthogonality = semiOrthogonalityTracker(n, maxBasis, (i) => (coef[i] as number[])[i] as number, (i) => (coef[i] as number[])[i + 1] as number);
  while (p < maxIt) {
    options.onIteration?.(p, maxIt);
    const j = p;
    const w = apply(column(j));
    const wNorm = norm2F64(w);
    if (!Number.isFinite(wNorm)) throw new RangeError(`lanczos: the product with "${op.label}" is not finite`);
    normEst = Math.max(normEst, wNorm);
    // Single vector before any restart, top eigenvalue to eigenvalue accuracy: the three-term pass alone
    // unless Simon's estimates ask for more. A semi-orthogonal basis gives Ritz values to working
    // accuracy but Ritz vectors only to about √ε·‖A‖ in the residual: enough for the `'eigenvalue'`
    // test (‖r‖ ≤ √tol·|θ|), not for residual tolerances below √ε, which keep full reorthogonalisation.
    const partial = usePartial && lastRestart < 0;
    const c = orthogonalize(w, V, m, wNorm, Math.max(0, j - b), partial);
    if (partial) {
      if (semiOrthogonality.needsFullPass(j, c[j] as number, norm2F64(w), normEst)) {
        const more = orthogonalize(w, V, m, norm2F64(w));
        for (let i = 0; i < more.length; i++) c[i] = (c[i] as number) + (more[i] as number);
        semiOrthogonality.reset(j);
        wholeBasisPasses++;
      }
    } else wholeBasisPasses++;
    if (m < n) {
      const beta = norm2F64(w);
      if (beta > 1e-12 * normEst) {
        c.push(beta);
        push(w, beta);
      } else {
        c.push(0);
        lastRestart = m;
        randomOrthogonal();
        restarts++;
      }
    }
    coef.push(c);
    p++;
    const last = p === maxIt;
    // Single vector, no restart yet: the O(p) tridiagonal test runs after every product and only
    // its pass pays for the dense Rayleigh–Ritz step and the true residuals.
    const cheap = b === 1 && lastRestart < 0 && !last;
    if (cheap ? p >= nextCheck && tridiagonalEstimatesPass() : p >= nextCheck || last) {
      nextCheck = cheap ? p + 1 : p <= 40 ? p + 1 : p + Math.ceil(p / 20);
      const { pairs, estimatesPass } = ritz(!last);
      if (estimatesPass) return finish(pairs, true);
      if (last) return finish(pairs, false);
    }
  }
  // maxIt < k cannot happen (checked), so the loop ran at least k times and returned.
  throw new Error('lanczos: internal error (no Ritz pairs)');
}
