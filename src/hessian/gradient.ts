import type { Field } from '../field/field.js';
import { frobeniusSq, mul, scale, ShapeError, sub, transpose, type Matrix } from '../linalg/matrix.js';
import { specLossCoefficient, type NetworkPoint, type NetworkSpec } from './point.js';

/**
 * The loss `L = (c/2)‖P − M‖_F²` (DMF) or `(c/2n)‖P X − Y‖_F²` (DLN), `c` the loss-scale factor.
 */
export function loss<S>(pt: NetworkPoint<S>): S {
  const F = pt.F;
  const half = F.inv(F.fromInt(2 * pt.samples));
  return F.mul(F.mul(pt.c, half), frobeniusSq(F, pt.error));
}

/**
 * The loss at the weights of `spec` without preparing a point: only the forward product
 * (`N − 1` products for DMF; `W_N(⋯(W_1 X))` with data), for the many loss evaluations of landscapes
 * and finite differences. Same value as {@link loss} of `preparePoint(F, spec)`.
 */
export function lossAt<S>(F: Field<S>, spec: NetworkSpec<S>): S {
  const obj = spec.objective;
  let Z: Matrix<S> | null = obj.kind === 'dmf' ? null : obj.inputs;
  for (const W of spec.weights) Z = Z === null ? W : mul(F, W, Z);
  if (Z === null) throw new ShapeError('a network needs at least one layer');
  const ref = obj.kind === 'dmf' ? obj.target : obj.targets;
  const n = obj.kind === 'dmf' ? 1 : obj.inputs.cols;
  const c = specLossCoefficient(F, spec);
  return F.mul(F.mul(c, F.inv(F.fromInt(2 * n))), frobeniusSq(F, sub(F, Z, ref)));
}

/**
 * The gradient of each layer, `∂L/∂W_i = c · A_iᵀ R B_iᵀ` (`docs/math.md §1–2`), as matrices shaped like `W_i`.
 */
export function gradient<S>(pt: NetworkPoint<S>): Matrix<S>[] {
  const F = pt.F;
  return pt.weights.map((_, i) => {
    const g = mul(F, mul(F, transpose(pt.A[i] as Matrix<S>), pt.R), transpose(pt.B[i] as Matrix<S>));
    return F.eq(pt.c, F.one) ? g : scale(F, pt.c, g);
  });
}

/** The gradient as one vector `(vec ∂L/∂W_1, …, vec ∂L/∂W_N)` (column-major). */
export function gradientVector<S>(pt: NetworkPoint<S>): S[] {
  return gradient(pt).flatMap((g) => g.data.slice());
}

/** `‖∇L‖²`. */
export function gradientNormSq<S>(pt: NetworkPoint<S>): S {
  const F = pt.F;
  return gradient(pt).reduce((s, g) => F.add(s, frobeniusSq(F, g)), F.zero);
}
