import type { DeviceInfo } from './device/protocol.js';

/**
 * The floating-point format a backend computes in. Every tfjs backend stores float32 tensors
 * (the cpu backend too: its kernels work on `Float32Array`s); WebGL falls back to half precision
 * on devices without float32 render targets. Tolerances are derived from the unit roundoff here,
 * never tuned to observed errors.
 */
export interface Precision {
  readonly name: 'float64' | 'float32' | 'float16';
  /** Unit roundoff `u = 2^{−t}` (`t` = significand bits including the hidden bit). */
  readonly unitRoundoff: number;
}

export const FLOAT64: Precision = { name: 'float64', unitRoundoff: 2 ** -53 };
export const FLOAT32: Precision = { name: 'float32', unitRoundoff: 2 ** -24 };
export const FLOAT16: Precision = { name: 'float16', unitRoundoff: 2 ** -11 };

/** The precision a started backend declares. */
export function precisionOf(info: DeviceInfo): Precision {
  return info.float32 ? FLOAT32 : FLOAT16;
}

/**
 * The confidence constant `λ` of the probabilistic rounding-error bound (Higham & Mary, SIAM J.
 * Sci. Comput. 41(5), 2019, Thm 2.4): an inner product of length `n` computed in precision `u`
 * has relative error at most `λ√n·u` (relative to `|a|ᵀ|b|`) with probability at least
 * `1 − 2·exp(−λ²(1−u)²/2)`; `λ = 6` gives a failure probability below 3·10⁻⁸ per inner product.
 */
export const ROUNDING_CONFIDENCE = 6;

/** The sizes that set how much rounding error a loss, gradient or HVP evaluation accumulates. */
export interface RoundingModel {
  /** The longest inner dimension of any product (a layer width or the sample count). */
  readonly innerDimension: number;
  /**
   * The number of length-`n` inner products along the longest chain of the evaluation: for a
   * Hessian–vector product by reverse-over-reverse differentiation of an `N`-layer network, the
   * forward pass, the backward pass and their differentials, `4N + 2` (the `+2` is the objective's
   * own product with data and the inner product with `v`), plus 2 for the two-stage sums of the
   * loss and of the Lanczos inner products (an `r × c` array summed by rows, then the row sums:
   * `λ(√r + √c)u ≤ 2λ√n·u`): `4N + 4`.
   */
  readonly chainLength: number;
}

/** The rounding model of a model's HVP: `innerDimension = max(widths, samples)`, `chainLength = 4N + 4`. */
export function roundingModel(widths: readonly number[], samples: number): RoundingModel {
  return { innerDimension: Math.max(...widths, samples), chainLength: 4 * (widths.length - 1) + 4 };
}

/**
 * Relative error bound of an evaluation in precision `p`: `γ = chainLength · λ√n · u` (the
 * first-order sum of one probabilistic inner-product bound per product in the chain, plus the
 * rounding of the inputs themselves, which is one more `u` per layer and is covered by the `+2`).
 * Errors are measured against the *magnitude* of the quantity (see `docs/autodiff.md`): `|λ_max|`
 * for eigenvalues, `‖H‖·‖v‖` for products, the loss scale for losses.
 */
export function relativeTolerance(p: Precision, m: RoundingModel): number {
  return m.chainLength * ROUNDING_CONFIDENCE * Math.sqrt(m.innerDimension) * p.unitRoundoff;
}
