/**
 * A named tensor read from (or to be written to) a tensor file.
 *
 * Values are held as binary64 numbers, which is exact for every supported dtype (binary16,
 * bfloat16 and binary32 are subsets of binary64; integers are limited to ±2^53). Storage order is
 * row-major (C order, the last index fastest), as in NumPy's default, PyTorch and safetensors.
 */
import type { DType } from './dtypes.js';

/** One tensor of a file, with its values in row-major order. */
export interface Tensor {
  /** The key in the file (`fc1.weight`, `inputs`). */
  readonly name: string;
  readonly dtype: DType;
  /** Dimensions, outermost first (PyTorch's `tensor.shape`); `[]` for a scalar. */
  readonly shape: readonly number[];
  /** `Π shape` values, row-major, each exactly the stored value. */
  readonly values: Float64Array;
}

/** A tensor file: its tensors in the order the file stores them. */
export interface TensorFile {
  /** The path the file was read from (as given). */
  readonly path: string;
  readonly format: TensorFormat;
  readonly tensors: readonly Tensor[];
  /** safetensors `__metadata__` (string to string), empty for `.npz`. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** `'npz'`: a NumPy zip archive of `.npy` arrays; `'safetensors'`: Hugging Face safetensors. */
export type TensorFormat = 'npz' | 'safetensors';

/** The tensor formats, in the order messages list them. */
export const TENSOR_FORMATS: readonly TensorFormat[] = ['npz', 'safetensors'];

/** Number of elements of a shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `(3, 4)`, as PyTorch and NumPy print shapes. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The tensor called `name`, if any. */
