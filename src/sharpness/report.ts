import { InputError } from '../errors/input-error.js';
import type { MinimizerTest } from '../families/minimizer.js';
import type { FormulaComparison } from './formulas.js';
import type { ResidualPartBound } from './residual-bound.js';
import type { RationalEnclosure, VerifiedCertificate } from './verified.js';

/** Thrown when a minimizer is required and the point is not one; the message states the residual. */
export class NotAMinimizerError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'NotAMinimizerError';
  }
}

/** Limits and tolerances of `analyzeSharpness`. */
export interface SharpnessOptions {
  /**
   * Certify `λ_max` (default false): in exact rational arithmetic at exact minimizers, by verified
   * binary64 arithmetic (a proven enclosure of the exact Hessian's `λ_max`) at any other point.
   */
  readonly exact?: boolean;
  /** Width of the exact enclosure below `10^−digits` when `λ_max` is irrational (default 12). */
  readonly digits?: number;
  /** Analyse a point that is not a (near-)minimizer (reports `λ_max` and `λ_min` of the full Hessian). */
  readonly allowNonMinimizer?: boolean;
  /** Relative residual tolerance of the Lanczos runs (default 1e-10). */
  readonly lanczosTolerance?: number;
  readonly seed?: number;
  /** Largest reduced problem diagonalised densely (default 1200); Lanczos above. */
  readonly maxDenseReduced?: number;
  /** Largest Hessian diagonalised densely (default 1500 parameters); Lanczos on the HVP above. */
  readonly maxDenseHessian?: number;
  /** Largest reduced problem certified exactly (default 400). */
  readonly maxExactReduced?: number;
  /** Largest matrix (rows of `K` or `H`) certified by verified binary64 arithmetic (default 3000). */
  readonly maxVerified?: number;
  /** Largest width for which `--exact` evaluates the known formulas in rational interval arithmetic (default 64). */
  readonly maxExactFormulaWidth?: number;
  /** Report wall-clock seconds per method (default false: the report is then identical for identical inputs). */
  readonly timings?: boolean;
  /** Called as each method starts (e.g. `"reduced operator K (Lanczos, 65536×65536)"`), for progress output. */
  readonly onStage?: (stage: string) => void;
  /** Called during Lanczos runs with `(stage, iterations, maxIterations)`, for a progress line with the time left. */
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

/** One way of computing `λ_max`, with how it went. */
export interface MethodResult {
  readonly name: string;
  readonly value: number;
  readonly iterations: number;
  /** `‖A v − λ v‖` of the returned eigenpair (0 for exact methods). */
  readonly residual: number;
  /** Wall-clock seconds, only with the `timings` option. */
  readonly seconds?: number;
}

/**
 * The certified value of `λ_max`: a rational; an enclosure and the polynomial it is a root of (both
 * in exact rational arithmetic at exact minimizers, `method: 'exact'`); or a proven enclosure of the
 * exact Hessian's `λ_max` by verified binary64 arithmetic (`method: 'verified-binary64'`) at points
 * given in floating point or decimals.
 */
export type ExactLambda =
  | { readonly method: 'exact'; readonly value: string; readonly evidence: readonly string[] }
  | { readonly method: 'exact'; readonly lower: string; readonly upper: string; readonly polynomial: string; readonly evidence: readonly string[] }
  | ({ readonly method: 'verified-binary64'; readonly lower: string; readonly upper: string } & Omit<VerifiedCertificate, 'lambdaMax'>);

/** At a near-minimizer: the Gauss–Newton value and how far the residual part can move `λ_max`. */
export interface GaussNewtonPart {
  /** `λ_max(K)` = `λ_max` of the Gauss–Newton part (float). */
  readonly lambdaMax: number;
  /** A rigorous upper bound `ρ ≥ ‖H_res‖₂`: `|λ_max(H) − λ_max(K)| ≤ ρ` (Weyl). */
  readonly residualBound: number;
  readonly bound: ResidualPartBound;
}

export interface SharpnessReport {
  /** `'dmf'`, `'dln'` or `'two-layer'`. */
  readonly kind: 'dmf' | 'dln' | 'two-layer';
  readonly widths: readonly number[];
  readonly params: number;
  /** The loss convention every value is in (`docs/conventions.md`). */
  readonly reduction?: import('../models/reduction.js').Reduction;
  /** The best value of `λ_max` of the full Hessian at the point. */
  readonly lambdaMax: number;
  /** `λ_min` of the full Hessian (only for points that are not minimizers). */
  readonly lambdaMin?: number;
  /** Treated as a zero-loss minimizer (`exact-minimizer` or `minimizer-within-rounding`). */
  readonly isMinimizer: boolean;
  /** The minimizer test (`families/minimizer.ts`): its verdict and how it was decided. */
  readonly minimizerCheck: MinimizerTest;
  readonly exact?: ExactLambda;
  /** Verified route: the proven enclosure of `λ_min`, when the route gives one. */
  readonly exactLambdaMin?: RationalEnclosure;
  /** Near-minimizers: the Gauss–Newton (`K`) value and the residual-part bound beside `lambdaMax`. */
  readonly gaussNewton?: GaussNewtonPart;
  readonly methods: readonly MethodResult[];
  readonly formulas: readonly FormulaComparison[];
  /** The rank-one maximum (a numerical local maximum, a lower bound of `λ_max`). */
  readonly rankOneMaximum?: number;
  /**
   * The top eigenvector of `K` reshaped to `d_N × d_0` (column-major), with all its singular values
   * (descending) and its numerical rank: the singular values above `max(d_N, d_0)·ε·s₁` (ε = 2^-52,
   * the usual rank tolerance of a binary64 SVD).
   */
  readonly topEigenvector?: { readonly rows: number; readonly cols: number; readonly entries: readonly number[]; readonly singularValues: readonly number[]; readonly numericalRank: number };
  /** The reduced problem's form and size. */
  readonly reduced?: { readonly form: string; readonly size: number };
  /** `2/λ_max`: the largest step size for which gradient descent is linearly stable here. */
  readonly maxStableStep: number;
  /** What could not be done or certified, and why (e.g. a failed verification: the float value stands, uncertified). */
  readonly notes?: readonly string[];
}
