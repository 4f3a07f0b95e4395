/**
 * Rigorous enclosures of singular values `σ_k(X)` and of `‖X‖₂²` of a rational matrix (`docs/math.md §4`):
 * eigenvalue enclosures of the smaller Gram matrix ({@link eigenvalueEnclosure}, exact inertia
 * counts) and rigorous rational square roots.
 */
import { integerSqrt } from '../field/integer-roots.js';
import { Rational } from '../field/rational.js';
import { Q } from '../field/field.js';
import { ShapeError, mul, transpose, type Matrix } from '../linalg/matrix.js';
import {
  eigenvalueEnclosure,
  encloseEigenvalue,
  exponentBelow,
  gershgorinBounds,
  inertiaCounter,
  pencilEigenvaluesF64,
  type CounterEnclosureOptions,
  type EigenEnclosure,
} from './enclosure.js';

/** `⌊√r · 2^e⌋ / 2^e ≤ √r` for `r ≥ 0`, `e ≥ 0` (uses `⌊√x⌋ = ⌊√⌊x⌋⌋`). */
function sqrtFloor(r: Rational, e: number): Rational {
  const x = (r.num << BigInt(2 * e)) / r.den;
  return new Rational(integerSqrt(x), 1n << BigInt(e));
}

/** `⌈√⌈r·4^e⌉⌉ / 2^e ≥ √r` for `r ≥ 0`, `e ≥ 0`. */
function sqrtCeil(r: Rational, e: number): Rational {
  const s = r.num << BigInt(2 * e);
  let x = s / r.den;
  if (x * r.den !== s) x += 1n;
  let y = integerSqrt(x);
  if (y * y !== x) y += 1n;
  return new Rational(y, 1n << BigInt(e));
}

/** `√r` when `r ≥ 0` is the square of a rational, else `null`. */
function exactSqrt(r: Rational): Rational | null {
  if (r.sign() < 0) return null;
  const a = integerSqrt(r.num);
  const b = integerSqrt(r.den);
  return a * a === r.num && b * b === r.den ? new Rational(a, b) : null;
}

/** The smaller Gram matrix of `X` (`XᵀX` or `XXᵀ`), whose eigenvalues are the squared singular values. */
function smallerGram(X: Matrix<Rational>): Matrix<Rational> {
  if (X.rows === 0 || X.cols === 0) throw new ShapeError(`singular values of an empty ${X.rows}×${X.cols} matrix`);
  return X.cols <= X.rows ? mul(Q, transpose(X), X) : mul(Q, X, transpose(X));
}

/** A rigorous enclosure of the `k`-th largest singular value, with the enclosure of its square. */
export interface SingularValueEnclosure {
  readonly lower: Rational;
  readonly upper: Rational;
  /** Present when `σ_k` is rational and was proven so. */
  readonly exact?: Rational;
  readonly steps: number;
  /** The enclosure of `σ_k² = λ_k(XᵀX)` (of the smaller Gram matrix) it was derived from. */
  readonly squared: EigenEnclosure;
}

/**
 * `lower ≤ σ_k(X) ≤ upper` with `upper − lower ≤ width` (`k = 1` the largest), from an enclosure
 * `[μ_lo, μ_hi]` of `σ_k² = λ_k(G)`, `G` the smaller of `XᵀX` and `XXᵀ` ({@link eigenvalueEnclosure}),
 * and rigorous rational square roots: `⌊√(μ_lo 4^e)⌋/2^e ≤ √μ_lo` and `√μ_hi ≤ ⌈√⌈μ_hi 4^e⌉⌉/2^e`.
 * Since `√μ_hi − √μ_lo ≤ (μ_hi − μ_lo)/(2√μ_lo)`, the enclosure of `σ²` is refined until the root
 * interval is narrow enough. Exact when `σ_k²` is proven rational and a square of a rational.
 */
export function singularValueEnclosure(X: Matrix<Rational>, k: number, width: Rational): SingularValueEnclosure {
  const G = smallerGram(X);
  const r = G.rows;
  if (!Number.isInteger(k) || k < 1 || k > r) throw new RangeError(`singular value enclosure: k must be an integer in [1, ${r}], got ${k}`);
  if (width.sign() <= 0) throw new RangeError(`singular value enclosure: width must be positive, got ${width.toString()}`);
  const counter = inertiaCounter(G, null);
  const bounds = gershgorinBounds(G, null);
  const values = pencilEigenvaluesF64(G, null);
  const hint = values === null ? undefined : values[r - k];
  const normBound = Math.max(Math.abs(bounds[0].toNumber()), Math.abs(bounds[1].toNumber()));
  const hintError = hint === undefined || !Number.isFinite(normBound) ? undefined : Math.max(32 * r * 2 ** -53 * normBound, 2 ** -50 * Math.abs(hint));
  const sigmaHint = hint === undefined ? 0 : Math.sqrt(Math.max(hint, 0));
  const e = Math.max(0, exponentBelow(width) + 3); // 2^-e < width/8
  const wf = width.toNumber();
  let muWidth = Rational.fromNumber(Math.max(wf * sigmaHint, (wf * wf) / 4, Number.MIN_VALUE));
  if (muWidth.compare(width.mul(width).div(Rational.fromBigInt(4n))) < 0) muWidth = width.mul(width).div(Rational.fromBigInt(4n));
  let squared: EigenEnclosure | null = null;
  let steps = 0;
  for (;;) {
    const opts: CounterEnclosureOptions = {
      width: muWidth,
      bounds,
      ...(hint !== undefined ? { hint } : {}),
      ...(hintError !== undefined && hintError > 0 ? { hintError } : {}),
      ...(squared !== null ? { bracket: { lower: squared.lowerWitness, upper: squared.upperWitness } } : {}),
    };
    squared = encloseEigenvalue(counter, k, opts);
    steps += squared.steps;
    if (squared.exact !== undefined) {
      const s = exactSqrt(squared.exact);
      if (s !== null) return { lower: s, upper: s, exact: s, steps, squared };
    }
    const muLo = squared.lower.sign() < 0 ? Rational.ZERO : squared.lower;
    const muHi = squared.upper.sign() < 0 ? Rational.ZERO : squared.upper;
    const lower = sqrtFloor(muLo, e);
    const upper = sqrtCeil(muHi, e);
    if (upper.sub(lower).compare(width) <= 0) return { lower, upper, steps, squared };
    muWidth = muWidth.div(Rational.fromBigInt(16n));
  }
}

/**
 * `‖X‖₂² = λ_max(XᵀX)` enclosed to `width` (exact when rational with a short denominator), on the
 * smaller Gram matrix; see {@link eigenvalueEnclosure}.
 */
export function spectralNormSquaredEnclosure(X: Matrix<Rational>, width: Rational): EigenEnclosure {
  return eigenvalueEnclosure(smallerGram(X), null, 1, { width });
}
