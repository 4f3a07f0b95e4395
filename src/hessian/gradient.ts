import { frobeniusSq, mul, scale, transpose, type Matrix } from '../linalg/matrix.js';
import type { NetworkPoint } from './point.js';

/**
 * The loss `L = (c/2)‖P − M‖_F²` (DMF) or `(c/2n)‖P X − Y‖_F²` (DLN), `c` the loss-scale factor.
 */
export function loss<S>(pt: NetworkPoint<S>): S {
  const F = pt.F;
  const half = F.inv(F.fromInt(2 * pt.samples));
  return F.mul(F.mul(pt.c, half), frobeniusSq(F, pt.error));
}

/**
 * The gradient of each layer, `∂L/∂W_i = c · A_iᵀ R B_iᵀ` (MATH.md §1–2), as matrices shaped like `W_i`.
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
