import { toNumberArray } from '../kernels/arrays.js';
import { gemv } from '../kernels/dispatch.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { mulberry32 } from '../random/mulberry32.js';
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
  readonly start?: readonly (readonly number[])[];
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
  /** Krylov basis vectors processed (main-loop products). */
  readonly iterations: number;
  /** All products with `A`, including the residual checks. */
  readonly matvecs: number;
  /** Whether every wanted pair met the tolerance. */
  readonly converged: boolean;
  readonly seed: number;
  /** Restarts with a fresh random vector after an invariant subspace (or a dependent block vector). */
  readonly restarts: number;
  readonly tolerance: number;
  readonly method: string;
}


function norm(a: Float64Array): number {
  // Scaled so that neither overflow nor underflow spoils the length of tiny or huge vectors.
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) / m;
    s += x * x;
  }
  return m * Math.sqrt(s);
}

/**
 * Classical Gram–Schmidt of `w` against `basis`, repeated while a pass removes more than
 * `1 − 1/√2` of the norm (the Daniel–Gragg–Kaufman–Stewart criterion; at most twice, "twice is
 * enough", Giraud et al. 2005); returns the accumulated coefficients `basisᵀ w` and leaves the
 * remainder in `w`.
 */
const ONE = Float64Array.of(1);
const scalar = new Float64Array(1);

function orthogonalize(w: Float64Array, basis: readonly Float64Array[]): number[] {
  const m = basis.length;
  const coef = new Array<number>(m).fill(0);
  let before = norm(w);
  for (let pass = 0; pass < 2; pass++) {
    // vᵢᵀw and w − hᵢvᵢ on the float64 kernel layer (a 1-column gemv each).
    const h = basis.map((v) => {
      gemv(true, v.length, 1, 1, v, w, 0, scalar);
      return scalar[0] as number;
    });
    for (let i = 0; i < m; i++) {
      const hi = h[i] as number;
      if (hi === 0) continue;
      const v = basis[i] as Float64Array;
      gemv(false, w.length, 1, -hi, v, ONE, 1, w);
      coef[i] = (coef[i] as number) + hi;
    }
    const after = norm(w);
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
 * Ritz values come from {@link symmetricEigen} on `H` (checked every product while the basis is
 * small, then every ~5% growth).
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
  const method = `Lanczos, full reorthogonalisation (classical Gram–Schmidt, repeated by the DGKS criterion), block size ${b}${starts.length > 0 ? ` (${starts.length} warm-start vector${starts.length === 1 ? '' : 's'})` : ''}, Rayleigh–Ritz via symmetricEigen, binary64, ${accuracy} tolerance ${tol}`;

  const rand = mulberry32(seed);
  let matvecs = 0;
  let restarts = 0;
  const apply = (v: Float64Array): Float64Array => {
    matvecs++;
    const out = op.matvec(toNumberArray(v));
    if (out.length !== n) throw new ShapeError(`lanczos: matvec returned ${out.length} entries, expected ${n}`);
    return Float64Array.from(out);
  };

  const basis: Float64Array[] = [];
  /** Random unit vector orthogonal to the basis (the basis has fewer than n vectors). */
  const randomOrthogonal = (): Float64Array => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[i] = 2 * rand() - 1;
      const before = norm(w);
      orthogonalize(w, basis);
      const r = norm(w);
      if (r > 1e-8 * before) {
        for (let i = 0; i < n; i++) w[i] = (w[i] as number) / r;
        return w;
      }
    }
    throw new Error('lanczos: could not draw a vector orthogonal to the basis');
  };
  for (const x of starts.slice(0, b)) {
    if (x.length !== n) throw new ShapeError(`lanczos: a start vector has ${x.length} entries, expected ${n}`);
    const w = Float64Array.from(x);
    const before = norm(w);
    if (!(before > 0) || !Number.isFinite(before)) continue;
    orthogonalize(w, basis);
    const r = norm(w);
    if (r > 1e-8 * before) basis.push(w.map((y) => y / r));
  }
  while (basis.length < b) basis.push(randomOrthogonal());

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

  type Pairs = { values: number[]; vectors: number[][]; residuals: number[] };
  /** Whether a Ritz pair with residual `r` and gap `gap` to the unwanted Ritz values is accepted. */
  const accepted = (r: number, theta: number, gap: number, floor: number): boolean => {
    if (r <= Math.max(tol * Math.abs(theta), floor)) return true;
    return accuracy === 'eigenvalue' && gap > 0 && (r * r) / gap <= tol * Math.abs(theta) && r <= Math.sqrt(tol) * Math.abs(theta);
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
    const residuals: number[] = [];
    for (const idx of order) {
      const theta = eig.values[idx] as number;
      const y = Array.from({ length: p }, (_, l) => eig.vectors.data[l + idx * p] as number);
      // Residual estimate ‖B y‖: rows i ≥ p of the coefficient columns.
      let s = 0;
      for (let i = p; i < basis.length; i++) {
        let r = 0;
        for (let l = 0; l < p; l++) r += ((coef[l] as number[])[i] ?? 0) * (y[l] as number);
        s += r * r;
      }
      const est = Math.sqrt(s);
      residuals.push(est);
      const gap = Number.isNaN(unwanted) ? 0 : Math.abs(theta - unwanted);
      gaps.push(gap);
      if (!accepted(est, theta, gap, floor)) pass = false;
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
        for (let i = p; i < basis.length; i++) {
          let r = 0;
          for (let l = 0; l < q; l++) r += ((coef[lastRestart + l] as number[])[i] ?? 0) * (sub.vectors.data[l + idx * q] as number);
          s += r * r;
        }
        if (Math.sqrt(s) > Math.max(tol * Math.abs(theta), floor)) pass = false;
      }
    }
    if (estimateOnly && !pass) return { pairs: { values, vectors: [], residuals }, estimatesPass: false };
    const vectors = ys.map((y) => {
      const x = new Float64Array(n);
      y.forEach((yl, l) => {
        if (yl === 0) return;
        const v = basis[l] as Float64Array;
        for (let r = 0; r < n; r++) x[r] = (x[r] as number) + yl * (v[r] as number);
      });
      const xn = norm(x);
      for (let r = 0; r < n; r++) x[r] = (x[r] as number) / xn;
      return x;
    });
    const trueRes = vectors.map((x, t) => {
      const ax = apply(x);
      const theta = values[t] as number;
      for (let r = 0; r < n; r++) ax[r] = (ax[r] as number) - theta * (x[r] as number);
      return norm(ax);
    });
    const truePass = trueRes.every((r, t) => accepted(r, values[t] as number, gaps[t] as number, floor));
    return { pairs: { values, vectors: vectors.map((x) => Array.from(x)), residuals: trueRes }, estimatesPass: truePass };
  };

  const finish = (pairs: Pairs, converged: boolean): LanczosResult => ({
    eigenvalues: pairs.values,
    eigenvectors: pairs.vectors,
    residuals: pairs.residuals,
    iterations: p,
    matvecs,
    converged,
    seed,
    restarts,
    tolerance: tol,
    method,
  });

  while (p < maxIt) {
    options.onIteration?.(p, maxIt);
    const j = p;
    const w = apply(basis[j] as Float64Array);
    const wNorm = norm(w);
    if (!Number.isFinite(wNorm)) throw new RangeError(`lanczos: the product with "${op.label}" is not finite`);
    normEst = Math.max(normEst, wNorm);
    const c = orthogonalize(w, basis);
    if (basis.length < n) {
      const beta = norm(w);
      if (beta > 1e-12 * normEst) {
        for (let r = 0; r < n; r++) w[r] = (w[r] as number) / beta;
        c.push(beta);
        basis.push(w);
      } else {
        c.push(0);
        lastRestart = basis.length;
        basis.push(randomOrthogonal());
        restarts++;
      }
    }
    coef.push(c);
    p++;
    const last = p === maxIt;
    if (p >= nextCheck || last) {
      nextCheck = p <= 40 ? p + 1 : p + Math.ceil(p / 20);
      const { pairs, estimatesPass } = ritz(!last);
      if (estimatesPass) return finish(pairs, true);
      if (last) return finish(pairs, false);
    }
  }
  // maxIt < k cannot happen (checked), so the loop ran at least k times and returned.
  throw new Error('lanczos: internal error (no Ritz pairs)');
}
