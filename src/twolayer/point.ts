/**
 * A two-layer network at a point: the forward pass and every per-sample quantity the closed forms
 * need, computed once (`docs/math.md §5`). Generic in the field: exact over `Q` for squared loss with an
 * exact activation (identity, quadratic, ReLU away from kinks), binary64 otherwise.
 */
import type { Field } from '../field/field.js';
import { at, fromColumnMajor, generate, mul, transpose, type Matrix } from '../linalg/matrix.js';
import { ModelError } from '../models/errors.js';
import { lossCoefficientIn } from '../models/reduction.js';
import { evaluateActivation, InexactActivationError } from './activations.js';
import type { TwoLayerModel } from './model.js';
import { twoLayerDims, type TwoLayerDims } from './model.js';

/** A ReLU kink: sample `sample` (0-based) has pre-activation exactly 0 at hidden unit `unit` (0-based). */
export interface Kink {
  readonly sample: number;
  readonly unit: number;
}

/**
 * Thrown in exact arithmetic at a ReLU kink: the pre-activation `(W_1 x_s)_i` is exactly 0, where
 * `σ'` is not defined, so the loss has no Hessian at this point. The message names the sample and
 * the unit (1-based). A {@link ModelError}: the CLI exits with status 2.
 */
export class KinkError extends ModelError {
  readonly kinks: readonly Kink[];
  constructor(kinks: readonly Kink[], withBias = false) {
    const first = kinks[0] ?? { sample: 0, unit: 0 };
    const more = kinks.length > 1 ? ` (and ${kinks.length - 1} more)` : '';
    super(
      `ReLU kink at sample ${first.sample + 1}, hidden unit ${first.unit + 1}${more}: the pre-activation (W_1 x${withBias ? ' + b_1' : ''})_${first.unit + 1} is exactly 0, ` +
        `where σ' is not defined, so the loss has no Hessian here; exact arithmetic refuses (float64 uses the convention σ'(0) = σ''(0) = 0 and warns)`,
      { path: 'weights[1]' },
    );
    this.name = 'KinkError';
    this.kinks = kinks;
  }
}

/** Thrown when an exact computation is asked of a model that has no exact closed form. */
export class NotExactError extends ModelError {
  constructor(message: string) {
    super(message);
    this.name = 'NotExactError';
  }
}

/**
 * The loss's Hessian with respect to the network output at each sample, `A_s = ∂²ℓ_s/∂f²`:
 * `κ I_c` for the squared loss, `diag(p_s) − p_s p_sᵀ` for softmax cross-entropy (`P` holds the
 * probabilities `p_s` as columns).
 */
export type OutputCurvature<S> = { readonly kind: 'squared'; readonly kappa: S } | { readonly kind: 'softmax'; readonly P: Matrix<S> };

/** What happens at a ReLU kink: refuse ({@link KinkError}) or use `σ'(0) = σ''(0) = 0`. */
export type KinkPolicy = 'refuse' | 'convention';

/**
 * Everything the closed forms need at one point. Matrices are column-major; column `s` is sample `s`.
 *
 * Biases enter through augmented matrices: `W̃_1 = [W_1 b_1]` acts on `X̃ = [X; 1ᵀ]` and `W̃_2 = [W_2 b_2]`
 * on `Ã = [σ(Z); 1ᵀ]` (a hidden unit with constant output 1, `σ' = σ'' = 0`). Without a bias the
 * augmented matrix is the plain one. `θ = (vec W̃_1, vec W̃_2)`.
 */
export interface TwoLayerPoint<S> {
  readonly F: Field<S>;
  readonly model: TwoLayerModel<S>;
  readonly dims: TwoLayerDims;
  readonly W1: Matrix<S>;
  /** `W_2`, `c × h` (the weights only: what back-propagates to the hidden units). */
  readonly W2: Matrix<S>;
  /** `X`, `d × n`. */
  readonly X: Matrix<S>;
  /** `W̃_1 = [W_1 b_1]`, `h × d̃` (`d̃ = d + 1` with `b_1`). */
  readonly W1a: Matrix<S>;
  /** `X̃ = [X; 1ᵀ]`, `d̃ × n`. */
  readonly Xa: Matrix<S>;
  /** `W̃_2 = [W_2 b_2]`, `c × h̃` (`h̃ = h + 1` with `b_2`). */
  readonly W2a: Matrix<S>;
  /** `Ã = [σ(Z); 1ᵀ]`, `h̃ × n`. */
  readonly A1a: Matrix<S>;
  /** Pre-activations `Z = W_1 X + b_1 1ᵀ`, `h × n`. */
  readonly Z: Matrix<S>;
  /** `σ(Z)`, `h × n` (the output layer's input `x_2`). */
  readonly A1: Matrix<S>;
  /** `σ'(Z)`, `h × n`. */
  readonly D1: Matrix<S>;
  /** `σ''(Z)`, `h × n`. */
  readonly D2: Matrix<S>;
  /** Outputs `f = W_2 σ(Z) + b_2 1ᵀ`, `c × n`. */
  readonly out: Matrix<S>;
  /** `r_s = ∂ℓ_s/∂f` as columns, `c × n`: `κ(f_s − y_s)` or `p_s − e_{y_s}`. */
  readonly R: Matrix<S>;
  readonly curvature: OutputCurvature<S>;
  /** Per-sample losses `ℓ_s` (the loss is their mean). */
  readonly sampleLosses: readonly S[];
  /** ReLU kinks met (only with the `'convention'` policy; empty otherwise). */
  readonly kinks: readonly Kink[];
}

/** Options of {@link prepareTwoLayerPoint}. */
export interface PrepareOptions {
  /** Default: `'refuse'` in exact fields, `'convention'` in binary64. */
  readonly kinkPolicy?: KinkPolicy;
}

function requireFloat<S>(F: Field<S>, what: string): void {
  if (F.name !== 'F64') throw new NotExactError(`${what} has no exact closed form (it needs exp and log); use float64 arithmetic (drop --exact)`);
}

/** Prepares a {@link TwoLayerPoint}: forward pass, residuals and output curvature. */
export function prepareTwoLayerPoint<S>(F: Field<S>, model: TwoLayerModel<S>, options: PrepareOptions = {}): TwoLayerPoint<S> {
  const dims = twoLayerDims(model);
  const { h, c, n } = dims;
  const [W1, W2] = model.weights;
  const X = model.data.inputs;
  if (model.loss === 'cross-entropy') requireFloat(F, 'the cross-entropy loss');
  const policy = options.kinkPolicy ?? (F.exact ? 'refuse' : 'convention');
  const b = model.biases;
  const Xa = b?.b1 !== undefined ? appendRow(X, F.one) : X;
  const W1a = b?.b1 !== undefined ? appendColumn(W1, b.b1) : W1;
  const Z = mul(F, W1a, Xa);
  const a = new Array<S>(h * n);
  const d1 = new Array<S>(h * n);
  const d2 = new Array<S>(h * n);
  const kinks: Kink[] = [];
  for (let k = 0; k < h * n; k++) {
    let v;
    try {
      v = evaluateActivation(F, model.activation, Z.data[k] as S);
    } catch (e) {
      if (e instanceof InexactActivationError) throw new NotExactError(e.message);
      throw e;
    }
    if (v.kink) kinks.push({ sample: Math.floor(k / h), unit: k % h });
    a[k] = v.value;
    d1[k] = v.d1;
    d2[k] = v.d2;
  }
  if (kinks.length > 0 && policy === 'refuse') throw new KinkError(kinks, b?.b1 !== undefined);
  const A1 = fromColumnMajor(h, n, a);
  const D1 = fromColumnMajor(h, n, d1);
  const D2 = fromColumnMajor(h, n, d2);
  const A1a = b?.b2 !== undefined ? appendRow(A1, F.one) : A1;
  const W2a = b?.b2 !== undefined ? appendColumn(W2, b.b2) : W2;
  const out = mul(F, W2a, A1a);
  const targets = model.data.targets;
  if (model.loss === 'squared') {
    if (targets.kind !== 'values') throw new ModelError('data.targets: the squared loss needs a matrix of target values');
    const Y = targets.values;
    const kappa = lossCoefficientIn(F, model.reduction, { samples: n, outputs: c });
    const err = generate(c, n, (i, s) => F.sub(at(out, i, s), at(Y, i, s)));
    const R = F.eq(kappa, F.one) ? err : generate(c, n, (i, s) => F.mul(kappa, at(err, i, s)));
    const halfKappa = F.div(kappa, F.fromInt(2));
    const sampleLosses = Array.from({ length: n }, (_, s) => {
      let q = F.zero;
      for (let i = 0; i < c; i++) q = F.add(q, F.mul(at(err, i, s), at(err, i, s)));
      return F.mul(halfKappa, q);
    });
    return { F, model, dims, W1, W2, X, W1a, Xa, W2a, A1a, Z, A1, D1, D2, out, R, curvature: { kind: 'squared', kappa }, sampleLosses, kinks };
  }
  // Softmax cross-entropy (binary64): p = softmax(f), ℓ = logsumexp(f) − f_y, r = p − e_y.
  const labels = targetLabels(model);
  const P = new Array<S>(c * n);
  const R = new Array<S>(c * n);
  const sampleLosses: S[] = [];
  for (let s = 0; s < n; s++) {
    let m = -Infinity;
    for (let i = 0; i < c; i++) m = Math.max(m, F.toNumber(at(out, i, s)));
    let sum = 0;
    for (let i = 0; i < c; i++) sum += Math.exp(F.toNumber(at(out, i, s)) - m);
    const y = labels[s] as number;
    for (let i = 0; i < c; i++) {
      const p = Math.exp(F.toNumber(at(out, i, s)) - m) / sum;
      P[i + c * s] = F.fromNumber(p);
      R[i + c * s] = F.fromNumber(i === y ? p - 1 : p);
    }
    sampleLosses.push(F.fromNumber(m + Math.log(sum) - F.toNumber(at(out, y, s))));
  }
  return {
    F,
    model,
    dims,
    W1,
    W2,
    X,
    W1a,
    Xa,
    W2a,
    A1a,
    Z,
    A1,
    D1,
    D2,
    out,
    R: fromColumnMajor(c, n, R),
    curvature: { kind: 'softmax', P: fromColumnMajor(c, n, P) },
    sampleLosses,
    kinks,
  };
}

/** `[M; v ᵀ]` with the constant row `v` appended (`X̃ = [X; 1ᵀ]`). */
function appendRow<S>(M: Matrix<S>, v: S): Matrix<S> {
  return generate(M.rows + 1, M.cols, (i, j) => (i < M.rows ? at(M, i, j) : v));
}

/** `[M b]` with the column `b` appended (`W̃ = [W b]`). */
function appendColumn<S>(M: Matrix<S>, b: readonly S[]): Matrix<S> {
  if (b.length !== M.rows) throw new ModelError(`biases: expected ${M.rows} entries (the rows of the weight matrix), got ${b.length}`);
  return fromColumnMajor(M.rows, M.cols + 1, [...M.data, ...b]);
}

/** The class labels of a cross-entropy model (0-based). */
export function targetLabels<S>(model: TwoLayerModel<S>): readonly number[] {
  const t = model.data.targets;
  if (t.kind !== 'labels') throw new ModelError('data.targets: the cross-entropy loss needs class labels (a row of class indices or one-hot columns)');
  return t.labels;
}

/** `A_s v` for sample `s` (a `c`-vector). */
export function applyOutputCurvature<S>(pt: TwoLayerPoint<S>, s: number, v: readonly S[]): S[] {
  const F = pt.F;
  const cv = pt.curvature;
  if (cv.kind === 'squared') return v.map((x) => F.mul(cv.kappa, x));
  const c = pt.dims.c;
  let pv = F.zero;
  for (let i = 0; i < c; i++) pv = F.add(pv, F.mul(at(cv.P, i, s), v[i] as S));
  return v.map((x, i) => F.mul(at(cv.P, i, s), F.sub(x, pv)));
}

/** The dense `c × c` output curvature `A_s` of sample `s`. */
export function outputCurvatureMatrix<S>(pt: TwoLayerPoint<S>, s: number): Matrix<S> {
  const F = pt.F;
  const cv = pt.curvature;
  const c = pt.dims.c;
  if (cv.kind === 'squared') return generate(c, c, (i, j) => (i === j ? cv.kappa : F.zero));
  return generate(c, c, (i, j) => {
    const pi = at(cv.P, i, s);
    const pp = F.mul(pi, at(cv.P, j, s));
    return i === j ? F.sub(pi, pp) : F.neg(pp);
  });
}

/** The loss `L = (1/n) Σ_s ℓ_s`. */
export function twoLayerLoss<S>(pt: TwoLayerPoint<S>): S {
  const F = pt.F;
  let sum = F.zero;
  for (const l of pt.sampleLosses) sum = F.add(sum, l);
  return F.div(sum, F.fromInt(pt.dims.n));
}

/**
 * The gradient `[∂L/∂W̃_1, ∂L/∂W̃_2]` (the augmented matrices: the bias gradient is the last column):
 * `∂L/∂W̃_2 = (1/n) Σ_s r_s σ̃(z_s)ᵀ`, `∂L/∂W̃_1 = (1/n) Σ_s (σ'(z_s) ⊙ W_2ᵀ r_s) x̃_sᵀ`; so
 * `∂L/∂b_2 = (1/n) Σ_s r_s` and `∂L/∂b_1 = (1/n) Σ_s σ'(z_s) ⊙ W_2ᵀ r_s`.
 */
export function twoLayerGradient<S>(pt: TwoLayerPoint<S>): [Matrix<S>, Matrix<S>] {
  const F = pt.F;
  const invN = F.inv(F.fromInt(pt.dims.n));
  const G2 = mul(F, pt.R, transpose(pt.A1a));
  const back = mul(F, transpose(pt.W2), pt.R); // W_2ᵀ R, h × n
  const delta = generate(pt.dims.h, pt.dims.n, (i, s) => F.mul(at(pt.D1, i, s), at(back, i, s)));
  const G1 = mul(F, delta, transpose(pt.Xa));
  const sc = (M: Matrix<S>): Matrix<S> => fromColumnMajor(M.rows, M.cols, M.data.map((x) => F.mul(invN, x)));
  return [sc(G1), sc(G2)];
}

/** The gradient as one vector `(vec ∂L/∂W_1, ∂L/∂b_1, vec ∂L/∂W_2, ∂L/∂b_2)` (column-major, the order of `θ`). */
export function twoLayerGradientVector<S>(pt: TwoLayerPoint<S>): S[] {
  const [G1, G2] = twoLayerGradient(pt);
  return [...G1.data, ...G2.data];
}
