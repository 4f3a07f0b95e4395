import * as tf from '@tensorflow/tfjs';
import { activate, columnMaxConstant, exp } from './activations.js';
import { matMul } from './matmul.js';
import { sum2d } from './vectors.js';
import type { DeviceModelHeader } from './protocol.js';

/** The loss as a function of the parameter tensors, the data captured as constants. */
export type LossFunction = (params: tf.Tensor[]) => tf.Scalar;

/**
 * The training loss written with tfjs ops only; it shares no formula with the closed forms.
 *
 * - deep linear, DMF: `L = (c/2)·‖W_N ⋯ W_1 − M‖²_F`;
 * - deep linear with data: `L = (c/2n)·‖W_N ⋯ W_1 X − Y‖²_F`;
 * - two-layer, squared: `L = (κ/2n)·‖W_2 σ(W_1 X + b_1) + b_2 − Y‖²_F` (each bias when present, broadcast over samples);
 * - two-layer, cross-entropy: `L = (1/n)·Σ_s (log Σ_i exp f_{is} − f_{y_s s})`, `f = W_2 σ(W_1 X + b_1) + b_2`.
 */
export function lossFunction(h: DeviceModelHeader, data: readonly tf.Tensor[]): LossFunction {
  if (h.kind === 'deep-linear') {
    if (h.objective === 'dmf') {
      const M = data[0] as tf.Tensor2D;
      return (W) => {
        let P = W[0] as tf.Tensor2D;
        for (let i = 1; i < W.length; i++) P = matMul(W[i] as tf.Tensor2D, P);
        return tf.mul(h.scale / 2, sum2d(tf.square(tf.sub(P, M))));
      };
    }
    const X = data[0] as tf.Tensor2D;
    const Y = data[1] as tf.Tensor2D;
    return (W) => {
      let Z = X;
      for (const Wi of W) Z = matMul(Wi as tf.Tensor2D, Z);
      return tf.mul(h.scale / (2 * h.samples), sum2d(tf.square(tf.sub(Z, Y))));
    };
  }
  const X = data[0] as tf.Tensor2D;
  // Squared loss: target values; cross-entropy: one-hot columns of the labels (c × n).
  const Y = data[1] as tf.Tensor2D;
  // Parameters in θ order: W_1, b_1?, W_2, b_2?.
  const forward = (P: tf.Tensor[]): tf.Tensor2D => {
    let k = 0;
    const W1 = P[k++] as tf.Tensor2D;
    const b1 = h.bias1 === true ? (P[k++] as tf.Tensor2D) : null;
    const W2 = P[k++] as tf.Tensor2D;
    const b2 = h.bias2 === true ? (P[k++] as tf.Tensor2D) : null;
    let Z = matMul(W1, X);
    if (b1 !== null) Z = tf.add(Z, b1);
    let out = matMul(W2, activate(h.activation, Z) as tf.Tensor2D);
    if (b2 !== null) out = tf.add(out, b2);
    return out;
  };
  if (h.loss === 'squared') {
    return (P) => tf.mul(h.scale / (2 * h.n), sum2d(tf.square(tf.sub(forward(P), Y))));
  }
  return (P) => {
    const f = forward(P);
    // log-sum-exp over classes with the column maximum as a shift (it does not change the value).
    const m = columnMaxConstant(f);
    const lse = tf.add(tf.squeeze(m, [0]), tf.log(tf.sum(exp(tf.sub(f, m)), 0)));
    const picked = tf.sum(tf.mul(f, Y), 0);
    return tf.div(tf.sum(tf.sub(lse, picked)), h.n);
  };
}
