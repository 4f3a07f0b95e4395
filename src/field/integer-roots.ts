import { bitLength } from './rational.js';

/** `⌊√n⌋` for a bigint `n ≥ 0` (Newton's method on integers, started above the root). */
export function integerSqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('square root of a negative integer');
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** `⌊n^{1/k}⌋` for a bigint `n ≥ 0` and an integer `k ≥ 1` (Newton's method on integers). */
export function integerRoot(n: bigint, k: number): bigint {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`root degree must be a positive integer, got ${k}`);
  if (n < 0n) throw new RangeError('root of a negative integer');
  if (k === 1 || n < 2n) return n;
  if (k === 2) return integerSqrt(n);
  const K = BigInt(k);
  // Start above the root: 2^⌈bits/k⌉ ≥ n^{1/k}; x' = ((k−1)x + n / x^{k−1}) / k decreases while above it.
  let x = 1n << BigInt(Math.ceil(bitLength(n) / k));
  for (;;) {
    const y = ((K - 1n) * x + n / x ** (K - 1n)) / K;
    if (y >= x) break;
    x = y;
  }
  while (x ** K > n) x -= 1n;
  while ((x + 1n) ** K <= n) x += 1n;
  return x;
}
