import { Rational, bigAbs, bigGcd, commonDenominator } from '../field/rational.js';
import { Polynomial } from '../linalg/polynomial.js';
import { crtStep, invMod, largePrimes, mulMod, reduceBigInt } from '../linalg/modular.js';

/**
 * Exact real-root tools for polynomials with rational coefficients (`docs/math.md §4`): square-free
 * factorization, Sturm sequences, root counts, sign evaluation and rational-root candidates.
 *
 * The heavy lifting runs on integer polynomials (`bigint` coefficients, low → high): a rational
 * polynomial is written `p = content · P` with `P` primitive (coefficients of gcd 1, leading
 * coefficient positive), so signs, roots and divisibility can be decided on `P` without fractions.
 * Greatest common divisors use a multi-modular algorithm whose answer is checked by exact division,
 * which keeps characteristic polynomials of degree in the hundreds (coefficients of ~10⁴ bits) cheap.
 */

/** `p = content · Σ coefficients[k] t^k` with integer coefficients of gcd 1 and a positive leading one. */
export interface IntegerPolynomial {
  /** The rational factor (0 for the zero polynomial). */
  readonly content: Rational;
  /** Low → high, trimmed (empty for the zero polynomial), `gcd = 1`, last entry `> 0`. */
  readonly coefficients: readonly bigint[];
}

/** One square-free factor `f` with its multiplicity `m` in `p = c · Π f^m`. */
export interface SquareFreeFactor {
  /** Monic, square-free, of degree ≥ 1. */
  readonly factor: Polynomial;
  readonly multiplicity: number;
}

// ---------------------------------------------------------------------------------------------
// Integer polynomials (bigint[], low → high, trimmed).

type ZPoly = bigint[];

function trimZ(a: ZPoly): ZPoly {
  let d = a.length;
  while (d > 0 && a[d - 1] === 0n) d--;
  return d === a.length ? a : a.slice(0, d);
}

function contentZ(a: readonly bigint[]): bigint {
  let g = 0n;
  for (const c of a) {
    if (c === 0n) continue;
    g = g === 0n ? bigAbs(c) : bigGcd(g, c);
    if (g === 1n) return 1n;
  }
  return g;
}

/** Primitive part with a positive leading coefficient (the zero polynomial stays zero). */
function primitiveZ(a: readonly bigint[]): ZPoly {
  const t = trimZ(a.slice());
  if (t.length === 0) return t;
  let g = contentZ(t);
  if ((t[t.length - 1] as bigint) < 0n) g = -g;
  return g === 1n ? t : t.map((c) => c / g);
}

function derivativeZ(a: readonly bigint[]): ZPoly {
  const out: bigint[] = [];
  for (let k = 1; k < a.length; k++) out.push(BigInt(k) * (a[k] as bigint));
  return trimZ(out);
}

function subZ(a: readonly bigint[], b: readonly bigint[]): ZPoly {
  const n = Math.max(a.length, b.length);
  const out = new Array<bigint>(n);
  for (let k = 0; k < n; k++) out[k] = (a[k] ?? 0n) - (b[k] ?? 0n);
  return trimZ(out);
}

/**
 * `f / g` when `g` divides `f` with an integer quotient (always the case for a primitive `g` that
 * divides `f` over ℚ, by Gauss's lemma), else `null`. Exact long division with an early exit.
 */
function exactDivZ(f: readonly bigint[], g: readonly bigint[]): ZPoly | null {
  const dg = g.length - 1;
  if (dg < 0) throw new RangeError('polynomial division by zero');
  if (f.length === 0) return [];
  const df = f.length - 1;
  if (df < dg) return null;
  const lc = g[dg] as bigint;
  const r = f.slice();
  const q = new Array<bigint>(df - dg + 1).fill(0n);
  for (let k = df; k >= dg; k--) {
    const top = r[k] as bigint;
    if (top === 0n) continue;
    if (top % lc !== 0n) return null;
    const c = top / lc;
    q[k - dg] = c;
    for (let j = 0; j <= dg; j++) {
      const gj = g[j] as bigint;
      if (gj !== 0n) r[k - dg + j] = (r[k - dg + j] as bigint) - c * gj;
    }
  }
  for (let k = 0; k < dg; k++) if (r[k] !== 0n) return null;
  return q;
}

/** Monic gcd of two residue polynomials modulo a prime `p < 2^26` (low → high, trimmed). */
function gcdModP(a0: number[], b0: number[], p: number): number[] {
  const pInv = 1 / p;
  const trim = (x: number[]): number[] => {
    let d = x.length;
    while (d > 0 && x[d - 1] === 0) d--;
    return x.slice(0, d);
  };
  let a = trim(a0);
  let b = trim(b0);
  while (b.length > 0) {
    // a ← a mod b
    const db = b.length - 1;
    const inv = invMod(b[db] as number, p);
    const r = a.slice();
    for (let k = r.length - 1; k >= db; k--) {
      const top = r[k] as number;
      if (top === 0) continue;
      const f = mulMod(top, inv, p, pInv);
      for (let j = 0; j <= db; j++) {
        const v = (r[k - db + j] as number) - mulMod(f, b[j] as number, p, pInv);
        r[k - db + j] = v < 0 ? v + p : v;
      }
    }
    a = b;
    b = trim(r.slice(0, db));
  }
  if (a.length === 0) return a;
  const inv = invMod(a[a.length - 1] as number, p);
  return a.map((x) => mulMod(x, inv, p, pInv));
}

/**
 * The primitive gcd (positive leading coefficient) of two integer polynomials, by a multi-modular
 * algorithm (Brown): images `gcd(f mod q, g mod q)` for primes `q ∤ lc(f)·lc(g)`, scaled by
 * `γ = gcd(lc f, lc g)` and combined by Chinese remaindering; primes whose image has a larger
 * degree are unlucky and skipped, a smaller degree restarts the combination. Once the symmetric lift
 * stops changing, its primitive part `H` is accepted only if it divides `f` and `g` exactly; then
 * `H` is the gcd, because `deg gcd ≤ deg (gcd mod q) = deg H` for every prime not dividing the
 * leading coefficients and `H | gcd`.
 */
function gcdZ(f0: readonly bigint[], g0: readonly bigint[]): ZPoly {
  const f = primitiveZ(f0);
  const g = primitiveZ(g0);
  if (f.length === 0) return g;
  if (g.length === 0) return f;
  if (f.length === 1 || g.length === 1) return [1n];
  const lcf = f[f.length - 1] as bigint;
  const lcg = g[g.length - 1] as bigint;
  const gamma = bigGcd(lcf, lcg);
  const maxDeg = Math.min(f.length, g.length) - 1;
  let deg = maxDeg + 1; // degree of the images being combined (none yet)
  let residues: bigint[] = [];
  let modulus = 1n;
  let lastLift: ZPoly | null = null;
  let used = 0;
  for (;;) {
    used++;
    const primes = largePrimes(used);
    const q = primes[used - 1] as number;
    if (reduceBigInt(lcf, q) === 0 || reduceBigInt(lcg, q) === 0) continue;
    const image = gcdModP(
      f.map((c) => reduceBigInt(c, q)),
      g.map((c) => reduceBigInt(c, q)),
      q,
    );
    const d = image.length - 1;
    if (d === 0) return [1n];
    if (d > deg) continue; // unlucky prime
    const gq = reduceBigInt(gamma, q);
    const scaled = image.map((x) => mulMod(x, gq, q, 1 / q));
    if (d < deg) {
      deg = d;
      residues = scaled.map((x) => BigInt(x));
      modulus = BigInt(q);
      lastLift = null;
    } else {
      const mInv = invMod(reduceBigInt(modulus, q), q);
      residues = residues.map((x, k) => crtStep(x, modulus, scaled[k] as number, q, mInv));
      modulus *= BigInt(q);
    }
    const half = modulus / 2n;
    const lift = residues.map((x) => (x > half ? x - modulus : x));
    const stable = lastLift !== null && lastLift.every((x, k) => x === lift[k]);
    lastLift = lift;
    if (!stable) continue;
    const H = primitiveZ(lift);
    if (H.length - 1 !== deg) continue;
    if (exactDivZ(f, H) !== null && exactDivZ(g, H) !== null) return H;
  }
}

function toZ(p: Polynomial): ZPoly {
  return primitiveIntegerPolynomial(p).coefficients.slice();
}

function fromZ(a: readonly bigint[]): Polynomial {
  return Polynomial.fromCoefficients(a.map((c) => Rational.fromBigInt(c))).monic();
}

// ---------------------------------------------------------------------------------------------
// Public API.

/**
 * `p = content · P` with `P` an integer polynomial whose coefficients have gcd 1 and whose leading
 * coefficient is positive: `content = c_d / lc(P)`. For the zero polynomial: content 0, no coefficients.
 */
export function primitiveIntegerPolynomial(p: Polynomial): IntegerPolynomial {
  if (p.isZero()) return { content: Rational.ZERO, coefficients: [] };
  const D = commonDenominator(p.coefficients);
  const ints = p.coefficients.map((c) => (c.den === 1n ? c.num * D : c.num * (D / c.den)));
  const P = primitiveZ(ints);
  const lead = P[P.length - 1] as bigint;
  return { content: p.leadingCoefficient().div(Rational.fromBigInt(lead)), coefficients: P };
}

/**
 * Square-free factorization `p = c_d · Π_m f_m^m` by Yun's algorithm (Yun 1976), with
 * `f_m` monic, square-free and pairwise coprime; factors equal to 1 are left out, so the list is
 * empty for a constant `p`. Runs on the primitive integer form with the multi-modular gcd:
 * ```
 *   a_0 = gcd(P, P′),  b_1 = P / a_0,  c_1 = P′ / a_0,  d_1 = c_1 − b_1′,
 *   a_i = gcd(b_i, d_i),  b_{i+1} = b_i / a_i,  c_{i+1} = d_i / a_i,  d_{i+1} = c_{i+1} − b_{i+1}′
 * ```
 * and `f_i = a_i` (made monic) until `b_i` is constant. A square-free `p` costs one modular gcd.
 *
 * @throws RangeError for the zero polynomial.
 */
export function squareFreeFactorization(p: Polynomial): SquareFreeFactor[] {
  if (p.isZero()) throw new RangeError('square-free factorization of the zero polynomial');
  const P = toZ(p);
  if (P.length <= 1) return [];
  const dP = derivativeZ(P);
  const a0 = gcdZ(P, dP);
  if (a0.length === 1) return [{ factor: p.monic(), multiplicity: 1 }];
  const divide = (x: ZPoly, y: ZPoly): ZPoly => {
    const q = exactDivZ(x, y);
    if (q === null) throw new Error('internal error: inexact division in Yun’s algorithm');
    return q;
  };
  const out: SquareFreeFactor[] = [];
  let b = divide(P, a0);
  let c = divide(dP, a0);
  let d = subZ(c, derivativeZ(b));
  for (let i = 1; b.length > 1; i++) {
    const a = gcdZ(b, d);
    if (a.length > 1) out.push({ factor: fromZ(a), multiplicity: i });
    const bNext = divide(b, a);
    c = divide(d, a);
    b = bNext;
    d = subZ(c, derivativeZ(b));
  }
  return out;
}

/** `p / gcd(p, p′)`, monic: the product of the distinct irreducible factors (1 for a constant `p`). */
export function squareFreePart(p: Polynomial): Polynomial {
  if (p.isZero()) throw new RangeError('square-free part of the zero polynomial');
  let out: Polynomial = Polynomial.ONE;
  for (const { factor } of squareFreeFactorization(p)) out = out.mul(factor);
  return out;
}

/** A positive multiple of `p` with coprime integer coefficients (same signs everywhere). */
function positivelyPrimitive(p: Polynomial): Polynomial {
  if (p.isZero()) return p;
  const { content, coefficients } = primitiveIntegerPolynomial(p);
  const sgn = content.sign() < 0 ? -1n : 1n;
  return Polynomial.fromCoefficients(coefficients.map((c) => Rational.fromBigInt(sgn * c)));
}

/**
 * The Sturm sequence `p_0 = p, p_1 = p′, p_{k+1} = −rem(p_{k−1}, p_k)` until the remainder
 * vanishes; each member is scaled by a positive constant to coprime integer coefficients, which
 * changes no sign. The last member is `gcd(p, p′)` up to a constant: non-constant iff `p` is not
 * square-free. Exact Euclidean remainders over ℚ: meant for small degrees (coefficient growth makes
 * it costly in the hundreds; use {@link realRootCount} for real-rooted polynomials there).
 */
export function sturmSequence(p: Polynomial): Polynomial[] {
  if (p.isZero()) throw new RangeError('Sturm sequence of the zero polynomial');
  const seq: Polynomial[] = [positivelyPrimitive(p)];
  if (p.degree === 0) return seq;
  seq.push(positivelyPrimitive(p.derivative()));
  for (;;) {
    const a = seq[seq.length - 2] as Polynomial;
    const b = seq[seq.length - 1] as Polynomial;
    if (b.degree === 0) break;
    const r = a.divmod(b).remainder;
    if (r.isZero()) break;
    seq.push(positivelyPrimitive(r.neg()));
  }
  return seq;
}

/** Sign changes of the sequence at `x`, zeros dropped. */
function signVariationsAt(seq: readonly Polynomial[], x: Rational): number {
  let changes = 0;
  let last = 0;
  for (const q of seq) {
    const s = signAt(q, x);
    if (s === 0) continue;
    if (last !== 0 && s !== last) changes++;
    last = s;
  }
  return changes;
}

/**
 * The number of distinct real roots of `p` in the half-open interval `(lo, hi]` (0 when `hi ≤ lo`),
 * by Sturm's theorem `V(lo) − V(hi)` with `V(x)` the sign changes of the Sturm sequence at `x`.
 * For square-free `p`, `V` is right-continuous (at a root `r`, `V(r) = V(r⁺)`), which gives the
 * half-open interval. When `p` is not square-free the count is taken on its square-free part
 * (same distinct roots). Cost as {@link sturmSequence}.
 */
export function countDistinctRootsIn(p: Polynomial, lo: Rational, hi: Rational): number {
  if (hi.compare(lo) <= 0) return 0;
  let seq = sturmSequence(p);
  if ((seq[seq.length - 1] as Polynomial).degree > 0) seq = sturmSequence(squareFreePart(p));
  return signVariationsAt(seq, lo) - signVariationsAt(seq, hi);
}

/**
 * `sign(Σ c_k a^k b^{d−k})` for `x = a/b`, `b > 0`: the sign of `b^d · P(x)`, with integer
 * coefficients `c_k`, in `O(d)` bigint operations (Horner on the homogenized polynomial).
 */
function signAtZ(P: readonly bigint[], x: Rational): -1 | 0 | 1 {
  const d = P.length - 1;
  if (d < 0) return 0;
  const a = x.num;
  const b = x.den;
  let v = P[d] as bigint;
  let bPow = 1n;
  for (let k = d - 1; k >= 0; k--) {
    bPow *= b;
    const c = P[k] as bigint;
    v = v * a + (c === 0n ? 0n : b === 1n ? c : c * bPow);
  }
  return v === 0n ? 0 : v < 0n ? -1 : 1;
}

/**
 * The exact sign of `p(x)`. Integer Horner on the primitive form, `O(d)` bigint operations; pass an
 * {@link IntegerPolynomial} to reuse the conversion across many points.
 */
export function signAt(p: Polynomial | IntegerPolynomial, x: Rational): -1 | 0 | 1 {
  const ip = p instanceof Polynomial ? primitiveIntegerPolynomial(p) : p;
  const s = signAtZ(ip.coefficients, x);
  return (s * ip.content.sign()) as -1 | 0 | 1;
}

/** Whether `p(x) = 0` exactly (the zero polynomial vanishes everywhere). */
export function isRoot(p: Polynomial | IntegerPolynomial, x: Rational): boolean {
  const ip = p instanceof Polynomial ? primitiveIntegerPolynomial(p) : p;
  return ip.coefficients.length === 0 || signAtZ(ip.coefficients, x) === 0;
}

/**
 * `p / Π (t − r)` over those `r` in `roots` that are roots of `p` (each divided out once, so a
 * square-free `p` loses exactly its listed rational roots), monic. Exact division of the integer form
 * by `b·t − a` for `r = a/b`.
 */
export function divideOutRoots(p: Polynomial, roots: readonly Rational[]): { quotient: Polynomial; removed: Rational[] } {
  if (p.isZero()) throw new RangeError('divideOutRoots: zero polynomial');
  let P = toZ(p);
  const removed: Rational[] = [];
  for (const r of roots) {
    if (P.length <= 1 || signAtZ(P, r) !== 0) continue;
    const q = exactDivZ(P, [-r.num, r.den]);
    if (q === null) throw new Error('internal error: inexact division by a verified linear factor');
    P = q;
    removed.push(r);
  }
  return { quotient: fromZ(P), removed };
}

/**
 * Real roots of a polynomial with only real roots, relative to `t = a/b`:
 * `above` = number of roots `> t` and `at` = multiplicity of `t` (both counted with multiplicity).
 *
 * Descartes' rule of signs on `b^d p(t + u/b)`: the multiplicity of `u = 0` is the number of
 * vanishing low-order coefficients, and the number of positive roots is at most the number `V` of
 * sign changes among the rest, with equality when every root is real (then `V(q(u)) + V(q(−u))`
 * cannot exceed the number of non-zero roots while each bounds its own count). So the answer is
 * exact **only for real-rooted `p`**, e.g. a characteristic polynomial of a matrix similar to a
 * symmetric one, and any factor of it. The coefficients come from a Taylor shift of the integer
 * form by `a`: `O(d²)` additions and small multiplications.
 */
export function realRootCount(p: Polynomial | IntegerPolynomial, t: Rational): { above: number; at: number } {
  const ip = p instanceof Polynomial ? primitiveIntegerPolynomial(p) : p;
  const P = ip.coefficients;
  const d = P.length - 1;
  if (d < 0) throw new RangeError('root count of the zero polynomial');
  const a = t.num;
  const b = t.den;
  // c_k = P_k b^{d−k}: the coefficients of b^d P(x/b); then shift x → x + a.
  const c = new Array<bigint>(d + 1);
  let bPow = 1n;
  for (let k = d; k >= 0; k--) {
    c[k] = (P[k] as bigint) * bPow;
    if (k > 0 && b !== 1n) bPow *= b;
  }
  if (a !== 0n) {
    for (let i = 0; i < d; i++) {
      for (let j = d - 1; j >= i; j--) {
        const next = c[j + 1] as bigint;
        if (next !== 0n) c[j] = (c[j] as bigint) + a * next;
      }
    }
  }
  let k = 0;
  while (k <= d && c[k] === 0n) k++;
  let changes = 0;
  let last = 0n;
  for (let j = k; j <= d; j++) {
    const v = c[j] as bigint;
    if (v === 0n) continue;
    if (last !== 0n && (v < 0n) !== (last < 0n)) changes++;
    last = v;
  }
  return { above: changes, at: k };
}

/**
 * The continued-fraction convergents `h_k / k_k` of the exact value of the double `x`
 * (`Rational.fromNumber(x)`), in order of increasing denominator, stopping before the first
 * denominator above `maxDenominator`. Each convergent is a best approximation: no fraction with a
 * smaller denominator is closer. They are candidates only; verify with {@link isRoot} (or an
 * inertia) before calling one exact. A value `a/b` computed to absolute error `δ` is among them
 * when `δ < 1/(2b²)` (Legendre), so from a double near 1 denominators up to about `10^7` are reachable. E.g. `16.5000000001` gives `16, 17, 33/2` for `maxDenominator`
 * up to `~10^9`.
 *
 * @throws RangeError when `x` is not finite or `maxDenominator < 1`.
 */
export function rationalCandidates(x: number, maxDenominator: bigint): Rational[] {
  if (!Number.isFinite(x)) throw new RangeError(`rationalCandidates: ${x} is not finite`);
  return convergents(Rational.fromNumber(x), maxDenominator);
}

/**
 * The continued-fraction convergents of the exact rational `r` with denominators up to
 * `maxDenominator`, in order. By Legendre's theorem every fraction `a/b` with `|r − a/b| < 1/(2b²)` is
 * among them.
 *
 * @throws RangeError when `maxDenominator < 1`.
 */
export function convergents(r: Rational, maxDenominator: bigint): Rational[] {
  if (maxDenominator < 1n) throw new RangeError('convergents: maxDenominator must be ≥ 1');
  let num = r.num;
  let den = r.den;
  // h_{−1} = 1, h_{−2} = 0; k_{−1} = 0, k_{−2} = 1.
  let h1 = 1n;
  let h2 = 0n;
  let k1 = 0n;
  let k2 = 1n;
  const out: Rational[] = [];
  while (den !== 0n) {
    let a = num / den;
    if (num < 0n && a * den !== num) a -= 1n; // floor
    const h = a * h1 + h2;
    const k = a * k1 + k2;
    if (k > maxDenominator) break;
    out.push(new Rational(h, k));
    [h2, h1] = [h1, h];
    [k2, k1] = [k1, k];
    [num, den] = [den, num - a * den];
  }
  return out;
}
