/**
 * Spectral density by stochastic Lanczos quadrature (SLQ; Ubaru, Chen, Saad 2017; Ghorbani,
 * Krishnan, Xiao 2019, arXiv 1901.10159; PyHessian, arXiv 1912.07145).
 *
 * For a unit probe `v`, `m` Lanczos steps give a tridiagonal `T_m = Σ_k θ_k y_k y_kᵀ`, and
 * `vᵀ f(H) v ≈ Σ_k τ_k f(θ_k)` with nodes `θ_k` and weights `τ_k = (e₁ᵀ y_k)²` (Gauss quadrature for
 * the spectral measure of `v`, exact for polynomials of degree `< 2m`). With `E[v vᵀ] = I/n`
 * (normalised Rademacher probes) the average over probes estimates `(1/n) tr f(H)`; with the
 * Gaussian kernel `f = g_σ(t − ·)` it estimates the broadened spectral density
 * `ρ_σ(t) = (1/n) Σ_i g_σ(t − λ_i)`, `g_σ(x) = e^{−x²/2σ²}/(σ√(2π))`, which integrates to 1.
 */
import { toNumberArray } from '../kernels/arrays.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { orthogonalize } from '../spectral/lanczos.js';
import { semiOrthogonalityTracker } from '../spectral/semi-orthogonality.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import { CurvatureInputError } from './errors.js';
import { createRng, gaussianVector, rademacherVector } from '../random/rng.js';
import type { ProbeKind } from './trace-estimators.js';
import { dot, meanVariance, norm2, norm2F64 } from '../linalg/vectors.js';

/** Options of {@link stochasticLanczosQuadrature}. */
export interface SlqOptions {
  /** Lanczos steps per probe, `m` (default 80; capped at `n`). */
  readonly order?: number;
  /** Number of probe vectors (default 10). */
  readonly vectors?: number;
  readonly seed?: number;
  readonly probes?: ProbeKind;
  /** How the Lanczos basis is kept orthogonal (default `'partial'`; see {@link Reorthogonalization}). */
  readonly reorthogonalization?: Reorthogonalization;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The Gauss quadrature of one probe. */
export interface SlqQuadrature {
  /** Ritz values `θ_k` (ascending). */
  readonly nodes: number[];
  /** Weights `τ_k = (e₁ᵀ y_k)²`, summing to 1. */
  readonly weights: number[];
  /** Lanczos steps taken (fewer than the order when an invariant subspace was found: then the quadrature is exact). */
  readonly steps: number;
}

/** The outcome of {@link stochasticLanczosQuadrature}. */
export interface SlqResult {
  readonly order: number;
  readonly vectors: number;
  readonly seed: number;
  readonly probes: ProbeKind;
  /** False only without reorthogonalisation (`'none'`). */
  readonly reorthogonalize: boolean;
  readonly reorthogonalization: Reorthogonalization;
  /** Vectors orthogonalised against the whole basis, over all probes (`order·vectors` for `'full'`). */
  readonly wholeBasisPasses: number;
  readonly quadratures: SlqQuadrature[];
  /** `n·Σ_k τ_k θ_k` averaged over probes: a Hutchinson estimate of `tr H` from the same run. */
  readonly trace: { readonly value: number; readonly standardError: number };
  readonly hvps: number;
  readonly seconds: number;
}

/**
 * How Lanczos keeps its basis orthogonal. `'partial'` (the default): Simon's partial
 * reorthogonalisation (1984) — the recurrence `ω_{j+1,k}` estimates every `v_{j+1}ᵀv_k` from the
 * tridiagonal entries alone (with a rounding term `u√n‖H‖` added in the worst direction at each
 * step), and only when some estimate exceeds `√u` is the new vector (and the next one) orthogonalised
 * against the whole basis. Semi-orthogonality (`|v_jᵀv_k| ≤ √u`) is enough for the computed `T_m` to be
 * the Lanczos matrix of a nearby problem to working accuracy, so its nodes carry no ghost copies;
 * the whole-basis passes are a small fraction of the steps. `'full'`: every step against the whole
 * basis (classical Gram–Schmidt, a second pass by the DGKS test). `'none'`: the bare three-term
 * recurrence (ghost copies of converged nodes appear; their weights still sum correctly).
 */
export type Reorthogonalization = 'partial' | 'full' | 'none';

/** The reorthogonalisation modes, for option parsing. */
export const REORTHOGONALIZATIONS: readonly Reorthogonalization[] = ['partial', 'full', 'none'];

/** Runs `vectors` Lanczos processes of `order` steps from normalised random probes. */
export function stochasticLanczosQuadrature(op: LinearOperator<number>, options: SlqOptions = {}): SlqResult {
  const n = op.shape[0];
  const order = Math.min(options.order ?? 80, n);
  const vectors = options.vectors ?? 10;
  if (!Number.isInteger(order) || order < 1) throw new CurvatureInputError(`the SLQ order must be a positive integer, got ${options.order}`, { path: '--order' });
  if (!Number.isInteger(vectors) || vectors < 1) throw new CurvatureInputError(`the number of SLQ vectors must be a positive integer, got ${vectors}`, { path: '--vectors' });
  const seed = options.seed ?? 0;
  const kind = options.probes ?? 'rademacher';
  const mode = options.reorthogonalization ?? 'partial';
  if (!REORTHOGONALIZATIONS.includes(mode)) throw new CurvatureInputError(`unknown reorthogonalisation "${String(mode)}" (one of ${REORTHOGONALIZATIONS.join(', ')})`, { path: '--reorth' });
  const rng = createRng(seed, 'slq');
  const t0 = Number(process.hrtime.bigint()) / 1e9;
  let hvps = 0;
  let passes = 0;
  const quadratures: SlqQuadrature[] = [];
  const traces: number[] = [];
  // The basis (column-major n × order) is kept unless the mode is 'none'.
  const Q = mode === 'none' ? new Float64Array(0) : new Float64Array(n * order);
  for (let p = 0; p < vectors; p++) {
    const z = kind === 'rademacher' ? rademacherVector(rng, n) : gaussianVector(rng, n);
    const zn = norm2(z);
    let v = Float64Array.from(z, (x) => x / zn);
    let vPrev: Float64Array | undefined;
    if (mode !== 'none') Q.set(v, 0);
    const alpha: number[] = [];
    const beta: number[] = [];
    // Simon's estimates of the loss of orthogonality ('partial' only).
    const tracker = semiOrthogonalityTracker(n, order, (i) => alpha[i] as number, (i) => beta[i] as number);
    let scale = 0;
    for (let j = 0; j < order; j++) {
      const w = Float64Array.from(op.matvec(toNumberArray(v)));
      hvps++;
      const a = dot(v, w);
      alpha.push(a);
      const bPrev = j > 0 ? (beta[j - 1] as number) : 0;
      for (let i = 0; i < n; i++) w[i] = (w[i] as number) - a * (v[i] as number) - (vPrev !== undefined ? bPrev * (vPrev[i] as number) : 0);
      let b = norm2F64(w);
      scale = Math.max(scale, Math.abs(a) + b + bPrev);
      if (mode === 'full') {
        orthogonalize(w, Q, j + 1);
        passes++;
        b = norm2F64(w);
      } else if (mode === 'partial' && b > 0 && tracker.needsFullPass(j, a, b, scale)) {
        orthogonalize(w, Q, j + 1);
        passes++;
        b = norm2F64(w);
        tracker.reset(j);
      }
      if (j === order - 1 || b <= 1e-12 * scale) break;
      beta.push(b);
      for (let i = 0; i < n; i++) w[i] = (w[i] as number) / b;
      vPrev = v;
      v = w;
      if (mode !== 'none') Q.set(v, n * (j + 1));
    }
    const s = alpha.length;
    const T = new Array<number>(s * s).fill(0);
    for (let i = 0; i < s; i++) {
      T[i + i * s] = alpha[i] as number;
      if (i + 1 < s) {
        T[i + 1 + i * s] = beta[i] as number;
        T[i + (i + 1) * s] = beta[i] as number;
      }
    }
    const eig = symmetricEigen({ rows: s, cols: s, data: T }, { symmetryTolerance: 0 });
    const weights = Array.from({ length: s }, (_, k) => (eig.vectors.data[k * s] as number) ** 2);
    quadratures.push({ nodes: eig.values, weights, steps: s });
    traces.push(n * eig.values.reduce((acc, th, k) => acc + th * (weights[k] as number), 0));
    options.onProgress?.(p + 1, vectors);
  }
  const { mean, variance } = meanVariance(traces);
  return {
    order,
    vectors,
    seed,
    probes: kind,
    reorthogonalize: mode !== 'none',
    reorthogonalization: mode,
    wholeBasisPasses: passes,
    quadratures,
    trace: { value: mean, standardError: vectors > 1 ? Math.sqrt(variance / vectors) : NaN },
    hvps,
    seconds: Number(process.hrtime.bigint()) / 1e9 - t0,
  };
}

/** `points` equally spaced values from `lo` to `hi` (inclusive). */
export function linearGrid(lo: number, hi: number, points: number): number[] {
  if (points < 2) return [lo];
  return Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
}

const gauss = (x: number, sigma: number): number => Math.exp((-x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));

/** The SLQ estimate of `ρ_σ` on `grid`: `(1/V) Σ_v Σ_k τ_vk g_σ(t − θ_vk)`. */
export function slqDensity(result: SlqResult, grid: readonly number[], sigma: number): number[] {
  return grid.map((t) => {
    let acc = 0;
    for (const q of result.quadratures) q.nodes.forEach((th, k) => (acc += (q.weights[k] as number) * gauss(t - th, sigma)));
    return acc / result.quadratures.length;
  });
}

/** The exact broadened density `ρ_σ(t) = (1/n) Σ_i g_σ(t − λ_i)` of known eigenvalues on `grid`. */
export function broadenedDensity(eigenvalues: readonly number[], grid: readonly number[], sigma: number): number[] {
  return grid.map((t) => eigenvalues.reduce((acc, l) => acc + gauss(t - l, sigma), 0) / eigenvalues.length);
}

/** `∫ |f − g|` over the grid by the trapezoidal rule. */
export function l1Distance(grid: readonly number[], f: readonly number[], g: readonly number[]): number {
  let acc = 0;
  for (let i = 1; i < grid.length; i++) {
    const h = (grid[i] as number) - (grid[i - 1] as number);
    acc += (h * (Math.abs((f[i] as number) - (g[i] as number)) + Math.abs((f[i - 1] as number) - (g[i - 1] as number)))) / 2;
  }
  return acc;
}
