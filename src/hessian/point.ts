import type { Field } from '../field/field.js';
import { identity, mul, ShapeError, sub, transpose, scale, type Matrix } from '../linalg/matrix.js';

import type { Reduction } from '../models/model.js';
import { lossCoefficientIn, type ResidualShape } from '../models/reduction.js';

export type { Reduction };

/** `n` and the entries of one sample's residual: `(1, d_N·d_0)` for DMF, `(n, d_N)` with data. */
export function residualShapeOf<S>(objective: Objective<S>): ResidualShape {
  return objective.kind === 'dmf'
    ? { samples: 1, outputs: objective.target.rows * objective.target.cols }
    : { samples: objective.inputs.cols, outputs: objective.targets.rows };
}

/** The loss coefficient `c` of a spec's reduction in `F` (`models/reduction.ts`). */
export function specLossCoefficient<S, T>(F: Field<T>, spec: NetworkSpec<S>): T {
  return lossCoefficientIn(F, spec.reduction, residualShapeOf(spec.objective));
}

/**
 * What the network is fitted to: a target matrix `M` (deep matrix factorization, `L = ½‖P − M‖_F²`)
 * or data `X ∈ S^{d_0×n}`, `Y ∈ S^{d_N×n}` (deep linear network, `L = (1/2n)‖P X − Y‖_F²`).
 */
export type Objective<S> =
  | { readonly kind: 'dmf'; readonly target: Matrix<S> }
  | { readonly kind: 'dln'; readonly inputs: Matrix<S>; readonly targets: Matrix<S> };

/** A deep linear network at a point: weights `W_1..W_N` (W_1 applied first) and its objective. */
export interface NetworkSpec<S> {
  readonly weights: readonly Matrix<S>[];
  readonly objective: Objective<S>;
  readonly reduction: Reduction;
}

/**
 * Everything the closed forms need at one point, computed once in `O(N)` matrix products
 * (`docs/math.md §1`):
 * - `A[i] = W_N ⋯ W_{i+2}` for layer `i + 1` (output side; identity for the last layer),
 * - `B[i] = W_i ⋯ W_1` for layer `i + 1` (input side; identity for the first layer),
 * - `P = W_N ⋯ W_1`, `Σ = X Xᵀ / n` (absent for DMF, where `Σ = I`),
 * - `R = ∂L/∂P` without the loss-scale factor: `P − M` (DMF) or `(P X − Y) Xᵀ / n` (DLN).
 *
 * Arrays are indexed from 0 (`A[0]` belongs to `W_1`); documentation numbers layers from 1.
 */
export interface NetworkPoint<S> {
  readonly F: Field<S>;
  readonly weights: readonly Matrix<S>[];
  /** `d_0, …, d_N`. */
  readonly widths: readonly number[];
  readonly depth: number;
  readonly A: readonly Matrix<S>[];
  readonly B: readonly Matrix<S>[];
  readonly P: Matrix<S>;
  /** `Σ = X Xᵀ / n`, or `null` for DMF (`Σ = I`). */
  readonly sigma: Matrix<S> | null;
  /** `R = P − M` (DMF) or `(P X − Y) Xᵀ / n` (DLN). */
  readonly R: Matrix<S>;
  /** The loss coefficient `c` of the reduction (`models/reduction.ts`; multiplies loss, gradient and Hessian). */
  readonly c: S;
  /** The fitting error whose squared norm is the loss: `P − M` or `P X − Y`. */
  readonly error: Matrix<S>;
  /** Number of samples `n` (1 for DMF). */
  readonly samples: number;
  readonly spec: NetworkSpec<S>;
}

/** Widths `d_0..d_N` of a weight list, checking that consecutive layers chain. */
export function chainWidths<S>(weights: readonly Matrix<S>[]): number[] {
  if (weights.length === 0) throw new ShapeError('a network needs at least one layer');
  const first = weights[0] as Matrix<S>;
  const widths = [first.cols];
  weights.forEach((W, i) => {
    const expected = widths[i] as number;
    if (W.cols !== expected) {
      throw new ShapeError(`weights[${i + 1}] has ${W.cols} columns but weights[${i}] has ${expected} rows (d_${i} must agree)`);
    }
    widths.push(W.rows);
  });
  return widths;
}

/** Prepares a {@link NetworkPoint}: partial products, residual and data covariance. */
export function preparePoint<S>(F: Field<S>, spec: NetworkSpec<S>): NetworkPoint<S> {
  const W = spec.weights;
  const widths = chainWidths(W);
  const N = W.length;
  const d0 = widths[0] as number;
  const dN = widths[N] as number;
  // B[i] = W_i ⋯ W_1 (input side of layer i + 1), built left to right.
  const B: Matrix<S>[] = [identity(F, d0)];
  for (let i = 1; i < N; i++) B.push(mul(F, W[i - 1] as Matrix<S>, B[i - 1] as Matrix<S>));
  // A[i] = W_N ⋯ W_{i+2} (output side of layer i + 1), built right to left.
  const A: Matrix<S>[] = new Array<Matrix<S>>(N);
  A[N - 1] = identity(F, dN);
  for (let i = N - 2; i >= 0; i--) A[i] = mul(F, A[i + 1] as Matrix<S>, W[i + 1] as Matrix<S>);
  const P = mul(F, A[0] as Matrix<S>, mul(F, W[0] as Matrix<S>, B[0] as Matrix<S>));
  const c = specLossCoefficient(F, spec);
  const obj = spec.objective;
  if (obj.kind === 'dmf') {
    const M = obj.target;
    if (M.rows !== dN || M.cols !== d0) throw new ShapeError(`target: expected ${dN}×${d0} (d_N × d_0), got ${M.rows}×${M.cols}`);
    const error = sub(F, P, M);
    return { F, weights: W, widths, depth: N, A, B, P, sigma: null, R: error, c, error, samples: 1, spec };
  }
  const X = obj.inputs;
  const Y = obj.targets;
  if (X.rows !== d0) throw new ShapeError(`data.inputs: expected ${d0} rows (d_0), got ${X.rows}`);
  if (Y.rows !== dN) throw new ShapeError(`data.targets: expected ${dN} rows (d_N), got ${Y.rows}`);
  if (X.cols !== Y.cols) throw new ShapeError(`data: inputs have ${X.cols} samples but targets have ${Y.cols}`);
  if (X.cols === 0) throw new ShapeError('data: at least one sample is required');
  const n = X.cols;
  const invN = F.inv(F.fromInt(n));
  const Xt = transpose(X);
  const sigma = scale(F, invN, mul(F, X, Xt));
  const error = sub(F, mul(F, P, X), Y);
  const R = scale(F, invN, mul(F, error, Xt));
  return { F, weights: W, widths, depth: N, A, B, P, sigma, R, c, error, samples: n, spec };
}

/** Number of parameters `Σ_i d_i d_{i−1}`. */
export function parameterCountOfWidths(widths: readonly number[]): number {
  let p = 0;
  for (let i = 1; i < widths.length; i++) p += (widths[i] as number) * (widths[i - 1] as number);
  return p;
}

/** Offset of `vec W_{layer+1}` inside `θ = (vec W_1, …, vec W_N)` for each layer (0-based), and the total. */
export function parameterOffsets(widths: readonly number[]): number[] {
  const offsets = [0];
  for (let i = 1; i < widths.length; i++) offsets.push((offsets[i - 1] as number) + (widths[i] as number) * (widths[i - 1] as number));
  return offsets;
}
