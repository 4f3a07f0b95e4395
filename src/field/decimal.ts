/** Binary64 values as the exact rationals that files written with them hold. */
import { Rational } from './rational.js';

/** A binary64 value as the exact rational of its shortest round-trip decimal (what a file written with it holds). */
export function decimalOf(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`decimalOf: ${x} is not finite`);
  return Rational.parse(String(x));
}
