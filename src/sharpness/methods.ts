import { hessian } from '../hessian/dense.js';
import { hessianOperator } from '../hessian/hvp.js';
import type { NetworkPoint } from '../hessian/point.js';
import { mul, transpose, type Matrix } from '../linalg/matrix.js';
import { F64 } from '../field/field.js';
import { toNumberArray } from '../kernels/arrays.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import { topEigenpairs, type TopEigenpairs } from '../spectral/top-eigenpairs.js';
import type { MethodResult, SharpnessOptions } from './report.js';


/** Seconds since `t0`, only when timings were asked for (so reports stay reproducible). */
export function timing(options: SharpnessOptions, t0: number): { seconds?: number } {
  return options.timings === true ? { seconds: (performance.now() - t0) / 1000 } : {};
}

/**
 * Top (or bottom) eigenpair of a symmetric float operator through {@link topEigenpairs}: densely up
 * to `maxDense` rows (from `dense()` when given, else from products), single-vector Lanczos above it
 * (to `lanczosTolerance`, default 1e-10, in the `'eigenvalue'` accuracy mode), as a
 * {@link MethodResult}. A warm start joins a random vector in a block of 2, so that the Krylov space
 * still explores beyond it.
 */
export function topEigenpair(
  op: LinearOperator<number>,
  name: string,
  maxDense: number,
  which: 'largest' | 'smallest',
  options: SharpnessOptions,
  start?: readonly number[],
  dense?: () => Matrix<number>,
): { result: MethodResult; vector: number[]; pairs: TopEigenpairs } {
  const t0 = performance.now();
  const n = op.shape[0];
  options.onStage?.(`${name} (${n <= maxDense ? 'dense' : 'Lanczos'}, ${n}×${n})`);
  const progress = options.onProgress;
  const r = topEigenpairs(op, {
    k: 1,
    which,
    denseUpTo: maxDense,
    ...(dense !== undefined ? { dense } : {}),
    tolerance: options.lanczosTolerance ?? 1e-10,
    seed: options.seed ?? 0,
    accuracy: 'eigenvalue',
    ...(start !== undefined ? { start: [start], blockSize: 2 } : {}),
    ...(progress !== undefined ? { onProgress: (done: number, max: number) => progress(name, done, max) } : {}),
  });
  const value = r.values[0] as number;
  const vector = toNumberArray(r.vectors[0] as Float64Array);
  const label = r.method === 'dense' ? `${name} (dense)` : `${name} (Lanczos${r.warmStarted ? ', warm start' : ''}${r.converged ? '' : ', not converged'})`;
  // Dense: one decomposition (reported as one iteration, as before).
  const iterations = r.method === 'dense' ? 1 : r.iterations;
  return { result: { name: label, value, iterations, residual: r.residuals[0] as number, ...timing(options, t0) }, vector, pairs: r };
}

/** `λ_max` of the full Hessian: dense closed form up to `maxDense` parameters, Lanczos on the HVP above. */
export function fullHessianMethod(pt: NetworkPoint<number>, params: number, maxDense: number, options: SharpnessOptions, start?: readonly number[]): MethodResult {
  const op = hessianOperator(pt);
  if (params > maxDense) return topEigenpair(op, 'full Hessian via HVP', 0, 'largest', options, start).result;
  return topEigenpair(op, 'full Hessian', maxDense, 'largest', options, undefined, () => hessian(pt)).result;
}

/**
 * `Jᵀ V` for factorization (`V` a `d_N × d_0` matrix, column-major): the parameter-space vector
 * `(vec A_iᵀ V B_iᵀ)_i`. At a zero-loss point `H = cJᵀJ`, so the lift of `K`'s top eigenvector is `H`'s top
 * eigenvector: the warm start of the full-Hessian Lanczos (whose acceptance still rests on its own
 * true residual).
 */
export function liftToParameters(pt: NetworkPoint<number>, V: readonly number[]): number[] {
  const dN = pt.widths[pt.depth] as number;
  const d0 = pt.widths[0] as number;
  const Vm = { rows: dN, cols: d0, data: Array.from(V) };
  const out: number[] = [];
  for (let i = 0; i < pt.depth; i++) {
    const G = mul(F64, mul(F64, transpose(pt.A[i] as Matrix<number>), Vm), transpose(pt.B[i] as Matrix<number>));
    for (const x of G.data) out.push(x);
  }
  return out;
}
