import { hessian } from '../hessian/dense.js';
import { hessianOperator } from '../hessian/hvp.js';
import type { NetworkPoint } from '../hessian/point.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { at, mul, transpose, type Matrix } from '../linalg/matrix.js';
import { F64 } from '../field/field.js';
import { toDense, type LinearOperator } from '../linop/linear-operator.js';
import { lanczos } from '../spectral/lanczos.js';
import type { MethodResult, SharpnessOptions } from './report.js';


/** Seconds since `t0`, only when timings were asked for (so reports stay reproducible). */
export function timing(options: SharpnessOptions, t0: number): { seconds?: number } {
  return options.timings === true ? { seconds: (performance.now() - t0) / 1000 } : {};
}

function residualOf(op: LinearOperator<number>, lambda: number, v: readonly number[]): number {
  const Av = op.matvec(v);
  return Math.sqrt(Av.reduce((s, x, i) => s + (x - lambda * (v[i] as number)) ** 2, 0));
}

/** Top (or bottom) eigenpair of a symmetric float operator, densely when small, by Lanczos otherwise. */
export function topEigenpair(
  op: LinearOperator<number>,
  name: string,
  maxDense: number,
  which: 'largest' | 'smallest',
  options: SharpnessOptions,
  start?: readonly number[],
): { result: MethodResult; vector: number[] } {
  const t0 = performance.now();
  const n = op.shape[0];
  options.onStage?.(`${name} (${n <= maxDense ? 'dense' : 'Lanczos'}, ${n}×${n})`);
  if (n <= maxDense) {
    const { values, vectors } = symmetricEigen(toDense(op));
    const k = which === 'largest' ? values.length - 1 : 0;
    const value = values[k] as number;
    const vector = Array.from({ length: n }, (_, i) => at(vectors, i, k));
    return { result: { name: `${name} (dense)`, value, iterations: 1, residual: residualOf(op, value, vector), ...timing(options, t0) }, vector };
  }
  const progress = options.onProgress;
  const r = lanczos(op, {
    k: 1,
    which,
    tolerance: options.lanczosTolerance ?? 1e-10,
    seed: options.seed ?? 0,
    accuracy: 'eigenvalue',
    // A warm start joins a random vector in a block of 2: the Krylov space still explores beyond it.
    ...(start !== undefined ? { start: [start], blockSize: 2 } : {}),
    ...(progress !== undefined ? { onIteration: (done: number, max: number) => progress(name, done, max) } : {}),
  });
  const value = r.eigenvalues[0] as number;
  const vector = r.eigenvectors[0] as number[];
  return {
    result: { name: `${name} (Lanczos${start !== undefined ? ', warm start' : ''}${r.converged ? '' : ', not converged'})`, value, iterations: r.iterations, residual: r.residuals[0] as number, ...timing(options, t0) },
    vector,
  };
}

/** `λ_max` of the full Hessian: dense closed form up to `maxDense` parameters, Lanczos on the HVP above. */
export function fullHessianMethod(pt: NetworkPoint<number>, params: number, maxDense: number, options: SharpnessOptions, start?: readonly number[]): MethodResult {
  if (params > maxDense) return topEigenpair(hessianOperator(pt), 'full Hessian via HVP', 0, 'largest', options, start).result;
  const t0 = performance.now();
  options.onStage?.(`full Hessian (dense, ${params}×${params})`);
  const H = hessian(pt);
  const { values, vectors } = symmetricEigen(H);
  const k = values.length - 1;
  const v = Array.from({ length: H.rows }, (_, i) => at(vectors, i, k));
  const value = values[k] as number;
  return { name: 'full Hessian (dense)', value, iterations: 1, residual: residualOf(hessianOperator(pt), value, v), ...timing(options, t0) };
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
