import { F64, Q } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { lossAt } from '../hessian/gradient.js';
import { hessian } from '../hessian/dense.js';
import { hessianOperator } from '../hessian/hvp.js';
import { parameterOffsets, preparePoint, type NetworkSpec } from '../hessian/point.js';
import { assertExactHessianFits } from '../hessian/limits.js';
import { fromColumnMajor, type Matrix } from '../linalg/matrix.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import { toFloatSpec } from '../reports/describe.js';

/** One weight matrix's slice of θ: `θ[offset .. offset + rows·cols)` is its column-major `vec`. */
export interface ParameterBlock {
  readonly name: string;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

/**
 * A twice-differentiable loss at a point, as the curvature tools (projections, trace estimators,
 * spectra, landscapes) see it: loss anywhere, the Hessian at the point as an operator, dense and
 * exact Hessians where the model allows. Every model family provides one.
 */
export interface CurvatureProblem {
  readonly label: string;
  /** Number of parameters `n = dim θ`. */
  readonly params: number;
  /** `θ` at the point, in float64. */
  readonly theta: readonly number[];
  /** The weight matrices' slices of `θ` (for filter-normalised directions). */
  readonly blocks: readonly ParameterBlock[];
  /** The loss at any `θ` (float64). */
  loss(theta: readonly number[]): number;
  /** The Hessian at the point as a symmetric operator (closed-form Hessian–vector product). */
  readonly hessian: LinearOperator<number>;
  /** The dense float64 Hessian at the point (callers check the size first). */
  denseHessian(): Matrix<number>;
  /** The exact Hessian at the point, or `null` when the model has no exact closed form. */
  exactHessian(): Matrix<Rational> | null;
}

/** The curvature problem of a deep linear network (DMF or with data) at its point. */
export function networkCurvatureProblem(spec: NetworkSpec<Rational>, label = 'deep linear network'): CurvatureProblem {
  const fspec = toFloatSpec(spec);
  const pt = preparePoint(F64, fspec);
  const offsets = parameterOffsets(pt.widths);
  const theta = fspec.weights.flatMap((W) => W.data.slice());
  const blocks = fspec.weights.map((W, i) => ({ name: `W_${i + 1}`, offset: offsets[i] as number, rows: W.rows, cols: W.cols }));
  const at = (t: readonly number[]): NetworkSpec<number> => ({
    ...fspec,
    weights: blocks.map((b) => fromColumnMajor(b.rows, b.cols, t.slice(b.offset, b.offset + b.rows * b.cols))),
  });
  return {
    label,
    params: theta.length,
    theta,
    blocks,
    loss: (t) => lossAt(F64, at(t)),
    hessian: hessianOperator(pt),
    denseHessian: () => hessian(pt),
    exactHessian: () => {
      assertExactHessianFits(spec);
      return hessian(preparePoint(Q, spec));
    },
  };
}
