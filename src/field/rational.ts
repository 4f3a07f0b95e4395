/**
 * Exact rational numbers on bigint: always reduced, denominator positive.
 *
 * Our own implementation rather than mathjs's `Fraction`: see `npm run bench` (rational kernel)
 * for the measured comparison; the figures are in README.md.
 */
import { InputError } from '../errors/input-error.js';

/** Error raised when a string or number cannot be turned into an exact rational. */
export class RationalParseError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'RationalParseError';
  }
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Absolute value of a bigint. */
export function bigAbs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** Greatest common divisor of two bigints (non-negative). */
export function bigGcd(a: bigint, b: bigint): bigint {
  return gcd(a, b);
}

/** An exact rational `num/den` with `den > 0` and `gcd(num, den) = 1`. Immutable. */
export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  /** Builds `num/den` and reduces it. Throws on a zero denominator. */
  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RationalParseError('zero denominator');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (den !== 1n) {
      const g = gcd(num, den);
      if (g !== 1n) {
        num /= g;
        den /= g;
      }
    }
    this.num = num;
    this.den = den;
  }

  /** Trusted constructor: the caller guarantees `den > 0` and `gcd(num, den) = 1`. */
  private static reduced(num: bigint, den: bigint): Rational {
    const r = Object.create(Rational.prototype) as { num: bigint; den: bigint };
    r.num = num;
    r.den = den;
    return r as Rational;
  }

  /** `m / 2^e` for an integer `e` of either sign, reduced by shifts (no gcd: fast for long dyadic numbers). */
  static dyadic(m: bigint, e: number): Rational {
    if (e <= 0 || m === 0n) return Rational.reduced(e <= 0 ? m << BigInt(-e) : 0n, 1n);
    const low = m < 0n ? -m & m : m & -m;
    const shift = Math.min(e, bitLength(low) - 1);
    return Rational.reduced(m >> BigInt(shift), 1n << BigInt(e - shift));
  }

  static readonly ZERO = new Rational(0n);
  static readonly ONE = new Rational(1n);

  /** The integer `n` as a rational. */
  static fromBigInt(n: bigint): Rational {
    return Rational.reduced(n, 1n);
  }

  /**
   * The exact value of a finite binary64 number (every double is a dyadic rational `m·2^e`).
   * Throws on NaN and ±Infinity.
   */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new RationalParseError(`non-finite number ${x}`);
    if (Number.isInteger(x)) return Rational.reduced(BigInt(x), 1n);
    // Decompose x = m · 2^e exactly through its IEEE-754 bits (m < 2^53 is exact as a number).
    F64_SCRATCH[0] = x;
    const hi = U32_SCRATCH[HI] as number;
    const lo = U32_SCRATCH[1 - HI] as number;
    const biasedExp = (hi >>> 20) & 0x7ff;
    const top = (hi & 0xfffff) | (biasedExp === 0 ? 0 : 0x100000); // the significand's upper 21 bits
    const exp = biasedExp === 0 ? -1074 : biasedExp - 1075; // < 0: x is not an integer here
    // Reduce by the common power of two directly (no gcd): the denominator is 2^-exp, so
    // gcd(m, 2^-exp) = 2^min(trailing zeros of m, -exp).
    const low = lo !== 0 ? lo : top; // not 0: x is not 0 here
    const tz = (lo !== 0 ? 0 : 32) + 31 - Math.clz32(low & -low);
    const k = Math.min(tz, -exp);
    const m = (top * 2 ** 32 + lo) / 2 ** k; // exact: divides out trailing zero bits
    return Rational.reduced(BigInt(hi >>> 31 ? -m : m), powerOfTwo(-exp - k));
  }

  /**
   * Parses an exact value: an integer (`"-3"`), a fraction (`"3/4"`, `"-1/-2"` is rejected),
   * or a decimal in plain or scientific notation (`"-0.125"`, `"1e-3"`, `"2.5E+2"`).
   * Decimals are read exactly: `"0.1"` is `1/10`.
   */
  static parse(text: string): Rational {
    const s = text.trim();
    const frac = /^([+-]?\d+)\s*\/\s*(\d+)$/.exec(s);
    if (frac) {
      const den = BigInt(frac[2] as string);
      if (den === 0n) throw new RationalParseError(`zero denominator in "${text}"`);
      return new Rational(BigInt(frac[1] as string), den);
    }
    const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!dec || ((dec[2] ?? '') === '' && (dec[3] ?? '') === '')) {
      throw new RationalParseError(`cannot parse "${text}" as an exact number (expected e.g. "3", "3/4", "-0.125", "1e-3")`);
    }
    const intPart = dec[2] ?? '';
    const fracPart = dec[3] ?? '';
    const exp10 = dec[4] === undefined ? 0 : Number(dec[4]);
    if (!Number.isSafeInteger(exp10) || Math.abs(exp10) > 100000) {
      throw new RationalParseError(`exponent out of range in "${text}" (|exponent| ≤ 100000)`);
    }
    let num = BigInt((intPart + fracPart) || '0');
    if (dec[1] === '-') num = -num;
    const scale = exp10 - fracPart.length;
    if (scale >= 0) return Rational.reduced(num * 10n ** BigInt(scale), 1n);
    return Rational.decimal(num, -scale);
  }

  /**
   * `num / 10^k` in lowest terms without a general gcd: the denominator's only primes are 2 and 5,
   * so the common factor is `2^min(v₂(num), k) · 5^min(v₅(num), k)` (model files hold millions of
   * decimals; a Euclidean gcd per entry was most of the loading time).
   */
  private static decimal(num: bigint, k: number): Rational {
    if (num === 0n) return Rational.ZERO;
    const abs = num < 0n ? -num : num;
    const twos = Math.min(k, bitLength(abs & -abs) - 1);
    let n = num >> BigInt(twos);
    let fives = 0;
    while (fives < k && n % 5n === 0n) {
      n /= 5n;
      fives++;
    }
    return Rational.reduced(n, (1n << BigInt(k - twos)) * 5n ** BigInt(k - fives));
  }

  add(b: Rational): Rational {
    if (this.den === 1n && b.den === 1n) return Rational.reduced(this.num + b.num, 1n);
    return new Rational(this.num * b.den + b.num * this.den, this.den * b.den);
  }

  sub(b: Rational): Rational {
    if (this.den === 1n && b.den === 1n) return Rational.reduced(this.num - b.num, 1n);
    return new Rational(this.num * b.den - b.num * this.den, this.den * b.den);
  }

  mul(b: Rational): Rational {
    if (this.den === 1n && b.den === 1n) return Rational.reduced(this.num * b.num, 1n);
    // Cross-reduce first so the products stay small.
    const g1 = gcd(this.num, b.den);
    const g2 = gcd(b.num, this.den);
    return Rational.reduced((this.num / g1) * (b.num / g2), (this.den / g2) * (b.den / g1));
  }

  div(b: Rational): Rational {
    if (b.num === 0n) throw new RangeError('division by zero');
    return this.mul(b.inv());
  }

  neg(): Rational {
    return Rational.reduced(-this.num, this.den);
  }

  inv(): Rational {
    if (this.num === 0n) throw new RangeError('division by zero');
    return this.num < 0n ? Rational.reduced(-this.den, -this.num) : Rational.reduced(this.den, this.num);
  }

  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }

  /** `this^k` for an integer `k` (negative allowed for non-zero values). */
  pow(k: number): Rational {
    if (!Number.isInteger(k)) throw new RangeError('integer exponent required');
    if (k < 0) return this.inv().pow(-k);
    const e = BigInt(k);
    return Rational.reduced(this.num ** e, this.den ** e);
  }

  sign(): -1 | 0 | 1 {
    return this.num === 0n ? 0 : this.num < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  equals(b: Rational): boolean {
    return this.num === b.num && this.den === b.den;
  }

  /** -1, 0 or 1 as `this` is below, equal to or above `b`. */
  compare(b: Rational): -1 | 0 | 1 {
    const d = this.num * b.den - b.num * this.den;
    return d === 0n ? 0 : d < 0n ? -1 : 1;
  }

  /**
   * The nearest binary64 value (ties to even), exact when representable; results below
   * `2^-1022` (subnormal) are within one unit in the last place.
   */
  toNumber(): number {
    const n = this.num;
    const d = this.den;
    if (d === 1n) return Number(n);
    // Both exact as doubles: one IEEE division is correctly rounded.
    if (n <= MAX_EXACT && n >= -MAX_EXACT && d <= MAX_EXACT) return Number(n) / Number(d);
    const a = n < 0n ? -n : n;
    const nBits = bitLength(a);
    const dBits = bitLength(d);
    // Scale so the integer quotient carries 64 or 65 significant bits, then round once: a non-zero
    // remainder sets the last bit (sticky), so rounding the 64-bit quotient to 53 bits is the
    // correct rounding of the exact quotient (round-to-odd, then to nearest).
    const shift = 64 - (nBits - dBits);
    const num = shift >= 0 ? a << BigInt(shift) : a;
    const den = shift >= 0 ? d : d << BigInt(-shift);
    let q = num / den;
    if (q * den !== num) q |= 1n;
    // Two factors so that neither power of two under- or overflows on its own.
    const half = Math.trunc(-shift / 2);
    const x = Number(q) * Math.pow(2, half) * Math.pow(2, -shift - half);
    return n < 0n ? -x : x;
  }

  /** Canonical text: `"3"`, `"-3/4"`. Round-trips through {@link Rational.parse}. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  /** Decimal approximation with `digits` significant digits (for display). */
  toDecimal(digits = 17): string {
    return Number(this.toNumber().toPrecision(digits)).toString();
  }

  /** LaTeX: `\frac{3}{4}`, `-\frac{3}{4}`, `5`. */
  toTex(): string {
    if (this.den === 1n) return this.num.toString();
    const sign = this.num < 0n ? '-' : '';
    return `${sign}\\frac{${bigAbs(this.num)}}{${this.den}}`;
  }

  /** Largest integer not above the value. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }
}

const F64_SCRATCH = new Float64Array(1);
const U32_SCRATCH = new Uint32Array(F64_SCRATCH.buffer);
/** Index of the high word of a double in {@link U32_SCRATCH} (1 on little-endian machines). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const POWERS_OF_TWO: bigint[] = [];
/** `2^53`: integers up to it in magnitude are exact doubles. */
const MAX_EXACT = 2n ** 53n;

/** `2^k` as a bigint, cached (`k ≤ 1074` for doubles). */
function powerOfTwo(k: number): bigint {
  let p = POWERS_OF_TWO[k];
  if (p === undefined) {
    p = 1n << BigInt(k);
    POWERS_OF_TWO[k] = p;
  }
  return p;
}

/** Number of bits of a non-negative bigint (0 for 0). */
export function bitLength(a: bigint): number {
  if (a === 0n) return 0;
  if (a <= 0xffffffffn) return 32 - Math.clz32(Number(a));
  if (a <= MAX_EXACT) {
    // Exact as a double: the high word's bits, without text.
    const x = Number(a);
    return 64 - Math.clz32(Math.floor(x / 2 ** 32));
  }
  // Hexadecimal is a quarter of the binary text: whole digits, then the bits of the leading one.
  const hex = a.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex.charAt(0), 16)));
}

/** Least common multiple of the denominators of `values` (1 for an empty list). */
export function commonDenominator(values: Iterable<Rational>): bigint {
  let l = 1n;
  for (const v of values) {
    if (v.den !== 1n) l = (l / gcd(l, v.den)) * v.den;
  }
  return l;
}
