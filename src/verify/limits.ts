/**
 * The limits of the formula language (docs/verify.md, "Limits"). Each refusal is a
 * {@link FormulaError} (an `InputError`, exit 2) that names the limit and points at the place.
 *
 * They keep every formula's parsing and evaluation bounded in time and memory: the parser is
 * iterative, the checker and the evaluator recurse over a tree at most {@link MAX_FORMULA_DEPTH}
 * deep, exponents are bounded before a power is taken, every number met during an evaluation is
 * bounded in size, and nested layer reductions are bounded in the work they multiply.
 */

/** Longest formula, in characters. */
export const MAX_FORMULA_CHARS = 10000;

/** Deepest nesting of operations and calls (redundant parentheses do not count). */
export const MAX_FORMULA_DEPTH = 256;

/** Largest `|p|` and `q` of a scalar power `x^(p/q)` (reduced fraction). */
export const MAX_SCALAR_EXPONENT = 4096;

/** Largest integer power of a square matrix. */
export const MAX_MATRIX_POWER = 64;

/**
 * Largest size, in bits (numerator plus denominator), of a number met while evaluating: exact
 * rationals, matrix entries and interval endpoints (whose size grows with their magnitude). The
 * effective limit is the larger of this and {@link VALUE_BITS_PER_MODEL_BIT} times the largest
 * entry of the model's own matrices, so big models are not refused for their own size.
 */
export const MAX_VALUE_BITS = 65536;

/** See {@link MAX_VALUE_BITS}. */
export const VALUE_BITS_PER_MODEL_BIT = 16;

/**
 * Largest number of steps one evaluation may take: each sub-expression evaluation is a step, a
 * spectral norm or singular value ({@link SPECTRAL_STEPS}) many, and layer reductions multiply their
 * body's steps by `N`.
 */
export const MAX_EVALUATION_STEPS = 100000;

/** Steps a `norm2` or `sigma` counts for (an exact inertia-count enclosure, milliseconds where others take microseconds). */
export const SPECTRAL_STEPS = 100;

/** Largest bigint work of one root `y^{1/k}` at `b` bits of precision, measured as `k · b` bits (about 0.4 s at the limit). */
export const MAX_ROOT_WORK_BITS = 2097152;

/** Largest bigint work of all the roots of one evaluation, measured as {@link MAX_ROOT_WORK_BITS} is (about 2 s at the limit). */
export const MAX_TOTAL_ROOT_WORK_BITS = 4 * MAX_ROOT_WORK_BITS;
