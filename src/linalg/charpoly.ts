import { Rational, bitLength } from '../field/rational.js';
import { toIntegerMatrix } from './integer-matrix.js';
import { ShapeError, type Matrix } from './matrix.js';
import { computeResidues } from './charpoly-pool.js';
import type { CharpolyJob } from './charpoly-residues.js';
import { crtCombine } from './crt.js';
import { DOT_PRIME_LIMIT, primesBelow } from './modular.js';
import { Polynomial } from './polynomial.js';

function requireSquare(A: Matrix<Rational>, what: string): void {
  if (A.rows !== A.cols) throw new ShapeError(`${what} of a non-square ${A.rows}×${A.cols} matrix`);
}

/**
 * A rigorous bound on the bit size of the coefficients of `det(tI − Ã)` for an integer matrix `Ã`:
 * the coefficient of `t^{n−k}` is `(−1)^k` times the sum of the `C(n,k)` principal `k×k` minors,
 * each bounded by Hadamard's inequality by the product of its column norms, so
 * ```
 *   |c_{n−k}| ≤ C(n,k) · Π_{j ∈ top k} max(1, ‖Ã_{:,j}‖₂) ≤ 2^n · Π_j max(1, ‖Ã_{:,j}‖₂) ≤ 2^bits
 * ```
 * with `log₂ ‖Ã_{:,j}‖₂ ≤ ⌈bitLength(‖Ã_{:,j}‖₂²) / 2⌉`. ({@link charpolyCoefficientBound} is tighter.)
 */
export function charpolyCoefficientBits(n: number, entries: readonly (readonly bigint[])[]): number {
  let bits = n;
  for (const e of columnNormExponents(n, entries)) bits += Math.max(e, 0);
  return bits;
}

/** `e_j = ⌈bitLength(‖Ã_{:,j}‖₂²) / 2⌉`, so `‖Ã_{:,j}‖₂ < 2^{e_j}`; `−1` for a zero column. */
function columnNormExponents(n: number, entries: readonly (readonly bigint[])[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    let normSq = 0n;
    for (let i = 0; i < n; i++) {
      const a = (entries[i] as readonly bigint[])[j] as bigint;
      normSq += a * a;
    }
    out.push(normSq === 0n ? -1 : Math.ceil(bitLength(normSq) / 2));
  }
  return out;
}

/**
 * A rigorous bound `B ≥ |c_k|` for every coefficient of `det(tI − Ã) = Σ c_k t^k`, `Ã` an integer
 * matrix: `c_{n−k}` is `±` the sum of the principal `k×k` minors, and by Hadamard's inequality
 * `|det Ã_{S,S}| ≤ Π_{j∈S} ‖Ã_{:,j}‖₂ ≤ Π_{j∈S} 2^{e_j}` (`e_j` from the bit length of the squared
 * column norm, a zero column contributing 0), so
 * ```
 *   |c_{n−k}| ≤ e_k(2^{e_1}, …, 2^{e_n})   (elementary symmetric function)   ≤ B = max_k e_k(…)
 * ```
 * computed exactly with big integers (`O(n²)` shifts and additions). It is never above the
 * `2^bits` of {@link charpolyCoefficientBits} and is smaller by up to `n` bits.
 */
export function charpolyCoefficientBound(n: number, entries: readonly (readonly bigint[])[]): bigint {
  // e[k] = e_k of the column bounds seen so far.
  const e: bigint[] = [1n];
  for (const x of columnNormExponents(n, entries)) {
    if (x < 0) continue;
    const shift = BigInt(x);
    e.push(0n);
    for (let k = e.length - 1; k >= 1; k--) e[k] = (e[k] as bigint) + ((e[k - 1] as bigint) << shift);
  }
  return e.reduce((m, v) => (v > m ? v : m), 0n);
}

/**
 * Exact characteristic polynomial `p_A(t) = det(tI − A)`, monic of degree `n` (the constant 1 for
 * `n = 0`), by a multi-modular method:
 *
 * 1. Clear denominators: `Ã = s·A ∈ ℤ^{n×n}` ({@link toIntegerMatrix}); then
 *    `p_A(t) = s^{−n} p_Ã(s t)`, i.e. the coefficient of `t^k` is `c_k · s^{k−n}` where `p_Ã = Σ c_k t^k`.
 * 2. `p_Ã mod p` for primes `p < 2^22`, `O(n³)` per prime: for symmetric `Ã` by the Lanczos
 *    recurrence over `𝔽_p` with delayed reduction (`charpolySymmetricModP`), otherwise, or on a
 *    breakdown, by Hessenberg reduction and the Hessenberg recurrence (`charpolyModP`); the primes are
 *    spread over threads (`charpoly-pool.ts`).
 * 3. Chinese remaindering with symmetric residues over as many primes as make `Π p > 2B + 1`, where
 *    `B` is the rigorous Hadamard bound of {@link charpolyCoefficientBound}, so every `c_k` is
 *    determined exactly (no early termination: the bound is the certificate).
 *
 * Use {@link characteristicPolynomialBerkowitz} as an independent reference on small sizes.
 *
 * @throws ShapeError when `A` is not square.
 */
export function characteristicPolynomial(A: Matrix<Rational>): Polynomial {
  return characteristicPolynomialWithStats(A).polynomial;
}

/** How {@link characteristicPolynomialWithStats} obtained the polynomial. */
export interface CharpolyStats {
  /** Bit length of the rigorous bound `B ≥ |c_k|` for the integer matrix `Ã = sA` ({@link charpolyCoefficientBound}). */
  readonly coefficientBits: number;
  /** Primes used (each `< 2^22`); their product exceeds `2B + 1`. */
  readonly primes: number;
  /** Primes done by the Lanczos recurrence (symmetric `A`) and by Hessenberg reduction. */
  readonly lanczos: number;
  readonly hessenberg: number;
  /** Threads that computed residues (the calling one included). */
  readonly threads: number;
  /** Seconds for the residues and for the Chinese remaindering. */
  readonly residueSeconds: number;
  readonly crtSeconds: number;
}

/**
 * {@link characteristicPolynomial} with how it was computed. Primes are spread over threads
 * (`charpoly-pool.ts`: `DLN_THREADS`, default the available cores); the result does not depend on it.
 *
 * @throws ShapeError when `A` is not square; ThreadSettingError on a bad `DLN_THREADS`;
 *   WorkerThreadError when a worker thread fails.
 */
export function characteristicPolynomialWithStats(A: Matrix<Rational>): { polynomial: Polynomial; stats: CharpolyStats } {
  requireSquare(A, 'characteristic polynomial');
  const n = A.rows;
  if (n === 0) {
    return { polynomial: Polynomial.ONE, stats: { coefficientBits: 0, primes: 0, lanczos: 0, hessenberg: 0, threads: 1, residueSeconds: 0, crtSeconds: 0 } };
  }
  const M = toIntegerMatrix(A);
  const entries = M.entries;
  // |c_k| ≤ B; the symmetric residue in (−Π p/2, Π p/2] is c_k once Π p > 2B + 1.
  const bound = charpolyCoefficientBound(n, entries);
  const coefficientBits = bitLength(bound);
  const needed = 2n * bound + 1n;

  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++) for (let j = 0; j < i; j++) if ((entries[i] as bigint[])[j] !== (entries[j] as bigint[])[i]) symmetric = false;
  // Entries as doubles when they are all safe integers (the common case), else bigints.
  let small: Float64Array | undefined = new Float64Array(n * n);
  for (let i = 0; i < n && small !== undefined; i++) {
    const row = entries[i] as bigint[];
    for (let j = 0; j < n; j++) {
      const a = row[j] as bigint;
      if (a > 9007199254740991n || a < -9007199254740991n) {
        small = undefined;
        break;
      }
      small[i * n + j] = Number(a);
    }
  }
  const job: CharpolyJob = small !== undefined ? { n, small, symmetric } : { n, big: entries.flat(), symmetric };

  // The fewest primes (largest first) whose product exceeds 2B + 1, checked exactly.
  const primes: number[] = [];
  let modulus = 1n;
  for (let batch = 64; modulus <= needed; batch *= 2) {
    const more = primesBelow(DOT_PRIME_LIMIT, primes.length + batch);
    for (let q = primes.length; q < more.length && modulus <= needed; q++) {
      primes.push(more[q] as number);
      modulus *= BigInt(more[q] as number);
    }
  }

  let t = performance.now();
  const { residues, run } = computeResidues(job, primes);
  const residueSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const coeffs = crtCombine(residues, primes, n + 1);
  const crtSeconds = (performance.now() - t) / 1000;

  const s = M.scale;
  const out = new Array<Rational>(n + 1);
  let sPow = 1n; // s^{n−k}, for k from n down to 0
  for (let k = n; k >= 0; k--) {
    const c = coeffs[k] as bigint;
    out[k] = s === 1n ? Rational.fromBigInt(c) : new Rational(c, sPow);
    sPow *= s;
  }
  return {
    polynomial: Polynomial.fromCoefficients(out),
    stats: { coefficientBits, primes: primes.length, lanczos: run.lanczos, hessenberg: run.hessenberg, threads: run.threads, residueSeconds, crtSeconds },
  };
}

/**
 * Characteristic polynomial `det(tI − A)` by Berkowitz's division-free algorithm over ℚ
 * (Berkowitz 1984), `O(n⁴)` exact operations: a simple, independent reference for
 * {@link characteristicPolynomial} on small sizes.
 *
 * With `A_r = [[A_{r−1}, c], [ρ, a_rr]]` the leading `r×r` block, the coefficient vector (high → low)
 * satisfies `v_r = T_r v_{r−1}`, `v_0 = (1)`, where `T_r` is the `(r+1)×r` lower triangular Toeplitz
 * matrix with first column `(1, −a_rr, −ρc, −ρA_{r−1}c, …, −ρA_{r−1}^{r−2}c)`.
 *
 * @throws ShapeError when `A` is not square.
 */
export function characteristicPolynomialBerkowitz(A: Matrix<Rational>): Polynomial {
  requireSquare(A, 'characteristic polynomial');
  const n = A.rows;
  const a = (i: number, j: number): Rational => A.data[i + j * n] as Rational;
  let v: Rational[] = [Rational.ONE]; // high → low
  for (let r = 1; r <= n; r++) {
    const m = r - 1; // size of the previous block; the new index is m (0-based)
    const toeplitz: Rational[] = [Rational.ONE, a(m, m).neg()];
    // w = A_{m}^k c, starting from c = A[0..m−1, m].
    let w: Rational[] = Array.from({ length: m }, (_, i) => a(i, m));
    for (let k = 0; k < m; k++) {
      let dot = Rational.ZERO;
      for (let i = 0; i < m; i++) dot = dot.add(a(m, i).mul(w[i] as Rational));
      toeplitz.push(dot.neg());
      if (k < m - 1) {
        const next = new Array<Rational>(m);
        for (let i = 0; i < m; i++) {
          let s = Rational.ZERO;
          for (let j = 0; j < m; j++) s = s.add(a(i, j).mul(w[j] as Rational));
          next[i] = s;
        }
        w = next;
      }
    }
    const nv = new Array<Rational>(r + 1);
    for (let i = 0; i <= r; i++) {
      let s = Rational.ZERO;
      for (let j = Math.max(0, i - (toeplitz.length - 1)); j <= Math.min(i, r - 1); j++) {
        s = s.add((toeplitz[i - j] as Rational).mul(v[j] as Rational));
      }
      nv[i] = s;
    }
    v = nv;
  }
  return Polynomial.fromCoefficients(v.slice().reverse());
}
