import { F64, Q } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { lossAt } from '../hessian/gradient.js';
import { hessian } from '../hessian/dense.js';
import { hessianOperator } from '../hessian/hvp.js';
import { parameterOffsets, preparePoint, specLossCoefficient, type NetworkSpec } from '../hessian/point.js';
import { assertExactHessianFits } from '../hessian/limits.js';
import { fromColumnMajor, mul, type Matrix } from '../linalg/matrix.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import { toFloatSpec } from '../hessian/from-model.js';

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
  /**
   * Optional fast path for landscapes: an evaluator of `(α, β) ↦ L(θ + αη + βδ)` on one plane, for
   * models whose loss along a plane has a cheaper form than a fresh evaluation at every point.
   */
  lossOnPlane?(eta: ArrayLike<number>, del: ArrayLike<number>): (alpha: number, beta: number) => number;
}

/**
 * The loss of a deep linear network on the plane `W_i + αE_i + βD_i` (`E_i`, `D_i` the blocks of
 * `η`, `δ`): `P(α, β) = Π_i (W_i + αE_i + βD_i)` is a matrix polynomial of degree `N`, expanded once
 * into its `(N+1)(N+2)/2` coefficient matrices `C_ab` (`3·Σ_k k(k+1)/2` products), after which each
 * grid point costs `O(N² d_N d_0)` instead of `N − 1` products: `L = c/(2n)‖Σ α^aβ^b C_ab − M‖²`
 * (with data the coefficients multiply `X` and `M` is `Y`).
 */
function networkLossOnPlane(spec: NetworkSpec<number>, blocks: readonly ParameterBlock[], eta: ArrayLike<number>, del: ArrayLike<number>): (alpha: number, beta: number) => number {
  const F = F64;
  const slice = (v: ArrayLike<number>, b: ParameterBlock): Matrix<number> =>
    fromColumnMajor(b.rows, b.cols, Array.from({ length: b.rows * b.cols }, (_, k) => v[b.offset + k] as number));
  const obj = spec.objective;
  // coef[a][b] is the coefficient of α^a β^b after the layers processed so far.
  let coef: (Matrix<number> | null)[][] = [[null]];
  spec.weights.forEach((W, i) => {
    const b = blocks[i] as ParameterBlock;
    const factors: [Matrix<number>, number, number][] = [
      [W, 0, 0],
      [slice(eta, b), 1, 0],
      [slice(del, b), 0, 1],
    ];
    const next: (Matrix<number> | null)[][] = Array.from({ length: i + 2 }, () => new Array<Matrix<number> | null>(i + 2).fill(null));
    for (let a = 0; a <= i; a++)
      for (let c = 0; a + c <= i; c++) {
        const M = coef[a]?.[c] ?? null;
        if (i > 0 && M === null) continue;
        for (const [G, da, db] of factors) {
          const term = i === 0 ? (obj.kind === 'dmf' ? G : mul(F, G, obj.inputs)) : mul(F, G, M as Matrix<number>);
          const row = next[a + da] as (Matrix<number> | null)[];
          const old = row[c + db] ?? null;
          row[c + db] = old === null ? term : { rows: old.rows, cols: old.cols, data: old.data.map((x, k) => x + (term.data[k] as number)) };
        }
      }
    coef = next;
  });
  const ref = obj.kind === 'dmf' ? obj.target : obj.targets;
  const n = obj.kind === 'dmf' ? 1 : obj.inputs.cols;
  const scale = specLossCoefficient(F64, spec) / (2 * n);
  const terms: { a: number; b: number; data: Float64Array }[] = [];
  coef.forEach((row, a) => row.forEach((M, b) => {
    if (M !== null) terms.push({ a, b, data: Float64Array.from(M.data) });
  }));
  const size = ref.rows * ref.cols;
  const R = Float64Array.from(ref.data);
  const acc = new Float64Array(size);
  return (alpha, beta) => {
    for (let k = 0; k < size; k++) acc[k] = -(R[k] as number);
    for (const t of terms) {
      const w = alpha ** t.a * beta ** t.b;
      if (w === 0) continue;
      const d = t.data;
      for (let k = 0; k < size; k++) acc[k] = (acc[k] as number) + w * (d[k] as number);
    }
    let s = 0;
    for (let k = 0; k < size; k++) s += (acc[k] as number) * (acc[k] as number);
    return scale * s;
  };
}

/** The curvature problem of a deep linear network (DMF or with data) at its point. */
export function networkCurvatureProblem(spec: NetworkSpec<Rational>, label = 'deep linear network'): CurvatureProblem {
  const fspec = toFloatSpec(spec);
  const pt = preparePoint(F64, fspec);
  const theta = fspec.weights.flatMap((W) => W.data.slice());
  const blocks = deepLinearParameterBlocks(pt.widths);
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
    exactHessian: () => deepLinearExactHessian(spec),
    lossOnPlane: (eta, del) => networkLossOnPlane(fspec, blocks, eta, del),
  };
}

/** The parameter blocks `W_1, …, W_N` of `θ = (vec W_1, …, vec W_N)` for widths `d_0, …, d_N`. */
export function deepLinearParameterBlocks(widths: readonly number[]): ParameterBlock[] {
  const offsets = parameterOffsets(widths);
  return widths.slice(1).map((rows, i) => ({ name: `W_${i + 1}`, offset: offsets[i] as number, rows, cols: widths[i] as number }));
}

/** The exact Hessian of a deep linear network, refused up front above the default exact limits. */
export function deepLinearExactHessian(spec: NetworkSpec<Rational>): Matrix<Rational> {
  assertExactHessianFits(spec);
  return hessian(preparePoint(Q, spec));
}
