/**
 * 2D loss landscapes `L(θ + αη + βδ)` on a grid (Li et al. 2018, arXiv 1712.09913; Böttcher &
 * Wheeler 2022, arXiv 2208.13219), computed once into a data object that the plots read, with the
 * quadratic model `L(θ) + gᵀx + ½ xᵀH̃x` of the plane beside it (for the Hessian plane
 * `H̃ = diag(λ_max, λ_min)`, so the model's axis cuts are `L(θ) + g_i t + ½λt²`).
 */
import { toNumberArray } from '../kernels/arrays.js';
import type { CurvatureProblem } from './problem.js';
import { CurvatureInputError } from './errors.js';
import { checkDirections, directionGroups, sampleDirection, type RandomDistribution } from './directions.js';
import { defaultStep, lineFunction, ridders } from './finite-difference.js';
import { hessianPlane } from './hessian-plane.js';
import { createRng } from '../random/rng.js';
import { dot, norm2, offset } from '../linalg/vectors.js';

/** The grid sizes accepted (points per axis). */
export const GRID_RANGE = { min: 3, max: 401 } as const;
/** Spans accepted: `0 < span ≤ 1e6` (the grid covers `[−span, span]²` in units of the directions). */
export const SPAN_MAX = 1e6;

/** Where the plane comes from. */
export type PlaneKind = 'random' | 'hessian' | 'file';

/** The data of a landscape plot: written to a file once, plotted from it as often as wanted. */
export interface LandscapeData {
  readonly format: 'dln-hessian-landscape';
  readonly version: 1;
  readonly model: string;
  readonly params: number;
  readonly plane: PlaneKind;
  readonly distribution?: RandomDistribution;
  readonly seed: number;
  readonly grid: number;
  readonly span: number;
  /** Grid coordinates along `η` (columns) and `δ` (rows). */
  readonly alpha: number[];
  readonly beta: number[];
  /** `loss[j][i] = L(θ + alpha[i]·η + beta[j]·δ)`; `null` where it is not finite in binary64. */
  readonly loss: (number | null)[][];
  /** `L(θ)`. */
  readonly center: number;
  /** The axis cuts `L(θ + alpha[i]·η)` and `L(θ + beta[j]·δ)` (the middle row and column for odd grids). */
  readonly cuts: { readonly alpha: (number | null)[]; readonly beta: (number | null)[] };
  readonly directionNorms: [number, number];
  readonly cosine: number;
  /** The quadratic model of the plane: slope `g = (∇Lᵀη, ∇Lᵀδ)` (Richardson central differences of the loss) and `H̃` (Hessian–vector products). */
  readonly quadratic: { readonly gradient: [number, number]; readonly hessian: [[number, number], [number, number]] };
  /** Hessian plane only: the eigenpairs and the check that `H̃ = diag(λ_max, λ_min)`. */
  readonly eigen?: {
    readonly lambdaMax: number;
    readonly lambdaMin: number;
    readonly residuals: [number, number];
    readonly converged: boolean;
    readonly isDiagonal: boolean;
    readonly deviation: number;
    readonly tolerance: number;
  };
  readonly lossEvaluations: number;
  readonly hvps: number;
  readonly seconds: number;
}

/** Options of {@link computeLandscape}. */
export interface LandscapeOptions {
  readonly plane: PlaneKind;
  /** Points per axis, in {@link GRID_RANGE} (default 41). */
  readonly grid?: number;
  /** Half-width of the square, `0 < span ≤ 1e6` (default 1). */
  readonly span?: number;
  readonly seed?: number;
  /** Random plane: the distribution of the two directions (default `'filter'`, as in Li et al.). */
  readonly distribution?: RandomDistribution;
  /** File plane: the two directions (checked here). */
  readonly directions?: readonly Float64Array[];
  readonly model?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Throws {@link CurvatureInputError} unless `grid` and `span` are in range. */
export function checkGridAndSpan(grid: number, span: number): void {
  if (!Number.isInteger(grid) || grid < GRID_RANGE.min || grid > GRID_RANGE.max) {
    throw new CurvatureInputError(`grid out of range: ${grid} points per axis (allowed: integers ${GRID_RANGE.min} to ${GRID_RANGE.max})`, { path: '--grid' });
  }
  if (!(span > 0) || !(span <= SPAN_MAX)) {
    throw new CurvatureInputError(`span out of range: ${span} (allowed: 0 < span ≤ ${SPAN_MAX})`, { path: '--span' });
  }
}

const now = (): number => Number(process.hrtime.bigint()) / 1e9;

/** Computes the landscape of `problem` on a `grid × grid` square of half-width `span`. */
export function computeLandscape(problem: CurvatureProblem, options: LandscapeOptions): LandscapeData {
  const grid = options.grid ?? 41;
  const span = options.span ?? 1;
  checkGridAndSpan(grid, span);
  const seed = options.seed ?? 0;
  const t0 = now();
  const n = problem.params;
  let eta: Float64Array;
  let del: Float64Array;
  let eigen: LandscapeData['eigen'];
  let H2: [[number, number], [number, number]] | undefined;
  let hvps = 0;
  let distribution: RandomDistribution | undefined;
  if (options.plane === 'hessian') {
    const hp = hessianPlane(problem, { seed, finiteDifference: false });
    eta = hp.top.eigenvector;
    del = hp.bottom.eigenvector;
    H2 = hp.sliceHessian;
    hvps += hp.hvps;
    eigen = {
      lambdaMax: hp.top.eigenvalue,
      lambdaMin: hp.bottom.eigenvalue,
      residuals: [hp.top.residual, hp.bottom.residual],
      converged: hp.top.converged && hp.bottom.converged,
      isDiagonal: hp.isDiagonal,
      deviation: hp.deviation,
      tolerance: hp.tolerance,
    };
  } else if (options.plane === 'random') {
    distribution = options.distribution ?? 'filter';
    const rng = createRng(seed, `landscape/${distribution}`);
    const groups = distribution === 'filter' || distribution === 'layer' ? directionGroups(problem, distribution) : undefined;
    eta = sampleDirection(problem, distribution, rng, groups);
    del = sampleDirection(problem, distribution, rng, groups);
    try {
      checkDirections([eta, del], n, `random ${distribution} plane`);
    } catch (e) {
      if (e instanceof CurvatureInputError && (distribution === 'filter' || distribution === 'layer')) {
        throw new CurvatureInputError(`${e.reason} (${distribution}-normalised directions vanish where the weights are zero; try --distribution unit)`, { path: e.path });
      }
      throw e;
    }
  } else {
    const dirs = options.directions;
    if (dirs === undefined || dirs.length !== 2) {
      throw new CurvatureInputError(`a plane needs two directions, the file gives ${dirs?.length ?? 0}`, { path: '--directions' });
    }
    checkDirections(dirs, n);
    [eta, del] = dirs as [Float64Array, Float64Array];
  }
  if (H2 === undefined) {
    const He = problem.hessian.matvec(toNumberArray(eta));
    const Hd = problem.hessian.matvec(toNumberArray(del));
    hvps += 2;
    const b = (dot(eta, Hd) + dot(del, He)) / 2;
    H2 = [
      [dot(eta, He), b],
      [b, dot(del, Hd)],
    ];
  }
  const center = problem.loss(problem.theta);
  let evals = 1;
  const thetaNorm = norm2(problem.theta);
  const n1 = norm2(eta);
  const n2 = norm2(del);
  const slope = (u: Float64Array, un: number): number => {
    const r = ridders(lineFunction((x) => problem.loss(x), problem.theta, u), 1, defaultStep(thetaNorm, un));
    evals += r.evaluations;
    return r.value;
  };
  const gradient: [number, number] = [slope(eta, n1), slope(del, n2)];
  const axis = Array.from({ length: grid }, (_, i) => -span + (2 * span * i) / (grid - 1));
  // The middle coordinate is exactly 0 for odd grids (avoid −span + span·(grid−1)/(grid−1) rounding).
  if (grid % 2 === 1) axis[(grid - 1) / 2] = 0;
  const loss: (number | null)[][] = [];
  const total = grid * grid;
  let done = 0;
  // The model's plane evaluator when it has one (deep linear nets: a matrix polynomial in α, β).
  const onPlane = problem.lossOnPlane?.(eta, del) ?? ((a: number, b: number): number => problem.loss(offset(problem.theta, a, eta, b, del)));
  for (const b of axis) {
    const row: (number | null)[] = [];
    for (const a of axis) {
      const v = onPlane(a, b);
      row.push(Number.isFinite(v) ? v : null);
      done++;
      options.onProgress?.(done, total);
    }
    loss.push(row);
  }
  evals += total;
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  let cuts: LandscapeData['cuts'];
  if (grid % 2 === 1) {
    const mid = (grid - 1) / 2;
    cuts = { alpha: [...(loss[mid] as (number | null)[])], beta: loss.map((row) => row[mid] ?? null) };
  } else {
    cuts = {
      alpha: axis.map((a) => finite(problem.loss(offset(problem.theta, a, eta)))),
      beta: axis.map((b) => finite(problem.loss(offset(problem.theta, b, del)))),
    };
    evals += 2 * grid;
  }
  return {
    format: 'dln-hessian-landscape',
    version: 1,
    model: options.model ?? problem.label,
    params: n,
    plane: options.plane,
    ...(distribution !== undefined ? { distribution } : {}),
    seed,
    grid,
    span,
    alpha: axis,
    beta: [...axis],
    loss,
    center,
    cuts,
    directionNorms: [n1, n2],
    cosine: dot(eta, del) / (n1 * n2),
    quadratic: { gradient, hessian: H2 },
    ...(eigen !== undefined ? { eigen } : {}),
    lossEvaluations: evals,
    hvps,
    seconds: now() - t0,
  };
}

/** The quadratic model `L(θ) + g₁α + g₂β + ½(H̃₁₁α² + 2H̃₁₂αβ + H̃₂₂β²)` of the plane. */
export function quadraticModel(data: Pick<LandscapeData, 'center' | 'quadratic'>, alpha: number, beta: number): number {
  const [g1, g2] = data.quadratic.gradient;
  const [[a, b], [, c]] = data.quadratic.hessian;
  return data.center + g1 * alpha + g2 * beta + 0.5 * (a * alpha * alpha + 2 * b * alpha * beta + c * beta * beta);
}
