/**
 * The one interface the training-dynamics tools (`train`, `escape`) see of a model family: a parameter
 * vector `θ` and the closed forms at any `θ` (binary64). The families build it (`Network.trainable()`,
 * `families/`); the adapters are `deep-linear-trainable.ts` and `two-layer-trainable.ts`.
 */
import { F64 } from '../field/field.js';
import type { MinimizerTest } from '../families/minimizer.js';
import { frobeniusSq, mul, sub, transpose, type Matrix } from '../linalg/matrix.js';
import { spectralNorm } from '../linalg/svd-f64.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import type { ParameterBlock } from '../curvature/problem.js';

/** How `λ_max` was computed at one point. */
export interface SharpnessEstimate {
  /** The largest eigenvalue found. */
  readonly lambdaMax: number;
  /** `'reduced operator K'` (at a zero-loss minimizer of a deep linear net within rounding, by the one minimizer test: `λ_max` of the Gauss–Newton part) or `'Hessian'`. */
  readonly operator: 'reduced operator K' | 'Hessian';
  /** `‖A v − λ v‖` of the returned pair (fresh product). */
  readonly residual: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Whether a previous eigenvector started the Lanczos run. */
  readonly warmStarted: boolean;
  /**
   * With `operator = 'reduced operator K'`: a bound on the spectral norm of the residual part of the
   * Hessian, so that `|λ_max(H) − λ_max(K)| ≤ residualBound` (Weyl); 0 for the Hessian itself.
   */
  readonly residualBound: number;
  /** Opaque warm start for the next call (the eigenvector, tagged with its operator). */
  readonly warm: WarmStart;
}

/** A previous top eigenvector and the operator it belongs to. */
export interface WarmStart {
  readonly operator: SharpnessEstimate['operator'];
  readonly vector: readonly number[];
}

/**
 * The ansatz bounds of a deep linear network with whitened data (`Σ = I`), in the model's loss scale
 * `c`: `lower = c N ‖P‖₂^{2−2/N}`, `upper = c Σ_i ‖A_i‖₂²‖B_i‖₂²`. Both bound `λ_max` of the
 * Gauss–Newton part `c JᵀJ` at every point; the Hessian differs from it by the residual part, of
 * spectral norm at most `residualBound = c ‖R‖_F Σ_{i<j} ‖A_j‖₂ Π_{i<k<j}‖W_k‖₂ ‖B_i‖₂`, so
 * `lower − residualBound ≤ λ_max(H) ≤ upper + residualBound`.
 */
export interface AnsatzBounds {
  readonly lower: number;
  readonly upper: number;
  readonly residualBound: number;
}

/** Balance of the layers: norms, and `W_{i+1}ᵀW_{i+1} − W_iW_iᵀ` (conserved by gradient flow for linear layers). */
export interface BalanceMeasures {
  /** `‖W_i‖₂` for each layer. */
  readonly spectralNorms: readonly number[];
  /** `‖W_i‖_F` for each layer. */
  readonly frobeniusNorms: readonly number[];
  /** `‖W_{i+1}ᵀW_{i+1} − W_iW_iᵀ‖_F` for `i = 1..N−1` (empty when consecutive shapes do not allow it). */
  readonly imbalance: readonly number[];
}

/** The input–output Jacobian norm: the largest `‖∂f(x_s)/∂x_s‖₂` over the samples. */
export interface JacobianNorm {
  readonly value: number;
  /** The sample (0-based) where it is largest (0 for deep linear nets, where the Jacobian is `P` for every input). */
  readonly sample: number;
  readonly formula: string;
}

/** Options of {@link TrainableModel.sharpness}. */
export interface TrackedSharpnessOptions {
  readonly warm?: WarmStart;
  /** Lanczos residual tolerance: the pair is accepted when `‖Av − λv‖ ≤ tol·|λ|` (default 1e-8), so an eigenvalue lies within `tol·|λ|` of the value. */
  readonly tolerance?: number;
  readonly seed?: number;
}

/**
 * A model as training sees it: a parameter vector `θ` and the closed forms at any `θ` (binary64).
 * `θ` is ordered as the family's Hessian is: `(vec W_1, …, vec W_N)`, column-major.
 */
export interface TrainableModel {
  readonly family: 'deep-linear' | 'two-layer';
  /** E.g. `deep matrix factorization, widths 1,1,…,1`. */
  readonly label: string;
  readonly params: number;
  /** The model file's weights as `θ`. */
  readonly theta0: Float64Array;
  readonly blocks: readonly ParameterBlock[];
  /** Number of samples (minibatches are drawn from `0..samples−1`); 1 for deep matrix factorization. */
  readonly samples: number;
  /** Whether minibatches make sense (a loss that is a mean over samples). */
  readonly hasSamples: boolean;
  loss(theta: ArrayLike<number>): number;
  /** The loss, with `∇L(θ)` written into `out`. */
  lossAndGradient(theta: ArrayLike<number>, out: Float64Array): number;
  /** The minibatch loss `(1/|b|)Σ_{s∈b} ℓ_s` with its gradient written into `out`. */
  batchLossAndGradient(theta: ArrayLike<number>, batch: readonly number[], out: Float64Array): number;
  /** The Hessian at `θ` as a symmetric operator (closed-form HVP). */
  hessianOperator(theta: ArrayLike<number>): LinearOperator<number>;
  /** `λ_max` at `θ` by Lanczos (warm-started when given a previous vector). */
  sharpness(theta: ArrayLike<number>, options?: TrackedSharpnessOptions): SharpnessEstimate;
  jacobianNorm(theta: ArrayLike<number>): JacobianNorm;
  /** The relative residual of the fit (`‖P − M‖_F/‖M‖_F`, `‖PX − Y‖_F/‖Y‖_F`, `‖F − Y‖_F/‖Y‖_F`; the loss for cross-entropy). */
  relativeResidual(theta: ArrayLike<number>): number;
  /** The family's one minimizer test (`families/minimizer.ts`) at `θ`, in binary64. */
  minimizerTest(theta: ArrayLike<number>): MinimizerTest;
  /** The ansatz bounds at `θ`, or `{ unavailable }` with the reason when they do not apply (two-layer nets, data not whitened). */
  ansatz(theta: ArrayLike<number>): AnsatzBounds | { readonly unavailable: string };
  balance(theta: ArrayLike<number>): BalanceMeasures;
  /**
   * The flattest value `c N σ₁(M)^{2−2/N}`: the smallest `λ_max` over all minimizers of the target
   * (deep linear nets with whitened data; `null` otherwise).
   */
  readonly flattestValue: number | null;
  /** The model file (exact JSON, each weight the decimal of its binary64 value) with weights `θ`. */
  withTheta(theta: ArrayLike<number>): string;
}

/** `‖W_{i+1}ᵀW_{i+1} − W_iW_iᵀ‖_F` and the norms, for any chain of float matrices. */
export function balanceOf(weights: readonly Matrix<number>[], spectralNorms: readonly number[] = weights.map((W) => spectralNorm(W))): BalanceMeasures {
  const imbalance: number[] = [];
  for (let i = 0; i + 1 < weights.length; i++) {
    const W = weights[i] as Matrix<number>;
    const V = weights[i + 1] as Matrix<number>;
    const D = sub(F64, mul(F64, transpose(V), V), mul(F64, W, transpose(W)));
    imbalance.push(Math.sqrt(frobeniusSq(F64, D)));
  }
  return {
    spectralNorms: spectralNorms.slice(),
    frobeniusNorms: weights.map((W) => Math.sqrt(frobeniusSq(F64, W))),
    imbalance,
  };
}
