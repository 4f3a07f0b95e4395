/**
 * The binary64 side of a model file's matrices, read without exact work.
 *
 * A model file's entries are exact (the decimal `0.1` is `1/10`), but float work only needs each
 * entry rounded once to binary64. For a matrix of plain JSON numbers the reader
 * (`models/reader.ts`) rounds the text directly (`Number(text)`, correctly rounded, the same value as
 * the exact rational rounded by `Rational.toNumber`) and builds the exact `Rational`s only when
 * something reads `data`: exact work still sees the exact entries, and float mode never pays for them.
 */
import { F64 } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { map, type Matrix } from '../linalg/matrix.js';

const FLOAT_SIDE = new WeakMap<object, Float64Array>();

/** The binary64 entries (column-major) of a matrix read by {@link decimalMatrix}; `undefined` for any other matrix. */
export function float64Side(M: Matrix<Rational>): Float64Array | undefined {
  return FLOAT_SIDE.get(M);
}

/** Each entry rounded once to binary64: the binary64 side when the matrix has one (no exact work), else from the rationals. */
export function toFloat64Matrix(M: Matrix<Rational>): Matrix<number> {
  const float = float64Side(M);
  return float !== undefined ? { rows: M.rows, cols: M.cols, data: Array.from(float) } : map(M, (x) => F64.fromRational(x));
}

/**
 * A matrix of exact entries with their binary64 roundings `float` (column-major, each the entry's
 * correctly rounded value, `0` for zero) known up front: `data` is the exact rationals, built by
 * `exact` on first access and kept.
 */
export function withFloatSide(rows: number, cols: number, float: Float64Array, exact: () => Rational[]): Matrix<Rational> {
  let data: Rational[] | undefined;
  const M = { rows, cols } as { rows: number; cols: number; data: readonly Rational[] };
  Object.defineProperty(M, 'data', { enumerable: true, get: (): readonly Rational[] => (data ??= exact()) });
  FLOAT_SIDE.set(M, float);
  return M;
}

/**
 * A matrix of exact entries given as decimal texts (column-major, valid JSON number syntax) with
 * their binary64 roundings `float` (each from {@link roundedDecimal}); the rationals are parsed on
 * first use.
 */
export function decimalMatrix(rows: number, cols: number, texts: readonly string[], float: Float64Array): Matrix<Rational> {
  return withFloatSide(rows, cols, float, () => texts.map((t) => Rational.parse(t)));
}

const SMALLEST_NORMAL = 2 ** -1022;
const ZERO_TEXT = /^-?0(?:\.0*)?(?:[eE][+-]?\d+)?$/;

/**
 * `Number(text)` for the text of a JSON number when it is the correctly rounded value of the exact
 * decimal and that value is a normal binary64 number or zero below `Number.MAX_VALUE`; otherwise
 * `undefined` (the caller then reads the entry exactly). `-0` is returned as `0`, as the exact
 * rational rounds.
 */
export function roundedDecimal(text: string): number | undefined {
  const x = Number(text);
  const a = Math.abs(x);
  if (a > SMALLEST_NORMAL && a < Number.MAX_VALUE) return x;
  if (x === 0 && ZERO_TEXT.test(text)) return 0;
  return undefined;
}
