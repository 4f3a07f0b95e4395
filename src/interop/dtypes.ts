/**
 * Element types of tensor files and their exact reading and correctly rounded writing.
 *
 * Every supported float format (binary16, bfloat16, binary32, binary64) is a subset of binary64, so
 * a stored element is decoded to the JavaScript number holding exactly its value; as a rational it is
 * `Rational.fromNumber` of that (no decimal rounding anywhere). Writing a rational to a format rounds
 * to nearest, ties to even, directly from the rational (no double rounding through binary64), and
 * refuses values beyond the format's largest finite number.
 */
import { Rational } from '../field/rational.js';

/** The element types this version reads and writes. */
export type DType = 'float16' | 'bfloat16' | 'float32' | 'float64' | 'int32' | 'int64';

/** Every dtype, in the order messages list them. */
export const DTYPES: readonly DType[] = ['float16', 'bfloat16', 'float32', 'float64', 'int32', 'int64'];

/** The float dtypes (the ones a weight or a vector may be written in). */
export const FLOAT_DTYPES: readonly DType[] = ['float16', 'bfloat16', 'float32', 'float64'];

/** Layout of a binary float format: `p` significand bits (with the hidden bit), exponent bits, bias. */
interface FloatFormat {
  readonly bytes: number;
  readonly p: number;
  readonly expBits: number;
  readonly bias: number;
}

const FLOAT_FORMATS: Readonly<Record<'float16' | 'bfloat16' | 'float32' | 'float64', FloatFormat>> = {
  float16: { bytes: 2, p: 11, expBits: 5, bias: 15 },
  bfloat16: { bytes: 2, p: 8, expBits: 8, bias: 127 },
  float32: { bytes: 4, p: 24, expBits: 8, bias: 127 },
  float64: { bytes: 8, p: 53, expBits: 11, bias: 1023 },
};

/** Bytes per element. */
export function dtypeSize(d: DType): number {
  return d === 'int32' ? 4 : d === 'int64' ? 8 : FLOAT_FORMATS[d].bytes;
}

/** Whether `d` is a float type. */
export function isFloatDType(d: DType): d is 'float16' | 'bfloat16' | 'float32' | 'float64' {
  return d !== 'int32' && d !== 'int64';
}

/** Largest integer magnitude an `int64` element may have to be read exactly as a JavaScript number. */
export const MAX_EXACT_INTEGER = 2 ** 53;

/** Decodes binary16 bits exactly. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f === 0 ? sign * Infinity : NaN;
  return sign * (1024 + f) * 2 ** (e - 25);
}

/**
 * Decodes `count` elements of `dtype` from `bytes` (starting at `offset`) into exact numbers.
 * `littleEndian` false reads big-endian data (NumPy's `>` byte order). Non-finite floats are kept
 * (NaN, ±Infinity); integers beyond ±2^53 come back as `NaN` so that the caller can name them.
 */
export function decodeElements(bytes: Uint8Array, offset: number, count: number, dtype: DType, littleEndian = true): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * dtypeSize(dtype));
  const out = new Float64Array(count);
  switch (dtype) {
    case 'float64':
      for (let k = 0; k < count; k++) out[k] = view.getFloat64(8 * k, littleEndian);
      break;
    case 'float32':
      for (let k = 0; k < count; k++) out[k] = view.getFloat32(4 * k, littleEndian);
      break;
    case 'float16':
      for (let k = 0; k < count; k++) out[k] = halfToNumber(view.getUint16(2 * k, littleEndian));
      break;
    case 'bfloat16': {
      const tmp = new DataView(new ArrayBuffer(4));
      for (let k = 0; k < count; k++) {
        tmp.setUint32(0, view.getUint16(2 * k, littleEndian) << 16);
        out[k] = tmp.getFloat32(0);
      }
      break;
    }
    case 'int32':
      for (let k = 0; k < count; k++) out[k] = view.getInt32(4 * k, littleEndian);
      break;
    case 'int64':
      for (let k = 0; k < count; k++) {
        const v = view.getBigInt64(8 * k, littleEndian);
        out[k] = v > BigInt(MAX_EXACT_INTEGER) || v < -BigInt(MAX_EXACT_INTEGER) ? NaN : Number(v);
      }
      break;
  }
  return out;
}

/** A rational that does not fit a format (too large, or not an integer for an integer type). */
export class UnrepresentableError extends RangeError {}

const TWO = 2n;

/** Bits of a float format for the rational `q`, rounded to nearest, ties to even. */
function roundToFormat(q: Rational, f: FloatFormat, dtype: string): bigint {
  const signBit = q.num < 0n ? 1n : 0n;
  const n = q.num < 0n ? -q.num : q.num;
  const d = q.den;
  const mantBits = f.p - 1;
  const emax = f.bias; // largest unbiased exponent
  const emin = 1 - f.bias; // smallest normal exponent
  const signShift = BigInt(f.expBits + mantBits);
  if (n === 0n) return signBit << signShift;
  // e = floor(log2(n/d)): start from the bit lengths, correct by one.
  let e = n.toString(2).length - d.toString(2).length;
  const ge = (a: bigint, b: bigint, k: number): boolean => (k >= 0 ? a >= b << BigInt(k) : a << BigInt(-k) >= b); // a/b ≥ 2^k
  if (!ge(n, d, e)) e -= 1;
  // Quantum: 2^(max(e, emin) − mantBits).
  const qexp = Math.max(e, emin) - mantBits;
  // m = round(n/d / 2^qexp), ties to even.
  const num = qexp >= 0 ? n : n << BigInt(-qexp);
  const den = qexp >= 0 ? d << BigInt(qexp) : d;
  let m = num / den;
  const r2 = TWO * (num - m * den);
  if (r2 > den || (r2 === den && (m & 1n) === 1n)) m += 1n;
  let biased: bigint;
  if (m >= 1n << BigInt(f.p)) {
    // Rounded up to the next binade.
    m >>= 1n;
    e = Math.max(e, emin) + 1;
  }
  if (m < 1n << BigInt(mantBits)) {
    biased = 0n; // subnormal (or rounded to zero)
  } else {
    e = Math.max(e, emin);
    if (e > emax) throw new UnrepresentableError(`${q.toDecimal(6)} exceeds the largest finite ${dtype}`);
    biased = BigInt(e + f.bias);
  }
  const frac = m & ((1n << BigInt(mantBits)) - 1n);
  return (signBit << signShift) | (biased << BigInt(mantBits)) | frac;
}

/** The value of `q` in `dtype` rounded to nearest (ties to even), and whether that was exact. */
export function roundRational(q: Rational, dtype: DType): { readonly value: number; readonly exact: boolean } {
  if (!isFloatDType(dtype)) {
    if (q.den !== 1n) throw new UnrepresentableError(`${q.toString()} is not an integer`);
    const lim = dtype === 'int32' ? 2n ** 31n : 2n ** 63n;
    if (q.num >= lim || q.num < -lim) throw new UnrepresentableError(`${q.toString()} does not fit ${dtype}`);
    if (q.num > BigInt(MAX_EXACT_INTEGER) || q.num < -BigInt(MAX_EXACT_INTEGER)) throw new UnrepresentableError(`${q.toString()} is beyond ±2^53`);
    return { value: Number(q.num), exact: true };
  }
  const f = FLOAT_FORMATS[dtype];
  const bits = roundToFormat(q, f, dtype);
  const value = bitsToNumber(bits, dtype);
  return { value, exact: Rational.fromNumber(value).equals(q) };
}

function bitsToNumber(bits: bigint, dtype: 'float16' | 'bfloat16' | 'float32' | 'float64'): number {
  const view = new DataView(new ArrayBuffer(8));
  switch (dtype) {
    case 'float64':
      view.setBigUint64(0, bits);
      return view.getFloat64(0);
    case 'float32':
      view.setUint32(0, Number(bits));
      return view.getFloat32(0);
    case 'bfloat16':
      view.setUint32(0, Number(bits) << 16);
      return view.getFloat32(0);
    case 'float16':
      return halfToNumber(Number(bits));
  }
}

/**
 * Encodes numbers that are exactly representable in `dtype` (check with {@link roundRational} first)
 * as little-endian bytes. `-0` keeps its sign.
 */
export function encodeElements(values: ArrayLike<number>, dtype: DType): Uint8Array {
  const size = dtypeSize(dtype);
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let k = 0; k < values.length; k++) {
    const x = values[k] as number;
    switch (dtype) {
      case 'float64':
        view.setFloat64(8 * k, x, true);
        break;
      case 'float32':
        view.setFloat32(4 * k, x, true);
        break;
      case 'bfloat16': {
        const tmp = new DataView(new ArrayBuffer(4));
        tmp.setFloat32(0, x);
        view.setUint16(2 * k, tmp.getUint32(0) >>> 16, true);
        break;
      }
      case 'float16':
        view.setUint16(2 * k, numberToHalfBits(x), true);
        break;
      case 'int32':
        view.setInt32(4 * k, x, true);
        break;
      case 'int64':
        view.setBigInt64(8 * k, BigInt(x), true);
        break;
    }
  }
  return out;
}

/** binary16 bits of a number that is exactly a binary16 value. */
function numberToHalfBits(x: number): number {
  if (Object.is(x, -0)) return 0x8000;
  if (x === 0) return 0;
  return Number(roundToFormat(Rational.fromNumber(x), FLOAT_FORMATS.float16, 'float16'));
}
