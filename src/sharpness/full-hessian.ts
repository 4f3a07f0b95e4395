import type { CurvatureProblem } from '../curvature/problem.js';
import type { MinimizerTest } from '../families/minimizer.js';
import { DEFAULT_DENSE_LIMITS } from '../hessian/limits.js';
import { topEigenpair, type SharpnessOptions, type SharpnessReport } from './sharpness.js';

/**
 * Closed-form sharpness of a model without a reduced operator (two-layer networks): `λ_max` of the
 * full Hessian — densely up to `maxDenseHessian` parameters, by Lanczos on the closed-form HVP above —
 * and, at points that are not zero-loss minimizers, `λ_min` too. The Hessian is taken at the given
 * weights whatever the minimizer test says (it is reported beside): two-layer nets are studied away
 * from minimizers too (cross-entropy has none). No exact certificate: `--exact` is refused by the
 * caller where the family has none.
 */
export function fullHessianSharpness(
  problem: CurvatureProblem,
  shape: { kind: SharpnessReport['kind']; widths: readonly number[] },
  minimizer: MinimizerTest,
  options: SharpnessOptions = {},
): SharpnessReport {
  const isMinimizer = minimizer.isZeroLoss;
  const maxDense = options.maxDenseHessian ?? DEFAULT_DENSE_LIMITS.maxParams;
  const top = topEigenpair(problem.hessian, 'full Hessian', maxDense, 'largest', options);
  const base = { kind: shape.kind, widths: shape.widths, params: problem.params, isMinimizer, minimizerCheck: minimizer, formulas: [] };
  if (isMinimizer) return { ...base, lambdaMax: top.result.value, methods: [top.result], maxStableStep: 2 / top.result.value };
  const bottom = topEigenpair(problem.hessian, 'full Hessian, smallest', maxDense, 'smallest', options);
  return { ...base, lambdaMax: top.result.value, lambdaMin: bottom.result.value, methods: [top.result, bottom.result], maxStableStep: 2 / top.result.value };
}
