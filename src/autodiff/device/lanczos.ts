import * as tf from '@tensorflow/tfjs';
import type { DeviceLanczosOptions } from './protocol.js';
import { tridiagonalEigen } from './tridiagonal.js';
import { axpy, disposeVectors, dot, readScalars, scaleVector, type DeviceVector } from './vectors.js';

/** Options of {@link deviceLanczos}. */

/** The outcome of {@link deviceLanczos}. */
export interface DeviceLanczosResult {
  /** Largest first for `'largest'`, smallest first for `'smallest'`. */
  readonly eigenvalues: number[];
  /** True residuals `‖H y − θ y‖` from fresh products. */
  readonly residuals: number[];
  readonly iterations: number;
  readonly matvecs: number;
  readonly restarts: number;
  readonly converged: boolean;
  /** Unit Ritz vectors on the device (only when asked for). */
  readonly eigenvectors: DeviceVector[];
}

/** Raised when a product or a reduction produces NaN or ±Infinity. */
export class NonFiniteError extends Error {
  constructor(
    readonly step: number,
    what: string,
  ) {
    super(`non-finite value (NaN or ±Infinity) in ${what} at Lanczos step ${step}: the float32 range was exceeded or the input is not finite`);
    this.name = 'NonFiniteError';
  }
}

/**
 * Lanczos with full reorthogonalisation (classical Gram–Schmidt, twice) on a symmetric operator
 * given by `apply`, with every basis vector kept on the backend. Only `α_j`, `β_j` come back to
 * the host, in one read-back per step; the Ritz values come from the small tridiagonal matrix.
 * Deterministic: the start vector (and any restart vector) is drawn from `random(seed)`.
 * An invariant subspace (`β_j` at the rounding floor) restarts with a fresh random vector
 * orthogonalised against the basis, leaving `β_j = 0` in `T`.
 */
export async function deviceLanczos(
  apply: (v: DeviceVector) => DeviceVector,
  random: (seed: number) => DeviceVector,
  dimension: number,
  options: DeviceLanczosOptions,
): Promise<DeviceLanczosResult> {
  const { k, which, tolerance, residualFloor, seed } = options;
  const maxIterations = Math.min(dimension, Math.max(options.maxIterations, k));
  const basis: DeviceVector[] = [];
  const alphas: number[] = [];
  const betas: number[] = [];
  let matvecs = 0;
  let restarts = 0;
  let converged = false;
  let ritz = { values: [] as number[], vectors: [] as number[][] };
  let wanted: number[] = [];

  const orthogonalize = (w: DeviceVector): DeviceVector =>
    tf.tidy(() => {
      let x = w;
      for (let pass = 0; pass < 2; pass++) {
        for (const q of basis) x = axpy(x, tf.neg(dot(q, x)) as tf.Scalar, q);
      }
      return x;
    });
  const normalized = async (w: DeviceVector): Promise<{ v: DeviceVector; norm: number }> => {
    const [norm] = await readScalars(tf.sqrt(dot(w, w)) as tf.Scalar);
    return { v: scaleVector(1 / (norm as number), w), norm: norm as number };
  };

  let start = random(seed);
  let q = (await normalized(start)).v;
  disposeVectors(start);
  for (let j = 0; j < maxIterations; j++) {
    basis.push(q);
    const Hq = apply(q);
    matvecs++;
    const alphaT = dot(q, Hq);
    const prev = basis.length >= 2 ? (basis[basis.length - 2] as DeviceVector) : null;
    const beta = betas.length > 0 ? (betas[betas.length - 1] as number) : 0;
    const w = tf.tidy(() => {
      let r = axpy(Hq, tf.neg(alphaT) as tf.Scalar, q);
      if (prev !== null && beta !== 0) r = axpy(r, -beta, prev);
      return orthogonalize(r);
    });
    const [alpha, betaNext] = await readScalars(alphaT, tf.sqrt(dot(w, w)) as tf.Scalar);
    disposeVectors(Hq);
    if (!Number.isFinite(alpha) || !Number.isFinite(betaNext)) {
      disposeVectors(w, ...basis);
      throw new NonFiniteError(j + 1, 'the Hessian–vector product');
    }
    alphas.push(alpha as number);
    ritz = tridiagonalEigen(alphas, betas);
    const m = alphas.length;
    const order = ritz.values.map((_, i) => i);
    if (which === 'largest') order.reverse();
    wanted = order.slice(0, Math.min(k, m));
    const hNorm = Math.max(...ritz.values.map(Math.abs));
    const floor = residualFloor * hNorm;
    const b = betaNext as number;
    const estimate = (i: number): number => Math.abs(b * ((ritz.vectors[i] as number[])[m - 1] as number));
    const accepted = (i: number): boolean => {
      const theta = ritz.values[i] as number;
      const r = estimate(i);
      if (r <= floor) return true;
      let gap = Infinity;
      ritz.values.forEach((x, l) => {
        if (l !== i) gap = Math.min(gap, Math.abs(x - theta));
      });
      return r <= Math.sqrt(tolerance) * Math.abs(theta) && (r * r) / gap <= tolerance * Math.abs(theta);
    };
    if (wanted.length === k && wanted.every(accepted)) {
      converged = true;
      disposeVectors(w);
      break;
    }
    if (j === maxIterations - 1) {
      disposeVectors(w);
      break;
    }
    if (b <= floor) {
      // Invariant subspace: continue from a fresh direction orthogonal to the basis.
      restarts++;
      disposeVectors(w);
      start = random(seed + restarts);
      const fresh = orthogonalize(start);
      disposeVectors(start);
      betas.push(0);
      q = (await normalized(fresh)).v;
      disposeVectors(fresh);
    } else {
      betas.push(b);
      q = scaleVector(1 / b, w);
      disposeVectors(w);
    }
  }

  // Ritz vectors y = Σ_j s_j q_j and their true residuals ‖H y − θ y‖.
  const eigenvalues = wanted.map((i) => ritz.values[i] as number);
  const eigenvectors: DeviceVector[] = [];
  const residualTensors: tf.Scalar[] = [];
  for (const i of wanted) {
    const s = ritz.vectors[i] as number[];
    const y = tf.tidy(() => {
      let acc = scaleVector(s[0] as number, basis[0] as DeviceVector);
      for (let j = 1; j < basis.length; j++) acc = axpy(acc, s[j] as number, basis[j] as DeviceVector);
      return acc;
    });
    const Hy = apply(y);
    matvecs++;
    residualTensors.push(tf.tidy(() => {
      const r = axpy(Hy, -(ritz.values[i] as number), y);
      return tf.sqrt(dot(r, r)) as tf.Scalar;
    }));
    disposeVectors(Hy);
    if (options.eigenvectors) eigenvectors.push(y);
    else disposeVectors(y);
  }
  const residuals = residualTensors.length > 0 ? await readScalars(...residualTensors) : [];
  disposeVectors(...basis);
  if (residuals.some((r) => !Number.isFinite(r))) throw new NonFiniteError(alphas.length, 'the residual check');
  return { eigenvalues, residuals, iterations: alphas.length, matvecs, restarts, converged, eigenvectors };
}
