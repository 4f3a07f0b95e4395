/**
 * Word-size modular arithmetic for multi-modular exact algorithms.
 *
 * Residues are non-negative integers below a prime `p < 2^26` held in binary64 numbers: a product of
 * two residues is below `2^52`, so it is exact, and `a·b mod p` is recovered with one floating
 * quotient estimate and a correction step.
 */

/** Every modulus used here is below this bound, so products of residues stay below `2^52`. */
export const MODULUS_LIMIT = 2 ** 26;

/**
 * `a · b mod p` for residues `0 ≤ a, b < p < 2^26`, exact: `x = a·b < 2^52` is an exact double,
 * `q = ⌊x · (1/p)⌋` is within one of `⌊x/p⌋`, and `x − q·p` (exact, `|q·p| < 2^53`) is corrected
 * into `[0, p)`. `pInv` must be `1 / p`.
 */
export function mulMod(a: number, b: number, p: number, pInv: number): number {
  const x = a * b;
  const r = x - Math.floor(x * pInv) * p;
  return r < 0 ? r + p : r >= p ? r - p : r;
}

/** `x mod p` in `[0, p)` for any safe integer `x` (`|x| < 2^53`). */
export function reduceNumber(x: number, p: number): number {
  const r = x % p;
  return r < 0 ? r + p : r;
}

/** `x mod p` in `[0, p)` for a bigint `x` and a prime `p < 2^26`. */
export function reduceBigInt(x: bigint, p: number): number {
  const r = Number(x % BigInt(p));
  return r < 0 ? r + p : r;
}

/**
 * `a^{−1} mod p` by the extended Euclidean algorithm (`a·a^{−1} ≡ 1`).
 *
 * @throws RangeError when `a ≡ 0 (mod p)`.
 */
export function invMod(a: number, p: number): number {
  let r0 = p;
  let r1 = reduceNumber(a, p);
  if (r1 === 0) throw new RangeError(`${a} is not invertible modulo ${p}`);
  let s0 = 0;
  let s1 = 1;
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1) throw new RangeError(`${a} is not invertible modulo ${p}`);
  return reduceNumber(s0, p);
}

function isPrimeByTrialDivision(m: number, small: readonly number[]): boolean {
  for (const q of small) {
    if (q * q > m) return true;
    if (m % q === 0) return false;
  }
  return true;
}

let smallPrimes: number[] | undefined;
const primeCaches = new Map<number, number[]>();

/**
 * The `count` largest primes below `limit` (`limit ≤ 2^26`), in decreasing order (deterministic:
 * trial division by the primes up to `2^13 = √(2^26)`). Results are cached across calls.
 *
 * @throws RangeError when `limit` is out of range or there are fewer than `count` such primes.
 */
export function primesBelow(limit: number, count: number): readonly number[] {
  if (!Number.isInteger(limit) || limit < 3 || limit > MODULUS_LIMIT) throw new RangeError(`primesBelow: limit must be an integer in [3, 2^26], got ${limit}`);
  if (smallPrimes === undefined) {
    const bound = 1 << 13;
    const sieve = new Uint8Array(bound + 1);
    const list: number[] = [];
    for (let i = 2; i <= bound; i++) {
      if (sieve[i] === 1) continue;
      list.push(i);
      for (let j = i * i; j <= bound; j += i) sieve[j] = 1;
    }
    smallPrimes = list;
  }
  let cache = primeCaches.get(limit);
  if (cache === undefined) {
    cache = [];
    primeCaches.set(limit, cache);
  }
  let m = cache.length === 0 ? (limit % 2 === 0 ? limit - 1 : limit - 2) : (cache[cache.length - 1] as number) - 2;
  while (cache.length < count) {
    if (m < 3) throw new RangeError(`ran out of primes below ${limit}`);
    if (isPrimeByTrialDivision(m, smallPrimes)) cache.push(m);
    m -= 2;
  }
  return cache.slice(0, count);
}

/** The `count` largest primes below `2^26`, in decreasing order ({@link primesBelow}). */
export function largePrimes(count: number): readonly number[] {
  return primesBelow(MODULUS_LIMIT, count);
}

/**
 * Primes below this bound allow delayed reduction: a residue product is at most `(2^22 − 2)² < 2^44 − 2^23`, so a sum of
 * {@link DOT_CHUNK} of them plus one reduced residue stays below `2^53` and is exact in binary64.
 */
export const DOT_PRIME_LIMIT = 2 ** 22;

/** Products summed before one reduction in the delayed-reduction kernels (`512 · (2^44 − 2^23) + 2^22 < 2^53`). */
export const DOT_CHUNK = 512;

/**
 * `s mod p` in `[0, p)` for an integer `0 ≤ s < 2^53 − 2^32` and `p < 2^22` (`pInv = 1/p`), without
 * the slow floating remainder: `q = ⌊s·pInv⌋` is within one of `⌊s/p⌋`, `q·p ≤ s + p < 2^53` and
 * `s − q·p` are exact, and one correction lands in `[0, p)`.
 */
function reduceSum(s: number, p: number, pInv: number): number {
  const r = s - Math.floor(s * pInv) * p;
  return r < 0 ? r + p : r >= p ? r - p : r;
}

/**
 * `Σ_{k<len} x[xOff + k] · y[yOff + k] mod p` for residues below `p < 2^22` ({@link DOT_PRIME_LIMIT}),
 * exact: {@link DOT_CHUNK} products (each `< 2^44`) are summed in binary64 before one reduction.
 */
export function dotMod(x: Float64Array, xOff: number, y: Float64Array, yOff: number, len: number, p: number): number {
  const pInv = 1 / p;
  let acc = 0;
  for (let k0 = 0; k0 < len; k0 += DOT_CHUNK) {
    const k1 = Math.min(len, k0 + DOT_CHUNK);
    let s = acc;
    for (let k = k0; k < k1; k++) s += (x[xOff + k] as number) * (y[yOff + k] as number);
    acc = reduceSum(s, p, pInv);
  }
  return acc;
}

/**
 * `w = A v mod p` for an `n × n` row-major residue matrix and residue vector (`p < 2^22`), exact by
 * delayed reduction as in {@link dotMod} (at most {@link DOT_CHUNK} products between reductions).
 */
export function matVecMod(n: number, a: Float64Array, v: Float64Array, w: Float64Array, p: number): void {
  const pInv = 1 / p;
  let i = 0;
  // Four rows at a time: each load of v[k] serves all four.
  for (; i + 3 < n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k0 = 0; k0 < n; k0 += DOT_CHUNK) {
      const k1 = Math.min(n, k0 + DOT_CHUNK);
      for (let k = k0; k < k1; k++) {
        const x = v[k] as number;
        s0 += (a[r0 + k] as number) * x;
        s1 += (a[r1 + k] as number) * x;
        s2 += (a[r2 + k] as number) * x;
        s3 += (a[r3 + k] as number) * x;
      }
      // Each sum: one reduced residue plus at most DOT_CHUNK products, below 2^53 − 2^32.
      s0 = reduceSum(s0, p, pInv);
      s1 = reduceSum(s1, p, pInv);
      s2 = reduceSum(s2, p, pInv);
      s3 = reduceSum(s3, p, pInv);
    }
    w[i] = s0;
    w[i + 1] = s1;
    w[i + 2] = s2;
    w[i + 3] = s3;
  }
  for (; i < n; i++) w[i] = dotMod(a, i * n, v, 0, n, p);
}

/**
 * Characteristic polynomial `det(tI − A) mod p` of a **symmetric** `n × n` residue matrix (row-major,
 * entries in `[0, p)`, `p < 2^22` prime), low → high, by the Lanczos three-term recurrence over the
 * field `𝔽_p` with the bilinear form `⟨x, y⟩ = xᵀy`; `null` on breakdown (then use {@link charpolyModP}).
 *
 * From `v_1 = start`, `δ_j = ⟨v_j, v_j⟩`:
 * ```
 *   α_j = ⟨A v_j, v_j⟩ / δ_j,   β_j = δ_j / δ_{j−1},   v_{j+1} = A v_j − α_j v_j − β_j v_{j−1}
 * ```
 * If `δ_1, …, δ_n` are all non-zero, then (induction, using `Aᵀ = A`) `⟨v_i, v_j⟩ = 0` for `i ≠ j`, so
 * `VᵀV = diag(δ)` is invertible, `V = [v_1 … v_n]` is a basis, `v_{n+1} ⊥ V` forces `v_{n+1} = 0`, and
 * `A V = V T` with `T` tridiagonal (diagonal `α`, sub-diagonal 1, super-diagonal `β`): `A` and `T` are
 * similar, and `p_j = (t − α_j) p_{j−1} − β_j p_{j−2}` gives `det(tI − T)`. A zero `δ_j` (`j ≤ n`) is a
 * breakdown: a Krylov space of dimension below `n` (e.g. a repeated eigenvalue) or an isotropic vector.
 * `v_{n+1} = 0` is checked as well. `O(n³)` multiply–adds with delayed reduction ({@link dotMod}).
 */
export function charpolySymmetricModP(n: number, a: Float64Array, p: number, start: Float64Array): Float64Array | null {
  const pInv = 1 / p;
  let vPrev = new Float64Array(n);
  let v = Float64Array.from(start);
  let w = new Float64Array(n);
  let delta = dotMod(v, 0, v, 0, n, p);
  if (delta === 0) return null;
  let beta = 0;
  let polyPrev = Float64Array.of(1); // p_{j−2}
  let poly = Float64Array.of(1); // p_{j−1}
  for (let j = 1; j <= n; j++) {
    matVecMod(n, a, v, w, p);
    const alpha = mulMod(dotMod(w, 0, v, 0, n, p), invMod(delta, p), p, pInv);
    const na = alpha === 0 ? 0 : p - alpha;
    const nb = beta === 0 ? 0 : p - beta;
    for (let i = 0; i < n; i++) w[i] = reduceSum((w[i] as number) + na * (v[i] as number) + nb * (vPrev[i] as number), p, pInv);
    // p_j = (t − α_j) p_{j−1} − β_j p_{j−2}
    const next = new Float64Array(j + 1);
    next[j] = poly[j - 1] as number;
    for (let k = 0; k < j; k++) {
      const x = (k === 0 ? 0 : (poly[k - 1] as number)) + na * (poly[k] as number) + (k < j - 1 ? nb * (polyPrev[k] as number) : 0);
      next[k] = x - Math.floor(x * pInv) * p;
      if ((next[k] as number) >= p) next[k] = (next[k] as number) - p;
      else if ((next[k] as number) < 0) next[k] = (next[k] as number) + p;
    }
    polyPrev = poly;
    poly = next;
    if (j === n) {
      for (let i = 0; i < n; i++) if (w[i] !== 0) return null;
      break;
    }
    const deltaNext = dotMod(w, 0, w, 0, n, p);
    if (deltaNext === 0) return null;
    beta = mulMod(deltaNext, invMod(delta, p), p, pInv);
    delta = deltaNext;
    const t = vPrev;
    vPrev = v;
    v = w;
    w = t;
  }
  return poly;
}

/**
 * Characteristic polynomial `det(tI − H) mod p` of an `n × n` matrix given row-major as residues
 * (`h[i·n + j] ∈ [0, p)`), returned low → high (`n + 1` residues, leading 1). The array is overwritten.
 *
 * 1. Reduction to upper Hessenberg form by similarity (Gaussian elimination with pivoting mod `p`,
 *    any non-zero pivot; `O(n³)`): for column `k`, bring a non-zero `h_{rk}` (`r > k`) to row `k+1`
 *    by a symmetric swap, then for `i > k+1`, with `u = h_{ik} / h_{k+1,k}`,
 *    `row_i ← row_i − u·row_{k+1}` and `col_{k+1} ← col_{k+1} + u·col_i`.
 * 2. The Hessenberg recurrence (`O(n³)`), 1-based, `p_0 = 1`:
 *    ```
 *    p_m(t) = (t − h_{mm}) p_{m−1}(t) − Σ_{i=1}^{m−1} h_{im} (Π_{j=i+1}^{m} h_{j,j−1}) p_{i−1}(t)
 *    ```
 */
export function charpolyModP(n: number, h: Float64Array, p: number): Float64Array {
  const pInv = 1 / p;
  // Fused multiply-add mod p: x = a + u·b < p + p² < 2^53 is exact; `x − ⌊x/p⌋ p` lands in [0, p]
  // up to one correction (the quotient estimate is within one of the true quotient).
  for (let k = 0; k < n - 2; k++) {
    let r = k + 1;
    while (r < n && h[r * n + k] === 0) r++;
    if (r === n) continue;
    const k1 = k + 1;
    if (r !== k1) {
      for (let j = 0; j < n; j++) {
        const t = h[r * n + j] as number;
        h[r * n + j] = h[k1 * n + j] as number;
        h[k1 * n + j] = t;
      }
      for (let i = 0; i < n; i++) {
        const t = h[i * n + r] as number;
        h[i * n + r] = h[i * n + k1] as number;
        h[i * n + k1] = t;
      }
    }
    const pivInv = invMod(h[k1 * n + k] as number, p);
    const rowK1 = k1 * n;
    for (let i = k + 2; i < n; i++) {
      const hik = h[i * n + k] as number;
      if (hik === 0) continue;
      const u = mulMod(hik, pivInv, p, pInv);
      const nu = p - u; // −u mod p, in (0, p)
      const rowI = i * n;
      h[rowI + k] = 0;
      // row_i ← row_i − u·row_{k+1}
      for (let j = k + 1; j < n; j++) {
        const x = (h[rowI + j] as number) + nu * (h[rowK1 + j] as number);
        const y = x - Math.floor(x * pInv) * p;
        h[rowI + j] = y >= p ? y - p : y < 0 ? y + p : y;
      }
      // col_{k+1} ← col_{k+1} + u·col_i
      for (let j = 0; j < n; j++) {
        const row = j * n;
        const x = (h[row + k1] as number) + u * (h[row + i] as number);
        const y = x - Math.floor(x * pInv) * p;
        h[row + k1] = y >= p ? y - p : y < 0 ? y + p : y;
      }
    }
  }
  // Hessenberg recurrence; polys[m] holds p_m low → high (length m + 1).
  const polys: Float64Array[] = [Float64Array.of(1)];
  for (let m = 1; m <= n; m++) {
    const prevPoly = polys[m - 1] as Float64Array;
    const cur = new Float64Array(m + 1);
    // (t − h_mm) p_{m−1}: cur_k = p_{m−1,k−1} − h_mm p_{m−1,k}
    const hmm = h[(m - 1) * n + (m - 1)] as number;
    const negH = hmm === 0 ? 0 : p - hmm;
    cur[m] = prevPoly[m - 1] as number;
    for (let k = 0; k < m; k++) {
      const x = (k === 0 ? 0 : (prevPoly[k - 1] as number)) + negH * (prevPoly[k] as number);
      const y = x - Math.floor(x * pInv) * p;
      cur[k] = y >= p ? y - p : y < 0 ? y + p : y;
    }
    // − Σ_{i=1}^{m−1} h_{im} (Π_{j=i+1}^{m} h_{j,j−1}) p_{i−1}, 1-based.
    let prod = 1;
    for (let i = m - 1; i >= 1; i--) {
      prod = mulMod(prod, h[i * n + (i - 1)] as number, p, pInv); // h_{i+1,i} (1-based)
      if (prod === 0) break;
      const him = h[(i - 1) * n + (m - 1)] as number;
      if (him === 0) continue;
      const coef = p - mulMod(him, prod, p, pInv); // −h_{im} Π … mod p, in (0, p) since p is prime
      const q = polys[i - 1] as Float64Array;
      for (let k = 0; k < i; k++) {
        const x = (cur[k] as number) + coef * (q[k] as number);
        const y = x - Math.floor(x * pInv) * p;
        cur[k] = y >= p ? y - p : y < 0 ? y + p : y;
      }
    }
    polys.push(cur);
  }
  return polys[n] as Float64Array;
}

/**
 * Incremental Chinese remaindering (Garner): given `x ∈ [0, M)` and a residue `r` modulo a prime `p`
 * coprime to `M`, the unique `x' ∈ [0, M p)` with `x' ≡ x (mod M)` and `x' ≡ r (mod p)`:
 * `x' = x + M · ((r − x) · M^{−1} mod p)`. `mInvModP` must be `(M mod p)^{−1} mod p`.
 */
export function crtStep(x: bigint, M: bigint, r: number, p: number, mInvModP: number): bigint {
  const xm = reduceBigInt(x, p);
  let d = r - xm;
  if (d < 0) d += p;
  const t = mulMod(d, mInvModP, p, 1 / p);
  return t === 0 ? x : x + M * BigInt(t);
}
