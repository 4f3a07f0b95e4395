/**
 * `λ_max` at one point of a run, by Lanczos on a symmetric operator, warm-started from the previous
 * point's top eigenvector. This calls Lanczos itself rather than `topEigenpair` (sharpness/) because
 * the warm start is the point: along a run consecutive top eigenvectors are close, and a start vector
 * is not something `topEigenpair` takes.
 */
import type { LinearOperator } from '../linop/linear-operator.js';
import { norm2 } from '../linalg/vectors.js';
import { lanczos } from '../spectral/lanczos.js';
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
  const r = lanczos(op, {
    k: 1,
    which: 'largest',
    tolerance: options.tolerance ?? TRACKED_LANCZOS_TOLERANCE,
    accuracy: 'residual',
    seed: options.seed ?? 0,
    blockSize: 1,
    ...(warm !== undefined ? { start: [Array.from(warm)] } : {}),
  });
  const vector = r.eigenvectors[0] as number[];
  return {
    lambdaMax: r.eigenvalues[0] as number,
    operator: name,
    residual: r.residuals[0] as number,
    iterations: r.iterations,
    converged: r.converged,
    warmStarted: warm !== undefined,
    residualBound,
    warm: { operator: name, vector },
  };
}
