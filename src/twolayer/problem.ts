import { F64, Q } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import type { CurvatureProblem, ParameterBlock } from '../curvature/problem.js';
import type { Matrix } from '../linalg/matrix.js';
import { twoLayerHessian } from './dense.js';
import { parametersFromTheta, twoLayerTheta } from './hvp.js';
import { fastTwoLayerHessianOperator } from './hvp-f64.js';
import { assertTwoLayerExactFits } from './limits.js';
import { supportsExact, toFloat64TwoLayer, type TwoLayerDims, type TwoLayerModel } from './model.js';
import { prepareTwoLayerPoint, twoLayerLoss, type TwoLayerPoint } from './point.js';

/** A {@link CurvatureProblem} of a two-layer network, with the warnings met while preparing it. */
export interface TwoLayerCurvatureProblem extends CurvatureProblem {
  /** E.g. ReLU kinks handled by the convention `σ'(0) = σ''(0) = 0`. */
  readonly warnings: readonly string[];
  /** The float64 point the operator and the dense Hessian are built at. */
  readonly point: TwoLayerPoint<number>;
}

/**
 * The parameter blocks of `θ = (vec W_1, b_1, vec W_2, b_2)` in order: `W_1` (`h × d`), `b_1` (`h × 1`,
 * with a first-layer bias), `W_2` (`c × h`), `b_2` (`c × 1`, with an output bias).
 */
export function twoLayerParameterBlocks(dims: TwoLayerDims): ParameterBlock[] {
  const { d, h, c, bias1, bias2 } = dims;
  const blocks: ParameterBlock[] = [{ name: 'W_1', offset: 0, rows: h, cols: d }];
  let o = h * d;
  if (bias1) {
    blocks.push({ name: 'b_1', offset: o, rows: h, cols: 1 });
    o += h;
  }
  blocks.push({ name: 'W_2', offset: o, rows: c, cols: h });
  o += c * h;
  if (bias2) blocks.push({ name: 'b_2', offset: o, rows: c, cols: 1 });
  return blocks;
}

/** The warning for ReLU kinks in float64 (empty when there are none). */
export function kinkWarnings(pt: TwoLayerPoint<number>): string[] {
  if (pt.kinks.length === 0) return [];
  const k = pt.kinks[0] ?? { sample: 0, unit: 0 };
  return [
    `${pt.kinks.length} ReLU kink(s) (first: sample ${k.sample + 1}, hidden unit ${k.unit + 1}): the pre-activation is exactly 0 in float64, ` +
      `where σ' is not defined; the convention σ'(0) = σ''(0) = 0 is used (the Hessian there is one of the one-sided limits)`,
  ];
}

/**
 * The curvature problem of a two-layer network `f(x) = W_2 σ(W_1 x + b_1) + b_2` at its point (`docs/math.md §5`):
 * `θ = (vec W_1, b_1, vec W_2, b_2)` (absent biases take no place), the loss anywhere in binary64, the Hessian as the closed-form HVP
 * (binary64 kernels, `fastTwoLayerHessianOperator`),
 * the dense float64 Hessian, and the exact Hessian where the model has one (squared loss with
 * identity, quadratic or ReLU away from kinks: {@link supportsExact}; `null` otherwise, e.g. for
 * cross-entropy, tanh and sigmoid). `exactHessian` throws `KinkError` at a ReLU kink and
 * `LimitError` above the default exact size limits.
 */
export function twoLayerCurvatureProblem(model: TwoLayerModel<Rational>, label = `two-layer network (${model.activation}, ${model.loss})`): TwoLayerCurvatureProblem {
  const fmodel = toFloat64TwoLayer(model);
  const pt = prepareTwoLayerPoint(F64, fmodel);
  const theta = twoLayerTheta(pt);
  const blocks = twoLayerParameterBlocks(pt.dims);
  const at = (t: readonly number[]): TwoLayerModel<number> => {
    const { weights, biases } = parametersFromTheta(pt.dims, t);
    return { ...fmodel, weights, ...(biases !== undefined ? { biases } : {}) };
  };
  return {
    label,
    params: theta.length,
    theta,
    blocks,
    loss: (t) => twoLayerLoss(prepareTwoLayerPoint(F64, at(t))),
    hessian: fastTwoLayerHessianOperator(pt),
    denseHessian: (): Matrix<number> => twoLayerHessian(pt),
    exactHessian: () => twoLayerExactHessian(model),
    warnings: kinkWarnings(pt),
    point: pt,
  };
}

/** The exact Hessian of a two-layer network where the model has one ({@link supportsExact}), else `null`; refused above the default exact limits. */
export function twoLayerExactHessian(model: TwoLayerModel<Rational>): Matrix<Rational> | null {
  if (!supportsExact(model)) return null;
  assertTwoLayerExactFits(model);
  return twoLayerHessian(prepareTwoLayerPoint(Q, model));
}
