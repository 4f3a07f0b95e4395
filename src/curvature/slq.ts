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
import type { LinearOperator } from '../linop/linear-operator.js';
import { CurvatureInputError } from './errors.js';
import { createRng, gaussianVector, rademacherVector } from '../random/rng.js';
import type { ProbeKind } from './trace-estimators.js';
import { meanVariance, norm2 } from '../linalg/vectors.js';

/** Options of {@link stochasticLanczosQuadrature}. */
export interface SlqOptions {
  /** Lanczos steps per probe, `m` (default 80; capped at `n`). */
  readonly order?: number;
  /** Number of probe vectors (default 10). */
  readonly vectors?: number;
  readonly seed?: number;
  readonly probes?: ProbeKind;
  /** Full reorthogonalisation (default true; one Gram–Schmidt pass, a second when DGKS asks): keeps the nodes free of ghost copies; costs `O(m² n)` per probe. */
  readonly reorthogonalize?: boolean;
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
  readonly reorthogonalize: boolean;
  readonly quadratures: SlqQuadrature[];
  /** `n·Σ_k τ_k θ_k` averaged over probes: a Hutchinson estimate of `tr H` from the same run. */
  readonly trace: { readonly value: number; readonly standardError: number };
  readonly hvps: number;
  readonly seconds: number;
}

/** Runs `vectors` Lanczos processes of `order` steps from normalised random probes. */
export function stochasticLanczosQuadrature(op: LinearOperator<number>, options: SlqOptions = {}): SlqResult {
  const n = op.shape[0];
  const order = Math.min(options.order ?? 80, n);
  const vectors = options.vectors ?? 10;
  if (!Number.isInteger(order) || order < 1) throw new CurvatureInputError(`the SLQ order must be a positive integer, got ${options.order}`, { path: '--order' });
  if (!Number.isInteger(vectors) || vectors < 1) throw new CurvatureInputError(`the number of SLQ vectors must be a positive integer, got ${vectors}`, { path: '--vectors' });
  const seed = options.seed ?? 0;
  const kind = options.probes ?? 'rademacher';
  const reorth = options.reorthogonalize ?? true;
  const rng = createRng(seed, 'slq');
  const t0 = Number(process.hrtime.bigint()) / 1e9;
  let hvps = 0;
  const quadratures: SlqQuadrature[] = [];
  const traces: number[] = [];
  for (let p = 0; p < vectors; p++) {
    const z = kind === 'rademacher' ? rademacherVector(rng, n) : gaussianVector(rng, n);
    const zn = norm2(z);
    let v = Float64Array.from(z, (x) => x / zn);
    let vPrev: Float64Array | undefined;
    const basis: Float64Array[] = reorth ? [v] : [];
    const alpha: number[] = [];
    const beta: number[] = [];
    let scale = 0;
    for (let j = 0; j < order; j++) {
      const w = Float64Array.from(op.matvec(toNumberArray(v)));
      hvps++;
      const a = dotF(v, w);
      alpha.push(a);
      const bPrev = j > 0 ? (beta[j - 1] as number) : 0;
      for (let i = 0; i < n; i++) w[i] = (w[i] as number) - a * (v[i] as number) - (vPrev !== undefined ? bPrev * (vPrev[i] as number) : 0);
      if (reorth) {
        // Full reorthogonalisation: one classical Gram–Schmidt pass against every basis vector, and a
        // second one only when the first removed a large part of w (DGKS criterion, ‖w‖ fell below
        // 1/√2 of its value): after the three-term recurrence the components along older vectors are
        // small, so the second pass is rarely needed and the cost is about halved.
        let before = normF(w);
        for (let pass = 0; pass < 2; pass++) {
          for (const q of basis) {
            const h = dotF(q, w);
            if (h === 0) continue;
            for (let i = 0; i < n; i++) w[i] = (w[i] as number) - h * (q[i] as number);
          }
          const after = normF(w);
          if (after >= Math.SQRT1_2 * before) break;
          before = after;
        }
      }
      const b = norm2(w);
      scale = Math.max(scale, Math.abs(a) + b + bPrev);
      if (j === order - 1 || b <= 1e-12 * scale) break;
      beta.push(b);
      for (let i = 0; i < n; i++) w[i] = (w[i] as number) / b;
      vPrev = v;
      v = w;
      if (reorth) basis.push(v);
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
    reorthogonalize: reorth,
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

/** `xᵀy` for two Float64Arrays (kept monomorphic: this loop is the reorthogonalisation's whole cost). */
function dotF(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

function normF(x: Float64Array): number {
  return Math.sqrt(dotF(x, x));
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
