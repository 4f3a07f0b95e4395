/** Small dense-vector helpers in binary64 (θ-sized arrays): the one place for `dot`, norms and scaled sums. */

import { gemv } from '../kernels/dispatch.js';

/** A vector that can be read by index. */
export type Vec = ArrayLike<number>;

/** `xᵀy`. */
export function dot(x: Vec, y: Vec): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

/** `‖x‖₂`, scaled so that neither overflow nor underflow spoils it. */
export function norm2(x: Vec): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] as number));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const t = (x[i] as number) / m;
    s += t * t;
  }
  return m * Math.sqrt(s);
}

/** `θ + a·x + b·y` as a new plain array (`y` optional). */
export function offset(theta: Vec, a: number, x: Vec, b = 0, y?: Vec): number[] {
  const out = new Array<number>(theta.length);
  for (let i = 0; i < theta.length; i++) {
    let v = (theta[i] as number) + a * (x[i] as number);
    if (y !== undefined && b !== 0) v += b * (y[i] as number);
    out[i] = v;
  }
  return out;
}

/** `s·x` as a new array. */
export function scaled(x: Vec, s: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = s * (x[i] as number);
  return out;
}

/** Sample mean and unbiased sample variance (Welford); variance `NaN` for fewer than two samples. */
export function meanVariance(xs: readonly number[]): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  xs.forEach((x, k) => {
    const d = x - mean;
    mean += d / (k + 1);
    m2 += d * (x - mean);
  });
  return { mean: xs.length === 0 ? NaN : mean, variance: xs.length < 2 ? NaN : m2 / (xs.length - 1) };
}

/** The transpose of a column-major `rows × cols` array: the column-major `cols × rows` array. */
export function transposed(a: Vec, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) t[j + cols * i] = a[i + rows * j] as number;
  return t;
}

/** `‖x − y‖₂`, scaled like {@link norm2}. */
export function distance(x: Vec, y: Vec): number {
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = (x[i] as number) - (y[i] as number);
  return norm2(d);
}

const scalar = new Float64Array(1);

/**
 * `‖a‖₂` of a long binary64 vector as `√(aᵀa)` on the kernel layer (one read of `a`), falling back to
 * the scaled {@link norm2} when the sum of squares could have overflowed or underflowed.
 */
export function norm2F64(a: Float64Array): number {
  gemv(true, a.length, 1, 1, a, a, 0, scalar);
  const s = scalar[0] as number;
  if (s > 2 ** -960 && s < 2 ** 960) return Math.sqrt(s);
  return norm2(a);
}
