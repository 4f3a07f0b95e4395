/**
 * Deep linear network problems (`docs/math.md §1`).
 *
 * Layers `W_i ∈ S^{d_i × d_{i−1}}`, `i = 1..N`, are applied first to last: `P = W_N ⋯ W_1 ∈ S^{d_N × d_0}`.
 * - Deep matrix factorization (DMF): `L = c · ½‖P − M‖_F²`.
 * - Deep linear network with data `X ∈ S^{d_0×n}`, `Y ∈ S^{d_N×n}`: `L = c · (1/2n)‖P X − Y‖_F²`.
 *
 * `c` is the loss coefficient of the model's `reduction` (`models/reduction.ts`): 1 for `'half'`
 * (default), 2 for `'sample-mean'`, `2n` for `'sum'`, `2/d_out` for `'mean'` (torch's `nn.MSELoss()`);
 * every derivative and Hessian eigenvalue scales with it. The parameter vector is `θ = (vec W_1, …, vec W_N)` with column-major `vec`.
 *
 * In code, arrays are indexed from 0 (`weights[0]` is `W_1`); messages and documents number layers from 1.
 */
import type { Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';
import { map } from '../linalg/matrix.js';
import { ModelError } from './errors.js';
import { toFloat64Matrix } from './float-side.js';

import type { Reduction } from './reduction.js';

export type { Reduction } from './reduction.js';

/** `'dmf'`: deep matrix factorization (a target matrix); `'dln'`: deep linear network with data. */
export type ModelKind = 'dmf' | 'dln';

/** The model kinds this version reads and writes. */
export const MODEL_KINDS: readonly ModelKind[] = ['dmf', 'dln'];

/** Training data: `inputs` `X` is `d_0 × n` (one column per sample), `targets` `Y` is `d_N × n`. */
export interface Dataset<S> {
  readonly inputs: Matrix<S>;
  readonly targets: Matrix<S>;
}

/**
 * How one matrix of the model was stored in a PyTorch-layout state_dict (recorded by `import`, used
 * by `export`): the tensor's name, the model place it holds (`"weights[1]"` is `W_1`) and its dtype.
 * The list is in state_dict order.
 */
export interface StateDictEntry {
  readonly name: string;
  readonly of: string;
  readonly dtype?: string;
}

interface ModelBase<S> {
  /** `W_1, …, W_N` (`weights[0]` is `W_1`, applied first); `W_i` is `d_i × d_{i−1}`. */
  readonly weights: Matrix<S>[];
  /** `d_0, …, d_N` (length `N + 1`). */
  readonly widths: number[];
  readonly reduction: Reduction;
  readonly name?: string;
  readonly description?: string;
  /** The state_dict tensors the weights came from, when recorded (file key `stateDict`). */
  readonly stateDict?: readonly StateDictEntry[];
}

/** Deep matrix factorization: `L = ½‖W_N ⋯ W_1 − M‖_F²` (times `c`, see {@link Reduction}). */
export interface DmfModel<S> extends ModelBase<S> {
  readonly kind: 'dmf';
  /** `M`, `d_N × d_0`. */
  readonly target: Matrix<S>;
  readonly data?: never;
}

/** Deep linear network with data: `L = (1/2n)‖P X − Y‖_F²` (times `c`, see {@link Reduction}). */
export interface DlnModel<S> extends ModelBase<S> {
  readonly kind: 'dln';
  readonly data: Dataset<S>;
  readonly target?: never;
}

/**
 * A deep linear network problem at a point. Narrow on `kind` (or on `target !== undefined` /
 * `data !== undefined`) to reach the target or the data.
 */
export type DeepLinearModel<S> = DmfModel<S> | DlnModel<S>;

/** Optional fields when building a model in code. */
export interface ModelOptions {
  readonly reduction?: Reduction;
  readonly name?: string;
  readonly description?: string;
  readonly stateDict?: readonly StateDictEntry[];
}

/** Shape of a matrix, for checks that do not need entries. */
export interface Dims {
  readonly rows: number;
  readonly cols: number;
}

/** A problem found by {@link shapeProblem}: where (`weights[3]`, `target`, …) and the full message. */
export interface ShapeProblem {
  readonly path: string;
  readonly message: string;
  /** Which matrix the problem is about, so a reader can point at it. */
  readonly at: { readonly part: 'weights'; readonly index: number } | { readonly part: 'target' | 'inputs' | 'targets' };
}

/**
 * The first shape problem of a model, or `undefined` when the shapes fit. Layers are numbered
 * from 1 in messages. Checks, in order: at least one layer; no empty matrix; consecutive layers
 * chain (`weights[i]` has as many columns as `weights[i−1]` has rows); the target is `d_N × d_0`;
 * inputs have `d_0` rows and at least one column; targets have `d_N` rows and as many columns as inputs.
 */
export function shapeProblem(
  weights: readonly Dims[],
  objective: { readonly target: Dims } | { readonly data: { readonly inputs: Dims; readonly targets: Dims } },
): ShapeProblem | undefined {
  if (weights.length === 0) {
    return { path: 'weights', message: 'weights: expected at least one layer, got an empty list', at: { part: 'weights', index: 0 } };
  }
  for (let i = 0; i < weights.length; i++) {
    const W = weights[i] as Dims;
    if (W.rows === 0 || W.cols === 0) {
      const p = `weights[${i + 1}]`;
      return { path: p, message: `${p}: expected a non-empty matrix, got ${W.rows}×${W.cols}`, at: { part: 'weights', index: i } };
    }
  }
  for (let i = 1; i < weights.length; i++) {
    const W = weights[i] as Dims;
    const prev = weights[i - 1] as Dims;
    if (W.cols !== prev.rows) {
      return {
        path: `weights[${i + 1}]`,
        message: `weights[${i + 1}] has ${plural(W.cols, 'column')} but weights[${i}] has ${plural(prev.rows, 'row')} (d_${i} must agree)`,
        at: { part: 'weights', index: i },
      };
    }
  }
  const d0 = (weights[0] as Dims).cols;
  const dN = (weights[weights.length - 1] as Dims).rows;
  if ('target' in objective) {
    const M = objective.target;
    if (M.rows !== dN || M.cols !== d0) {
      return { path: 'target', message: `target: expected ${dN}×${d0} (d_N × d_0), got ${M.rows}×${M.cols}`, at: { part: 'target' } };
    }
    return undefined;
  }
  const { inputs: X, targets: Y } = objective.data;
  if (X.rows !== d0) {
    return {
      path: 'data.inputs',
      message: `data.inputs: expected d_0 = ${plural(d0, 'row')} (the columns of weights[1]), got ${X.rows}`,
      at: { part: 'inputs' },
    };
  }
  if (X.cols === 0) {
    return { path: 'data.inputs', message: 'data.inputs: expected at least one sample (one column per sample), got 0 columns', at: { part: 'inputs' } };
  }
  if (Y.rows !== dN) {
    return {
      path: 'data.targets',
      message: `data.targets: expected d_N = ${plural(dN, 'row')} (the rows of weights[${weights.length}]), got ${Y.rows}`,
      at: { part: 'targets' },
    };
  }
  if (Y.cols !== X.cols) {
    return {
      path: 'data.targets',
      message: `data.targets: expected ${plural(X.cols, 'column')} (one per sample, as in data.inputs), got ${Y.cols}`,
      at: { part: 'targets' },
    };
  }
  return undefined;
}

/** `n word` or `n words`: `plural(1, 'row')` is `1 row`, `plural(4, 'row')` is `4 rows`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `d_0, …, d_N` of a weight list that chains (see {@link shapeProblem}). */
export function widthsOf(weights: readonly Dims[]): number[] {
  const first = weights[0];
  if (first === undefined) return [];
  return [first.cols, ...weights.map((W) => W.rows)];
}

function optionalFields(o: ModelOptions): { name?: string; description?: string; stateDict?: readonly StateDictEntry[] } {
  return {
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(o.stateDict !== undefined ? { stateDict: o.stateDict } : {}),
  };
}

/** A DMF model built in code; throws {@link ModelError} when the shapes do not fit. */
export function makeDmfModel<S>(weights: readonly Matrix<S>[], target: Matrix<S>, options: ModelOptions = {}): DmfModel<S> {
  const problem = shapeProblem(weights, { target });
  if (problem !== undefined) throw new ModelError(problem.message, { path: problem.path });
  return { kind: 'dmf', weights: weights.slice(), widths: widthsOf(weights), target, reduction: options.reduction ?? 'half', ...optionalFields(options) };
}

/** A DLN-with-data model built in code; throws {@link ModelError} when the shapes do not fit. */
export function makeDlnModel<S>(weights: readonly Matrix<S>[], data: Dataset<S>, options: ModelOptions = {}): DlnModel<S> {
  const problem = shapeProblem(weights, { data });
  if (problem !== undefined) throw new ModelError(problem.message, { path: problem.path });
  return {
    kind: 'dln',
    weights: weights.slice(),
    widths: widthsOf(weights),
    data: { inputs: data.inputs, targets: data.targets },
    reduction: options.reduction ?? 'half',
    ...optionalFields(options),
  };
}

/**
 * The same model with every entry mapped by `f`, e.g. `convertModel(m, (q) => F64.fromRational(q))`
 * to move an exact model to binary64. Shapes, kind, loss scale, name and description are kept.
 */
export function convertModel<S, T>(m: DmfModel<S>, f: (x: S) => T): DmfModel<T>;
export function convertModel<S, T>(m: DlnModel<S>, f: (x: S) => T): DlnModel<T>;
export function convertModel<S, T>(m: DeepLinearModel<S>, f: (x: S) => T): DeepLinearModel<T>;
export function convertModel<S, T>(m: DeepLinearModel<S>, f: (x: S) => T): DeepLinearModel<T> {
  const base = {
    weights: m.weights.map((W) => map(W, f)),
    widths: m.widths.slice(),
    reduction: m.reduction,
    ...optionalFields(m),
  };
  if (m.kind === 'dmf') return { kind: 'dmf', ...base, target: map(m.target, f) };
  return { kind: 'dln', ...base, data: { inputs: map(m.data.inputs, f), targets: map(m.data.targets, f) } };
}

/**
 * An exact model in binary64 (each entry rounded by `F64.fromRational`; matrices read from a model
 * file with their binary64 side, `models/float-side.ts`, give those same values without exact work).
 */
export function toFloat64Model(m: DeepLinearModel<Rational>): DeepLinearModel<number> {
  const f = toFloat64Matrix;
  const base = { weights: m.weights.map(f), widths: m.widths.slice(), reduction: m.reduction, ...optionalFields(m) };
  if (m.kind === 'dmf') return { kind: 'dmf', ...base, target: f(m.target) };
  return { kind: 'dln', ...base, data: { inputs: f(m.data.inputs), targets: f(m.data.targets) } };
}

/** Number of layers `N`. */
export function depth<S>(m: DeepLinearModel<S>): number {
  return m.weights.length;
}

/** Number of parameters `Σ_i d_i d_{i−1}` (the length of `θ`). */
export function parameterCount<S>(m: DeepLinearModel<S>): number {
  return m.weights.reduce((s, W) => s + W.rows * W.cols, 0);
}

/** Number of samples `n` for a DLN with data; 1 for DMF (its loss has no sample average). */
export function sampleCount<S>(m: DeepLinearModel<S>): number {
  return m.kind === 'dln' ? m.data.inputs.cols : 1;
}
