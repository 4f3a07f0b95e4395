import { F64, Q } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { frobeniusSq, map, type Matrix } from '../linalg/matrix.js';
import { gradientNormSq, loss } from '../hessian/gradient.js';
import { assertExactEntriesFit, DEFAULT_EXACT_LIMITS, estimateExactHessian, type ExactLimits } from '../hessian/limits.js';
import { assertFloatStagesFit } from '../hessian/float-range.js';
import { parameterCountOfWidths, preparePoint, type NetworkSpec } from '../hessian/point.js';

/** How the zero-loss test was decided. */
export type MinimizerCheck =
  | { readonly method: 'exact'; readonly isZeroLoss: boolean }
  | { readonly method: 'float'; readonly isZeroLoss: boolean; readonly relativeResidual: number; readonly tolerance: number };

/** What `dln-hessian check` reports about a model. */
export interface ModelDescription {
  readonly kind: 'dmf' | 'dln';
  readonly depth: number;
  /** `d_0, …, d_N`. */
  readonly widths: readonly number[];
  readonly params: number;
  readonly lossScale: 'half' | 'sum';
  /** Number of samples (DLN only). */
  readonly samples?: number;
  /** Loss as a float, and exactly (a rational string) when computed in exact arithmetic. */
  readonly loss: number;
  readonly lossExact?: string;
  readonly gradientNorm: number;
  readonly gradientNormSqExact?: string;
  /** Whether the point is a zero-loss (hence global) minimizer, and how that was decided. */
  readonly minimizer: MinimizerCheck;
}

/**
 * Converts an exact spec to binary64 (rounding each entry once). Refuses (`FloatRangeError`, exit 2)
 * a point where the float stages would overflow (src/hessian/float-range.ts).
 */
export function toFloatSpec(spec: NetworkSpec<Rational>): NetworkSpec<number> {
  assertFloatStagesFit(spec);
  const f = (M: Matrix<Rational>): Matrix<number> => map(M, (x) => F64.fromRational(x));
  const obj = spec.objective;
  return {
    weights: spec.weights.map(f),
    objective: obj.kind === 'dmf' ? { kind: 'dmf', target: f(obj.target) } : { kind: 'dln', inputs: f(obj.inputs), targets: f(obj.targets) },
    lossScale: spec.lossScale,
  };
}

/**
 * Describes a model: shape, loss and gradient norm, and whether it is a zero-loss minimizer. Exact
 * arithmetic is used when the parameter count is within `limits.maxParams`; otherwise binary64 with a
 * relative residual test `‖P − M‖_F ≤ tol · Π‖W_i‖_F` (DMF) or `‖PX − Y‖_F ≤ tol · Π‖W_i‖_F ‖X‖_F` (DLN),
 * `tol = 8 (N + d_max) u`, a bound on the rounding error of the float product.
 */
export function describeNetwork(spec: NetworkSpec<Rational>, limits: ExactLimits = DEFAULT_EXACT_LIMITS): ModelDescription {
  const widths = [spec.weights[0]?.cols ?? 0, ...spec.weights.map((W) => W.rows)];
  const params = parameterCountOfWidths(widths);
  const base = {
    kind: spec.objective.kind,
    depth: spec.weights.length,
    widths,
    params,
    lossScale: spec.lossScale,
    ...(spec.objective.kind === 'dln' ? { samples: spec.objective.inputs.cols } : {}),
  };
  if (params <= limits.maxParams) {
    // The loss has the degree of a Hessian entry plus two: the same bit estimate bounds its cost.
    const est = estimateExactHessian(spec);
    assertExactEntriesFit('the exact loss', est.inputBits, est.entryBits, limits, 'set --max-exact-params 0 for float64');
    const pt = preparePoint(Q, spec);
    const L = loss(pt);
    const g2 = gradientNormSq(pt);
    return {
      ...base,
      widths: pt.widths,
      loss: L.toNumber(),
      lossExact: L.toString(),
      gradientNorm: Math.sqrt(g2.toNumber()),
      gradientNormSqExact: g2.toString(),
      minimizer: { method: 'exact', isZeroLoss: L.isZero() },
    };
  }
  const fspec = toFloatSpec(spec);
  const pt = preparePoint(F64, fspec);
  const fro = (M: Matrix<number>): number => Math.sqrt(frobeniusSq(F64, M));
  let scale = fspec.weights.reduce((s, W) => s * fro(W), 1);
  if (fspec.objective.kind === 'dln') scale *= fro(fspec.objective.inputs);
  const tolerance = 8 * (pt.depth + Math.max(...pt.widths)) * F64.unitRoundoff;
  const relativeResidual = fro(pt.error) / Math.max(scale, Number.MIN_VALUE);
  return {
    ...base,
    widths: pt.widths,
    loss: loss(pt),
    gradientNorm: Math.sqrt(gradientNormSq(pt)),
    minimizer: { method: 'float', isZeroLoss: relativeResidual <= tolerance, relativeResidual, tolerance },
  };
}
