/**
 * Integer polynomials (`bigint` coefficients, low → high, trimmed): the arithmetic under the exact
 * real-root tools of polynomial-roots.ts. Greatest common divisors use a multi-modular algorithm
 * whose answer is checked by exact division, which keeps characteristic polynomials of degree in the
 * hundreds (coefficients of ~10⁴ bits) cheap.
 */
import { bigAbs, bigGcd } from '../field/rational.js';
import { crtStep, invMod, largePrimes, mulMod, reduceBigInt } from '../linalg/modular.js';

export type ZPoly = bigint[];

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
export function primitiveZ(a: readonly bigint[]): ZPoly {
  const t = trimZ(a.slice());
  if (t.length === 0) return t;
  let g = contentZ(t);
  if ((t[t.length - 1] as bigint) < 0n) g = -g;
  return g === 1n ? t : t.map((c) => c / g);
}

export function derivativeZ(a: readonly bigint[]): ZPoly {
  const out: bigint[] = [];
  for (let k = 1; k < a.length; k++) out.push(BigInt(k) * (a[k] as bigint));
  return trimZ(out);
}

export function subZ(a: readonly bigint[], b: readonly bigint[]): ZPoly {
  const n = Math.max(a.length, b.length);
  const out = new Array<bigint>(n);
  for (let k = 0; k < n; k++) out[k] = (a[k] ?? 0n) - (b[k] ?? 0n);
  return trimZ(out);
}

/**
 * `f / g` when `g` divides `f` with an integer quotient (always the case for a primitive `g` that
 * divides `f` over ℚ, by Gauss's lemma), else `null`. Exact long division with an early exit.
 */
export function exactDivZ(f: readonly bigint[], g: readonly bigint[]): ZPoly | null {
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
export function gcdZ(f0: readonly bigint[], g0: readonly bigint[]): ZPoly {
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
