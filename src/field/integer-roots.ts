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
  // Start above the root; x' = ((k−1)x + n / x^{k−1}) / k then decreases while above it, and
  // converges quadratically once close. A start within a factor 2 (2^⌈bits/k⌉) would take about
  // k·ln 2 slow steps first, so start from a float estimate 2^{log2(n)/k} raised by 2^−20,
  // checked to be above the root (else the safe start is used).
  let x = floatStartAbove(n, k) ?? 1n << BigInt(Math.ceil(bitLength(n) / k));
  for (;;) {
    const y = ((K - 1n) * x + n / x ** (K - 1n)) / K;
    if (y >= x) break;
    x = y;
  }
  while (x ** K > n) x -= 1n;
  while ((x + 1n) ** K <= n) x += 1n;
  return x;
}

/** A start `x ≥ n^{1/k}` within a relative `2^−19` of the root, from floats, or `undefined` if the check fails. */
function floatStartAbove(n: bigint, k: number): bigint | undefined {
  const b = bitLength(n);
  const shift = Math.max(0, b - 64);
  const log2n = Math.log2(Number(n >> BigInt(shift))) + shift;
  const r = log2n / k + 2 ** -20; // log2 of the start: the root's, raised by a relative 2^−20·ln 2
  let x: bigint;
  if (r < 52) x = BigInt(Math.ceil(2 ** r)) + 1n;
  else {
    const e = Math.floor(r) - 52;
    x = (BigInt(Math.ceil(2 ** (r - e))) + 1n) << BigInt(e);
  }
  return x ** BigInt(k) > n ? x : undefined;
}
