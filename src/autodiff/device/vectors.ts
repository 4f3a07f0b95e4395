import * as tf from '@tensorflow/tfjs';
import { mulberry32, standardNormal } from '../../random/mulberry32.js';

/**
 * A vector of parameter space kept on the backend: one tensor per parameter array (the shapes of
 * the weights), so that Hessian–vector products and the Lanczos basis never leave the device.
 */
export type DeviceVector = tf.Tensor[];

/**
 * The sum of the entries of a matrix in two stages, rows first, then the row sums: a rounding error
 * growing like `√r + √c` instead of `√(rc)` where a backend sums sequentially (wasm, cpu: a
 * sequential float32 sum of the 3·10⁶ entries of a width-1024 parameter vector drifts by ~10⁻⁴).
 */
export function sum2d(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => (x.rank === 2 ? tf.sum(tf.sum(x, 1)) : tf.sum(x)) as tf.Scalar);
}

/** `⟨a, b⟩` as a scalar tensor (no read-back), each array summed in two stages ({@link sum2d}). */
export function dot(a: DeviceVector, b: DeviceVector): tf.Scalar {
  return tf.tidy(() => tf.addN(a.map((ai, i) => sum2d(tf.mul(ai, b[i] as tf.Tensor)))) as tf.Scalar);
}

/** `a + s·b` with `s` a number or a scalar tensor. */
export function axpy(a: DeviceVector, s: number | tf.Scalar, b: DeviceVector): DeviceVector {
  return tf.tidy(() => a.map((ai, i) => tf.add(ai, tf.mul(s, b[i] as tf.Tensor))));
}

/** `s·a`. */
export function scaleVector(s: number | tf.Scalar, a: DeviceVector): DeviceVector {
  return tf.tidy(() => a.map((ai) => tf.mul(s, ai)));
}

/** Disposes every tensor of the vectors. */
export function disposeVectors(...vs: DeviceVector[]): void {
  for (const v of vs) tf.dispose(v);
}

/** Reads scalar tensors back in one transfer (and disposes them). */
export async function readScalars(...s: tf.Scalar[]): Promise<number[]> {
  const stacked = tf.stack(s);
  const values = Array.from(await stacked.data());
  tf.dispose([stacked, ...s]);
  return values;
}

/**
 * A standard normal vector drawn from mulberry32 (Box–Muller) in the given shapes: the same numbers
 * on every backend for a given seed.
 */
export function randomVector(shapes: readonly (readonly [number, number])[], seed: number): DeviceVector {
  const rand = mulberry32(seed);
  return shapes.map(([r, c]) => {
    const data = new Float32Array(r * c);
    for (let i = 0; i < data.length; i++) data[i] = standardNormal(rand);
    return tf.tensor2d(data, [r, c]);
  });
}

/** Copies a device vector to the host (row-major float32 per array). */
export async function download(v: DeviceVector): Promise<Float32Array[]> {
  return Promise.all(v.map(async (t) => (await t.data()) as Float32Array));
}
