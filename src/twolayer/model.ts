/**
 * Two-layer networks `f(x) = W_2 σ(W_1 x + b_1) + b_2` (`docs/math.md §5`; arXiv 2010.04261, "Dissecting Hessian").
 *
 * - `W_1 ∈ S^{h×d}` (hidden × input), `W_2 ∈ S^{c×h}` (outputs × hidden), `σ` applied entry-wise.
 * - Biases `b_1 ∈ S^h`, `b_2 ∈ S^c`, each optional (absent = no parameter, not a zero parameter).
 * - Data `X ∈ S^{d×n}`, one column per sample.
 * - Squared loss: `L = (κ/2n) Σ_s ‖f(x_s) − y_s‖²`, `Y ∈ S^{c×n}`; `κ` is the loss coefficient of
 *   `reduction` (models/reduction.ts): 1 for `'half'` (default), 2 for `'sample-mean'`, `2n` for
 *   `'sum'`, `2/c` for `'mean'` (torch's `nn.MSELoss()`); every Hessian eigenvalue scales with it.
 * - Cross-entropy: `L = (1/n) Σ_s (logsumexp(f(x_s)) − f(x_s)_{y_s})`, the mean softmax cross-entropy,
 *   with class labels `y_s ∈ {0, …, c−1}` (0-based).
 * - `θ = (vec W_1, b_1, vec W_2, b_2)` with column-major `vec` (absent biases take no place); this is
 *   `(vec [W_1 b_1], vec [W_2 b_2])`, the column-major vec of the augmented matrices, and the Hessian is
 *   indexed in this order. `docs/two-layer.md` ("Biases") and `twolayer/order.ts` (torch's row order).
 *
 * In code arrays are 0-based (`weights[0]` is `W_1`); messages and documents number layers from 1.
 */
import { assertEntriesFitFloatStages } from '../hessian/float-range.js';
import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { map, type Matrix } from '../linalg/matrix.js';
import type { Reduction, StateDictEntry } from '../models/model.js';

/** The activations the engine knows. `quadratic` is `σ(z) = z²`. */
export type ActivationName = 'identity' | 'relu' | 'tanh' | 'sigmoid' | 'quadratic';

/** Every activation, in the order messages list them. */
export const ACTIVATIONS: readonly ActivationName[] = ['identity', 'relu', 'tanh', 'sigmoid', 'quadratic'];

/** `'squared'`: `(κ/2n) Σ ‖f − y‖²`; `'cross-entropy'`: mean softmax cross-entropy. */
export type TwoLayerLoss = 'squared' | 'cross-entropy';

/** Every loss, in the order messages list them. */
export const TWO_LAYER_LOSSES: readonly TwoLayerLoss[] = ['squared', 'cross-entropy'];

/**
 * Targets: a `c × n` matrix of values (squared loss) or class labels (cross-entropy), read from a
 * `1 × n` row of 0-based class indices or from `c × n` one-hot columns (`format` says which).
 */
export type TwoLayerTargets<S> =
  | { readonly kind: 'values'; readonly values: Matrix<S> }
  | { readonly kind: 'labels'; readonly labels: readonly number[]; readonly format: 'indices' | 'one-hot' };

/** Training data of a two-layer network. */
export interface TwoLayerData<S> {
  /** `X`, `d × n`, one column per sample. */
  readonly inputs: Matrix<S>;
  readonly targets: TwoLayerTargets<S>;
}

/**
 * The optional biases of a two-layer network: `b1` (length `h`, added to `W_1 x`) and `b2` (length
 * `c`, added to the output). An absent bias is not a parameter (it is not a zero bias).
 */
export interface TwoLayerBiases<S> {
  readonly b1?: readonly S[];
  readonly b2?: readonly S[];
}

/** A two-layer network at a point, with its data and loss. */
export interface TwoLayerModel<S> {
  readonly kind: 'two-layer';
  readonly activation: ActivationName;
  readonly loss: TwoLayerLoss;
  /** `[W_1, W_2]`: `W_1` is `h × d`, `W_2` is `c × h`. */
  readonly weights: readonly [Matrix<S>, Matrix<S>];
  /** Optional biases (absent: the bias-free network `W_2 σ(W_1 x)`). */
  readonly biases?: TwoLayerBiases<S>;
  readonly data: TwoLayerData<S>;
  /** Squared loss only (`'half'` for cross-entropy, where it has no meaning). */
  readonly reduction: Reduction;
  readonly name?: string;
  readonly description?: string;
  /** The state_dict tensors the weights came from, when recorded (file key `stateDict`). */
  readonly stateDict?: readonly StateDictEntry[];
}

/** Sizes of a two-layer model. */
export interface TwoLayerDims {
  /** Input dimension `d`. */
  readonly d: number;
  /** Hidden width `h`. */
  readonly h: number;
  /** Output dimension `c` (classes for cross-entropy). */
  readonly c: number;
  /** Samples `n`. */
  readonly n: number;
  /** Parameters `hd + ch` plus `h` with `b_1` and `c` with `b_2`. */
  readonly params: number;
  /** Whether `b_1` / `b_2` are parameters. */
  readonly bias1: boolean;
  readonly bias2: boolean;
}

/** `d, h, c, n` and the parameter count of a model. */
export function twoLayerDims<S>(m: TwoLayerModel<S>): TwoLayerDims {
  const [W1, W2] = m.weights;
  const bias1 = m.biases?.b1 !== undefined;
  const bias2 = m.biases?.b2 !== undefined;
  const h = W1.rows;
  const c = W2.rows;
  return { d: W1.cols, h, c, n: m.data.inputs.cols, params: h * W1.cols + c * h + (bias1 ? h : 0) + (bias2 ? c : 0), bias1, bias2 };
}

/** Whether the model has any bias. */
export function hasBiases<S>(m: TwoLayerModel<S>): boolean {
  return m.biases?.b1 !== undefined || m.biases?.b2 !== undefined;
}

/** The biases mapped by `f` (absent ones stay absent). */
export function mapBiases<S, T>(b: TwoLayerBiases<S> | undefined, f: (x: S) => T): TwoLayerBiases<T> | undefined {
  if (b === undefined) return undefined;
  return { ...(b.b1 !== undefined ? { b1: b.b1.map(f) } : {}), ...(b.b2 !== undefined ? { b2: b.b2.map(f) } : {}) };
}

/** The same model with every entry mapped by `f` (labels are kept). */
export function convertTwoLayerModel<S, T>(m: TwoLayerModel<S>, f: (x: S) => T): TwoLayerModel<T> {
  const t = m.data.targets;
  const targets: TwoLayerTargets<T> = t.kind === 'values' ? { kind: 'values', values: map(t.values, f) } : t;
  return {
    kind: 'two-layer',
    activation: m.activation,
    loss: m.loss,
    weights: [map(m.weights[0], f), map(m.weights[1], f)],
    ...(m.biases !== undefined ? { biases: mapBiases(m.biases, f) as TwoLayerBiases<T> } : {}),
    data: { inputs: map(m.data.inputs, f), targets },
    reduction: m.reduction,
    ...(m.name !== undefined ? { name: m.name } : {}),
    ...(m.description !== undefined ? { description: m.description } : {}),
    ...(m.stateDict !== undefined ? { stateDict: m.stateDict } : {}),
  };
}

/** An exact model in binary64 (each entry rounded once). */
export function toFloat64TwoLayer(m: TwoLayerModel<Rational>): TwoLayerModel<number> {
  // Refuse (exit 2) a model whose float stages would overflow binary64 (src/hessian/float-range.ts).
  const t = m.data.targets;
  assertEntriesFitFloatStages([...m.weights, m.data.inputs, ...(t.kind === 'values' ? [t.values] : [])], 6, 'two-layer model');
  return convertTwoLayerModel(m, F64.fromRational);
}

/** Whether the activation has an exact (rational) closed form: identity, quadratic and ReLU. */
export function isExactActivation(a: ActivationName): boolean {
  return a === 'identity' || a === 'quadratic' || a === 'relu';
}

/**
 * Whether the model's loss, gradient and Hessian can be computed in exact rational arithmetic:
 * squared loss with an exact activation (cross-entropy needs `exp`, tanh and sigmoid too, and
 * `exp` of a rational is irrational except at 0).
 */
export function supportsExact<S>(m: TwoLayerModel<S>): boolean {
  return m.loss === 'squared' && isExactActivation(m.activation);
}
