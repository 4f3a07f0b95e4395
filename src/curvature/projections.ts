/**
 * Curvature of random projections of the loss (arXiv 2208.13219, Böttcher & Wheeler; `docs/math.md §6`):
 * for random directions `η, δ`, the 1D curvatures `ηᵀHη` and the 2D slice Hessians
 * `H̃ = [[ηᵀHη, ηᵀHδ], [δᵀHη, δᵀHδ]]`, their sample moments next to the exact ones, and how often a
 * random 2D slice looks like a minimum, a maximum or a saddle next to the predictions.
 */
import { toNumberArray } from '../kernels/arrays.js';
import type { CurvatureProblem } from './problem.js';
import { directionGroups, RANDOM_DISTRIBUTIONS, sampleDirection, type RandomDistribution } from './directions.js';
import { createRng } from '../random/rng.js';
import { projectionMoments, type CurvatureReference, type ProjectionMoments } from './reference.js';
import {
  betaNegativeCurvature,
  classifySlice,
  cltSlicePrediction,
  gaussianSlicePrediction,
  negativeCurvatureProbability,
  spectrumSlicePrediction,
  type SliceKind,
  type SlicePrediction,
} from './saddle.js';
import { CurvatureInputError } from './errors.js';
import { normalCdf } from './special.js';
import { dot, meanVariance } from '../linalg/vectors.js';
import { defaultStep, lineFunction, ridders } from './finite-difference.js';

/** A sample statistic with its standard error. */
export interface SampleStat {
  readonly value: number;
  readonly standardError: number;
}

/** Fractions of the four looks of a 2D slice. */
export interface SliceFractions {
  readonly minimum: number;
  readonly maximum: number;
  readonly saddle: number;
  readonly degenerate: number;
}

/** The predictions a fraction is compared with; each says what it assumes. */
export interface Predictions {
  /** `P(ηᵀHη < 0)` exactly, from the spectrum by Imhof's formula (Gaussian and unit directions). */
  readonly negativeCurvatureExact?: number;
  /** `I_{1/2}(n₊/2, n₋/2)` with `n±` the numbers of positive and negative eigenvalues: exact when every `|λ_i|` is equal (`docs/math.md §6`). */
  readonly negativeCurvatureBeta?: number;
  /** `Φ(−mean/√variance)` from the exact moments (normal approximation, large n). */
  readonly negativeCurvatureNormal?: number;
  /** 2D looks as `n → ∞` (central limit): closed form for Gaussian/unit, numerical for the others. */
  readonly slices?: SlicePrediction;
  /** 2D looks for Gaussian/unit directions at this `n`, by Monte Carlo over the exact spectrum (no HVPs). */
  readonly slicesFromSpectrum?: SlicePrediction & { readonly samples: number };
  /** `tr H/‖H‖_F`, the parameter of the Gaussian prediction (0: traceless, `P(saddle) → 1/√2`). */
  readonly traceOverFrobenius?: number;
}

/** What the random slices of one distribution showed. */
export interface DistributionProjections {
  readonly distribution: RandomDistribution;
  /** Number of 2D slices (each gives two 1D curvatures). */
  readonly slices: number;
  readonly oneD: {
    /** `2·slices` curvatures `ηᵀHη`. */
    readonly samples: number;
    readonly mean: SampleStat;
    /** Unbiased sample variance. */
    readonly variance: number;
    readonly negativeFraction: SampleStat;
  };
  readonly twoD: {
    /** Sample means of `H̃₁₁`, `H̃₂₂` (each → `mean`) and of `H̃₁₂` (→ 0). */
    readonly meanDiagonal: [SampleStat, SampleStat];
    readonly meanOffDiagonal: SampleStat;
    /** Sample mean of `H̃₁₂²` (→ `offDiagonalVariance`). */
    readonly offDiagonalSecondMoment: SampleStat;
    readonly fractions: SliceFractions;
    /** Standard errors of the fractions, `√(p(1−p)/S)`. */
    readonly fractionErrors: SliceFractions;
  };
  /** Exact moments (`docs/math.md §6`), absent without a reference Hessian. */
  readonly exact?: ProjectionMoments;
  readonly predictions: Predictions;
  /** Mean `|cos ∠(η, δ)|` of the pairs (random directions in high dimension are nearly orthogonal). */
  readonly meanAbsCosine: number;
}

/** Options of {@link randomProjections}. */
export interface RandomProjectionsOptions {
  /** Number of random 2D slices per distribution (default 100); two HVPs each. */
  readonly samples?: number;
  readonly seed?: number;
  /** Distributions to sample (default all of {@link RANDOM_DISTRIBUTIONS}). */
  readonly distributions?: readonly RandomDistribution[];
  /** Exact values and the eigenvalues for the predictions (optional). */
  readonly reference?: CurvatureReference;
  readonly eigenvalues?: readonly number[];
  /** Called after each slice (progress). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The random-slice analysis of every requested distribution. */
export interface RandomProjections {
  readonly params: number;
  readonly seed: number;
  readonly distributions: DistributionProjections[];
  readonly hvps: number;
}

const stat = (xs: readonly number[]): SampleStat => {
  const { mean, variance } = meanVariance(xs);
  return { value: mean, standardError: xs.length > 1 ? Math.sqrt(variance / xs.length) : NaN };
};

/**
 * Samples `samples` random 2D slices per distribution (independent `η, δ`, two Hessian–vector
 * products per slice; the off-diagonal entry is the mean of `ηᵀ(Hδ)` and `δᵀ(Hη)`), and reports the
 * sample moments, the fractions of looks, and the predictions of {@link Predictions}.
 * Deterministic given `seed` (each distribution has its own stream).
 */
export function randomProjections(problem: CurvatureProblem, options: RandomProjectionsOptions = {}): RandomProjections {
  const samples = options.samples ?? 100;
  if (!Number.isInteger(samples) || samples < 1) throw new CurvatureInputError(`the number of samples must be a positive integer, got ${samples}`, { path: '--samples' });
  const seed = options.seed ?? 0;
  const dists = options.distributions ?? RANDOM_DISTRIBUTIONS;
  const n = problem.params;
  const H = problem.hessian;
  const total = samples * dists.length;
  let done = 0;
  const out: DistributionProjections[] = [];
  for (const dist of dists) {
    const rng = createRng(seed, `projections/${dist}`);
    const groups = dist === 'filter' || dist === 'layer' ? directionGroups(problem, dist) : undefined;
    if (groups !== undefined && groups.every((g) => g.radiusSq === 0)) {
      throw new CurvatureInputError(
        `degenerate or zero directions: every ${dist === 'filter' ? 'row of every weight matrix' : 'weight matrix'} is zero at this point, so ${dist}-normalised directions are zero; use gaussian, unit or rademacher directions`,
        { path: `--distribution ${dist}` },
      );
    }
    const curv: number[] = [];
    const d11: number[] = [];
    const d22: number[] = [];
    const off: number[] = [];
    const offSq: number[] = [];
    const kinds: SliceKind[] = [];
    let cosSum = 0;
    for (let s = 0; s < samples; s++) {
      const eta = sampleDirection(problem, dist, rng, groups);
      const del = sampleDirection(problem, dist, rng, groups);
      const He = H.matvec(toNumberArray(eta));
      const Hd = H.matvec(toNumberArray(del));
      const a = dot(eta, He);
      const c = dot(del, Hd);
      const b = (dot(eta, Hd) + dot(del, He)) / 2;
      curv.push(a, c);
      d11.push(a);
      d22.push(c);
      off.push(b);
      offSq.push(b * b);
      kinds.push(classifySlice(a, b, c));
      const ne = Math.sqrt(dot(eta, eta));
      const nd = Math.sqrt(dot(del, del));
      cosSum += ne > 0 && nd > 0 ? Math.abs(dot(eta, del)) / (ne * nd) : 0;
      done++;
      options.onProgress?.(done, total);
    }
    const frac = (k: SliceKind): number => kinds.filter((x) => x === k).length / samples;
    const fractions: SliceFractions = { minimum: frac('minimum'), maximum: frac('maximum'), saddle: frac('saddle'), degenerate: frac('degenerate') };
    const se = (p: number): number => Math.sqrt((p * (1 - p)) / samples);
    const negFrac = curv.filter((x) => x < 0).length / curv.length;
    const exact = options.reference !== undefined ? projectionMoments(problem, options.reference, dist) : undefined;
    out.push({
      distribution: dist,
      slices: samples,
      oneD: {
        samples: curv.length,
        mean: stat(curv),
        variance: meanVariance(curv).variance,
        negativeFraction: { value: negFrac, standardError: Math.sqrt((negFrac * (1 - negFrac)) / curv.length) },
      },
      twoD: {
        meanDiagonal: [stat(d11), stat(d22)],
        meanOffDiagonal: stat(off),
        offDiagonalSecondMoment: stat(offSq),
        fractions,
        fractionErrors: { minimum: se(fractions.minimum), maximum: se(fractions.maximum), saddle: se(fractions.saddle), degenerate: se(fractions.degenerate) },
      },
      ...(exact !== undefined ? { exact } : {}),
      predictions: predictionsFor(seed, dist, exact, options.reference, options.eigenvalues),
      meanAbsCosine: cosSum / samples,
    });
  }
  return { params: n, seed, distributions: out, hvps: 2 * total };
}

function predictionsFor(
  seed: number,
  dist: RandomDistribution,
  exact: ProjectionMoments | undefined,
  ref: CurvatureReference | undefined,
  eigenvalues: readonly number[] | undefined,
): Predictions {
  const p: { -readonly [K in keyof Predictions]: Predictions[K] } = {};
  const isotropic = dist === 'gaussian' || dist === 'unit';
  if (isotropic && eigenvalues !== undefined) {
    const mc = Math.min(20000, Math.max(2000, Math.ceil(2e7 / Math.max(eigenvalues.length, 1))));
    p.slicesFromSpectrum = spectrumSlicePrediction(eigenvalues, mc, createRng(seed, 'projections/spectrum'));
    const neg = negativeCurvatureProbability(eigenvalues);
    if (neg !== undefined) p.negativeCurvatureExact = neg;
    const scale = Math.max(0, ...eigenvalues.map(Math.abs));
    const zero = 1e-12 * scale;
    const nPlus = eigenvalues.filter((l) => l > zero).length;
    const nMinus = eigenvalues.filter((l) => l < -zero).length;
    if (nPlus + nMinus > 0) p.negativeCurvatureBeta = betaNegativeCurvature(nPlus, nMinus);
  }
  if (exact !== undefined && exact.variance.value > 0) p.negativeCurvatureNormal = normalCdf(-exact.mean.value / Math.sqrt(exact.variance.value));
  if (isotropic && ref?.trace !== undefined && ref.frobeniusSq !== undefined) {
    const g = gaussianSlicePrediction(ref.trace.value, ref.frobeniusSq.value);
    if (g !== undefined) p.slices = g;
    if (ref.frobeniusSq.value > 0) p.traceOverFrobenius = ref.trace.value / Math.sqrt(ref.frobeniusSq.value);
  } else if (exact !== undefined) {
    const c = cltSlicePrediction(exact.mean.value, exact.variance.value, exact.offDiagonalVariance.value);
    if (c !== undefined) p.slices = c;
  }
  return p;
}

/** The slice of the loss spanned by one or two given directions. */
export interface GivenSlice {
  /** `‖η‖`, `‖δ‖`. */
  readonly norms: number[];
  /** `[[ηᵀHη]]` or the 2×2 `H̃` (symmetrised off-diagonal). */
  readonly sliceHessian: number[][];
  /** The same curvatures per unit length, `ηᵀHη/‖η‖²` (and `δᵀHδ/‖δ‖²`). */
  readonly normalizedCurvatures: number[];
  /** Curvatures again from loss values alone (Richardson second differences), with their error estimates. */
  readonly finiteDifference: { readonly values: number[]; readonly errors: number[]; readonly lossEvaluations: number };
  /** 2D: the look of the slice; 1D: the sign of the curvature. */
  readonly kind: SliceKind | 'positive' | 'negative' | 'flat';
  readonly cosine?: number;
  readonly hvps: number;
}

/**
 * The slice along user-given directions (already checked with `checkDirections`): `H̃` from
 * Hessian–vector products, and the diagonal again from second differences of the loss.
 */
export function givenSlice(problem: CurvatureProblem, dirs: readonly Float64Array[]): GivenSlice {
  const H = problem.hessian;
  const products = dirs.map((d) => H.matvec(toNumberArray(d)));
  const norms = dirs.map((d) => Math.sqrt(dot(d, d)));
  const m = dirs.length;
  const S: number[][] = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => (i === j ? dot(dirs[i] as Float64Array, products[i] as number[]) : (dot(dirs[i] as Float64Array, products[j] as number[]) + dot(dirs[j] as Float64Array, products[i] as number[])) / 2)),
  );
  const thetaNorm = Math.sqrt(dot(problem.theta, problem.theta));
  const f0 = problem.loss(problem.theta);
  let evals = 1;
  const values: number[] = [];
  const errors: number[] = [];
  dirs.forEach((d, k) => {
    const r = ridders(lineFunction((x) => problem.loss(x), problem.theta, d), 2, defaultStep(thetaNorm, norms[k] as number), f0);
    values.push(r.value);
    errors.push(r.error);
    evals += r.evaluations;
  });
  const a = (S[0] as number[])[0] as number;
  let kind: GivenSlice['kind'];
  if (m === 2) kind = classifySlice(a, (S[0] as number[])[1] as number, (S[1] as number[])[1] as number);
  else kind = a === 0 ? 'flat' : a > 0 ? 'positive' : 'negative';
  return {
    norms,
    sliceHessian: S,
    normalizedCurvatures: dirs.map((_, k) => ((S[k] as number[])[k] as number) / (norms[k] as number) ** 2),
    finiteDifference: { values, errors, lossEvaluations: evals },
    kind,
    ...(m === 2 ? { cosine: dot(dirs[0] as Float64Array, dirs[1] as Float64Array) / ((norms[0] as number) * (norms[1] as number)) } : {}),
    hvps: m,
  };
}
