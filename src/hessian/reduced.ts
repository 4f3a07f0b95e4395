import { F64, type Field } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { ldlt } from '../linalg/ldlt.js';
import { add, at, generate, kron, mul, scale, transpose, type Matrix } from '../linalg/matrix.js';
import { toNumberArray } from '../kernels/arrays.js';
import { gemmF64Into } from '../linalg/gemm-f64.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { operatorFrom, type LinearOperator } from '../linop/linear-operator.js';
import type { NetworkPoint } from './point.js';

/**
 * The reduced eigenproblem of a zero-loss point (`docs/math.md §3`): at a minimizer `H = c JᵀJ`, whose
 * nonzero spectrum equals that of the small symmetric matrix `K` (or, with data, of the symmetric
 * pencil `λ S − K` with `S` diagonal and positive).
 *
 * - `'dmf'`: `K = c Σ_i (B_iᵀB_i) ⊗ (A_iA_iᵀ)`, size `d_N d_0`, `S = I`.
 * - `'dln-samples'`: with data and full-rank samples, `K = (c/n) Σ_i (XᵀB_iᵀB_iX) ⊗ (A_iA_iᵀ)`,
 *   size `d_N n` (from `J Jᵀ` on `d_N × n` matrices), `S = I`.
 * - `'dln-covariance'`: with data, `Σ = XXᵀ/n = L D Lᵀ` (exact LDLᵀ, `r = rank Σ` columns kept):
 *   `K = c Σ_i (LᵀB_iᵀB_iL) ⊗ (A_iA_iᵀ)` and `S = D^{−1} ⊗ I`, size `d_N r`. The eigenvalues of the pencil
 *   are those of `(D ⊗ I) K`, similar to `(D^{½} ⊗ I) K (D^{½} ⊗ I)`; exact and symmetric without square roots.
 *
 * The smaller of the two data forms is used (`r ≤ n`; the samples form when `r = n`).
 * Column-major `vec` throughout: `(Y ⊗ Z) vec V = vec(Z V Yᵀ)`.
 */
export interface ReducedProblem<S> {
  readonly form: 'dmf' | 'dln-samples' | 'dln-covariance';
  /** The symmetric matrix `K`. */
  readonly K: Matrix<S>;
  /** Diagonal of the positive definite metric `S` of the pencil `λS − K`; `null` means `S = I`. */
  readonly metric: S[] | null;
  /** Rows and columns of the matrix that `vec` of `K`'s argument reshapes to (`d_N × d_0`, `d_N × n` or `d_N × r`). */
  readonly shape: readonly [number, number];
}

/** `Σ_i (Y_i ⊗ Z_i)` for symmetric `Y_i`, `Z_i`. */
function kronSum<S>(F: Field<S>, terms: readonly [Matrix<S>, Matrix<S>][], c: S): Matrix<S> {
  let K: Matrix<S> | null = null;
  for (const [Y, Z] of terms) {
    const term = kron(F, Y, Z);
    K = K === null ? term : add(F, K, term);
  }
  if (K === null) throw new Error('kronSum of no terms');
  return F.eq(c, F.one) ? K : scale(F, c, K);
}

function outputGrams<S>(pt: NetworkPoint<S>): Matrix<S>[] {
  return pt.A.map((A) => mul(pt.F, A, transpose(A))); // A_i A_iᵀ, d_N × d_N
}

function inputGrams<S>(pt: NetworkPoint<S>): Matrix<S>[] {
  return pt.B.map((B) => mul(pt.F, transpose(B), B)); // B_iᵀ B_i, d_0 × d_0
}

/** The dense reduced problem over the point's field (exact over `Q`; see {@link ReducedProblem}). */
export function reducedProblem<S>(pt: NetworkPoint<S>): ReducedProblem<S> {
  const F = pt.F;
  const AAt = outputGrams(pt);
  const BtB = inputGrams(pt);
  const dN = pt.widths[pt.depth] as number;
  const obj = pt.spec.objective;
  if (obj.kind === 'dmf') {
    return { form: 'dmf', K: kronSum(F, BtB.map((G, i) => [G, AAt[i] as Matrix<S>]), pt.c), metric: null, shape: [dN, pt.widths[0] as number] };
  }
  const X = obj.inputs;
  const n = X.cols;
  const covariance = covarianceFactor(pt);
  if (covariance === null || covariance.L.cols === n) {
    const cOverN = F.div(pt.c, F.fromInt(n));
    const terms = BtB.map((G, i): [Matrix<S>, Matrix<S>] => [mul(F, transpose(X), mul(F, G, X)), AAt[i] as Matrix<S>]);
    return { form: 'dln-samples', K: kronSum(F, terms, cOverN), metric: null, shape: [dN, n] };
  }
  const { L, D } = covariance;
  const terms = BtB.map((G, i): [Matrix<S>, Matrix<S>] => [mul(F, transpose(L), mul(F, G, L)), AAt[i] as Matrix<S>]);
  const metric: S[] = [];
  for (const d of D) for (let k = 0; k < dN; k++) metric.push(F.inv(d)); // (D^{-1} ⊗ I_{d_N}) is diagonal
  return { form: 'dln-covariance', K: kronSum(F, terms, pt.c), metric, shape: [dN, L.cols] };
}

/**
 * `Σ = L D Lᵀ` with `L` of full column rank `r` and `D > 0` (exact over `Q`, via LDLᵀ; `null` in
 * binary64, where the samples form is used instead).
 */
function covarianceFactor<S>(pt: NetworkPoint<S>): { L: Matrix<S>; D: S[] } | null {
  if (pt.F.name !== 'Q' || pt.sigma === null) return null;
  const sigma = pt.sigma as unknown as Matrix<Rational>;
  const f = ldlt(sigma);
  const d0 = sigma.rows;
  // PᵀΣP = L D Lᵀ with (PᵀΣP)[k][l] = Σ[perm[k]][perm[l]]; so Σ = (P L) D (P L)ᵀ.
  const keep: number[] = [];
  for (let k = 0; k < d0; k++) if (!at(f.D, k, k).isZero()) keep.push(k);
  const PL = generate(d0, keep.length, (i, j) => {
    const k = f.permutation.indexOf(i);
    return at(f.L, k, keep[j] as number);
  });
  const D = keep.map((k) => at(f.D, k, k));
  return { L: PL as unknown as Matrix<S>, D: D as unknown as S[] };
}

/**
 * The reduced operator in binary64, matrix-free, for Lanczos at large widths:
 * DMF: `V ↦ c Σ_i (A_iA_iᵀ) V (B_iᵀB_i)` on `d_N × d_0` matrices, `O(N d³)` per product with the Gram
 * matrices formed once. With data: `V ↦ c Σ_i (A_iA_iᵀ) V (Σ^{½} B_iᵀB_i Σ^{½})`, `Σ^{½}` from a symmetric
 * eigen-decomposition of the `d_0 × d_0` covariance (the symmetric form of `docs/math.md §3`).
 */
export function reducedOperatorF64(pt: NetworkPoint<number>): LinearOperator<number> {
  const F = F64;
  const AAt = outputGrams(pt);
  let right = inputGrams(pt);
  if (pt.sigma !== null) {
    const { values, vectors } = symmetricEigen(pt.sigma);
    const root = mul(F, mul(F, vectors, generate(values.length, values.length, (i, j) => (i === j ? Math.sqrt(Math.max(0, values[i] as number)) : 0))), transpose(vectors));
    right = right.map((G) => mul(F, root, mul(F, G, root)));
  }
  const dN = pt.widths[pt.depth] as number;
  const d0 = pt.widths[0] as number;
  const n = dN * d0;
  // Identity factors (A_N = I, B_1 = I for DMF) are skipped: K V = Σ_i L_i V R_i costs 2N − 2 products.
  const isIdentity = (G: Matrix<number>): boolean => G.data.every((x, k) => x === (k % (G.rows + 1) === 0 ? 1 : 0));
  const terms = AAt.map((L, i) => ({ L: isIdentity(L) ? null : Float64Array.from(L.data), R: right[i] as Matrix<number> }))
    .map((t) => ({ L: t.L, R: isIdentity(t.R) ? null : Float64Array.from(t.R.data) }));
  const tmp = new Float64Array(n);
  return operatorFrom(
    F,
    [n, n],
    (input) => {
      // One conversion per product (the kernel layer takes Float64Array; each term reads v).
      const v = input instanceof Float64Array ? input : Float64Array.from(input);
      const out = new Float64Array(n);
      for (const { L, R } of terms) {
        // tmp = V R_i (or V), out += L_i tmp (or tmp); V is d_N × d_0, column-major.
        let VR: ArrayLike<number> = v;
        if (R !== null) {
          gemmF64Into(dN, d0, d0, v, R, tmp);
          VR = tmp;
        }
        if (L !== null) gemmF64Into(dN, d0, dN, L, VR, out, { accumulate: true });
        else for (let k = 0; k < n; k++) out[k] = (out[k] as number) + (VR[k] as number);
      }
      return toNumberArray(out, pt.c);
    },
    { symmetric: true, label: 'reduced operator K (closed form)' },
  );
}
