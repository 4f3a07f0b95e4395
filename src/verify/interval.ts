/**
 * Rigorous interval arithmetic over exact rationals.
 *
 * An {@link Interval} `[lo, hi]` stands for one unknown real number `x` with `lo ≤ x ≤ hi`; when
 * `lo = hi` the number is known exactly. Every operation returns an interval that contains every
 * possible result: `+ − × ÷`, absolute value, max/min and integer powers are computed exactly on
 * the endpoints (their results are rational); square roots and rational powers `x^(p/q)` are
 * bounded by bigint integer roots at a chosen precision and rounded outward, so the enclosure is
 * rigorous and at most about `2^−bits` wide relative to the value (exact when the root is rational).
 *
 * Nothing here uses floating point for a decision; `toNumber` is for display only.
 */
import { integerRoot, integerSqrt } from '../field/integer-roots.js';
import { bigGcd, bitLength, Rational } from '../field/rational.js';

/** An enclosure `lo ≤ x ≤ hi` of a real number; exact when `lo` equals `hi`. */
export interface Interval {
  readonly lo: Rational;
  readonly hi: Rational;
}

/** Outcome of {@link compare}: `'less'` when every point of `a` is below every point of `b`. */
export type IntervalOrder = 'less' | 'greater' | 'overlap';

/** An operation with no defined result on the given enclosure (division by an interval holding 0, …). */
export class IntervalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntervalError';
  }
}

/** The exact value `q` as an interval. */
export function point(q: Rational): Interval {
  return { lo: q, hi: q };
}

/** `[lo, hi]`; throws when `lo > hi`. */
export function interval(lo: Rational, hi: Rational): Interval {
  if (lo.compare(hi) > 0) throw new IntervalError(`empty interval [${lo}, ${hi}]`);
  return { lo, hi };
}

/** Whether the interval is a single exact value. */
export function isPoint(a: Interval): boolean {
  return a.lo.equals(a.hi);
}

/** `hi − lo`. */
export function width(a: Interval): Rational {
  return a.hi.sub(a.lo);
}

/** Whether `q` lies in `a`. */
export function contains(a: Interval, q: Rational): boolean {
  return a.lo.compare(q) <= 0 && q.compare(a.hi) <= 0;
}

/** Whether `0` lies in `a`. */
export function containsZero(a: Interval): boolean {
  return a.lo.sign() <= 0 && a.hi.sign() >= 0;
}

/** `'less'` if `a.hi < b.lo`, `'greater'` if `a.lo > b.hi`, otherwise `'overlap'` (they share a point). */
export function compare(a: Interval, b: Interval): IntervalOrder {
  if (a.hi.compare(b.lo) < 0) return 'less';
  if (a.lo.compare(b.hi) > 0) return 'greater';
  return 'overlap';
}

/** The smallest interval containing both. */
export function hull(a: Interval, b: Interval): Interval {
  return { lo: minQ(a.lo, b.lo), hi: maxQ(a.hi, b.hi) };
}

function minQ(a: Rational, b: Rational): Rational {
  return a.compare(b) <= 0 ? a : b;
}

function maxQ(a: Rational, b: Rational): Rational {
  return a.compare(b) >= 0 ? a : b;
}

export function add(a: Interval, b: Interval): Interval {
  return { lo: a.lo.add(b.lo), hi: a.hi.add(b.hi) };
}

export function sub(a: Interval, b: Interval): Interval {
  return { lo: a.lo.sub(b.hi), hi: a.hi.sub(b.lo) };
}

export function neg(a: Interval): Interval {
  return { lo: a.hi.neg(), hi: a.lo.neg() };
}

export function mul(a: Interval, b: Interval): Interval {
  if (isPoint(a) && isPoint(b)) return point(a.lo.mul(b.lo));
  // Common fast path: both non-negative.
  if (a.lo.sign() >= 0 && b.lo.sign() >= 0) return { lo: a.lo.mul(b.lo), hi: a.hi.mul(b.hi) };
  const p = [a.lo.mul(b.lo), a.lo.mul(b.hi), a.hi.mul(b.lo), a.hi.mul(b.hi)];
  return { lo: p.reduce(minQ), hi: p.reduce(maxQ) };
}

/** `1 / a`; throws {@link IntervalError} when `0 ∈ a`. */
export function inv(a: Interval): Interval {
  if (containsZero(a)) {
    throw new IntervalError(isPoint(a) ? 'division by zero' : `division by an enclosure that contains 0: [${a.lo.toDecimal(6)}, ${a.hi.toDecimal(6)}]`);
  }
  return { lo: a.hi.inv(), hi: a.lo.inv() };
}

/** `a / b`; throws {@link IntervalError} when `0 ∈ b`. */
export function div(a: Interval, b: Interval): Interval {
  return mul(a, inv(b));
}

export function abs(a: Interval): Interval {
  if (a.lo.sign() >= 0) return a;
  if (a.hi.sign() <= 0) return neg(a);
  return { lo: Rational.ZERO, hi: maxQ(a.lo.neg(), a.hi) };
}

/** Enclosure of `max(x, y)` for `x ∈ a`, `y ∈ b`. */
export function max(a: Interval, b: Interval): Interval {
  return { lo: maxQ(a.lo, b.lo), hi: maxQ(a.hi, b.hi) };
}

/** Enclosure of `min(x, y)` for `x ∈ a`, `y ∈ b`. */
export function min(a: Interval, b: Interval): Interval {
  return { lo: minQ(a.lo, b.lo), hi: minQ(a.hi, b.hi) };
}

/** `a^k` for an integer `k` (exact on the endpoints); negative `k` needs `0 ∉ a`. */
export function powInt(a: Interval, k: number): Interval {
  if (!Number.isInteger(k)) throw new IntervalError(`integer exponent required, got ${k}`);
  if (k === 0) return point(Rational.ONE);
  if (k < 0) return inv(powInt(a, -k));
  if (isPoint(a)) return point(a.lo.pow(k));
  if (k % 2 === 1 || a.lo.sign() >= 0) return { lo: a.lo.pow(k), hi: a.hi.pow(k) };
  if (a.hi.sign() <= 0) return { lo: a.hi.pow(k), hi: a.lo.pow(k) };
  return { lo: Rational.ZERO, hi: maxQ(a.lo.pow(k), a.hi.pow(k)) };
}

/**
 * `a^k` for an integer `k ≥ 0` with the endpoints' powers rounded outward to about `bits`
 * significant bits at every step (square and multiply), so a long power of an inexact enclosure
 * stays short; exact for a point (see {@link powInt}).
 */
export function powIntOutward(a: Interval, k: number, bits: number): Interval {
  if (!Number.isInteger(k) || k < 0) throw new IntervalError(`non-negative integer exponent required, got ${k}`);
  if (isPoint(a) || k <= 1) return powInt(a, k);
  const down = (x: Rational): Rational => powDirected(x, k, bits, 'down');
  const up = (x: Rational): Rational => powDirected(x, k, bits, 'up');
  const even = k % 2 === 0;
  if (a.lo.sign() >= 0) return { lo: down(a.lo), hi: up(a.hi) };
  if (a.hi.sign() <= 0) {
    const lo = a.hi.neg();
    const hi = a.lo.neg();
    return even ? { lo: down(lo), hi: up(hi) } : { lo: up(hi).neg(), hi: down(lo).neg() };
  }
  if (even) return { lo: Rational.ZERO, hi: up(maxQ(a.lo.neg(), a.hi)) };
  return { lo: up(a.lo.neg()).neg(), hi: up(a.hi) };
}

/** `x^k` for `x ≥ 0`, rounded down or up to about `bits` significant bits at each step. */
function powDirected(x: Rational, k: number, bits: number, dir: 'down' | 'up'): Rational {
  const round = (y: Rational): Rational => {
    const e = bits - magnitude(y);
    return dir === 'down' ? shortenDown(y, e) : shortenUp(y, e);
  };
  let result = Rational.ONE;
  let base = round(x);
  let n = k;
  while (n > 0) {
    if (n % 2 === 1) result = round(result.mul(base));
    n = Math.floor(n / 2);
    if (n > 0) base = round(base.mul(base));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Integer roots

/** `⌊√n⌋` for a bigint `n ≥ 0` (see {@link integerSqrt}); `IntervalError` for a negative `n`. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new IntervalError('square root of a negative integer');
  return integerSqrt(n);
}

/** `⌊n^{1/k}⌋` for a bigint `n ≥ 0` and an integer `k ≥ 1` (see {@link integerRoot}). */
export function iroot(n: bigint, k: number): bigint {
  if (!Number.isInteger(k) || k < 1) throw new IntervalError(`root degree must be a positive integer, got ${k}`);
  if (n < 0n) throw new IntervalError('root of a negative integer');
  return integerRoot(n, k);
}

/** The exact rational `q`-th root of a non-negative rational, or `undefined` when it is irrational. */
export function exactRoot(x: Rational, k: number): Rational | undefined {
  if (x.sign() < 0) return undefined;
  const rn = iroot(x.num, k);
  if (rn ** BigInt(k) !== x.num) return undefined;
  const rd = iroot(x.den, k);
  if (rd ** BigInt(k) !== x.den) return undefined;
  return new Rational(rn, rd);
}

/** `⌊x · 2^s⌋` for an integer shift `s` of either sign. */
function floorScaled(x: Rational, s: number): bigint {
  const num = s >= 0 ? x.num << BigInt(s) : x.num;
  const den = s >= 0 ? x.den : x.den << BigInt(-s);
  const q = num / den;
  return num < 0n && q * den !== num ? q - 1n : q;
}

/** `m / 2^e` for an integer `e` of either sign. */
function dyadic(m: bigint, e: number): Rational {
  return Rational.dyadic(m, e);
}

/** Roughly `log2 |x|` (exact to within one): `bits(num) − bits(den)`. */
function magnitude(x: Rational): number {
  return bitLength(x.num < 0n ? -x.num : x.num) - bitLength(x.den);
}

/**
 * Rigorous bounds `[l, u]` on `x^{1/k}` for a rational `x ≥ 0`, `u − l ≤ 2^{−e}` with `e` chosen so
 * the relative width is about `2^{−bits}`. Exact (a point) when the root is rational.
 */
export function rootBounds(x: Rational, k: number, bits: number): Interval {
  if (x.sign() < 0) throw new IntervalError(`${k === 2 ? 'square root' : `${k}-th root`} of a negative number`);
  if (x.isZero()) return point(Rational.ZERO);
  const exact = exactRoot(x, k);
  if (exact !== undefined) return point(exact);
  // e with x · 2^{k e} ≈ 2^{k · bits}: the integer root then carries about `bits` significant bits.
  const e = bits - Math.floor(magnitude(x) / k);
  const n = floorScaled(x, k * e);
  const r = iroot(n, k);
  // r = ⌊(x 2^{ke})^{1/k}⌋ = ⌊x^{1/k} 2^e⌋ (⌊(⌊y⌋)^{1/k}⌋ = ⌊y^{1/k}⌋), and x^{1/k} is irrational here.
  return { lo: dyadic(r, e), hi: dyadic(r + 1n, e) };
}

/** Enclosure of `√x` for `x ∈ a` (`a.lo ≥ 0` required; a tiny negative part is an error). */
export function sqrt(a: Interval, bits: number): Interval {
  return powRational(a, 1n, 2n, bits);
}

/**
 * Enclosure of `x^{p/q}` for `x ∈ a`, `x ≥ 0`, with `q ≥ 1` (the fraction is reduced here).
 * Integer exponents are exact; otherwise each endpoint's root is bounded outward at `bits` bits.
 * Negative exponents need `0 ∉ a`.
 */
export function powRational(a: Interval, p: bigint, q: bigint, bits: number): Interval {
  if (q <= 0n) throw new IntervalError('the exponent denominator must be positive');
  const g = bigGcd(p, q);
  if (g > 1n) {
    p /= g;
    q /= g;
  }
  if (q === 1n) return p < 0n ? inv(powIntOutward(a, Number(-p), bits + 2)) : powIntOutward(a, Number(p), bits);
  if (a.lo.sign() < 0) {
    throw new IntervalError(`fractional power ${p}/${q} of a number that may be negative (enclosure [${a.lo.toDecimal(6)}, ${a.hi.toDecimal(6)}])`);
  }
  if (p < 0n) return inv(powRational(a, -p, q, bits + 2));
  if (p === 0n) return point(Rational.ONE);
  const k = Number(q);
  const pk = Number(p);
  if (isPoint(a)) return rootBounds(a.lo.pow(pk), k, bits);
  // The root is increasing: bound the powers outward, then their roots.
  const lo = rootBounds(powDirected(a.lo, pk, bits + 8, 'down'), k, bits).lo;
  const hi = rootBounds(powDirected(a.hi, pk, bits + 8, 'up'), k, bits).hi;
  return { lo, hi };
}

/**
 * The interval with its endpoints rounded outward to dyadic numbers with about `bits` significant
 * bits (relative to the larger endpoint). Keeps the digit sizes bounded through long computations;
 * an exact point is kept as it is.
 */
export function roundOutward(a: Interval, bits: number): Interval {
  if (isPoint(a)) return a;
  const big = Math.max(magnitude(a.lo), magnitude(a.hi));
  const e = bits - big;
  // Only round when it shortens the numbers.
  const lo = shortenDown(a.lo, e);
  const hi = shortenUp(a.hi, e);
  return { lo, hi };
}

function shortenDown(x: Rational, e: number): Rational {
  if (x.isZero() || isDyadicWithin(x, e)) return x;
  return dyadic(floorScaled(x, e), e);
}

function shortenUp(x: Rational, e: number): Rational {
  if (x.isZero() || isDyadicWithin(x, e)) return x;
  return dyadic(-floorScaled(x.neg(), e), e);
}

/** Whether `x` is already `m / 2^f` with `f ≤ e` and a short numerator (rounding would not help). */
function isDyadicWithin(x: Rational, e: number): boolean {
  const d = x.den;
  if ((d & (d - 1n)) !== 0n) return false;
  return bitLength(d) - 1 <= e;
}

/** Approximate midpoint as a float (display only). */
export function toNumber(a: Interval): number {
  return (a.lo.toNumber() + a.hi.toNumber()) / 2;
}

/**
 * The number of leading significant decimal digits the two enclosures certainly share, i.e.
 * `⌊−log10(w / m)⌋` with `w` the width of their hull and `m` its largest magnitude (display only);
 * `Infinity` when both are the same exact value.
 */
export function agreeingDigits(a: Interval, b: Interval): number {
  const h = hull(a, b);
  const w = width(h);
  if (w.isZero()) return Number.POSITIVE_INFINITY;
  const m = maxQ(h.lo.abs(), h.hi.abs());
  if (m.isZero()) return 0;
  // log10 of a rational from the bit sizes, robust for tiny or huge values.
  const ratio = w.div(m);
  const l = log10(ratio);
  return Math.max(0, Math.floor(-l));
}

function log10(x: Rational): number {
  const shift = magnitude(x);
  // x = y · 2^shift with y within a factor 2 of 1.
  const y = shift >= 0 ? new Rational(x.num, x.den << BigInt(shift)) : new Rational(x.num << BigInt(-shift), x.den);
  return Math.log10(y.toNumber()) + shift * Math.log10(2);
}

/** Short text: the exact value, or `[lo, hi]` as decimals with `digits` significant digits. */
export function formatInterval(a: Interval, digits = 12): string {
  if (isPoint(a)) return a.lo.toString();
  return `[${decimalDown(a.lo, digits)}, ${decimalUp(a.hi, digits)}]`;
}

/** A decimal string `≤ x` with `digits` significant digits (rounded toward −∞). */
export function decimalDown(x: Rational, digits: number): string {
  return decimalDirected(x, digits, 'down');
}

/** A decimal string `≥ x` with `digits` significant digits (rounded toward +∞). */
export function decimalUp(x: Rational, digits: number): string {
  return decimalDirected(x, digits, 'up');
}

function decimalDirected(x: Rational, digits: number, dir: 'down' | 'up'): string {
  if (x.isZero()) return '0';
  // Decimal exponent t with 10^t ≤ |x| < 10^{t+1} (estimate, then fix).
  let t = Math.floor(log10(x.abs()));
  const ten = (k: number): Rational => (k >= 0 ? new Rational(10n ** BigInt(k)) : new Rational(1n, 10n ** BigInt(-k)));
  if (x.abs().compare(ten(t)) < 0) t -= 1;
  if (x.abs().compare(ten(t + 1)) >= 0) t += 1;
  const scale = ten(digits - 1 - t);
  const y = x.mul(scale);
  const m = dir === 'down' ? y.floor() : -y.neg().floor();
  const neg = m < 0n;
  let s = (neg ? -m : m).toString();
  // Place the decimal point: value = m · 10^{t − digits + 1}.
  const exp10 = t - digits + 1;
  let out: string;
  if (exp10 >= 0) out = s + '0'.repeat(exp10);
  else {
    const k = -exp10;
    if (s.length <= k) s = '0'.repeat(k - s.length + 1) + s;
    out = `${s.slice(0, s.length - k)}.${s.slice(s.length - k)}`.replace(/\.?0+$/, '');
  }
  if (out.length > digits + 8) {
    // Very large or very small: scientific notation.
    const mant = (neg ? -m : m).toString();
    const body = mant.length > 1 ? `${mant[0]}.${mant.slice(1)}`.replace(/\.?0+$/, '') : mant;
    out = `${body}e${t}`;
  }
  return (neg ? '-' : '') + out;
}
