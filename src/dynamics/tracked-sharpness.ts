/**
 * `λ_max` at one point of a run, by single-vector Lanczos ({@link topEigenpairs}) on a symmetric
 * operator, warm-started from the previous point's top eigenvector: along a run consecutive top
 * eigenvectors are close, so the start vector alone (block size 1) reaches the tolerance in a few
 * products.
 */
import type { LinearOperator } from '../linop/linear-operator.js';
import { norm2 } from '../linalg/vectors.js';
import { toNumberArray } from '../kernels/arrays.js';
import { topEigenpairs } from '../spectral/top-eigenpairs.js';
import type { SharpnessEstimate, TrackedSharpnessOptions } from './trainable.js';

/**
 * Default relative Lanczos residual tolerance of tracked sharpness: `√u ≈ 1.5·10⁻⁸` rounded, the
 * usual accuracy of an eigenvalue from products that carry binary64 rounding; the value is then
 * within `10⁻⁸·λ_max` of an eigenvalue, far below anything a series or a plot resolves, and a warm
 * start reaches it in a few products.
 */
export const TRACKED_LANCZOS_TOLERANCE = 1e-8;

/** The top eigenpair of `op` (named `name`), with `residualBound` the Weyl bound that goes with the operator. */
export function trackedSharpness(op: LinearOperator<number>, name: SharpnessEstimate['operator'], options: TrackedSharpnessOptions, residualBound: number): SharpnessEstimate {
  const n = op.shape[0];
  const warm = options.warm !== undefined && options.warm.operator === name && options.warm.vector.length === n && norm2(options.warm.vector) > 0 ? options.warm.vector : undefined;
  const r = topEigenpairs(op, {
    k: 1,
    denseUpTo: 0,
    which: 'largest',
    tolerance: options.tolerance ?? TRACKED_LANCZOS_TOLERANCE,
    accuracy: 'residual',
    seed: options.seed ?? 0,
    blockSize: 1,
    ...(warm !== undefined ? { start: [warm] } : {}),
  });
  const vector = toNumberArray(r.vectors[0] as Float64Array);
  return {
    lambdaMax: r.values[0] as number,
    operator: name,
    residual: r.residuals[0] as number,
    iterations: r.iterations,
    converged: r.converged,
    warmStarted: r.warmStarted,
    residualBound,
    warm: { operator: name, vector },
  };
}
