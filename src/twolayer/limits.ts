import type { Rational } from '../field/rational.js';
import { assertEstimateFits, commonDenominatorEntryBits, DEFAULT_EXACT_LIMITS, type ExactEstimate, type ExactLimits } from '../hessian/limits.js';
import { fromColumnMajor } from '../linalg/matrix.js';
import { twoLayerDims, type TwoLayerModel } from './model.js';

/**
 * Estimates the size of the exact dense Hessian of a two-layer model. A Hessian entry is a sum over
 * the `n` samples of products of at most `g` input entries, `g = 6` for identity and ReLU
 * (`x x W_2 W_2`, `x σ' r` with `r` of degree 3) and `g = 10` for the quadratic activation
 * (`σ' = 2 W_1 x` and `σ = (W_1 x)²` raise the degree); the estimate is
 * `(g + 2)·inputBits + log2(n) + 2·log2(max width)` bits per entry.
 */
export function estimateTwoLayerExactHessian(model: TwoLayerModel<Rational>): ExactEstimate {
  const { d, h, c, n, params } = twoLayerDims(model);
  const t = model.data.targets;
  // Biases are entries of the augmented weights [W_l b_l] (one more column each).
  const biases = [model.biases?.b1, model.biases?.b2].filter((b): b is readonly Rational[] => b !== undefined).map((b) => fromColumnMajor(b.length, 1, b));
  const mats = [...model.weights, ...biases, model.data.inputs, ...(t.kind === 'values' ? [t.values] : [])];
  const inputBits = commonDenominatorEntryBits(mats);
  const g = model.activation === 'quadratic' ? 10 : 6;
  const entry = Math.ceil((g + 2) * inputBits + Math.log2(Math.max(2, n)) + 2 * Math.log2(Math.max(2, d, h, c)));
  return { params, inputBits, entryBits: entry, hessianBits: params * params * entry };
}

/** Throws `LimitError` when the exact dense Hessian of a two-layer model exceeds `limits`. */
export function assertTwoLayerExactFits(model: TwoLayerModel<Rational>, limits: ExactLimits = DEFAULT_EXACT_LIMITS): ExactEstimate {
  return assertEstimateFits(estimateTwoLayerExactHessian(model), limits);
}
