import * as tf from '@tensorflow/tfjs';
import type { DeviceActivation } from './protocol.js';

/**
 * Activations whose gradients are written in terms of their *inputs*, so that differentiating
 * twice (Hessian–vector products) is correct.
 *
 * tfjs's own gradients of `tanh`, `sigmoid` and `exp` reuse the forward output `y` (for example
 * `∂tanh = dy·(1 − y²)`), which the tape of an outer `tf.grad` cannot connect back to `x`: nested
 * gradients through them fail or are wrong (tfjs issue 3252). Here each gradient calls the
 * activation itself on the saved input, so the outer tape differentiates it again, to any order:
 *
 * - `tanh'(x) = 1 − tanh(x)²`
 * - `σ'(x) = σ(x)(1 − σ(x))` for the logistic sigmoid
 * - `exp'(x) = exp(x)`
 *
 * ReLU, the identity and `x²` need nothing special: tfjs's rules for them are functions of `x`.
 */
export const tanh = inputBased(tf.tanh, (x) => tf.sub(1, tf.square(tanh(x))));

/** The logistic sigmoid `σ`, with `σ' = σ(1 − σ)` computed from the input (see {@link tanh}). */
export const sigmoid = inputBased(tf.sigmoid, (x) => {
  const s = sigmoid(x);
  return tf.mul(s, tf.sub(1, s));
});

/** `exp` with `exp' = exp` computed from the input (see {@link tanh}); used by the softmax cross-entropy. */
export const exp = inputBased(tf.exp, (x) => exp(x));

/** A unary op whose gradient `dy·f'(x)` is computed from the saved input `x`. */
function inputBased(forward: (x: tf.Tensor) => tf.Tensor, derivative: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([x]);
    return { value: forward(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, derivative(saved[0] as tf.Tensor)) };
  });
}

/**
 * The column maxima of a matrix as a constant (zero gradient): the shift of a log-sum-exp, which
 * does not change its value. Computed inside `customGrad` so that no `max` enters the tape (its
 * gradient uses `equal`, which has no gradient of its own and would stop a second differentiation).
 */
export const columnMaxConstant = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.max(x, 0, true), gradFunc: () => tf.zerosLike(x) };
}) as (x: tf.Tensor) => tf.Tensor;

/** The activation names of two-layer model files (same list as the closed forms). */
export type { DeviceActivation } from './protocol.js';

/** `σ(z)` for a two-layer network, written with twice-differentiable rules. */
export function activate(name: DeviceActivation, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'identity':
      return z;
    case 'relu':
      return tf.relu(z);
    case 'quadratic':
      return tf.square(z);
    case 'tanh':
      return tanh(z);
    case 'sigmoid':
      return sigmoid(z);
  }
}
