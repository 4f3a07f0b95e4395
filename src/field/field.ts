import { Rational } from './rational.js';

/**
 * A number field the engine computes in. Every closed form in `hessian/` is written against this
 * interface, so the same code runs exactly over {@link Q} and in binary64 over {@link F64}.
 *
 * Conversions are explicit: {@link Field.fromRational} is exact for `Q` and rounds for `F64`;
 * {@link Field.fromNumber} is exact for both (a binary64 value is a dyadic rational).
 */
export interface Field<S> {
  /** `'Q'` (exact rationals), `'F64'` (IEEE-754 binary64) or `'F64I'` (rigorous binary64 midpoint–radius intervals, `verify/float-interval.ts`). */
  readonly name: 'Q' | 'F64' | 'F64I';
  /** Whether arithmetic is exact (no rounding). */
  readonly exact: boolean;
  /** Unit roundoff of the arithmetic: 0 for exact fields, 2^-53 for binary64. */
  readonly unitRoundoff: number;
  readonly zero: S;
  readonly one: S;
  add(a: S, b: S): S;
  sub(a: S, b: S): S;
  mul(a: S, b: S): S;
  /** `a / b`; throws `RangeError` when `b` is zero in an exact field. */
  div(a: S, b: S): S;
  neg(a: S): S;
  inv(a: S): S;
  isZero(a: S): boolean;
  eq(a: S, b: S): boolean;
  /** -1, 0, 1 as `a < b`, `a = b`, `a > b`. */
  compare(a: S, b: S): -1 | 0 | 1;
  sign(a: S): -1 | 0 | 1;
  /** The integer `n` (exact in both fields for |n| < 2^53). */
  fromInt(n: number | bigint): S;
  /** Exact for both fields: a finite binary64 value is a dyadic rational. Throws on non-finite input. */
  fromNumber(x: number): S;
  /** Exact for `Q`; correctly rounded (within 1 ulp) for `F64`. */
  fromRational(q: Rational): S;
  /** Nearest binary64 value. */
  toNumber(a: S): number;
  /** Exact rational value; for `F64` the dyadic rational the double stands for. */
  toRational(a: S): Rational;
  /** Text that {@link Field.parse} reads back to the same value. */
  toString(a: S): string;
  /** Parses `"3/4"`, `"-0.125"`, `"1e-3"` (exactly for `Q`, rounded once for `F64`). */
  parse(text: string): S;
}

/** Exact rational arithmetic on bigint. */
export const Q: Field<Rational> = {
  name: 'Q',
  exact: true,
  unitRoundoff: 0,
  zero: Rational.ZERO,
  one: Rational.ONE,
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  neg: (a) => a.neg(),
  inv: (a) => a.inv(),
  isZero: (a) => a.isZero(),
  eq: (a, b) => a.equals(b),
  compare: (a, b) => a.compare(b),
  sign: (a) => a.sign(),
  fromInt: (n) => Rational.fromBigInt(typeof n === 'bigint' ? n : BigInt(n)),
  fromNumber: (x) => Rational.fromNumber(x),
  fromRational: (q) => q,
  toNumber: (a) => a.toNumber(),
  toRational: (a) => a,
  toString: (a) => a.toString(),
  parse: (text) => Rational.parse(text),
};

/** IEEE-754 binary64 arithmetic. */
export const F64: Field<number> = {
  name: 'F64',
  exact: false,
  unitRoundoff: 2 ** -53,
  zero: 0,
  one: 1,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  inv: (a) => 1 / a,
  isZero: (a) => a === 0,
  eq: (a, b) => a === b,
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  sign: (a) => (a < 0 ? -1 : a > 0 ? 1 : 0),
  fromInt: (n) => Number(n),
  fromNumber: (x) => {
    if (!Number.isFinite(x)) throw new RangeError(`non-finite number ${x}`);
    return x;
  },
  fromRational: (q) => q.toNumber(),
  toNumber: (a) => a,
  toRational: (a) => Rational.fromNumber(a),
  toString: (a) => String(a),
  parse: (text) => Rational.parse(text).toNumber(),
};

/** Either of the engine's fields. */
export type AnyField = Field<Rational> | Field<number>;
