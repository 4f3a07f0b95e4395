/**
 * Top eigenpairs of a layer block and of its Kronecker approximation, in binary64.
 */
import { symmetricEigen } from '../linalg/eigen-f64.js';
import type { Matrix } from '../linalg/matrix.js';
import { blockTopEigenpairs, type BlockEigenResult } from './block-eigen.js';
import { denseLayerBlock, isKroneckerExact, layerOperator, type LayerFactors } from './layer-block.js';

/** How the top eigenpairs were obtained. */
export type EigenMethod = 'dense' | 'block-lanczos' | 'kronecker';

/** The `k` largest eigenvalues (descending) with unit eigenvectors, and `λ_{k+1}` when known. */
export interface TopEigenpairs {
  readonly values: number[];
  readonly vectors: Float64Array[];
  /** `λ_{k+1}` (for the gap `λ_k − λ_{k+1}` that makes the top-`k` eigenspace well defined), `null` when `k = D`. */
  readonly next: number | null;
  readonly method: EigenMethod;
  /** Residuals `‖H v − λ v‖` (0 for the closed-form Kronecker pairs, as computed in binary64 otherwise). */
  readonly residuals: number[];
  readonly converged: boolean;
  readonly iterations: number;
  readonly matvecs: number;
}

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

/** Default for {@link TopEigenOptions.denseUpTo}. */
export const DEFAULT_DENSE_UP_TO = 400;

/**
 * The top `k` eigenpairs of `c · A ⊗ B` (`A`, `B` symmetric) from the eigenpairs of the factors:
 * eigenvalues `c α_a β_b`, eigenvectors `a_a ⊗ b_b` (column-major: the vec of the `q × p` matrix
 * `b_b a_aᵀ`, exactly rank one).
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
  const vectors = top.map(({ a, b }) => {
    const out = new Float64Array(p * q);
    for (let j = 0; j < p; j++) {
      const aj = ea.vectors.data[j + p * a] as number;
      for (let i = 0; i < q; i++) out[i + q * j] = aj * (eb.vectors.data[i + q * b] as number);
    }
    return out;
  });
  return {
    values: top.map((t) => t.v),
    vectors,
    next: pairs[k]?.v ?? null,
    method: 'kronecker',
    residuals: top.map(() => 0),
    converged: true,
    iterations: 0,
    matvecs: 0,
  };
}

/** The top `k` eigenpairs of a dense symmetric matrix (full decomposition). */
export function topDenseEigenpairs(H: Matrix<number>, k: number): TopEigenpairs {
  const e = symmetricEigen(H);
  const D = H.rows;
  const idx = Array.from({ length: k }, (_, t) => D - 1 - t);
  return {
    values: idx.map((i) => e.values[i] as number),
    vectors: idx.map((i) => Float64Array.from(e.vectors.data.slice(i * D, (i + 1) * D))),
    next: D > k ? (e.values[D - 1 - k] as number) : null,
    method: 'dense',
    residuals: idx.map(() => 0),
    converged: true,
    iterations: 0,
    matvecs: 0,
  };
}

/**
 * The top `k` eigenpairs of a layer block: from the Kronecker factors when the block is
 * Kronecker-exact (`M_s` the same for every sample), densely up to `denseUpTo` parameters, and by
 * block Lanczos ({@link blockTopEigenpairs}) on the matrix-free block above, started from the top
 * eigenvectors of the Kronecker approximation, with block size `k + 2` and `k + 1` converged pairs
 * (so the gap `λ_k − λ_{k+1}` is known and eigenvalues repeated up to `k + 2` times are found).
 * `kron`: the decoupled factors, used in the Kronecker-exact case.
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
  const res = blockTopEigenpairs(layerOperator(f), {
    k,
    blockSize: b,
    seed: options.seed ?? 0,
    tolerance: options.tolerance ?? 1e-6,
    start,
    ...(options.maxMatvecs !== undefined ? { maxMatvecs: options.maxMatvecs } : {}),
  });
  return fromBlockLanczos(res);
}

/** A block-Lanczos run as {@link TopEigenpairs}. */
export function fromBlockLanczos(res: BlockEigenResult): TopEigenpairs {
  return {
    values: res.values,
    vectors: res.vectors,
    next: res.next,
    method: 'block-lanczos',
    residuals: res.residuals,
    converged: res.converged,
    iterations: res.cycles,
    matvecs: res.matvecs,
  };
}
