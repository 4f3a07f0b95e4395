import { Rational, bitLength, bigAbs } from '../field/rational.js';
import { Q } from '../field/field.js';
import { characteristicPolynomial } from '../linalg/charpoly.js';
import { NotSymmetricError } from '../linalg/ldlt.js';
import { ShapeError, isSymmetric, type Matrix } from '../linalg/matrix.js';
import { largePrimes, reduceBigInt } from '../linalg/modular.js';
import { Polynomial } from '../linalg/polynomial.js';
import {
  encloseEigenvalue,
  gershgorinBounds,
  inertiaCounter,
  pencilEigenvaluesF64,
  shortMidpoint,
  type CountWitness,
  type EigenvalueCounter,
} from './enclosure.js';
import {
  countDistinctRootsIn,
  divideOutRoots,
  isRoot,
  primitiveIntegerPolynomial,
  realRootCount,
  signAt,
  squareFreeFactorization,
  modularNonRoot,
  primeWithoutRoot,
  type IntegerPolynomial,
  type SquareFreeFactor,
} from './polynomial-roots.js';
import { convergents, rationalCandidates } from '../field/rational-recognition.js';

/** Most extra sign evaluations spent isolating the one rational candidate of a factor (item: rational λ_max whatever its denominator). */
const MAX_RATIONAL_ROOT_STEPS = 20000;

/** The problem: the symmetric pencil `λS − K` with `S = diag(metric)` positive (`null`: `S = I`). */
export interface LambdaMaxProblem {
  readonly K: Matrix<Rational>;
  readonly metric: readonly Rational[] | null;
}

/** Options of {@link certifyLambdaMax}. */
export interface CertifyOptions {
  /** An irrational `λ_max` is enclosed in an interval of width `< 10^−digits` (integer ≥ 0). */
  readonly digits: number;
  /** A float estimate of `λ_max` (e.g. from Lanczos) to place the bracket; the dense float spectrum otherwise. */
  readonly estimate?: number;
  /**
   * How eigenvalue counts are decided: `'inertia'` (LDLᵀ of `tS − K`, `O(n³)` big-integer work per
   * count), `'polynomial'` (Descartes' rule on the characteristic polynomial, `O(n²)` per count
   * once the polynomial is known) or `'auto'` (default: inertia up to `n = 16`, where an LDLᵀ is
   * cheap and gives evidence independent of the polynomial; polynomial above, where the inertias
   * would cost more than the polynomial itself).
   */
  readonly counts?: 'inertia' | 'polynomial' | 'auto';
  /** Denominator cap of the rational-eigenvalue candidates (default 10⁶). */
  readonly maxDenominator?: bigint;
}

/** What both kinds of certificate carry. */
export interface CertificateBase {
  /** `det(tI − S⁻¹K)`, exact and monic (its roots are the eigenvalues of the pencil). */
  readonly charpoly: Polynomial;
  /** Square-free factorization of `charpoly` (monic factors with multiplicities). */
  readonly factors: SquareFreeFactor[];
  /** Proven rational eigenvalues (`charpoly(c) = 0` exactly), descending, distinct. */
  readonly rationalRoots: Rational[];
  /**
   * A polynomial with `λ_max` as a simple root: `t − value`; for an enclosure the square-free factor
   * of `charpoly` holding `λ_max` (identified by a root count of 1 in the isolating interval), with the
   * proven rational roots divided out (monic).
   */
  readonly polynomial: Polynomial;
  /** Multiplicity of `λ_max` as an eigenvalue. */
  readonly multiplicity: number;
  /** Human-readable proof, one step per line. */
  readonly evidence: string[];
  /** The float estimate of `λ_max` the search started from (`NaN` when none could be formed). */
  readonly estimate: number;
  /** How counts were decided. */
  readonly counts: 'inertia' | 'polynomial';
  /** Wall-clock seconds in total and per stage. */
  readonly seconds: number;
  readonly timings: { readonly charpoly: number; readonly floats: number; readonly factorization: number; readonly rationalRoots: number; readonly proof: number };
}

/** `λ_max = value`, a proven rational. */
export interface RationalLambdaMax extends CertificateBase {
  readonly kind: 'rational';
  readonly value: Rational;
}

/** `lower ≤ λ_max ≤ upper`, `upper − lower < 10^−digits` (in fact `λ_max ∈ (lower, upper]`). */
export interface EnclosedLambdaMax extends CertificateBase {
  readonly kind: 'enclosure';
  readonly lower: Rational;
  readonly upper: Rational;
  /**
   * `true` when `polynomial` has `λ_max` as its only root in `(lower, upper]`, a simple one, so its
   * sign changes there exactly once ({@link refineLambdaMax} narrows the enclosure by sign bisection);
   * `false` in the (practically unreachable) case where no single factor could be isolated.
   */
  readonly isolating: boolean;
}

/** An exact certificate of the largest eigenvalue of a symmetric rational pencil. */
export type LambdaMaxCertificate = RationalLambdaMax | EnclosedLambdaMax;

const nowSeconds = (): number => performance.now() / 1000;

/** Short display of a rational: exact text, plus a decimal when the text is long. */
function show(x: Rational): string {
  const s = x.toString();
  return s.length <= 24 ? s : `${s} (≈ ${x.toDecimal(17)})`;
}

/**
 * Certifies `λ_max` of the symmetric pencil `λS − K` (`docs/math.md §4`) exactly:
 *
 * 1. `p = det(tI − S⁻¹K)` exactly ({@link characteristicPolynomial}, multi-modular), its square-free
 *    factorization, and its proven rational roots: continued-fraction candidates of the float
 *    eigenvalues of `S^{−½}KS^{−½}` ({@link rationalCandidates}), each kept only if `p(c) = 0` exactly.
 * 2. Rational case: for the largest rational root `c` near the float `λ_max`, an exact count shows no
 *    eigenvalue above `c`: `n_−(cS − K) = 0` with `n_0 ≥ 1` (`cS − K ⪰ 0` and singular), or, with
 *    polynomial counts, no sign change in the coefficients of `p(c + u)` (Descartes' rule, exact because
 *    `p` is real-rooted: `S⁻¹K` is similar to the symmetric `S^{−½}KS^{−½}`).
 * 3. Otherwise an enclosure: a bracket `(l, u]` from the float value with `#{λ > u} = 0` and
 *    `#{λ > l} = m ≥ 1`, narrowed by counts until the square-free factor `f` of multiplicity `m`
 *    has exactly one root in it (then `λ_max` is that root and no other eigenvalue lies in `(l, u]`),
 *    then sign bisection on `f` (`O(deg f)` per step) down to width `< 10^−digits`.
 *
 * Polynomial counts avoid `O(n³)` inertias on large `K` (hundreds of rows with long entries), where
 * the characteristic polynomial dominates the cost.
 *
 * @throws ShapeError / RangeError on a non-square or empty `K`, a bad metric or bad options;
 *   NotSymmetricError when `K ≠ Kᵀ`.
 */
export function certifyLambdaMax(problem: LambdaMaxProblem, options: CertifyOptions): LambdaMaxCertificate {
  const t0 = nowSeconds();
  const { K, metric } = problem;
  const n = K.rows;
  if (K.rows !== K.cols) throw new ShapeError(`certifyLambdaMax: K is ${K.rows}×${K.cols}, not square`);
  if (n === 0) throw new ShapeError('certifyLambdaMax: K is empty');
  if (!isSymmetric(Q, K)) throw new NotSymmetricError('certifyLambdaMax: K is not symmetric');
  const digits = options.digits;
  if (!Number.isInteger(digits) || digits < 0) throw new RangeError(`certifyLambdaMax: digits must be an integer ≥ 0, got ${digits}`);
  const maxDen = options.maxDenominator ?? 1_000_000n;
  const bounds = gershgorinBounds(K, metric); // also validates the metric
  const S = metric === null ? 'I' : 'S';
  const evidence: string[] = [];

  // 1. Characteristic polynomial of S⁻¹K.
  let t = nowSeconds();
  const M: Matrix<Rational> =
    metric === null ? K : { rows: n, cols: n, data: K.data.map((x, idx) => x.div(metric[idx % n] as Rational)) };
  const p = characteristicPolynomial(M);
  const ip = primitiveIntegerPolynomial(p);
  const coefBits = Math.max(...ip.coefficients.map((c) => bitLength(bigAbs(c))));
  const tCharpoly = nowSeconds() - t;
  evidence.push(
    `characteristic polynomial p(t) = det(tI − ${metric === null ? 'K' : 'S⁻¹K'}): degree ${n}, exact (multi-modular with a Hadamard bound); ` +
      `integer form has coefficients below 2^${coefBits}`,
  );

  // Float spectrum: positions only, never decisions.
  t = nowSeconds();
  const floats = pencilEigenvaluesF64(K, metric);
  const normBound = Math.max(Math.abs(bounds[0].toNumber()), Math.abs(bounds[1].toNumber()));
  const floatTop = floats === null ? undefined : floats[n - 1];
  const hint = options.estimate !== undefined && Number.isFinite(options.estimate) ? options.estimate : floatTop;
  const floatErr = (x: number): number => Math.max(32 * n * 2 ** -53 * (Number.isFinite(normBound) ? normBound : Math.abs(x)), 2 ** -50 * Math.abs(x));
  const tFloats = nowSeconds() - t;

  // Square-free factorization.
  t = nowSeconds();
  const factors = squareFreeFactorization(p);
  const tFactor = nowSeconds() - t;
  evidence.push(
    `square-free factorization (Yun, multi-modular gcd checked by exact division): p = ${factors
      .map((f) => `[degree ${f.factor.degree}]${f.multiplicity > 1 ? `^${f.multiplicity}` : ''}`)
      .join(' · ')}`,
  );

  // Proven rational roots from continued-fraction candidates of the float eigenvalues.
  t = nowSeconds();
  const rationalRoots: Rational[] = [];
  if (floats !== null) {
    const q = largePrimes(1)[0] as number;
    const Pq = ip.coefficients.map((c) => reduceBigInt(c, q));
    const seen = new Set<string>();
    let previous = Number.NaN;
    for (let i = floats.length - 1; i >= 0; i--) {
      const x = floats[i] as number;
      const err = floatErr(x);
      if (Math.abs(x - previous) <= err) continue; // same cluster as the previous value
      previous = x;
      const xR = Rational.fromNumber(x);
      const errR = Rational.fromNumber(err);
      for (const c of rationalCandidates(x, maxDen)) {
        if (c.sub(xR).abs().compare(errR) > 0) continue;
        const key = c.toString();
        if (seen.has(key)) continue;
        seen.add(key);
        if (modularNonRoot(Pq, q, c)) continue;
        if (isRoot(ip, c)) rationalRoots.push(c);
      }
    }
    rationalRoots.sort((a, b) => b.compare(a));
  }
  const tRoots = nowSeconds() - t;
  if (rationalRoots.length > 0) {
    const list = rationalRoots.slice(0, 8).map(show).join(', ');
    evidence.push(`rational eigenvalues found (p(c) = 0 exactly): ${list}${rationalRoots.length > 8 ? `, … (${rationalRoots.length} in all)` : ''}`);
  } else {
    evidence.push(`no rational eigenvalue with denominator ≤ ${maxDen} near the float eigenvalues`);
  }

  // Counts.
  t = nowSeconds();
  const mode = options.counts === undefined || options.counts === 'auto' ? (n <= 16 ? 'inertia' : 'polynomial') : options.counts;
  const counter: EigenvalueCounter =
    mode === 'inertia'
      ? inertiaCounter(K, metric)
      : { n, method: 'Descartes’ rule of signs on p (exact: p is real-rooted)', count: (x: Rational) => realRootCount(ip, x) };
  const describeCount = (w: CountWitness): string =>
    mode === 'inertia'
      ? `${show(w.t)}·${S} − K: inertia (${n - w.above - w.at}, ${w.above}, ${w.at})`
      : `p(${show(w.t)} + u): ${w.above} sign change${w.above === 1 ? '' : 's'}, ${w.at} vanishing low coefficient${w.at === 1 ? '' : 's'}`;
  const realRooted = `p is real-rooted: ${metric === null ? 'K is symmetric' : 'S⁻¹K is similar to the symmetric S^{−½}KS^{−½}'}`;
  if (mode === 'polynomial') evidence.push(`eigenvalue counts by Descartes’ rule of signs on p (${realRooted}, so sign changes of p(t + u) = #{λ > t})`);

  const base = (): Omit<CertificateBase, 'polynomial' | 'multiplicity'> => {
    const end = nowSeconds();
    return {
      charpoly: p,
      factors,
      rationalRoots,
      evidence,
      estimate: hint ?? Number.NaN,
      counts: mode,
      seconds: end - t0,
      timings: { charpoly: tCharpoly, floats: tFloats, factorization: tFactor, rationalRoots: tRoots, proof: end - t },
    };
  };
  const rationalResult = (w: CountWitness, how: string): RationalLambdaMax => {
    const value = w.t;
    evidence.push(
      mode === 'inertia'
        ? `${describeCount(w)} ⇒ positive semidefinite and singular ⇒ λ_max = ${show(value)} (multiplicity ${w.at})${how}`
        : `p(${show(value)}) = 0 with multiplicity ${w.at}, and ${describeCount(w)} ⇒ no eigenvalue above ${show(value)} ⇒ λ_max = ${show(value)}${how}`,
    );
    return { kind: 'rational', value, polynomial: Polynomial.fromRoots([value]), multiplicity: w.at, ...base() };
  };

  // 2. Rational case: the largest rational root near the float λ_max.
  let lowerStart: CountWitness | null = null;
  const top = rationalRoots[0];
  if (top !== undefined && (hint === undefined || Math.abs(top.toNumber() - hint) <= Math.max(64 * floatErr(hint), 1e-6 * Math.abs(hint)))) {
    const c = counter.count(top);
    const w: CountWitness = { t: top, above: c.above, at: c.at };
    if (c.above === 0 && c.at >= 1) return rationalResult(w, '');
    if (c.above >= 1) {
      lowerStart = w;
      evidence.push(`${describeCount(w)} ⇒ λ_max > ${show(top)}`);
    }
  }

  // 3. Enclosure: bracket (l, u] isolating λ_max on one square-free factor, then sign bisection.
  const target = new Rational(1n, 10n ** BigInt(digits)).div(Rational.fromBigInt(2n));
  const isolationWidth = hint !== undefined ? Rational.fromNumber(Math.max(4 * floatErr(hint), target.toNumber())) : target;
  const width0 = isolationWidth.compare(target) > 0 ? isolationWidth : target;
  let enc = encloseEigenvalue(counter, 1, {
    width: width0,
    bounds,
    maxDenominator: maxDen,
    ...(hint !== undefined ? { hint, hintError: floatErr(hint) } : {}),
  });
  let countSteps = enc.steps + (lowerStart !== null ? 1 : 0);
  if (enc.exact !== undefined) return rationalResult(enc.lowerWitness, ` (found by bisection, ${countSteps} counts)`);
  if (lowerStart !== null && lowerStart.t.compare(enc.lower) > 0 && lowerStart.t.compare(enc.upper) < 0) {
    enc = { ...enc, lower: lowerStart.t, lowerWitness: lowerStart };
  }

  const ipOf = new Map<SquareFreeFactor, IntegerPolynomial>();
  const intForm = (f: SquareFreeFactor): IntegerPolynomial => {
    let v = ipOf.get(f);
    if (v === undefined) {
      v = primitiveIntegerPolynomial(f.factor);
      ipOf.set(f, v);
    }
    return v;
  };
  /** Distinct roots of f in (lo, hi]: Sturm for small degrees, Descartes differences otherwise. */
  const rootsIn = (f: SquareFreeFactor, lo: Rational, hi: Rational): { count: number; how: string } => {
    if (f.factor.degree <= 24) return { count: countDistinctRootsIn(f.factor, lo, hi), how: 'Sturm' };
    const g = intForm(f);
    return { count: realRootCount(g, lo).above - realRootCount(g, hi).above, how: 'Descartes, real-rooted' };
  };

  let isolated: { factor: SquareFreeFactor; how: string } | null = null;
  for (let round = 0; round < 2000; round++) {
    const m = enc.lowerWitness.above - enc.upperWitness.above;
    const f = factors.find((x) => x.multiplicity === m);
    if (f !== undefined) {
      if (m === 1 && f.factor.degree > 24) {
        isolated = { factor: f, how: 'the only eigenvalue there is simple, so it is the root of the multiplicity-1 factor' };
        break;
      }
      const r = rootsIn(f, enc.lower, enc.upper);
      if (r.count === 1) {
        isolated = { factor: f, how: `${r.how}: exactly 1 root of that factor in the interval` };
        break;
      }
    }
    // A cluster: halve the bracket with one more count.
    const next = encloseEigenvalue(counter, 1, {
      width: enc.upper.sub(enc.lower).div(Rational.fromBigInt(2n)),
      bounds,
      bracket: { lower: enc.lowerWitness, upper: enc.upperWitness },
    });
    countSteps += next.steps;
    if (next.exact !== undefined) return rationalResult(next.lowerWitness, ` (found by bisection, ${countSteps} counts)`);
    enc = next;
  }
  evidence.push(`${describeCount(enc.upperWitness)} ⇒ no eigenvalue above ${show(enc.upper)}`);
  const m = enc.lowerWitness.above;
  evidence.push(`${describeCount(enc.lowerWitness)} ⇒ ${m} eigenvalue${m === 1 ? '' : 's'} (with multiplicity) in (${show(enc.lower)}, ${show(enc.upper)}]`);
  if (isolated === null) {
    // Practically unreachable (the factors are coprime, so their roots separate); report the bracket.
    if (enc.upper.sub(enc.lower).compare(target) > 0) throw new Error('certifyLambdaMax: could not isolate λ_max');
    const polynomial = factors.filter((f) => rootsIn(f, enc.lower, enc.upper).count > 0).reduce((acc, f) => acc.mul(f.factor), Polynomial.ONE);
    evidence.push(`λ_max ∈ (${show(enc.lower)}, ${show(enc.upper)}]; not isolated on one factor`);
    return { kind: 'enclosure', lower: enc.lower, upper: enc.upper, isolating: false, polynomial, multiplicity: m, ...base() };
  }
  const f = isolated.factor;
  evidence.push(
    `λ_max is a root of multiplicity ${m} of p, i.e. of the square-free factor of degree ${f.factor.degree} (${isolated.how}: (${show(enc.lower)}, ${show(enc.upper)}])`,
  );

  // The factor without its proven rational roots (none of them is λ_max, or the rational case applied).
  const { quotient: polynomial, removed } = divideOutRoots(f.factor, rationalRoots);
  if (removed.length > 0) {
    evidence.push(`its proven rational roots ${removed.slice(0, 8).map(show).join(', ')}${removed.length > 8 ? ', …' : ''} divided out: λ_max is a simple root of a polynomial of degree ${polynomial.degree}`);
  }
  // Sign bisection: one simple root in (lo, hi], so sign g(x) = sign g(hi) exactly for x ∈ (λ_max, hi].
  const g = primitiveIntegerPolynomial(polynomial);
  let lo = enc.lower;
  let hi = enc.upper;
  const sHi = signAt(g, hi);
  if (sHi === 0) return rationalResult({ t: hi, above: 0, at: m }, ' (the upper end is a root of the factor)');
  let evaluations = 0;
  let hit: Rational | null = null;
  const refine = (width: Rational): void => {
    while (hit === null && hi.sub(lo).compare(width) > 0) {
      const x = shortMidpoint(lo, hi);
      evaluations++;
      const s = signAt(g, x);
      if (s === 0) hit = x;
      else if (s === sHi) hi = x;
      else lo = x;
    }
  };
  const found = (x: Rational): RationalLambdaMax => {
    evidence.push(`the factor vanishes at ${show(x)} ∈ (${show(lo)}, ${show(hi)}], its only root there`);
    return rationalResult({ t: x, above: 0, at: m }, '');
  };
  if (g.coefficients.length === 2) {
    // A linear factor c_1 t + c_0: its root is rational.
    const root = new Rational(-(g.coefficients[0] as bigint), g.coefficients[1] as bigint);
    evidence.push(`the factor is linear: λ_max = ${show(root)}`);
    return rationalResult({ t: root, above: 0, at: m }, '');
  }
  refine(target);
  if (hit !== null) return found(hit);
  // A rational root p/q (lowest terms) of the primitive integer factor has q | lc; two fractions with
  // denominators ≤ lc differ by ≥ 1/lc², so once the bracket is narrower than 1/(2·lc²) the only
  // candidate is the continued-fraction convergent of its midpoint (Legendre): test it exactly.
  const lc = g.coefficients[g.coefficients.length - 1] as bigint;
  const isolating = new Rational(1n, 2n * lc * lc);
  const extraSteps = bitLength(bigAbs(hi.sub(lo).div(isolating).num)) - bitLength(bigAbs(hi.sub(lo).div(isolating).den)) + 1;
  // Cheap exclusion first: a rational root p/q (q | lc) would be a root modulo every prime not dividing
  // lc; a prime modulo which the factor has no root at all proves λ_max irrational.
  const witness = g.coefficients.length > 2 ? primeWithoutRoot(g.coefficients, lc) : undefined;
  if (witness !== undefined) {
    evidence.push(`λ_max is irrational: the factor has no root modulo the prime ${witness}, which does not divide its leading coefficient, so it has no rational root`);
  } else if (g.coefficients.length > 2 && extraSteps <= MAX_RATIONAL_ROOT_STEPS) {
    refine(isolating);
    if (hit !== null) return found(hit);
    const mid = lo.add(hi).div(Rational.fromBigInt(2n));
    const candidate = convergents(mid, lc)
      .reverse()
      .find((c) => c.compare(lo) > 0 && c.compare(hi) <= 0 && lc % c.den === 0n);
    if (candidate !== undefined && signAt(g, candidate) === 0) {
      evidence.push(
        `rational root search: a root p/q of the factor has q | lc = ${lc}; the bracket (width < 1/(2·lc²)) holds one candidate, ` +
          `the continued-fraction convergent ${show(candidate)}, and the factor vanishes there exactly`,
      );
      return rationalResult({ t: candidate, above: 0, at: m }, '');
    }
    evidence.push(
      `λ_max is irrational: a rational root p/q of the factor has q | lc = ${lc}, the bracket narrower than 1/(2·lc²) holds at most one such fraction, ` +
        `and ${candidate === undefined ? 'none lies there' : `the only one, ${show(candidate)}, is not a root`}`,
    );
  } else if (g.coefficients.length > 2) {
    evidence.push(`rational-root test skipped: isolating it needs ${extraSteps} more sign evaluations (limit ${MAX_RATIONAL_ROOT_STEPS}; lc has ${bitLength(lc)} bits)`);
  }
  if (evaluations > 0) {
    evidence.push(
      `sign bisection on the factor (${evaluations} exact evaluations): it changes sign in (${show(lo)}, ${show(hi)}] ⊂ the isolating interval ⇒ λ_max ∈ (${show(lo)}, ${show(hi)}]`,
    );
  }
  evidence.push(`width ${hi.sub(lo).toDecimal(3)} < 10^−${digits}`);
  return { kind: 'enclosure', lower: lo, upper: hi, isolating: true, polynomial, multiplicity: m, ...base() };
}

/**
 * Sign bisection on an integer polynomial `g` with exactly one root in `(lo, hi]`, a simple one:
 * `sign g(x) = sign g(hi)` exactly for `x ∈ (root, hi]` and the opposite sign on `(lo, root)`, so one
 * exact evaluation at a short dyadic midpoint halves the interval. Stops once `hi − lo ≤ width`, or at
 * a point where `g` vanishes (then `root` is that point, the root).
 */
function bisectSimpleRoot(
  g: IntegerPolynomial,
  lower: Rational,
  upper: Rational,
  width: Rational,
): { lower: Rational; upper: Rational; root?: Rational; evaluations: number } {
  let lo = lower;
  let hi = upper;
  const sHi = signAt(g, hi);
  if (sHi === 0) return { lower: lo, upper: hi, root: hi, evaluations: 1 };
  let evaluations = 0;
  while (hi.sub(lo).compare(width) > 0) {
    const x = shortMidpoint(lo, hi);
    evaluations++;
    const s = signAt(g, x);
    if (s === 0) return { lower: lo, upper: hi, root: x, evaluations };
    if (s === sHi) hi = x;
    else lo = x;
  }
  return { lower: lo, upper: hi, evaluations };
}

/** `λ_max` known to a requested width: exact (`lower = upper = exact`) or `lower < λ_max ≤ upper`. */
export interface LambdaMaxRefinement {
  readonly lower: Rational;
  readonly upper: Rational;
  readonly exact?: Rational;
  /** Exact polynomial evaluations spent. */
  readonly evaluations: number;
}

/**
 * Narrows a certificate's enclosure of `λ_max` to `upper − lower ≤ width` without new eigenvalue
 * counts: the certificate's `polynomial` has `λ_max` as its only root in `(lower, upper]`, a simple
 * one ({@link EnclosedLambdaMax.isolating}), so sign bisection on it (`O(deg)` exact big-integer
 * operations per halving) is a proof, exactly as in the last step of {@link certifyLambdaMax}.
 * A rational certificate is returned as its exact value.
 *
 * @throws RangeError when `width ≤ 0`, or when the certificate is not isolating (no single factor
 *   could be separated: refine with eigenvalue counts instead, e.g. `eigenvalueEnclosure`).
 */
export function refineLambdaMax(cert: LambdaMaxCertificate, width: Rational): LambdaMaxRefinement {
  if (width.sign() <= 0) throw new RangeError(`refineLambdaMax: width must be positive, got ${width.toString()}`);
  if (cert.kind === 'rational') return { lower: cert.value, upper: cert.value, exact: cert.value, evaluations: 0 };
  if (!cert.isolating) throw new RangeError('refineLambdaMax: the certificate does not isolate λ_max on one polynomial');
  const b = bisectSimpleRoot(primitiveIntegerPolynomial(cert.polynomial), cert.lower, cert.upper, width);
  if (b.root !== undefined) return { lower: b.root, upper: b.root, exact: b.root, evaluations: b.evaluations };
  return { lower: b.lower, upper: b.upper, evaluations: b.evaluations };
}
