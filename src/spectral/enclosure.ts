import { Rational, bitLength, commonDenominator } from '../field/rational.js';
import { symmetricEigenvalues } from '../linalg/eigenvalues-f64.js';
import { toIntegerMatrix } from '../linalg/integer-matrix.js';
import { inertia } from '../linalg/ldlt.js';
import { ShapeError, type Matrix } from '../linalg/matrix.js';
import { rationalCandidates } from '../field/rational-recognition.js';

/**
 * Rigorous eigenvalue enclosures of a symmetric rational pencil `λS − K` (`S` positive definite
 * diagonal, `S = I` when the metric is `null`), `docs/math.md §4`. Every decision is exact: by Sylvester's
 * law of inertia, for rational `t`
 * ```
 *   #{i : λ_i > t} = n_−(tS − K),   #{i : λ_i = t} = n_0(tS − K)
 * ```
 * since `tS − K = S^{½}(tI − S^{−½}KS^{−½})S^{½}` is congruent to `tI − S^{−½}KS^{−½}`. Floating point only
 * chooses where to look (a float eigenvalue as a hint, rounded to short dyadic rationals).
 */

/** Eigenvalues of the pencil relative to a point `t`: `above = #{λ_i > t}`, `at = #{λ_i = t}` (with multiplicity). */
export interface EigenvalueCount {
  readonly above: number;
  readonly at: number;
}

/** An exact eigenvalue counter for an `n × n` problem. */
export interface EigenvalueCounter {
  readonly n: number;
  count(t: Rational): EigenvalueCount;
  /** How the counts are decided, e.g. `"inertia of tS − K (exact LDLᵀ)"`. */
  readonly method: string;
}

/** One exact count at a point: the evidence behind an endpoint of an enclosure. */
export interface CountWitness extends EigenvalueCount {
  readonly t: Rational;
}

/**
 * `lower ≤ λ_index ≤ upper` (eigenvalues sorted from the largest, `index = 1` is `λ_max`), proven by
 * `lowerWitness.above ≥ index` (so `λ_index > lower`) and `upperWitness.above < index` (so
 * `λ_index ≤ upper`); or `λ_index = exact = lower = upper`, proven by one count at `exact` with
 * `above < index ≤ above + at`.
 */
export interface EigenEnclosure {
  readonly lower: Rational;
  readonly upper: Rational;
  /** Present when `λ_index` was proven to be this rational. */
  readonly exact?: Rational;
  /** Exact counts evaluated (inertias, or root counts for a polynomial counter). */
  readonly steps: number;
  readonly lowerWitness: CountWitness;
  readonly upperWitness: CountWitness;
  readonly method: string;
}

/** Options of {@link eigenvalueEnclosure}. */
export interface EnclosureOptions {
  /** Target width `> 0`: the result has `upper − lower ≤ width` (0 for an exact value). */
  readonly width: Rational;
  /**
   * A float estimate of `λ_index` (optional; computed with {@link symmetricEigenvalues} when absent).
   * A wrong hint costs time, never correctness.
   */
  readonly hint?: number;
  /** Denominator cap of the continued-fraction candidates tried as exact values (default 10⁶). */
  readonly maxDenominator?: bigint;
}

/** Options of {@link encloseEigenvalue} (the counter-generic form). */
export interface CounterEnclosureOptions extends EnclosureOptions {
  /** Rigorous bounds `[lower, upper]` containing the whole spectrum (e.g. {@link gershgorinBounds}), used when the hint fails. */
  readonly bounds: readonly [Rational, Rational];
  /** Absolute error expected of the hint (default `2^-40·max(|hint|, 1)`). */
  readonly hintError?: number;
  /** An already proven bracket to continue from. */
  readonly bracket?: { readonly lower: CountWitness; readonly upper: CountWitness };
}

function checkProblem(K: Matrix<Rational>, metric: readonly Rational[] | null): void {
  if (K.rows !== K.cols) throw new ShapeError(`eigenvalue enclosure: K is ${K.rows}×${K.cols}, not square`);
  if (K.rows === 0) throw new ShapeError('eigenvalue enclosure: K is empty');
  if (metric !== null) {
    if (metric.length !== K.rows) throw new ShapeError(`eigenvalue enclosure: metric has ${metric.length} entries, K is ${K.rows}×${K.rows}`);
    metric.forEach((s, i) => {
      if (s.sign() <= 0) throw new RangeError(`eigenvalue enclosure: metric entry ${i + 1} is ${s.toString()}, must be positive`);
    });
  }
}

/**
 * The exact counter `t ↦ (n_−, n_0)(tS − K)` by fraction-free inertia ({@link inertia}).
 * For `t = a/b` the integer matrix `a κ S̃ − b σ K̃` is used, with `K̃ = κK`, `S̃ = σS` integral
 * (`κ, σ` the denominators' lcm): it is `bσκ(tS − K)`, a positive multiple, so the inertia is the same.
 *
 * @throws ShapeError / RangeError on a non-square `K` or a metric of the wrong length or sign;
 *   NotSymmetricError (on the first count) when `K` is not symmetric.
 */
export function inertiaCounter(K: Matrix<Rational>, metric: readonly Rational[] | null): EigenvalueCounter {
  checkProblem(K, metric);
  const n = K.rows;
  const Ki = toIntegerMatrix(K);
  const sigma = metric === null ? 1n : commonDenominator(metric);
  const Si = metric === null ? null : metric.map((s) => s.num * (sigma / s.den));
  return {
    n,
    method: 'inertia of tS − K (exact fraction-free LDLᵀ, Sylvester’s law)',
    count(t: Rational): EigenvalueCount {
      const aK = t.num * Ki.scale;
      const bS = t.den * sigma;
      const data = new Array<Rational>(n * n);
      for (let i = 0; i < n; i++) {
        const row = Ki.entries[i] as bigint[];
        for (let j = 0; j < n; j++) {
          let v = -bS * (row[j] as bigint);
          if (i === j) v += aK * (Si === null ? 1n : (Si[i] as bigint));
          data[i + j * n] = Rational.fromBigInt(v);
        }
      }
      const r = inertia({ rows: n, cols: n, data });
      return { above: r.inertia.negative, at: r.inertia.zero };
    },
  };
}

/**
 * `#{eigenvalues of the pencil λS − K above t}` = number of negative pivots of `tS − K`, exactly.
 */
export function countEigenvaluesAbove(K: Matrix<Rational>, metric: readonly Rational[] | null, t: Rational): number {
  return inertiaCounter(K, metric).count(t).above;
}

/**
 * Gershgorin bounds of `S⁻¹K` (rigorous for every eigenvalue of the pencil):
 * `λ ∈ ∪_i [K_ii/s_i − r_i, K_ii/s_i + r_i]`, `r_i = Σ_{j≠i} |K_ij| / s_i`. Exact rationals.
 */
export function gershgorinBounds(K: Matrix<Rational>, metric: readonly Rational[] | null): [Rational, Rational] {
  checkProblem(K, metric);
  const n = K.rows;
  let lo: Rational | null = null;
  let hi: Rational | null = null;
  for (let i = 0; i < n; i++) {
    let r = Rational.ZERO;
    for (let j = 0; j < n; j++) if (j !== i) r = r.add((K.data[i + j * n] as Rational).abs());
    let c = K.data[i + i * n] as Rational;
    if (metric !== null) {
      const s = metric[i] as Rational;
      c = c.div(s);
      r = r.div(s);
    }
    const l = c.sub(r);
    const h = c.add(r);
    if (lo === null || l.compare(lo) < 0) lo = l;
    if (hi === null || h.compare(hi) > 0) hi = h;
  }
  return [lo ?? Rational.ZERO, hi ?? Rational.ZERO];
}

/**
 * Eigenvalues of the pencil in binary64, ascending: those of `S^{−½}KS^{−½}` by {@link symmetricEigenvalues};
 * `null` when an entry does not fit a finite double.
 */
export function pencilEigenvaluesF64(K: Matrix<Rational>, metric: readonly Rational[] | null): number[] | null {
  checkProblem(K, metric);
  const n = K.rows;
  const root = metric === null ? null : metric.map((s) => Math.sqrt(s.toNumber()));
  const data = new Array<number>(n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      let v = (K.data[i + j * n] as Rational).toNumber();
      if (root !== null) v = v / (root[i] as number) / (root[j] as number);
      if (!Number.isFinite(v)) return null;
      data[i + j * n] = v;
    }
  try {
    return symmetricEigenvalues({ rows: n, cols: n, data });
  } catch {
    return null;
  }
}

/** An exponent `e` with `2^{−e} < r` for a positive rational `r`. */
export function exponentBelow(r: Rational): number {
  return bitLength(r.den) - bitLength(r.num < 0n ? -r.num : r.num) + 1;
}

/** `⌊x·2^e⌋ / 2^e` (`e` any integer). */
function floorDyadic(x: Rational, e: number): Rational {
  if (e >= 0) {
    const s = x.num << BigInt(e);
    let q = s / x.den;
    if (s < 0n && q * x.den !== s) q -= 1n;
    return new Rational(q, 1n << BigInt(e));
  }
  const d = x.den << BigInt(-e);
  let q = x.num / d;
  if (x.num < 0n && q * d !== x.num) q -= 1n;
  return Rational.fromBigInt(q << BigInt(-e));
}

/** `⌈x·2^e⌉ / 2^e`. */
function ceilDyadic(x: Rational, e: number): Rational {
  return floorDyadic(x.neg(), e).neg();
}

/**
 * A short dyadic rational within `(hi − lo)/8` of the midpoint of `lo < hi` (so strictly inside):
 * the midpoint rounded to the grid `2^{−e}ℤ` with `2^{−e} < (hi − lo)/4`, whose numerator needs only
 * about `log₂(|mid|/(hi − lo)) + 3` bits. Short points keep exact counts and evaluations cheap.
 */
export function shortMidpoint(lo: Rational, hi: Rational): Rational {
  const w = hi.sub(lo);
  const e = exponentBelow(w) + 2; // 2^-e < w/4
  const mid = lo.add(hi).div(Rational.fromBigInt(2n));
  const down = floorDyadic(mid, e);
  const step = e >= 0 ? new Rational(1n, 1n << BigInt(e)) : Rational.fromBigInt(1n << BigInt(-e));
  const up = down.add(step);
  return mid.sub(down).compare(up.sub(mid)) <= 0 ? down : up;
}

/** `2^−40·max(|x|, 1)`: a default error bound for a float estimate of unknown origin. */
function defaultHintError(x: number): number {
  return 2 ** -40 * Math.max(Math.abs(x), 1);
}

/**
 * The counter-generic enclosure of `λ_index` (see {@link eigenvalueEnclosure}); `counter` decides,
 * `bounds` are rigorous outer bounds used when the hint fails.
 *
 * 1. If a continued-fraction convergent `c` of the hint (denominator ≤ `maxDenominator`) lies within
 *    the hint's error, test it: `above < index ≤ above + at` proves `λ_index = c`.
 * 2. Bracket: `hint ± slack` rounded outward to short dyadics, with `slack = max(hintError/64, 0.4·width)`
 *    at first, each end verified by a count (`above ≥ index` below, `above < index` above); a failed
 *    end becomes the other end and the slack grows ×16 (seven times at most), then `bounds` are used.
 * 3. Bisection at short dyadic midpoints until `upper − lower ≤ width`; a midpoint that is the
 *    eigenvalue is detected exactly (`above < index ≤ above + at`).
 */
export function encloseEigenvalue(counter: EigenvalueCounter, index: number, options: CounterEnclosureOptions): EigenEnclosure {
  const n = counter.n;
  if (!Number.isInteger(index) || index < 1 || index > n) throw new RangeError(`eigenvalue enclosure: index must be an integer in [1, ${n}], got ${index}`);
  const width = options.width;
  if (width.sign() <= 0) throw new RangeError(`eigenvalue enclosure: width must be positive, got ${width.toString()}`);
  const maxDen = options.maxDenominator ?? 1_000_000n;
  let steps = 0;
  let lo: CountWitness | null = options.bracket?.lower ?? null;
  let hi: CountWitness | null = options.bracket?.upper ?? null;
  let exact: CountWitness | null = null;

  const done = (): EigenEnclosure => {
    const method = `${counter.method}; bracket from a float hint, bisection at short dyadic rationals`;
    if (exact !== null) return { lower: exact.t, upper: exact.t, exact: exact.t, steps, lowerWitness: exact, upperWitness: exact, method };
    if (lo === null || hi === null) throw new Error('internal error: enclosure without a bracket');
    return { lower: lo.t, upper: hi.t, steps, lowerWitness: lo, upperWitness: hi, method };
  };
  /** Counts at t and files the result; returns 'lower' | 'upper' | 'exact'. */
  const test = (t: Rational): 'lower' | 'upper' | 'exact' => {
    steps++;
    const c = counter.count(t);
    const w: CountWitness = { t, above: c.above, at: c.at };
    if (c.above >= index) {
      if (lo === null || t.compare(lo.t) > 0) lo = w;
      return 'lower';
    }
    if (c.above + c.at >= index) {
      exact = w;
      return 'exact';
    }
    if (hi === null || t.compare(hi.t) < 0) hi = w;
    return 'upper';
  };
  const narrowEnough = (): boolean => lo !== null && hi !== null && hi.t.sub(lo.t).compare(width) <= 0;

  const hint = options.hint;
  if (hint !== undefined && Number.isFinite(hint) && (lo === null || hi === null)) {
    const hintR = Rational.fromNumber(hint);
    const err = options.hintError !== undefined && options.hintError > 0 ? options.hintError : defaultHintError(hint);
    const errR = Rational.fromNumber(err);
    for (const c of rationalCandidates(hint, maxDen)) {
      if (c.sub(hintR).abs().compare(errR) <= 0) {
        if (test(c) === 'exact') return done();
        break;
      }
    }
    // Start optimistic (a float eigenvalue is usually far better than its bound), grow ×16 on failure.
    let slack = Math.max(err / 64, 0.4 * width.toNumber());
    for (let attempt = 0; attempt < 8 && (hi === null || lo === null); attempt++) {
      const slackR = Rational.fromNumber(slack);
      const e = exponentBelow(slackR) + 2; // grid step < slack/4
      if (hi === null) {
        const t = ceilDyadic(hintR.add(slackR), e);
        if (test(t) === 'exact') return done();
      }
      if (lo === null) {
        const t = floorDyadic(hintR.sub(slackR), e);
        if (test(t) === 'exact') return done();
      }
      slack *= 16;
    }
  }
  if (hi === null) {
    const [, upperBound] = options.bounds;
    // Every eigenvalue is ≤ upperBound, so nothing lies above it; round up to a short number.
    const t = ceilDyadic(upperBound, 4);
    if (test(t) === 'exact') return done();
    if (hi === null) throw new Error(`eigenvalue enclosure: ${counter.method} finds eigenvalues above the rigorous upper bound ${t.toString()}`);
  }
  if (lo === null) {
    const [lowerBound] = options.bounds;
    // Strictly below every eigenvalue.
    const t = floorDyadic(lowerBound, 4).sub(Rational.ONE);
    if (test(t) === 'exact') return done();
    if (lo === null) throw new Error(`eigenvalue enclosure: ${counter.method} finds fewer than ${index} eigenvalues above the rigorous lower bound ${t.toString()}`);
  }
  while (!narrowEnough()) {
    const l: CountWitness | null = lo;
    const h: CountWitness | null = hi;
    if (l === null || h === null) break;
    if (test(shortMidpoint(l.t, h.t)) === 'exact') return done();
  }
  return done();
}

/**
 * A rigorous enclosure `lower ≤ λ_index ≤ upper` of the `index`-th largest eigenvalue of the
 * pencil `λS − K` (`index = 1`: `λ_max`), with `upper − lower ≤ width`, or its exact value when a
 * short rational candidate or a bisection point turns out to be it. Decisions by exact inertia
 * counts ({@link inertiaCounter}); the float hint (computed when absent) only positions the bracket,
 * and Gershgorin bounds of `S⁻¹K` take over when it is wrong. Midpoints are short dyadic rationals,
 * which keeps the inertias cheap. Typical cost with a good hint: one count for a rational
 * eigenvalue with a small denominator, two for a bracket of the float's accuracy, then one per halving.
 *
 * @throws ShapeError / RangeError on a non-square `K`, a bad metric, index or width;
 *   NotSymmetricError when `K ≠ Kᵀ`.
 */
export function eigenvalueEnclosure(K: Matrix<Rational>, metric: readonly Rational[] | null, index: number, options: EnclosureOptions): EigenEnclosure {
  const counter = inertiaCounter(K, metric);
  const n = K.rows;
  if (!Number.isInteger(index) || index < 1 || index > n) throw new RangeError(`eigenvalue enclosure: index must be an integer in [1, ${n}], got ${index}`);
  const bounds = gershgorinBounds(K, metric);
  let hint = options.hint;
  let hintError: number | undefined;
  const normBound = Math.max(Math.abs(bounds[0].toNumber()), Math.abs(bounds[1].toNumber()));
  if (hint === undefined) {
    const values = pencilEigenvaluesF64(K, metric);
    if (values !== null) hint = values[n - index];
  }
  if (hint !== undefined && Number.isFinite(normBound)) {
    // Backward-stable eigensolver on rounded entries: |λ̂ − λ| ≲ c n u ‖A‖ (Weyl); generous c = 32.
    hintError = Math.max(32 * n * 2 ** -53 * normBound, 2 ** -50 * Math.abs(hint));
  }
  const opts: CounterEnclosureOptions = {
    width: options.width,
    bounds,
    ...(hint !== undefined ? { hint } : {}),
    ...(hintError !== undefined && hintError > 0 ? { hintError } : {}),
    ...(options.maxDenominator !== undefined ? { maxDenominator: options.maxDenominator } : {}),
  };
  return encloseEigenvalue(counter, index, opts);
}
