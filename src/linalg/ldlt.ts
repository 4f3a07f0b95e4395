import { Rational, bigAbs } from '../field/rational.js';
import { flattenRowMajor, toIntegerMatrix } from './integer-matrix.js';
import { ShapeError, type Matrix } from './matrix.js';

/**
 * Exact symmetric indefinite factorization and inertia of rational matrices
 * (`docs/math.md §4`: `λ* = λ_max` iff `λ* I − K` is singular and `⪰ 0`, decided by pivot signs).
 *
 * The elimination is fraction-free (Bareiss-type) on `Ã = s·A` with integer entries, with symmetric
 * pivoting and 1×1 or 2×2 pivots, so every intermediate number is an integer minor of `Ã`.
 */

/** Thrown when a factorization that needs a symmetric matrix is given a non-symmetric one. */
export class NotSymmetricError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotSymmetricError';
  }
}

/** Numbers of positive, negative and zero eigenvalues of a symmetric matrix (`positive + negative + zero = n`). */
export interface Inertia {
  readonly positive: number;
  readonly negative: number;
  readonly zero: number;
}

/** What {@link inertia} returns: the inertia, the rank and the exact determinant. */
export interface InertiaResult {
  readonly inertia: Inertia;
  /** `rank(A) = n_+ + n_−`. */
  readonly rank: number;
  /** `det(A)` (of the rational input, not of the scaled integer matrix). */
  readonly determinant: Rational;
}

/** One diagonal block of `D`: rows/columns `index … index + size − 1` of `PᵀAP`. */
export interface LdltBlock {
  /** First position of the block in the permuted order. */
  readonly index: number;
  readonly size: 1 | 2;
  /** The `size × size` block: `[d]`, or `[[0, σ], [σ, 0]]` with `σ ≠ 0` for a 2×2 pivot. */
  readonly D: Matrix<Rational>;
}

/**
 * The factorization `Pᵀ A P = L D Lᵀ` of a symmetric rational matrix.
 *
 * Permutation convention: `permutation[k]` is the original index placed at position `k`, i.e.
 * `(PᵀAP)_{kl} = A_{permutation[k], permutation[l]}` and `P_{permutation[k], k} = 1`.
 */
export interface LdltResult extends InertiaResult {
  readonly permutation: number[];
  /** Unit lower triangular; the diagonal 2×2 blocks of `L` at 2×2 pivots are identities. */
  readonly L: Matrix<Rational>;
  /** Block diagonal with 1×1 and 2×2 blocks; trailing 1×1 zero blocks span the null part. */
  readonly D: Matrix<Rational>;
  /** The blocks of `D` in order, covering all `n` positions. */
  readonly blocks: LdltBlock[];
}

/** A pivot step of the elimination, in terms of the integer working matrix. */
type Step =
  | { readonly size: 1; readonly i: number; readonly w: bigint; readonly prev: bigint; readonly mult: Map<number, Rational> | undefined }
  | {
      readonly size: 2;
      readonly i: number;
      readonly j: number;
      readonly w: bigint;
      readonly prev: bigint;
      readonly mult: Map<number, readonly [Rational, Rational]> | undefined;
    };

interface Elimination {
  readonly n: number;
  readonly scale: bigint;
  readonly steps: Step[];
  /** Indices left when the remaining Schur complement became zero, in their order. */
  readonly rest: number[];
  readonly inertia: Inertia;
  readonly rank: number;
  /** `det(Ã)`. */
  readonly detScaled: bigint;
}

/**
 * The shared elimination. Working matrix `W` on the remaining index set `R`, eliminated set `E`:
 * ```
 *   prev = det Ã[E,E],   W_lm = prev · S_lm   (l, m ∈ R),   S = Ã[R,R] − Ã[R,E] Ã[E,E]⁻¹ Ã[E,R]
 * ```
 * so `W_lm = det Ã[E∪{l}, E∪{m}] ∈ ℤ`.
 * - 1×1 pivot `i` (`W_ii ≠ 0`, smallest `|W_ii|` preferred): `W'_lm = (W_ii W_lm − W_li W_im) / prev`,
 *   `prev' = W_ii`, pivot `S_ii = W_ii / prev`, multipliers `L_li = W_li / W_ii`.
 * - 2×2 pivot `{i, j}` when all `W_kk = 0` and `a = W_ij ≠ 0`: block `E = [[0, σ], [σ, 0]]`, `σ = a / prev`,
 *   `prev' = −a² / prev`, `W'_lm = (−a² W_lm + a (W_li W_jm + W_lj W_im)) / prev²`,
 *   multipliers `[L_li, L_lj] = [S_li, S_lj] E⁻¹ = [W_lj / a, W_li / a]`, inertia `(+1, −1)`.
 * - all of `W` zero: the rest is null.
 * All divisions are exact (the results are minors of `Ã`).
 */
function eliminate(A: Matrix<Rational>, withFactors: boolean): Elimination {
  if (A.rows !== A.cols) throw new ShapeError(`LDLᵀ of a non-square ${A.rows}×${A.cols} matrix`);
  const n = A.rows;
  const M = toIntegerMatrix(A);
  const W = flattenRowMajor(M);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (W[i * n + j] !== W[j * n + i]) throw new NotSymmetricError(`matrix is not symmetric: entry (${i + 1}, ${j + 1}) differs from (${j + 1}, ${i + 1})`);

  let rem: number[] = Array.from({ length: n }, (_, k) => k);
  let prev = 1n;
  let positive = 0;
  let negative = 0;
  const steps: Step[] = [];
  const get = (l: number, m: number): bigint => W[l * n + m] as bigint;

  while (rem.length > 0) {
    // 1×1 pivot: the non-zero remaining diagonal entry of smallest magnitude.
    let best = -1;
    let bestAbs = 0n;
    for (const k of rem) {
      const d = get(k, k);
      if (d === 0n) continue;
      const ad = bigAbs(d);
      if (best < 0 || ad < bestAbs) {
        best = k;
        bestAbs = ad;
      }
    }
    if (best >= 0) {
      const i = best;
      const wii = get(i, i);
      rem = rem.filter((k) => k !== i);
      let mult: Map<number, Rational> | undefined;
      if (withFactors) {
        mult = new Map();
        for (const l of rem) {
          const wli = get(l, i);
          if (wli !== 0n) mult.set(l, new Rational(wli, wii));
        }
      }
      for (let a = 0; a < rem.length; a++) {
        const l = rem[a] as number;
        const wli = get(l, i);
        const rl = l * n;
        for (let b = a; b < rem.length; b++) {
          const m = rem[b] as number;
          const wim = get(i, m);
          let v = wii * (W[rl + m] as bigint);
          if (wli !== 0n && wim !== 0n) v -= wli * wim;
          if (prev !== 1n) v /= prev;
          W[rl + m] = v;
          W[m * n + l] = v;
        }
      }
      if ((wii > 0n) === (prev > 0n)) positive++;
      else negative++;
      steps.push({ size: 1, i, w: wii, prev, mult });
      prev = wii;
      continue;
    }
    // 2×2 pivot: all remaining diagonal entries vanish; take the smallest non-zero off-diagonal one.
    let pi = -1;
    let pj = -1;
    let pAbs = 0n;
    for (let a = 0; a < rem.length; a++) {
      const l = rem[a] as number;
      for (let b = a + 1; b < rem.length; b++) {
        const m = rem[b] as number;
        const w = get(l, m);
        if (w === 0n) continue;
        const aw = bigAbs(w);
        if (pi < 0 || aw < pAbs) {
          pi = l;
          pj = m;
          pAbs = aw;
        }
      }
    }
    if (pi < 0) break; // the remaining Schur complement is zero
    const i = pi;
    const j = pj;
    const wij = get(i, j);
    rem = rem.filter((k) => k !== i && k !== j);
    let mult: Map<number, readonly [Rational, Rational]> | undefined;
    if (withFactors) {
      mult = new Map();
      for (const l of rem) {
        const wli = get(l, i);
        const wlj = get(l, j);
        if (wli !== 0n || wlj !== 0n) mult.set(l, [new Rational(wlj, wij), new Rational(wli, wij)]);
      }
    }
    const prev2 = prev * prev;
    const negA2 = -(wij * wij);
    for (let a = 0; a < rem.length; a++) {
      const l = rem[a] as number;
      const wli = get(l, i);
      const wlj = get(l, j);
      const rl = l * n;
      for (let b = a; b < rem.length; b++) {
        const m = rem[b] as number;
        let v = negA2 * (W[rl + m] as bigint);
        if (wli !== 0n || wlj !== 0n) v += wij * (wli * get(j, m) + wlj * get(i, m));
        if (prev2 !== 1n) v /= prev2;
        W[rl + m] = v;
        W[m * n + l] = v;
      }
    }
    positive++;
    negative++;
    steps.push({ size: 2, i, j, w: wij, prev, mult });
    prev = negA2 / prev;
  }
  const rank = positive + negative;
  return {
    n,
    scale: M.scale,
    steps,
    rest: rem,
    inertia: { positive, negative, zero: n - rank },
    rank,
    detScaled: rank === n ? prev : 0n,
  };
}

function detOf(e: Elimination): Rational {
  return new Rational(e.detScaled, e.scale ** BigInt(e.n));
}

/**
 * Exact inertia `(n_+, n_−, n_0)`, rank and determinant of a symmetric rational matrix, by the
 * fraction-free elimination of {@link ldlt} without forming `L` (the fast path). By Sylvester's law
 * of inertia the counts are the numbers of positive, negative and zero eigenvalues:
 * ```
 *   Pᵀ (sA) P = L (sD) Lᵀ,  s > 0   ⇒   In(A) = In(D),  det(A) = det(D)
 * ```
 * `O(n³)` bigint operations on integer minors of `s·A`.
 *
 * @throws ShapeError when `A` is not square; NotSymmetricError when `A ≠ Aᵀ`.
 */
export function inertia(A: Matrix<Rational>): InertiaResult {
  const e = eliminate(A, false);
  return { inertia: e.inertia, rank: e.rank, determinant: detOf(e) };
}

/**
 * Whether a symmetric rational matrix is positive semidefinite, exactly: `A ⪰ 0 ⇔ n_−(A) = 0`.
 *
 * @throws ShapeError when `A` is not square; NotSymmetricError when `A ≠ Aᵀ`.
 */
export function isPositiveSemidefinite(A: Matrix<Rational>): boolean {
  return inertia(A).inertia.negative === 0;
}

/**
 * Whether a symmetric rational matrix is positive definite, exactly: `A ≻ 0 ⇔ n_+(A) = n`.
 *
 * @throws ShapeError when `A` is not square; NotSymmetricError when `A ≠ Aᵀ`.
 */
export function isPositiveDefinite(A: Matrix<Rational>): boolean {
  return inertia(A).inertia.positive === A.rows;
}

/**
 * Exact symmetric indefinite factorization of a symmetric rational matrix with 1×1 and 2×2 pivots:
 * ```
 *   Pᵀ A P = L D Lᵀ,   L unit lower triangular,   D = diag(D_1, …, D_b),   D_k ∈ {[d], [[0, σ], [σ, 0]]}
 * ```
 * with `(PᵀAP)_{kl} = A_{permutation[k], permutation[l]}`. Pivots are chosen symmetrically
 * (a non-zero diagonal entry of smallest size; a 2×2 block only when the whole remaining diagonal
 * vanishes). By Sylvester's law of inertia `In(A) = In(D)`: a 1×1 block contributes the sign of `d`,
 * a 2×2 block `(+1, −1)`, and each trailing zero block one zero eigenvalue.
 * The elimination runs fraction-free on `s·A` (see {@link inertia}); `D` is reported for `A` itself
 * (pivots of `s·A` divided by `s`), `L` is scale-free.
 *
 * @throws ShapeError when `A` is not square; NotSymmetricError when `A ≠ Aᵀ`.
 */
export function ldlt(A: Matrix<Rational>): LdltResult {
  const e = eliminate(A, true);
  const n = e.n;
  const permutation: number[] = [];
  for (const st of e.steps) {
    permutation.push(st.i);
    if (st.size === 2) permutation.push(st.j);
  }
  permutation.push(...e.rest);
  const position = new Array<number>(n);
  permutation.forEach((orig, k) => {
    position[orig] = k;
  });
  const pos = (orig: number): number => position[orig] as number;

  const Ldata = new Array<Rational>(n * n).fill(Rational.ZERO);
  const Ddata = new Array<Rational>(n * n).fill(Rational.ZERO);
  for (let k = 0; k < n; k++) Ldata[k + k * n] = Rational.ONE;
  const blocks: LdltBlock[] = [];
  const sBig = e.scale;
  for (const st of e.steps) {
    if (st.size === 1) {
      const k = pos(st.i);
      // Pivot of A: S_ii / s = W_ii / (prev · s).
      const d = new Rational(st.w, st.prev * sBig);
      Ddata[k + k * n] = d;
      blocks.push({ index: k, size: 1, D: { rows: 1, cols: 1, data: [d] } });
      for (const [l, v] of st.mult ?? []) Ldata[pos(l) + k * n] = v;
    } else {
      const k = pos(st.i);
      const sigma = new Rational(st.w, st.prev * sBig);
      Ddata[k + (k + 1) * n] = sigma;
      Ddata[k + 1 + k * n] = sigma;
      blocks.push({ index: k, size: 2, D: { rows: 2, cols: 2, data: [Rational.ZERO, sigma, sigma, Rational.ZERO] } });
      for (const [l, [vi, vj]] of st.mult ?? []) {
        Ldata[pos(l) + k * n] = vi;
        Ldata[pos(l) + (k + 1) * n] = vj;
      }
    }
  }
  for (const r of e.rest) blocks.push({ index: pos(r), size: 1, D: { rows: 1, cols: 1, data: [Rational.ZERO] } });
  return {
    permutation,
    L: { rows: n, cols: n, data: Ldata },
    D: { rows: n, cols: n, data: Ddata },
    blocks,
    inertia: e.inertia,
    rank: e.rank,
    determinant: detOf(e),
  };
}
