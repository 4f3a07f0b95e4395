import * as tf from '@tensorflow/tfjs';

/**
 * `A·B` with gradients `∂A = dY·Bᵀ`, `∂B = Aᵀ·dY` that avoid the wasm backend's slow kernels.
 *
 * tfjs's own gradient of `matMul` calls the kernel with transposed operands; the wasm backend's
 * kernel for those is 12–18× slower than for plain operands (1.7–2.4 against 30 GFLOP/s at
 * n = 512 here), which made a reverse-over-reverse HVP, mostly such products, 8× slower than its
 * flop count. On wasm the gradient therefore materialises `Bᵀ` and `Aᵀ` (a transpose costs about a
 * tenth of a product there) and multiplies plain operands, through this same rule again, so it
 * differentiates to any order. On the other backends transposed operands cost nothing extra (the
 * WebGL shader reads them in place) and tfjs's products with transpose flags are used.
 */
export const matMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const a = args[0] as tf.Tensor2D;
  const b = args[1] as tf.Tensor2D;
  (args[2] as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const d = dy as tf.Tensor2D;
      if (tf.getBackend() === 'wasm') return [matMul(d, tf.transpose(sb)), matMul(tf.transpose(sa), d)];
      return [tf.matMul(d, sb, false, true), tf.matMul(sa, d, true, false)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
