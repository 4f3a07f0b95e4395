/**
 * The binary64 range of the float stages. A model file may hold any entry up to `Number.MAX_VALUE`
 * in magnitude (and exact rationals far below `Number.MIN_VALUE`), but the Hessian, loss and
 * gradient are products of up to `2N` such entries, and the float algorithms square them (norms,
 * Rayleigh quotients). So before a model is rounded to binary64 for float work,
 * {@link assertFloatStagesFit} bounds the size of those quantities from the exact entries and
 * refuses, with a {@link FloatRangeError} naming the quantity and its size, when they would overflow
 * (or, for a Hessian whose every entry is below `2^-480`, underflow to zero).
 * Exact results shown in binary64 go through {@link scaledEigenvalues} (an eigen problem scaled by a
 * power of two, which changes no digit) or {@link finiteOrRefuse}.
 */
import { F64 } from '../field/field.js';
import { specLossCoefficient } from './point.js';
import { InputError } from '../errors/input-error.js';
import { bigAbs, bitLength, Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';
import type { NetworkSpec } from './point.js';
import { float64Side } from '../models/float-side.js';

/**
 * Largest base-2 exponent allowed for the float stages' quantities (Hessian entries, residual,
 * gradient): their squares must stay below `Number.MAX_VALUE ≈ 2^1024` with room for sums over
 * millions of terms, hence `2^480 ≈ 3e144`.
 */
export const MAX_FLOAT_STAGE_LOG2 = 480;

const LOG10_2 = Math.log10(2);

/** A quantity that does not fit binary64 (or would overflow the float algorithms): exit 2, naming it. */
export class FloatRangeError extends InputError {
  constructor(
    message: string,
    /** The quantity, e.g. `the Hessian entries`. */
    readonly quantity: string,
    /** Its estimated size as a power of ten (`log10 |value|`). */
    readonly log10: number,
  ) {
    super(message);
    this.name = 'FloatRangeError';
  }
}

/** `log2 |q|` within one (−Infinity for 0), from bit lengths: no big division. */
export function log2Magnitude(q: Rational): number {
  if (q.isZero()) return -Infinity;
  return bitLength(bigAbs(q.num)) - bitLength(q.den);
}

/** `≈ 1e+400`: the size of a power of two `2^e`, in words. */
export function powerOfTenText(log2: number): string {
  if (!Number.isFinite(log2)) return log2 > 0 ? 'infinite' : '0';
  return `about 1e${log2 >= 0 ? '+' : ''}${Math.round(log2 * LOG10_2)}`;
}

/**
 * Upper bound of `log2 ‖A‖_F` from the entries' bit lengths (−Infinity for a zero matrix); for a
 * matrix read with its binary64 side (`models/float-side.ts`), from those values, without exact work.
 */
function log2Frobenius(A: Matrix<Rational>): number {
  const float = float64Side(A);
  let m = -Infinity;
  if (float !== undefined) {
    // A normal x rounds the exact q with |q| ≤ |x|(1 + 2^-53) < 2^(log2|x| + 1).
    for (const x of float) if (x !== 0) m = Math.max(m, Math.log2(Math.abs(x)) + 1);
    return m === -Infinity ? m : m + 0.5 * Math.log2(float.length);
  }
  for (const x of A.data) m = Math.max(m, log2Magnitude(x) + 1);
  return m === -Infinity ? m : m + 0.5 * Math.log2(A.data.length);
}

/** `log2(2^a + 2^b)` bound: max + 1. */
const addBound = (a: number, b: number): number => (a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + 1);

/** Upper bounds (base-2 exponents) of the float stages' quantities at the point `spec`. */
export interface FloatStageBounds {
  /** `‖W_N⋯W_1 (X) − M‖_F` (the residual; the loss is about its square). */
  readonly residual: number;
  /** Largest Hessian entry (Gauss–Newton part and residual part). */
  readonly hessian: number;
}

/**
 * Bounds the residual and the Hessian entries of a deep linear network from its exact entries:
 * with `s_j = log2 ‖W_j‖_F` (and `s_0 = log2 ‖X‖_F` for data), a block `(i, k)` of the Hessian is at
 * most `Π_{j≠i} ‖W_j‖ · Π_{j≠k} ‖W_j‖ + ‖R‖ · Π_{j≠i,k} ‖W_j‖` in norm (times 2 for the sum loss).
 */
export function floatStageBounds(spec: NetworkSpec<Rational>): FloatStageBounds {
  const s = spec.weights.map(log2Frobenius);
  const obj = spec.objective;
  const x = obj.kind === 'dln' ? log2Frobenius(obj.inputs) : 0;
  const target = log2Frobenius(obj.kind === 'dmf' ? obj.target : obj.targets);
  const except = (...skip: number[]): number => s.reduce((acc, v, j) => (skip.includes(j) ? acc : acc + v), x);
  const product = except();
  const residual = addBound(Number.isNaN(product) ? -Infinity : product, target);
  // log2 of the loss coefficient c (docs/conventions.md): bounds scale with it.
  const scale = Math.log2(specLossCoefficient(F64, spec));
  let hessian = -Infinity;
  for (let i = 0; i < s.length; i++) {
    for (let k = 0; k < s.length; k++) {
      const gn = except(i) + except(k);
      const rest = i === k ? -Infinity : residual + except(i, k);
      const b = addBound(Number.isNaN(gn) ? -Infinity : gn, Number.isNaN(rest) ? -Infinity : rest);
      hessian = Math.max(hessian, b + scale);
    }
  }
  return { residual: residual + scale, hessian };
}

/**
 * Throws {@link FloatRangeError} when the float stages at `spec` would overflow binary64 (see the
 * module note): the message names the quantity, its size and what to do.
 */
export function assertFloatStagesFit(spec: NetworkSpec<Rational>): void {
  const b = floatStageBounds(spec);
  const limit = MAX_FLOAT_STAGE_LOG2;
  const advice =
    'the float64 stages square these quantities (binary64 ends at 1.8e308); rescale the model (W_i → c·W_i and the target → c^N·target ' +
    'scales the Hessian by c^(2N−2)), or use the exact results (`check`, `hessian --exact`)';
  if (b.hessian > limit) {
    throw new FloatRangeError(`the Hessian entries at this point may reach ${powerOfTenText(b.hessian)}, above the float stages' limit of 2^${limit} ≈ 3e144: ${advice}`, 'the Hessian entries', b.hessian * LOG10_2);
  }
  if (b.hessian < -limit && b.hessian !== -Infinity) {
    throw new FloatRangeError(
      `the Hessian entries at this point are at most ${powerOfTenText(b.hessian)}, below the float stages' range of 2^-${limit} ≈ 3e-145: in binary64 their products and squares ` +
        `underflow to 0 and the float results would be wrong; rescale the model (W_i → c·W_i and the target → c^N·target scales the Hessian by c^(2N−2)), or use the exact results (\`check\`, \`hessian --exact\`)`,
      'the Hessian entries',
      b.hessian * LOG10_2,
    );
  }
  if (b.residual > limit) {
    throw new FloatRangeError(`the residual ‖W_N⋯W_1 − target‖ at this point may reach ${powerOfTenText(b.residual)} (the loss its square), above the float stages' limit of 2^${limit} ≈ 3e144: ${advice}`, 'the residual', b.residual * LOG10_2);
  }
}

/**
 * `q` rounded to binary64, or a {@link FloatRangeError} naming `quantity` when it does not fit
 * (its magnitude is above `Number.MAX_VALUE`).
 */
export function finiteOrRefuse(q: Rational, quantity: string): number {
  const v = q.toNumber();
  if (Number.isFinite(v)) return v;
  const e = log2Magnitude(q);
  throw new FloatRangeError(`${quantity} is ${powerOfTenText(e)}, beyond binary64 (largest 1.8e308); its exact value is in the exact output (--json)`, quantity, e * LOG10_2);
}

/**
 * `2^-k · A` rounded to binary64, with `k` chosen so the largest entry is near 1, and `k`: an exact
 * scaling by a power of two, so an eigen problem of the result has the eigenvalues of `A` times
 * `2^-k` with no overflow or underflow of the entries.
 */
export function scaledToFloat(A: Matrix<Rational>): { readonly matrix: Matrix<number>; readonly log2Scale: number } {
  let e = -Infinity;
  for (const x of A.data) e = Math.max(e, log2Magnitude(x));
  const k = e === -Infinity ? 0 : e;
  const factor = k >= 0 ? new Rational(1n, 1n << BigInt(k)) : new Rational(1n << BigInt(-k), 1n);
  return { matrix: { rows: A.rows, cols: A.cols, data: A.data.map((x) => x.mul(factor).toNumber()) }, log2Scale: k };
}

/**
 * Binary64 eigenvalues of the exact symmetric `A` computed by `eigen` on `2^-k·A` and scaled back by
 * `2^k`. Throws {@link FloatRangeError} naming `quantity` when an eigenvalue is beyond binary64.
 */
export function scaledEigenvalues(A: Matrix<Rational>, eigen: (M: Matrix<number>) => number[], quantity: string): number[] {
  const { matrix, log2Scale } = scaledToFloat(A);
  const values = eigen(matrix);
  // Two steps, so that 2^k itself never over- or underflows.
  const half = Math.trunc(log2Scale / 2);
  const back = values.map((v) => v * 2 ** half * 2 ** (log2Scale - half));
  const bad = values.findIndex((v, i) => v !== 0 && (!Number.isFinite(back[i] as number)));
  if (bad >= 0) {
    const e = Math.log2(Math.abs(values[bad] as number)) + log2Scale;
    throw new FloatRangeError(`${quantity} reach ${powerOfTenText(e)}, beyond binary64 (largest 1.8e308); the exact Hessian is in the exact output (--json)`, quantity, e * LOG10_2);
  }
  return back;
}

/** `q = m · 10^t` with `m` a binary64 (|m| in [1, 10^step) when `step` divides the exponent). */
function decimalParts(q: Rational, step: number): { m: number; t: number } {
  const e10 = Math.floor((log2Magnitude(q) * LOG10_2) / step) * step;
  const p = 10n ** BigInt(Math.abs(e10));
  const scaled = e10 >= 0 ? q.mul(new Rational(1n, p)) : q.mul(new Rational(p, 1n));
  return { m: scaled.toNumber(), t: e10 };
}

/**
 * A decimal in scientific notation with `digits` significant digits for any rational, also beyond
 * the binary64 range: `1.0000000000000000e+400`. Used where a float would print as `Infinity` or `0`.
 */
export function scientificText(q: Rational, digits = 17): string {
  if (q.isZero()) return '0';
  const { m, t } = decimalParts(q, 1);
  const [mant, exp] = m.toExponential(digits - 1).split('e') as [string, string];
  const e = Number(exp) + t;
  return `${mant}e${e >= 0 ? '+' : ''}${e}`;
}

/** {@link scientificText} of `√q` (q ≥ 0), e.g. a gradient norm from its exact square. */
export function scientificSqrtText(q: Rational, digits = 17): string {
  if (q.isZero()) return '0';
  const { m, t } = decimalParts(q, 2);
  const [mant, exp] = Math.sqrt(m).toExponential(digits - 1).split('e') as [string, string];
  const e = Number(exp) + t / 2;
  return `${mant}e${e >= 0 ? '+' : ''}${e}`;
}

/**
 * The coarse form of {@link assertFloatStagesFit} for models whose Hessian is a polynomial (or
 * bounded function) of degree at most `degree` in the entries of `matrices` (a two-layer network:
 * degree 6 covers the quadratic activation): refuses when `degree · log2(largest ‖A‖_F)` is above
 * {@link MAX_FLOAT_STAGE_LOG2}.
 */
export function assertEntriesFitFloatStages(matrices: readonly Matrix<Rational>[], degree: number, what: string): void {
  const a = Math.max(0, ...matrices.map(log2Frobenius));
  const bound = degree * a;
  if (bound > MAX_FLOAT_STAGE_LOG2) {
    throw new FloatRangeError(
      `the ${what} has entries up to ${powerOfTenText(a)}; its loss, gradient and Hessian may reach ${powerOfTenText(bound)}, above the float stages' ` +
        `limit of 2^${MAX_FLOAT_STAGE_LOG2} ≈ 3e144 (binary64 ends at 1.8e308, and the float algorithms square these quantities): rescale the inputs or weights`,
      'the loss, gradient and Hessian',
      bound * LOG10_2,
    );
  }
}
