/**
 * Top-eigenspace overlap between two models (arXiv 2010.04261, "Dissecting Hessian": top eigenspaces
 * of layer-wise Hessians of different models overlap far more than chance): for one layer block or
 * for the full Hessian, `‖V_Aᵀ V_B‖_F² / j` for `j = 1..k` against the chance level `j / D`.
 */
import { ShapeError } from '../linalg/matrix.js';
import type { CurvatureProblem } from '../curvature/problem.js';
import type { Network } from '../families/network.js';
import { topEigenpairs } from '../spectral/top-eigenpairs.js';
import { inputSecondMoment, meanCurvature } from './layer-block.js';
import { chanceOverlap, overlapCurve } from './overlap.js';
import { DEFAULT_DENSE_UP_TO, SUBSPACE_TOLERANCE, topLayerEigenpairs, type TopEigenOptions, type TopEigenpairs } from './top-eigen.js';

/** The result of {@link modelOverlap}. */
export interface ModelOverlap {
  /** The layer compared (from 1), or `null` for the full Hessian. */
  readonly layer: number | null;
  /** Dimension `D` of the compared space. */
  readonly dimension: number;
  readonly top: number;
  /** `overlap[j − 1]`: overlap of the top-`j` eigenspaces. */
  readonly overlapByK: number[];
  /** `j / D`. */
  readonly chanceByK: number[];
  readonly overlap: number;
  readonly chance: number;
  readonly eigenvaluesA: number[];
  readonly eigenvaluesB: number[];
  /** `λ_k − λ_{k+1}` for each model (`null` when `k = D`). */
  readonly gapA: number | null;
  readonly gapB: number | null;
  readonly methods: [string, string];
  readonly converged: boolean;
  readonly warnings: string[];
}

/** Top-`k` eigenpairs of a model's full Hessian (dense up to `denseUpTo` parameters, block Lanczos on the HVP above). */
export function topFullHessianEigenpairs(problem: CurvatureProblem, k: number, options: TopEigenOptions = {}): TopEigenpairs & { readonly dimension: number } {
  const block = problem.hessian;
  const D = block.shape[0];
  const kk = Math.min(k, D);
  const res = topEigenpairs(block, {
    k: kk,
    // Dense from the closed-form dense Hessian (not from D products).
    denseUpTo: options.denseUpTo ?? DEFAULT_DENSE_UP_TO,
    dense: () => problem.denseHessian(),
    solver: 'block-lanczos',
    blockSize: Math.min(D, kk + 2),
    seed: options.seed ?? 0,
    tolerance: options.tolerance ?? SUBSPACE_TOLERANCE,
    relativeTo: 'norm',
    ...(options.maxMatvecs !== undefined ? { maxMatvecs: options.maxMatvecs } : {}),
  });
  return { ...res, dimension: D };
}

/** Top-`k` eigenpairs of one layer block of a model (layer numbered from 1). */
export function topLayerEigenpairsOfModel(network: Network, layer: number, k: number, options: TopEigenOptions = {}): TopEigenpairs & { readonly dimension: number; readonly shape: [number, number] } {
  const ml = network.layers();
  const f = ml.layers[layer - 1];
  if (f === undefined) throw new RangeError(`layer ${layer} is out of range: the model has ${ml.layers.length} layers`);
  const D = f.rows * f.cols;
  const kk = Math.min(k, D);
  const Mbar = meanCurvature(f);
  const Sx = inputSecondMoment(f);
  const res = topLayerEigenpairs(f, kk, { scale: f.n * f.weight, inputMoment: Sx, meanCurvature: Mbar }, options);
  return { ...res, dimension: D, shape: [f.rows, f.cols] };
}

/**
 * The overlap of the top-`j` eigenspaces (`j = 1..k`) of two models, for layer `layer` (from 1) or
 * the full Hessian (`layer = null`). The compared spaces must have the same shape.
 */
export function modelOverlap(a: Network, b: Network, layer: number | null, k: number, options: TopEigenOptions = {}): ModelOverlap {
  let A: TopEigenpairs & { readonly dimension: number };
  let B: TopEigenpairs & { readonly dimension: number };
  if (layer === null) {
    A = topFullHessianEigenpairs(a, k, options);
    B = topFullHessianEigenpairs(b, k, options);
    if (A.dimension !== B.dimension) throw new ShapeError(`overlap: the models have ${A.dimension} and ${B.dimension} parameters; the full Hessians must have the same size`);
  } else {
    const la = topLayerEigenpairsOfModel(a, layer, k, options);
    const lb = topLayerEigenpairsOfModel(b, layer, k, options);
    if (la.shape[0] !== lb.shape[0] || la.shape[1] !== lb.shape[1]) {
      throw new ShapeError(`overlap: layer ${layer} is ${la.shape[0]}×${la.shape[1]} in the first model but ${lb.shape[0]}×${lb.shape[1]} in the second`);
    }
    A = la;
    B = lb;
  }
  const kk = A.values.length;
  const D = A.dimension;
  const curve = overlapCurve(A.vectors, B.vectors, kk);
  const chanceByK = curve.map((_, j) => chanceOverlap(j + 1, D));
  const gapA = A.next === null ? null : (A.values[kk - 1] as number) - A.next;
  const gapB = B.next === null ? null : (B.values[kk - 1] as number) - B.next;
  const warnings: string[] = [];
  for (const [name, gap, vals] of [['first', gapA, A.values], ['second', gapB, B.values]] as const) {
    if (gap !== null && gap <= 1e-9 * Math.abs(vals[0] ?? 1)) {
      warnings.push(`the ${name} model has λ_k = λ_{k+1} (to rounding): its top-${kk} eigenspace is not well defined; choose another --top`);
    }
  }
  if (!A.converged || !B.converged) warnings.push('the eigensolver did not converge to its tolerance for one of the models');
  return {
    layer,
    dimension: D,
    top: kk,
    overlapByK: curve,
    chanceByK,
    overlap: curve[kk - 1] as number,
    chance: chanceByK[kk - 1] as number,
    eigenvaluesA: A.values,
    eigenvaluesB: B.values,
    gapA,
    gapB,
    methods: [A.method, B.method],
    converged: A.converged && B.converged,
    warnings,
  };
}
