/**
 * The host–device protocol of the autodiff path: the description of a model that crosses to the
 * device (plain JSON and the array layout), the tasks and their answers. Kept free of
 * TensorFlow.js, so that the engine (and its type declarations) can describe device models
 * without loading it.
 */

/** The activations the device implements (the engine's two-layer activations). */
export type DeviceActivation = 'identity' | 'relu' | 'tanh' | 'sigmoid' | 'quadratic';

/**
 * What the device needs to know about a model besides its arrays: plain JSON, so it crosses into
 * the browser page unchanged. Arrays travel separately as row-major float32 in the order given by
 * {@link arrayShapes}: the weights first (`W_1` applied first), then the objective's arrays.
 */
export type DeviceModelHeader =
  | {
      readonly kind: 'deep-linear';
      /** `d_0, …, d_N`. */
      readonly widths: readonly number[];
      /** `'dmf'`: target `M` (`d_N × d_0`); `'dln'`: inputs `X` (`d_0 × n`) and targets `Y` (`d_N × n`). */
      readonly objective: 'dmf' | 'dln';
      readonly samples: number;
      /** Loss coefficient `c` of the reduction (`L = (c/2n)‖E‖²`; models/reduction.ts). */
      readonly scale: number;
    }
  | {
      readonly kind: 'two-layer';
      readonly activation: DeviceActivation;
      readonly loss: 'squared' | 'cross-entropy';
      /** Input dimension `d`, hidden width `h`, outputs `c`, samples `n`. */
      readonly d: number;
      readonly h: number;
      readonly c: number;
      readonly n: number;
      /** Squared loss multiplier `κ` (`L = (κ/2n)‖F − Y‖²`; see `twolayer/point.ts`). */
      readonly scale: number;
      /** Whether `b_1` (`h × 1`, after `W_1`) and `b_2` (`c × 1`, after `W_2`) are parameters (absent: no). */
      readonly bias1?: boolean;
      readonly bias2?: boolean;
    };

/** `[rows, cols]` of each array of a model, in transfer order. */
export function arrayShapes(h: DeviceModelHeader): [number, number][] {
  if (h.kind === 'deep-linear') {
    const w = h.widths;
    const shapes: [number, number][] = [];
    for (let i = 1; i < w.length; i++) shapes.push([w[i] as number, w[i - 1] as number]);
    const d0 = w[0] as number;
    const dN = w[w.length - 1] as number;
    if (h.objective === 'dmf') shapes.push([dN, d0]);
    else shapes.push([d0, h.samples], [dN, h.samples]);
    return shapes;
  }
  // θ order: W_1, b_1, W_2, b_2 (each bias only when present), then the data.
  const shapes: [number, number][] = [
    [h.h, h.d],
    ...(h.bias1 === true ? [[h.h, 1] as [number, number]] : []),
    [h.c, h.h],
    ...(h.bias2 === true ? [[h.c, 1] as [number, number]] : []),
    [h.d, h.n],
    [h.c, h.n],
  ];
  return shapes;
}

/** How many of the arrays are parameters (the rest are data). */
export function parameterArrays(h: DeviceModelHeader): number {
  return h.kind === 'deep-linear' ? h.widths.length - 1 : 2 + (h.bias1 === true ? 1 : 0) + (h.bias2 === true ? 1 : 0);
}

/** Options of the device's Lanczos (`lanczos` task). */
export interface DeviceLanczosOptions {
  /** Eigenpairs wanted. */
  readonly k: number;
  readonly which: 'largest' | 'smallest';
  /**
   * Relative eigenvalue tolerance: a Ritz value `θ` with residual estimate `r` is accepted when
   * `r²/gap ≤ tol·|θ|` and `r ≤ √tol·|θ|` (Kato–Temple with the gap to the nearest other Ritz
   * value), or when `r` is below the rounding floor.
   */
  readonly tolerance: number;
  /**
   * Rounding floor, relative to `‖H‖` (estimated by the largest |Ritz value|): residuals below
   * `floor·‖H‖` are at the noise level of one product in the backend's precision.
   */
  readonly residualFloor: number;
  /** Cap on Krylov basis vectors (main-loop products). */
  readonly maxIterations: number;
  readonly seed: number;
  /** Keep the Ritz vectors on the device and return them. */
  readonly eigenvectors: boolean;
}

/** What a backend reports about itself once started. */
export interface DeviceInfo {
  /** `tf.getBackend()` after start: the backend that really runs. */
  readonly backend: string;
  /** Whether tensors are stored and computed in IEEE binary32 (else half precision, WebGL only). */
  readonly float32: boolean;
  /** WebGL: the largest texture side (tensors of a dimension beyond it cannot be stored). */
  readonly maxTextureSize?: number;
  /** WebGL: the renderer (GPU or software rasteriser) behind the context. */
  readonly renderer?: string;
}

/** A task on a loaded model. Vectors travel as row-major float32, one array per parameter array. */
export type DeviceTask =
  | { readonly op: 'loss' }
  | { readonly op: 'gradient' }
  | { readonly op: 'hvp' }
  | ({ readonly op: 'lanczos' } & DeviceLanczosOptions)
  | { readonly op: 'time-hvp'; readonly reps: number };

/** The JSON part of a task's answer; large results come back as arrays beside it. */
export interface DeviceAnswer {
  readonly loss?: number;
  readonly eigenvalues?: number[];
  readonly residuals?: number[];
  readonly iterations?: number;
  readonly matvecs?: number;
  readonly restarts?: number;
  readonly converged?: boolean;
  /** Seconds per product (`time-hvp`). */
  readonly seconds?: number;
}

/** A failure the host reports as bad input rather than as a crash. */
export interface DeviceFailure {
  readonly kind: 'non-finite' | 'limit' | 'input';
  readonly message: string;
  readonly step?: number;
}

export type DeviceOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: DeviceFailure };
