/**
 * Top eigenpairs of a layer block and of its Kronecker approximation, in binary64: the
 * structure-specific shortcuts in front of the one solver entry point ({@link topEigenpairs}),
 * returning its result type.
 */
import { symmetricEigen } from '../linalg/eigen-f64.js';
import type { Matrix } from '../linalg/matrix.js';
import { DEFAULT_DENSE_UP_TO, DIRECT_SOLUTION, topDenseEigenpairs, topEigenpairs, type EigenMethod, type TopEigenpairs } from '../spectral/top-eigenpairs.js';
import { denseLayerBlock, isKroneckerExact, layerOperator, type LayerFactors } from './layer-block.js';

export { DEFAULT_DENSE_UP_TO, topDenseEigenpairs, type EigenMethod, type TopEigenpairs };

/** Options of {@link topLayerEigenpairs}. */
export interface TopEigenOptions {
  /** Largest block diagonalised densely (default 400); above it block Lanczos runs on the matrix-free block. */
  readonly denseUpTo?: number;
  /** Seed of the random part of the start block (default 0). */
  readonly seed?: number;
  /** Residual tolerance relative to `λ_max` (default 1e-6: eigenvalues to about 1e-12 relative, top-`k` subspaces to `1e-6 λ_max / gap`). */
  readonly tolerance?: number;
  /** Budget of block-operator products (default `max(1200, 60k)`). */
  readonly maxMatvecs?: number;
}

/** Default residual tolerance of the top-`k` subspaces of `structure` and `overlap` (relative to `‖H‖`). */
export const SUBSPACE_TOLERANCE = 1e-6;

/**
 * The top `k` eigenpairs of `c · A ⊗ B` (`A`, `B` symmetric) from the eigenpairs of the factors:
 * eigenvalues `c α_a β_b`, eigenvectors `a_a ⊗ b_b` (column-major: the vec of the `q × p` matrix
 * `b_b a_aᵀ`, exactly rank one). Residuals from the factors: `(A ⊗ B) vec(b aᵀ) = vec(B b (A a)ᵀ)`,
 * so `‖c (Bb)(Aa)ᵀ − λ b aᵀ‖_F` with no product of the `pq × pq` matrix.
 */
export function topKroneckerEigenpairs(c: number, A: Matrix<number>, B: Matrix<number>, k: number): TopEigenpairs {
  const ea = symmetricEigen(A);
  const eb = symmetricEigen(B);
  const p = A.rows;
  const q = B.rows;
  const pairs: { v: number; a: number; b: number }[] = [];
  for (let a = 0; a < p; a++) for (let b = 0; b < q; b++) pairs.push({ v: c * (ea.values[a] as number) * (eb.values[b] as number), a, b });
  pairs.sort((x, y) => y.v - x.v);
  const top = pairs.slice(0, k);
  const column = (M: Matrix<number>, vecs: Matrix<number>, j: number): { x: Float64Array; Mx: Float64Array } => {
    const n = M.rows;
    const x = Float64Array.from(vecs.data.slice(n * j, n * (j + 1)));
    const Mx = new Float64Array(n);
    for (let l = 0; l < n; l++) for (let i = 0; i < n; i++) Mx[i] = (Mx[i] as number) + (M.data[i + n * l] as number) * (x[l] as number);
    return { x, Mx };
  };
  const vectors: Float64Array[] = [];
  const residuals: number[] = [];
  for (const { v: lambda, a, b } of top) {
    const fa = column(A, ea.vectors, a);
    const fb = column(B, eb.vectors, b);
    const out = new Float64Array(p * q);
    let r2 = 0;
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < q; i++) {
        const x = (fa.x[j] as number) * (fb.x[i] as number);
        out[i + q * j] = x;
        r2 += (c * (fb.Mx[i] as number) * (fa.Mx[j] as number) - lambda * x) ** 2;
      }
    }
    vectors.push(out);
    residuals.push(Math.sqrt(r2));
  }
  return {
    values: top.map((t) => t.v),
    vectors,
    residuals,
    next: pairs[k]?.v ?? null,
    which: 'largest',
    method: 'kronecker',
    description: `closed form of a Kronecker product c·A⊗B from the dense eigendecompositions of its ${p}×${p} and ${q}×${q} factors, binary64`,
    ...DIRECT_SOLUTION,
  };
}

/**
 * The top `k` eigenpairs of a layer block: from the Kronecker factors when the block is
 * Kronecker-exact (`M_s` the same for every sample), densely up to `denseUpTo` parameters, and by
 * block Lanczos ({@link topEigenpairs} with `solver: 'block-lanczos'`) on the matrix-free block above,
 * started from the top eigenvectors of the Kronecker approximation, with block size `k + 2` and
 * `k + 1` converged pairs (so the gap `λ_k − λ_{k+1}` is known and eigenvalues repeated up to `k + 2`
 * times are found). `kron`: the decoupled factors, used in the Kronecker-exact case.
 */
export function topLayerEigenpairs(
  f: LayerFactors,
  k: number,
  kron: { readonly scale: number; readonly inputMoment: Matrix<number>; readonly meanCurvature: Matrix<number> },
  options: TopEigenOptions = {},
): TopEigenpairs {
  const D = f.rows * f.cols;
  if (isKroneckerExact(f)) return topKroneckerEigenpairs(kron.scale, kron.inputMoment, kron.meanCurvature, k);
  if (D <= (options.denseUpTo ?? DEFAULT_DENSE_UP_TO)) return topDenseEigenpairs(denseLayerBlock(f), k);
  const b = Math.min(D, k + 2);
  // Warm start: the top eigenvectors of the Kronecker approximation (exact when H_l = K_l).
  const start = topKroneckerEigenpairs(kron.scale, kron.inputMoment, kron.meanCurvature, Math.min(D, b)).vectors;
  return topEigenpairs(layerOperator(f), {
    k,
    solver: 'block-lanczos',
    blockSize: b,
    denseUpTo: 0,
    seed: options.seed ?? 0,
    tolerance: options.tolerance ?? SUBSPACE_TOLERANCE,
    relativeTo: 'norm',
    start,
    ...(options.maxMatvecs !== undefined ? { maxMatvecs: options.maxMatvecs } : {}),
  });
}
