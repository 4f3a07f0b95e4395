/**
 * Stochastic estimators of `tr H`, each with its standard error and its cost:
 * Hutchinson (1989) on Hessian–vector products, Hutch++ (Meyer, Musco, Musco, Woodruff 2021,
 * arXiv 2010.09649), and the HVP-free estimate from second differences of the loss along random
 * directions (arXiv 2208.13219; `docs/math.md §6`).
 */
import { toNumberArray } from '../kernels/arrays.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import type { CurvatureProblem } from './problem.js';
import { CurvatureInputError } from './errors.js';
import { lineFunction, ridders } from './finite-difference.js';
import { createRng, gaussianVector, rademacherVector, type Rng } from '../random/rng.js';
import { dot, meanVariance, norm2 } from '../linalg/vectors.js';

/** The distribution of the probe vectors: Rademacher (`±1`, the lower variance) or Gaussian. */
export type ProbeKind = 'rademacher' | 'gaussian';

/** A trace estimate, typed with how it was obtained. */
export interface TraceEstimate {
  readonly method: 'hutchinson' | 'hutchpp' | 'finite-difference';
  readonly estimate: number;
  /** Standard error from the sample (Hutch++: of its stochastic part, conditional on the sketch). `NaN` with one sample. */
  readonly standardError: number;
  /** Probe vectors (Hutchinson, finite differences) or the matrix–vector budget (Hutch++). */
  readonly samples: number;
  readonly hvps: number;
  readonly lossEvaluations: number;
  readonly probes: ProbeKind;
  readonly seed: number;
  readonly seconds: number;
  /** Per-probe values `zᵀHz` (Hutchinson, finite differences). */
  readonly values?: number[];
  /** Hutch++: `tr(QᵀHQ)` of the sketch, its rank, and the number of residual probes. */
  readonly sketch?: { readonly trace: number; readonly rank: number; readonly residualProbes: number };
  /** Finite differences: largest Ridders error estimate of a single `zᵀHz`, and the first step's perturbation norm. */
  readonly finiteDifference?: { readonly maxError: number; readonly stepNorm: number };
  readonly description: string;
}

/** Options common to the estimators. */
export interface TraceOptions {
  /** Probes (Hutchinson, finite differences) or total products (Hutch++). Default 100. */
  readonly samples?: number;
  readonly seed?: number;
  readonly probes?: ProbeKind;
  /** Finite differences: perturbation norm of the first step (default `½·max(‖θ‖, 1)`). */
  readonly stepNorm?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

function probe(rng: Rng, n: number, kind: ProbeKind): Float64Array {
  return kind === 'rademacher' ? rademacherVector(rng, n) : gaussianVector(rng, n);
}

function checkSamples(samples: number, min: number, what: string): void {
  if (!Number.isInteger(samples) || samples < min) throw new CurvatureInputError(`${what} needs an integer number of samples ≥ ${min}, got ${samples}`, { path: '--samples' });
}

const now = (): number => Number(process.hrtime.bigint()) / 1e9;

/**
 * Hutchinson's estimator `tr H ≈ (1/S) Σ_s z_sᵀ H z_s` with i.i.d. probes (`E[zzᵀ] = I`), unbiased,
 * variance `2(‖H‖_F² − Σ H_ii²)/S` (Rademacher) or `2‖H‖_F²/S` (Gaussian). `S` HVPs.
 * The probes come from the stream `'probes'` of `seed`, shared with {@link finiteDifferenceTrace}
 * so that the two can be compared probe by probe.
 */
export function hutchinson(op: LinearOperator<number>, options: TraceOptions = {}): TraceEstimate {
  const S = options.samples ?? 100;
  checkSamples(S, 1, 'Hutchinson');
  const kind = options.probes ?? 'rademacher';
  const seed = options.seed ?? 0;
  const rng = createRng(seed, 'probes');
  const n = op.shape[0];
  const t0 = now();
  const values: number[] = [];
  for (let s = 0; s < S; s++) {
    const z = probe(rng, n, kind);
    values.push(dot(z, op.matvec(toNumberArray(z))));
    options.onProgress?.(s + 1, S);
  }
  const { mean, variance } = meanVariance(values);
  return {
    method: 'hutchinson',
    estimate: mean,
    standardError: S > 1 ? Math.sqrt(variance / S) : NaN,
    samples: S,
    hvps: S,
    lossEvaluations: 0,
    probes: kind,
    seed,
    seconds: now() - t0,
    values,
    description: `Hutchinson: mean of zᵀHz over ${S} ${kind} probes (HVP)`,
  };
}

/**
 * Hutch++ (arXiv 2010.09649) with a budget of `m ≥ 3` products: `k = ⌊m/3⌋` sketch probes `S`,
 * `Q = orth(H S)` (Gram–Schmidt twice, columns below `10^-12` of the largest dropped), then
 * `tr H ≈ tr(QᵀHQ) + (1/g) Σ_j g_jᵀ(I − QQᵀ) H (I − QQᵀ) g_j` with `g = m − 2k` probes; unbiased
 * (`tr(QᵀHQ) + tr((I−QQᵀ)H(I−QQᵀ)) = tr H` for any `Q` with orthonormal columns). The standard
 * error is that of the second term given `Q`. Exact (up to rounding) when `rank H ≤ k`.
 */
export function hutchPlusPlus(op: LinearOperator<number>, options: TraceOptions = {}): TraceEstimate {
  const m = options.samples ?? 100;
  checkSamples(m, 3, 'Hutch++');
  const kind = options.probes ?? 'rademacher';
  const seed = options.seed ?? 0;
  const rng = createRng(seed, 'hutchpp');
  const n = op.shape[0];
  const k = Math.floor(m / 3);
  const g = m - 2 * k;
  const t0 = now();
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, m);
  const Q: Float64Array[] = [];
  const cols: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    cols.push(Float64Array.from(op.matvec(toNumberArray(probe(rng, n, kind)))));
    tick();
  }
  const maxNorm = Math.max(0, ...cols.map(norm2));
  for (const c of cols) {
    for (let pass = 0; pass < 2; pass++) {
      for (const q of Q) {
        const h = dot(q, c);
        for (let i = 0; i < n; i++) c[i] = (c[i] as number) - h * (q[i] as number);
      }
    }
    const r = norm2(c);
    if (r > 1e-12 * maxNorm && r > 0) {
      for (let i = 0; i < n; i++) c[i] = (c[i] as number) / r;
      Q.push(c);
    }
  }
  let sketchTrace = 0;
  for (const q of Q) {
    sketchTrace += dot(q, op.matvec(toNumberArray(q)));
    tick();
  }
  const values: number[] = [];
  for (let j = 0; j < g; j++) {
    const p = probe(rng, n, kind);
    for (const q of Q) {
      const h = dot(q, p);
      for (let i = 0; i < n; i++) p[i] = (p[i] as number) - h * (q[i] as number);
    }
    values.push(dot(p, op.matvec(toNumberArray(p))));
    tick();
  }
  const { mean, variance } = meanVariance(values);
  return {
    method: 'hutchpp',
    estimate: sketchTrace + mean,
    standardError: g > 1 ? Math.sqrt(variance / g) : NaN,
    samples: m,
    hvps: k + Q.length + g,
    lossEvaluations: 0,
    probes: kind,
    seed,
    seconds: now() - t0,
    sketch: { trace: sketchTrace, rank: Q.length, residualProbes: g },
    description: `Hutch++: tr(QᵀHQ) over a rank-${Q.length} sketch from ${k} probes plus Hutchinson on the deflated Hessian with ${g} probes (budget ${m} HVPs)`,
  };
}

/**
 * The HVP-free estimate: `tr H ≈ (1/S) Σ_s z_sᵀ H z_s` with each `zᵀHz = ‖z‖²·d²/dt² L(θ + t ẑ)` from
 * second differences of the loss alone, Richardson-extrapolated (exact for polynomial losses after
 * `N` levels, see `finite-difference.ts`; one level for quadratics). The same probes as
 * {@link hutchinson} for the same seed. Costs `1 + Σ 2·levels` loss evaluations and no HVP.
 */
export function finiteDifferenceTrace(problem: CurvatureProblem, options: TraceOptions = {}): TraceEstimate {
  const S = options.samples ?? 100;
  checkSamples(S, 1, 'the finite-difference estimator');
  const kind = options.probes ?? 'rademacher';
  const seed = options.seed ?? 0;
  const rng = createRng(seed, 'probes');
  const n = problem.params;
  const t0 = now();
  const thetaNorm = norm2(problem.theta);
  const stepNorm = options.stepNorm ?? Math.max(thetaNorm, 1) / 2;
  if (!(stepNorm > 0) || !Number.isFinite(stepNorm)) throw new CurvatureInputError(`the finite-difference step must be positive and finite, got ${stepNorm}`, { path: '--fd-step' });
  const f0 = problem.loss(problem.theta);
  let evals = 1;
  let maxError = 0;
  const values: number[] = [];
  for (let s = 0; s < S; s++) {
    const z = probe(rng, n, kind);
    const zz = dot(z, z);
    const zn = Math.sqrt(zz);
    const unit = Float64Array.from(z, (x) => x / zn);
    const r = ridders(lineFunction((x) => problem.loss(x), problem.theta, unit), 2, stepNorm, f0);
    values.push(zz * r.value);
    maxError = Math.max(maxError, zz * r.error);
    evals += r.evaluations;
    options.onProgress?.(s + 1, S);
  }
  const { mean, variance } = meanVariance(values);
  return {
    method: 'finite-difference',
    estimate: mean,
    standardError: S > 1 ? Math.sqrt(variance / S) : NaN,
    samples: S,
    hvps: 0,
    lossEvaluations: evals,
    probes: kind,
    seed,
    seconds: now() - t0,
    values,
    finiteDifference: { maxError, stepNorm },
    description: `second differences of the loss along ${S} ${kind} probes, Richardson-extrapolated (no HVP)`,
  };
}
