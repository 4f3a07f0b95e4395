import { F64, Q } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { toFloatSpec } from '../hessian/from-model.js';
import { gradientNormSq, loss } from '../hessian/gradient.js';
import { assertExactEntriesFit, DEFAULT_EXACT_LIMITS, estimateExactHessian, type ExactLimits } from '../hessian/limits.js';
import { parameterCountOfWidths, preparePoint, type NetworkSpec } from '../hessian/point.js';
import type { Reduction } from '../models/reduction.js';
import { deepLinearMinimizerTest } from '../families/deep-linear-minimizer.js';
import type { MinimizerTest } from '../families/minimizer.js';

/** What `dln-hessian check` reports about a deep linear network. */
export interface ModelDescription {
  readonly kind: 'dmf' | 'dln';
  readonly depth: number;
  /** `d_0, …, d_N`. */
  readonly widths: readonly number[];
  readonly params: number;
  readonly reduction: Reduction;
  /** Number of samples (DLN only). */
  readonly samples?: number;
  /** Loss as a float, and exactly (a rational string) when computed in exact arithmetic. */
  readonly loss: number;
  readonly lossExact?: string;
  readonly gradientNorm: number;
  readonly gradientNormSqExact?: string;
  /** Whether the point is a zero-loss (hence global) minimizer, and how that was decided (`families/minimizer.ts`). */
  readonly minimizer: MinimizerTest;
}

/**
 * Describes a deep linear network: shape, loss and gradient norm, and the minimizer test. Exact
 * arithmetic is used when the parameter count is within `limits.maxParams`; otherwise binary64.
 */
export function describeNetwork(spec: NetworkSpec<Rational>, limits: ExactLimits = DEFAULT_EXACT_LIMITS): ModelDescription {
  const widths = [spec.weights[0]?.cols ?? 0, ...spec.weights.map((W) => W.rows)];
  const params = parameterCountOfWidths(widths);
  const exact = params <= limits.maxParams;
  const base = {
    kind: spec.objective.kind,
    depth: spec.weights.length,
    widths,
    params,
    reduction: spec.reduction,
    ...(spec.objective.kind === 'dln' ? { samples: spec.objective.inputs.cols } : {}),
  };
  if (exact) {
    // The loss has the degree of a Hessian entry plus two: the same bit estimate bounds its cost.
    const est = estimateExactHessian(spec);
    assertExactEntriesFit('the exact loss', est.inputBits, est.entryBits, limits, 'set --max-exact-params 0 for float64');
  }
  const minimizer = deepLinearMinimizerTest(spec, { exact, limits });
  if (exact) {
    const pt = preparePoint(Q, spec);
    const L = loss(pt);
    const g2 = gradientNormSq(pt);
    return { ...base, loss: L.toNumber(), lossExact: L.toString(), gradientNorm: Math.sqrt(g2.toNumber()), gradientNormSqExact: g2.toString(), minimizer };
  }
  const pt = preparePoint(F64, toFloatSpec(spec));
  return { ...base, loss: loss(pt), gradientNorm: Math.sqrt(gradientNormSq(pt)), minimizer };
}
