import { Rational, bitLength } from '../field/rational.js';
import { toIntegerMatrix } from './integer-matrix.js';
import { ShapeError, type Matrix } from './matrix.js';
import { charpolyModP, crtStep, invMod, largePrimes, reduceBigInt, reduceNumber } from './modular.js';
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
 * with `log₂ ‖Ã_{:,j}‖₂ ≤ ⌈bitLength(‖Ã_{:,j}‖₂²) / 2⌉`.
 */
export function charpolyCoefficientBits(n: number, entries: readonly (readonly bigint[])[]): number {
  let bits = n;
  for (let j = 0; j < n; j++) {
    let normSq = 0n;
    for (let i = 0; i < n; i++) {
      const a = (entries[i] as readonly bigint[])[j] as bigint;
      normSq += a * a;
    }
    bits += Math.ceil(bitLength(normSq) / 2);
  }
  return bits;
}

/**
 * Exact characteristic polynomial `p_A(t) = det(tI − A)`, monic of degree `n` (the constant 1 for
 * `n = 0`), by a multi-modular method:
 *
 * 1. Clear denominators: `Ã = s·A ∈ ℤ^{n×n}` ({@link toIntegerMatrix}); then
 *    `p_A(t) = s^{−n} p_Ã(s t)`, i.e. the coefficient of `t^k` is `c_k · s^{k−n}` where `p_Ã = Σ c_k t^k`.
 * 2. `p_Ã mod p` for primes `p < 2^26` (residue products exact in binary64) by Hessenberg reduction
 *    and the Hessenberg recurrence ({@link charpolyModP}), `O(n³)` per prime.
 * 3. Chinese remaindering with symmetric residues until `Π p > 2B + 1`, where `B` is the rigorous
 *    Hadamard bound of {@link charpolyCoefficientBits}, so every `c_k` is determined exactly.
 *
 * Use {@link characteristicPolynomialBerkowitz} as an independent reference on small sizes.
 *
 * @throws ShapeError when `A` is not square.
 */
export function characteristicPolynomial(A: Matrix<Rational>): Polynomial {
  requireSquare(A, 'characteristic polynomial');
  const n = A.rows;
  if (n === 0) return Polynomial.ONE;
  const M = toIntegerMatrix(A);
  const entries = M.entries;
  // |c_k| ≤ 2^bits; the symmetric residue is exact once Π p > 2^(bits+1).
  const bitsNeeded = charpolyCoefficientBits(n, entries) + 2;

  // Entries as doubles when they are all safe integers (the common case), else bigint reductions per prime.
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

  const coeffs = new Array<bigint>(n + 1).fill(0n);
  let modulus = 1n;
  let bitsHave = 0;
  let count = 0;
  const h = new Float64Array(n * n);
  while (bitsHave < bitsNeeded) {
    count += 8;
    const primes = largePrimes(count);
    for (let q = count - 8; q < count && bitsHave < bitsNeeded; q++) {
      const p = primes[q] as number;
      if (small !== undefined) {
        for (let k = 0; k < n * n; k++) h[k] = reduceNumber(small[k] as number, p);
      } else {
        for (let i = 0; i < n; i++) {
          const row = entries[i] as bigint[];
          for (let j = 0; j < n; j++) h[i * n + j] = reduceBigInt(row[j] as bigint, p);
        }
      }
      const r = charpolyModP(n, h, p);
      const mInv = invMod(reduceBigInt(modulus, p), p);
      for (let k = 0; k <= n; k++) coeffs[k] = crtStep(coeffs[k] as bigint, modulus, r[k] as number, p, mInv);
      modulus *= BigInt(p);
      bitsHave += Math.floor(Math.log2(p)); // p ≥ 2^⌊log₂ p⌋, so Π p ≥ 2^bitsHave
    }
  }
  const half = modulus / 2n;
  const s = M.scale;
  const out = new Array<Rational>(n + 1);
  let sPow = 1n; // s^{n−k}, for k from n down to 0
  for (let k = n; k >= 0; k--) {
    let c = coeffs[k] as bigint;
    if (c > half) c -= modulus;
    out[k] = s === 1n ? Rational.fromBigInt(c) : new Rational(c, sPow);
    sPow *= s;
  }
  return Polynomial.fromCoefficients(out);
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
