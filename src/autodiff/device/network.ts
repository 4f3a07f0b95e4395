import * as tf from '@tensorflow/tfjs';
import { activate, columnMaxConstant, exp, type DeviceActivation } from './activations.js';
import { matMul } from './matmul.js';
import { sum2d } from './vectors.js';

/**
 * What the device needs to know about a model besides its arrays: plain JSON, so it crosses into
 * the browser page unchanged. Arrays travel separately as row-major float32 in the order given by
 * {@link arrayShapes}: the weights first (`W_1` applied first), then the objective's arrays.
 */
export type DeviceModelHeader =
  | {
      readonly kind: 'deep-linear';
      /** `d_0, …, d_N`. */
      readonly widths: readonly number[];
      /** `'dmf'`: target `M` (`d_N × d_0`); `'dln'`: inputs `X` (`d_0 × n`) and targets `Y` (`d_N × n`). */
      readonly objective: 'dmf' | 'dln';
      readonly samples: number;
      /** Loss multiplier `c`: 1 for the `'half'` scale, 2 for `'sum'`. */
      readonly scale: number;
    }
  | {
      readonly kind: 'two-layer';
      readonly activation: DeviceActivation;
      readonly loss: 'squared' | 'cross-entropy';
      /** Input dimension `d`, hidden width `h`, outputs `c`, samples `n`. */
      readonly d: number;
      readonly h: number;
      readonly c: number;
      readonly n: number;
      /** Squared loss multiplier `κ` (1 or 2). */
      readonly scale: number;
    };

/** `[rows, cols]` of each array of a model, in transfer order. */
export function arrayShapes(h: DeviceModelHeader): [number, number][] {
  if (h.kind === 'deep-linear') {
    const w = h.widths;
    const shapes: [number, number][] = [];
    for (let i = 1; i < w.length; i++) shapes.push([w[i] as number, w[i - 1] as number]);
    const d0 = w[0] as number;
    const dN = w[w.length - 1] as number;
    if (h.objective === 'dmf') shapes.push([dN, d0]);
    else shapes.push([d0, h.samples], [dN, h.samples]);
    return shapes;
  }
  const shapes: [number, number][] = [
    [h.h, h.d],
    [h.c, h.h],
    [h.d, h.n],
    [h.c, h.n],
  ];
  return shapes;
}

/** How many of the arrays are parameters (the rest are data). */
export function parameterArrays(h: DeviceModelHeader): number {
  return h.kind === 'deep-linear' ? h.widths.length - 1 : 2;
}

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
