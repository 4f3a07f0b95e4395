import { Rational, commonDenominator } from '../field/rational.js';
import { Polynomial } from '../linalg/polynomial.js';
import { mulMod, reduceBigInt } from '../linalg/modular.js';
import { derivativeZ, exactDivZ, gcdZ, primitiveZ, subZ, type ZPoly } from './integer-polynomial.js';

/**
 * Exact real-root tools for polynomials with rational coefficients (`docs/math.md §4`): square-free
 * factorization, Sturm sequences, root counts, sign evaluation, bisection of a simple root, and
 * the exclusion of rational roots by residues modulo small primes.
 *
 * The heavy lifting runs on integer polynomials (`bigint` coefficients, low → high): a rational
 * polynomial is written `p = content · P` with `P` primitive (coefficients of gcd 1, leading
 * coefficient positive), so signs, roots and divisibility can be decided on `P` without fractions.
 * The integer arithmetic (multi-modular gcd checked by exact division) is in integer-polynomial.ts.
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

// ---------------------------------------------------------------------------------------------
// Rational roots excluded by residues.

/** `p(a/b) ≢ 0 (mod q)` decides `p(a/b) ≠ 0` cheaply (a residue test before the exact one). */
export function modularNonRoot(Pq: readonly number[], q: number, x: Rational): boolean {
  const bq = reduceBigInt(x.den, q);
  if (bq === 0) return false;
  const aq = reduceBigInt(x.num, q);
  const inv = 1 / q;
  const d = Pq.length - 1;
  let v = Pq[d] as number;
  let bPow = 1;
  for (let k = d - 1; k >= 0; k--) {
    bPow = mulMod(bPow, bq, q, inv);
    v = (mulMod(v, aq, q, inv) + mulMod(Pq[k] as number, bPow, q, inv)) % q;
  }
  return v !== 0;
}

/** Primes (between 1000 and 2000) tried by {@link primeWithoutRoot}. */
const ROOT_TEST_PRIMES: readonly number[] = (() => {
  const out: number[] = [];
  for (let n = 1009; out.length < 40; n += 2) {
    let prime = true;
    for (let d = 3; d * d <= n; d += 2) if (n % d === 0) prime = false;
    if (prime) out.push(n);
  }
  return out;
})();

/**
 * A prime `p ∤ lc` such that the integer polynomial (coefficients low to high) has no root in 𝔽_p,
 * or `undefined`. Such a prime proves there is no rational root: a root `a/b` in lowest terms has
 * `b | lc`, so `b` is invertible mod `p` and `a·b⁻¹` would be a root mod `p`.
 */
export function primeWithoutRoot(coefficients: readonly bigint[], lc: bigint): number | undefined {
  for (const p of ROOT_TEST_PRIMES) {
    const P = BigInt(p);
    if (lc % P === 0n) continue;
    const c = coefficients.map((x) => Number(((x % P) + P) % P));
    let hasRoot = false;
    for (let x = 0; x < p && !hasRoot; x++) {
      let v = 0;
      for (let k = c.length - 1; k >= 0; k--) v = (v * x + (c[k] as number)) % p;
      if (v === 0) hasRoot = true;
    }
    if (!hasRoot) return p;
  }
  return undefined;
}
