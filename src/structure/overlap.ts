/**
 * Overlap of eigenspaces (`docs/math.md §5`; arXiv 2010.04261, "Dissecting Hessian"): for `k`-dimensional
 * subspaces with orthonormal bases `V_1, V_2 ∈ R^{D×k}`,
 *
 *   `overlap(V_1, V_2) = ‖V_1ᵀ V_2‖_F² / k = tr(P_1 P_2) / k ∈ [0, 1]`,
 *
 * 1 exactly when the subspaces coincide, 0 when they are orthogonal, independent of the bases chosen
 * (it depends on the projectors `P_i` only), and `k/D` on average for a uniformly random subspace
 * against a fixed one (the chance level).
 */
import { ShapeError } from '../linalg/matrix.js';
import { dot } from '../linalg/vectors.js';

/**
 * An orthonormal basis of the span of `vectors` (modified Gram–Schmidt, twice), in order: the first
 * `j` outputs span the first `j` inputs. Throws `RangeError` when the vectors are (numerically)
 * dependent (a vector loses all but `1e-10` of its norm).
 */
export function orthonormalize(vectors: readonly ArrayLike<number>[]): Float64Array[] {
  const out: Float64Array[] = [];
  const D = vectors[0]?.length ?? 0;
  vectors.forEach((v, idx) => {
    if (v.length !== D) throw new ShapeError(`orthonormalize: vector ${idx + 1} has length ${v.length}, expected ${D}`);
    const w = Float64Array.from(v);
    // Scale to max |w_i| = 1 first, so that tiny or huge vectors neither underflow nor overflow.
    let big = 0;
    for (let i = 0; i < D; i++) big = Math.max(big, Math.abs(w[i] as number));
    if (!(big > 0) || !Number.isFinite(big)) throw new RangeError(`orthonormalize: vector ${idx + 1} is ${big === 0 ? 'zero' : 'not finite'}`);
    for (let i = 0; i < D; i++) w[i] = (w[i] as number) / big;
    const before = Math.sqrt(dot(w, w));
    for (let pass = 0; pass < 2; pass++)
      for (const u of out) {
        const c = dot(u, w);
        for (let i = 0; i < D; i++) w[i] = (w[i] as number) - c * (u[i] as number);
      }
    const after = Math.sqrt(dot(w, w));
    if (!(after > 1e-10 * before)) throw new RangeError(`orthonormalize: vector ${idx + 1} is linearly dependent on the previous ones`);
    for (let i = 0; i < D; i++) w[i] = (w[i] as number) / after;
    out.push(w);
  });
  return out;
}

/**
 * `‖V_1ᵀ V_2‖_F² / k` for two lists of `k` vectors of length `D`. The lists are orthonormalised
 * first (so any bases of the two subspaces give the same value).
 */
export function subspaceOverlap(V1: readonly ArrayLike<number>[], V2: readonly ArrayLike<number>[]): number {
  if (V1.length !== V2.length) throw new ShapeError(`subspaceOverlap: subspaces of different dimensions ${V1.length} and ${V2.length}`);
  if (V1.length === 0) throw new RangeError('subspaceOverlap: empty subspaces');
  const A = orthonormalize(V1);
  const B = orthonormalize(V2);
  if ((A[0] as Float64Array).length !== (B[0] as Float64Array).length) {
    throw new ShapeError(`subspaceOverlap: vectors of lengths ${(A[0] as Float64Array).length} and ${(B[0] as Float64Array).length}`);
  }
  let s = 0;
  for (const a of A)
    for (const b of B) {
      const c = dot(a, b);
      s += c * c;
    }
  return s / V1.length;
}

/**
 * The overlap of the leading `j`-dimensional subspaces, `j = 1..k`: `curve[j − 1]` compares the
 * spans of the first `j` vectors of each list (eigenvectors ordered from the top).
 */
export function overlapCurve(V1: readonly ArrayLike<number>[], V2: readonly ArrayLike<number>[], k = Math.min(V1.length, V2.length)): number[] {
  const A = orthonormalize(V1.slice(0, k));
  const B = orthonormalize(V2.slice(0, k));
  // C[i][j] = a_iᵀ b_j; the overlap at j is Σ_{i,l ≤ j} C[i][l]² / j, accumulated along the border.
  const C = A.map((a) => B.map((b) => dot(a, b)));
  const out: number[] = [];
  let acc = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < j; i++) acc += ((C[i] as number[])[j] as number) ** 2 + ((C[j] as number[])[i] as number) ** 2;
    acc += ((C[j] as number[])[j] as number) ** 2;
    out.push(acc / (j + 1));
  }
  return out;
}

/** The chance level `k / D`: the expected overlap of a uniformly random `k`-subspace of `R^D` with a fixed one. */
export function chanceOverlap(k: number, D: number): number {
  return k / D;
}
