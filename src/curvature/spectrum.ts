/**
 * The extremes of the Hessian spectrum (top-k and bottom-k eigenpairs by Lanczos, with residuals,
 * convergence flags and multiplicities) and its density (stochastic Lanczos quadrature), next to the
 * exact eigenvalues where the Hessian is small enough to diagonalise.
 */
import { maxOf, minOf } from '../linalg/extrema.js';
import { lanczos, type LanczosResult } from '../spectral/lanczos.js';
import type { CurvatureProblem } from './problem.js';
import { CurvatureInputError } from './errors.js';
import { broadenedDensity, l1Distance, linearGrid, slqDensity, stochasticLanczosQuadrature, type SlqOptions, type SlqResult } from './slq.js';

/** One Ritz pair. */
export interface Eigenpair {
  readonly eigenvalue: number;
  /** `‖H v − λ v‖₂` from a fresh product. */
  readonly residual: number;
  /** `residual ≤ max(tol·|λ|, 64√n·ε·‖H‖)`, the acceptance test of `lanczos` (`‖H‖` estimated by the largest |Ritz value| at either end). */
  readonly converged: boolean;
  /** The exact eigenvalue at the same position (dense reference), when known. */
  readonly exact?: number;
  readonly eigenvector?: number[];
}

/** A group of (numerically) equal Ritz values. */
export interface Cluster {
  readonly value: number;
  /** Copies found among the k pairs. */
  readonly multiplicity: number;
  /** True when the cluster reaches the k-th pair: there may be more copies beyond it (multiplicity ≥). */
  readonly atLeast: boolean;
}

/** One end of the spectrum. */
export interface SpectrumEnd {
  readonly which: 'largest' | 'smallest';
  readonly pairs: Eigenpair[];
  readonly clusters: Cluster[];
  readonly converged: boolean;
  readonly iterations: number;
  readonly matvecs: number;
  readonly restarts: number;
  readonly blockSize: number;
  readonly method: string;
}

/** The SLQ density on a grid. */
export interface DensityReport {
  readonly order: number;
  readonly vectors: number;
  readonly sigma: number;
  readonly grid: number[];
  readonly density: number[];
  /** The exact broadened density `(1/n) Σ g_σ(t − λ_i)` on the same grid, when the eigenvalues are known. */
  readonly exactDensity?: number[];
  /** `∫|ρ_SLQ − ρ_exact|` (0 to 2). */
  readonly l1Error?: number;
  /** Ritz nodes and weights of every probe. */
  readonly quadratures: SlqResult['quadratures'];
  readonly trace: SlqResult['trace'];
  readonly hvps: number;
  readonly seconds: number;
  readonly reorthogonalize: boolean;
  readonly reorthogonalization: SlqResult['reorthogonalization'];
  readonly wholeBasisPasses: number;
}

/** Options of {@link spectrumReport}. */
export interface SpectrumOptions {
  /** Pairs at each end (default 3). */
  readonly k?: number;
  /** Lanczos block size (default `k`): finds up to that many copies of a repeated eigenvalue. */
  readonly blockSize?: number;
  readonly seed?: number;
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Exact eigenvalues (ascending), e.g. from the dense Hessian. */
  readonly exactEigenvalues?: readonly number[];
  readonly includeEigenvectors?: boolean;
  /** Compute the SLQ density. */
  readonly density?: SlqOptions & { readonly sigma?: number; readonly points?: number };
}

/** Everything `spectrum` reports. */
export interface SpectrumReport {
  readonly params: number;
  readonly top: SpectrumEnd;
  readonly bottom: SpectrumEnd;
  readonly exactEigenvalues?: number[];
  readonly density?: DensityReport;
  readonly seed: number;
}

function end(r: LanczosResult, which: 'largest' | 'smallest', n: number, blockSize: number, exact: readonly number[] | undefined, vectors: boolean, normEstimate: number): SpectrumEnd {
  // ‖H‖ from both ends of the spectrum: the rounding floor of a residual is relative to it.
  const scale = normEstimate;
  const floor = 64 * Math.sqrt(n) * Number.EPSILON * scale;
  const pairs: Eigenpair[] = r.eigenvalues.map((l, i) => {
    const residual = r.residuals[i] as number;
    const ex = exact === undefined ? undefined : which === 'largest' ? exact[exact.length - 1 - i] : exact[i];
    return {
      eigenvalue: l,
      residual,
      converged: residual <= Math.max(r.tolerance * Math.abs(l), floor),
      ...(ex !== undefined ? { exact: ex } : {}),
      ...(vectors ? { eigenvector: r.eigenvectors[i] as number[] } : {}),
    };
  });
  // Equal within the residual bounds (|θ − λ| ≤ r for a Ritz pair) plus rounding. Only converged pairs
  // are grouped: an unconverged Ritz value is no eigenvalue estimate, so it is never called "repeated".
  const clusters: Cluster[] = [];
  let start = 0;
  for (let i = 1; i <= pairs.length; i++) {
    const a = pairs[i - 1] as Eigenpair;
    const b = pairs[i];
    const tol = b === undefined ? 0 : a.residual + b.residual + 1e-9 * Math.max(scale, Number.MIN_VALUE);
    if (b === undefined || !a.converged || !b.converged || Math.abs(b.eigenvalue - a.eigenvalue) > tol) {
      const group = pairs.slice(start, i);
      clusters.push({ value: group.reduce((s, p) => s + p.eigenvalue, 0) / group.length, multiplicity: group.length, atLeast: i === pairs.length && pairs.length < n });
      start = i;
    }
  }
  return { which, pairs, clusters, converged: r.converged, iterations: r.iterations, matvecs: r.matvecs, restarts: r.restarts, blockSize, method: r.method };
}

/** Top-k and bottom-k eigenpairs, the exact eigenvalues beside them, and optionally the SLQ density. */
export function spectrumReport(problem: CurvatureProblem, options: SpectrumOptions = {}): SpectrumReport {
  const n = problem.params;
  const k = Math.min(options.k ?? 3, n);
  if (!Number.isInteger(k) || k < 1) throw new CurvatureInputError(`--top must be a positive integer, got ${options.k}`, { path: '--top' });
  const blockSize = Math.min(options.blockSize ?? k, n);
  const seed = options.seed ?? 0;
  const lopts = {
    k,
    blockSize,
    seed,
    tolerance: options.tolerance ?? 1e-10,
    ...(options.maxIterations !== undefined ? { maxIterations: Math.max(options.maxIterations, k) } : {}),
  };
  const exact = options.exactEigenvalues;
  const vectors = options.includeEigenvectors ?? false;
  const hi = lanczos(problem.hessian, { ...lopts, which: 'largest' });
  const lo = lanczos(problem.hessian, { ...lopts, which: 'smallest' });
  const normEstimate = Math.max(0, ...hi.eigenvalues.map(Math.abs), ...lo.eigenvalues.map(Math.abs));
  const top = end(hi, 'largest', n, blockSize, exact, vectors, normEstimate);
  const bottom = end(lo, 'smallest', n, blockSize, exact, vectors, normEstimate);
  let density: DensityReport | undefined;
  if (options.density !== undefined) {
    const d = options.density;
    const slq = stochasticLanczosQuadrature(problem.hessian, { ...d, seed: d.seed ?? seed });
    const nodes = slq.quadratures.flatMap((q) => q.nodes);
    const lo0 = minOf(nodes, exact ?? []);
    const hi0 = maxOf(nodes, exact ?? []);
    const sigma = d.sigma ?? (hi0 > lo0 ? (hi0 - lo0) / 100 : Math.max(Math.abs(hi0), 1) / 100);
    if (!(sigma > 0) || !Number.isFinite(sigma)) throw new CurvatureInputError(`the kernel width must be positive and finite, got ${sigma}`, { path: '--sigma' });
    const grid = linearGrid(lo0 - 5 * sigma, hi0 + 5 * sigma, d.points ?? 400);
    const dens = slqDensity(slq, grid, sigma);
    const exactDensity = exact !== undefined ? broadenedDensity(exact, grid, sigma) : undefined;
    density = {
      order: slq.order,
      vectors: slq.vectors,
      sigma,
      grid,
      density: dens,
      ...(exactDensity !== undefined ? { exactDensity, l1Error: l1Distance(grid, dens, exactDensity) } : {}),
      quadratures: slq.quadratures,
      trace: slq.trace,
      hvps: slq.hvps,
      seconds: slq.seconds,
      reorthogonalize: slq.reorthogonalize,
      reorthogonalization: slq.reorthogonalization,
      wholeBasisPasses: slq.wholeBasisPasses,
    };
  }
  return {
    params: n,
    top,
    bottom,
    ...(exact !== undefined ? { exactEigenvalues: [...exact] } : {}),
    ...(density !== undefined ? { density } : {}),
    seed,
  };
}
