export { Rational, RationalParseError, bitLength, commonDenominator, bigGcd, bigAbs } from './rational.js';
export { Q, F64 } from './field.js';
export type { Field, AnyField } from './field.js';
export { decimalOf } from './decimal.js';
export { integerSqrt } from './integer-roots.js';
export { convergents, rationalCandidates } from './rational-recognition.js';
