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
 * - two-layer, squared: `L = (κ/2n)·‖W_2 σ(W_1 X) − Y‖²_F`;
 * - two-layer, cross-entropy: `L = (1/n)·Σ_s (log Σ_i exp f_{is} − f_{y_s s})`, `f = W_2 σ(W_1 X)`.
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
  if (h.loss === 'squared') {
    return ([W1, W2]) => {
      const out = matMul(W2 as tf.Tensor2D, activate(h.activation, matMul(W1 as tf.Tensor2D, X)) as tf.Tensor2D);
      return tf.mul(h.scale / (2 * h.n), sum2d(tf.square(tf.sub(out, Y))));
    };
  }
  return ([W1, W2]) => {
    const f = matMul(W2 as tf.Tensor2D, activate(h.activation, matMul(W1 as tf.Tensor2D, X)) as tf.Tensor2D);
    // log-sum-exp over classes with the column maximum as a shift (it does not change the value).
    const m = columnMaxConstant(f);
    const lse = tf.add(tf.squeeze(m, [0]), tf.log(tf.sum(exp(tf.sub(f, m)), 0)));
    const picked = tf.sum(tf.mul(f, Y), 0);
    return tf.div(tf.sum(tf.sub(lse, picked)), h.n);
  };
}
