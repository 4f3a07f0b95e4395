/**
 * The one interface the training-dynamics tools (`train`, `escape`) see of a model family, with its
 * adapters for deep linear networks (DMF and with data) and two-layer networks. Everything here is
 * built on the families' closed forms (`preparePoint` + `gradient`, `hessianOperator`,
 * `reducedOperatorF64`; `prepareTwoLayerPoint` + `twoLayerGradient`, `fastTwoLayerHessianOperator`).
 * The deep-linear gradient of every step runs on preallocated buffers (`gradient-f64.ts`, and for the
 * scalar chain the allocation-free kernel below): the same closed form `c A_iᵀ R B_iᵀ` in binary64, which
 * the tests compare with the generic `gradient` (and with exact steps over Q).
 */
import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { gradient, loss as dlnLoss } from '../hessian/gradient.js';
import { hessianOperator } from '../hessian/hvp.js';
import { parameterOffsets, preparePoint, specLossCoefficient, type NetworkPoint, type NetworkSpec } from '../hessian/point.js';
import { reducedOperatorF64 } from '../hessian/reduced.js';
import { specFromModel } from '../hessian/from-model.js';
import { frobeniusSq, fromColumnMajor, generate, map, mul, sub, transpose, type Matrix } from '../linalg/matrix.js';
import { spectralNorm } from '../linalg/svd-f64.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import type { DeepLinearModel } from '../models/model.js';
import { serializeModel } from '../models/write.js';
import { loadNetwork } from '../families/registry.js';
import { lanczos } from '../spectral/lanczos.js';
import { deepLinearGradientKernel } from './gradient-f64.js';
import { fastTwoLayerHessianOperator } from '../twolayer/hvp-f64.js';
import { toFloat64TwoLayer, type TwoLayerModel, type TwoLayerTargets } from '../twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradient, twoLayerLoss } from '../twolayer/point.js';
import { decimalOf, serializeTwoLayerModel } from '../twolayer/write.js';
import type { ParameterBlock } from '../curvature/problem.js';

/** How `λ_max` was computed at one point. */
export interface SharpnessEstimate {
  /** The largest eigenvalue found. */
  readonly lambdaMax: number;
  /** `'reduced operator K'` (near a minimizer of a deep linear net: `λ_max` of the Gauss–Newton part) or `'Hessian'`. */
  readonly operator: 'reduced operator K' | 'Hessian';
  /** `‖A v − λ v‖` of the returned pair (fresh product). */
  readonly residual: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Whether a previous eigenvector started the Lanczos run. */
  readonly warmStarted: boolean;
  /**
   * With `operator = 'reduced operator K'`: a bound on the spectral norm of the residual part of the
   * Hessian, so that `|λ_max(H) − λ_max(K)| ≤ residualBound` (Weyl); 0 for the Hessian itself.
   */
  readonly residualBound: number;
  /** Opaque warm start for the next call (the eigenvector, tagged with its operator). */
  readonly warm: WarmStart;
}

/** A previous top eigenvector and the operator it belongs to. */
export interface WarmStart {
  readonly operator: SharpnessEstimate['operator'];
  readonly vector: readonly number[];
}

/**
 * The ansatz bounds of a deep linear network with whitened data (`Σ = I`), in the model's loss scale
 * `c`: `lower = c N ‖P‖₂^{2−2/N}`, `upper = c Σ_i ‖A_i‖₂²‖B_i‖₂²`. Both bound `λ_max` of the
 * Gauss–Newton part `c JᵀJ` at every point; the Hessian differs from it by the residual part, of
 * spectral norm at most `residualBound = c ‖R‖_F Σ_{i<j} ‖A_j‖₂ Π_{i<k<j}‖W_k‖₂ ‖B_i‖₂`, so
 * `lower − residualBound ≤ λ_max(H) ≤ upper + residualBound`.
 */
export interface AnsatzBounds {
  readonly lower: number;
  readonly upper: number;
  readonly residualBound: number;
}

/** Balance of the layers: norms, and `W_{i+1}ᵀW_{i+1} − W_iW_iᵀ` (conserved by gradient flow for linear layers). */
export interface BalanceMeasures {
  /** `‖W_i‖₂` for each layer. */
  readonly spectralNorms: readonly number[];
  /** `‖W_i‖_F` for each layer. */
  readonly frobeniusNorms: readonly number[];
  /** `‖W_{i+1}ᵀW_{i+1} − W_iW_iᵀ‖_F` for `i = 1..N−1` (empty when consecutive shapes do not allow it). */
  readonly imbalance: readonly number[];
}

/** The input–output Jacobian norm: the largest `‖∂f(x_s)/∂x_s‖₂` over the samples. */
export interface JacobianNorm {
  readonly value: number;
  /** The sample (0-based) where it is largest (0 for deep linear nets, where the Jacobian is `P` for every input). */
  readonly sample: number;
  readonly formula: string;
}

/** Options of {@link TrainableModel.sharpness}. */
export interface SharpnessOptions {
  readonly warm?: WarmStart;
  /** Lanczos residual tolerance: the pair is accepted when `‖Av − λv‖ ≤ tol·|λ|` (default 1e-8), so an eigenvalue lies within `tol·|λ|` of the value. */
  readonly tolerance?: number;
  readonly seed?: number;
  /** Use the reduced operator `K` when the relative residual is at most this (default 1e-8). */
  readonly reducedBelow?: number;
}

/**
 * A model as training sees it: a parameter vector `θ` and the closed forms at any `θ` (binary64).
 * `θ` is ordered as the family's Hessian is: `(vec W_1, …, vec W_N)`, column-major.
 */
export interface TrainableModel {
  readonly family: 'deep-linear' | 'two-layer';
  /** E.g. `deep matrix factorization, widths 1,1,…,1`. */
  readonly label: string;
  readonly params: number;
  /** The model file's weights as `θ`. */
  readonly theta0: Float64Array;
  readonly blocks: readonly ParameterBlock[];
  /** Number of samples (minibatches are drawn from `0..samples−1`); 1 for deep matrix factorization. */
  readonly samples: number;
  /** Whether minibatches make sense (a loss that is a mean over samples). */
  readonly hasSamples: boolean;
  loss(theta: ArrayLike<number>): number;
  /** The loss, with `∇L(θ)` written into `out`. */
  lossAndGradient(theta: ArrayLike<number>, out: Float64Array): number;
  /** The minibatch loss `(1/|b|)Σ_{s∈b} ℓ_s` with its gradient written into `out`. */
  batchLossAndGradient(theta: ArrayLike<number>, batch: readonly number[], out: Float64Array): number;
  /** The Hessian at `θ` as a symmetric operator (closed-form HVP). */
  hessianOperator(theta: ArrayLike<number>): LinearOperator<number>;
  /** `λ_max` at `θ` by Lanczos (warm-started when given a previous vector). */
  sharpness(theta: ArrayLike<number>, options?: SharpnessOptions): SharpnessEstimate;
  jacobianNorm(theta: ArrayLike<number>): JacobianNorm;
  /** The relative residual of the fit (`‖P − M‖_F/‖M‖_F`, `‖PX − Y‖_F/‖Y‖_F`, `‖F − Y‖_F/‖Y‖_F`; the loss for cross-entropy). */
  relativeResidual(theta: ArrayLike<number>): number;
  /** The ansatz bounds at `θ`, or `null` with the reason when they do not apply (two-layer nets, data not whitened). */
  ansatz(theta: ArrayLike<number>): AnsatzBounds | { readonly unavailable: string };
  balance(theta: ArrayLike<number>): BalanceMeasures;
  /**
   * The flattest value `c N σ₁(M)^{2−2/N}`: the smallest `λ_max` over all minimizers of the target
   * (deep linear nets with whitened data; `null` otherwise).
   */
  readonly flattestValue: number | null;
  /** The model file (exact JSON, each weight the decimal of its binary64 value) with weights `θ`. */
  withTheta(theta: ArrayLike<number>): string;
}

const RESIDUAL_FOR_K = 1e-8;

function normOf(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

function topPair(op: LinearOperator<number>, name: SharpnessEstimate['operator'], options: SharpnessOptions, residualBound: number): SharpnessEstimate {
  const n = op.shape[0];
  const warm = options.warm !== undefined && options.warm.operator === name && options.warm.vector.length === n && normOf(options.warm.vector) > 0 ? options.warm.vector : undefined;
  const r = lanczos(op, {
    k: 1,
    which: 'largest',
    tolerance: options.tolerance ?? 1e-8,
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

/** `‖W_{i+1}ᵀW_{i+1} − W_iW_iᵀ‖_F` and the norms, for any chain of float matrices. */
export function balanceOf(weights: readonly Matrix<number>[], spectralNorms: readonly number[] = weights.map((W) => spectralNorm(W))): BalanceMeasures {
  const imbalance: number[] = [];
  for (let i = 0; i + 1 < weights.length; i++) {
    const W = weights[i] as Matrix<number>;
    const V = weights[i + 1] as Matrix<number>;
    const D = sub(F64, mul(F64, transpose(V), V), mul(F64, W, transpose(W)));
    imbalance.push(Math.sqrt(frobeniusSq(F64, D)));
  }
  return {
    spectralNorms: spectralNorms.slice(),
    frobeniusNorms: weights.map((W) => Math.sqrt(frobeniusSq(F64, W))),
    imbalance,
  };
}

// ---------------------------------------------------------------------------------------------
// Deep linear networks

/** The deep linear network (DMF or with data) of a model file as a {@link TrainableModel}. */
export function deepLinearTrainable(model: DeepLinearModel<Rational>, label?: string): TrainableModel {
  const exactSpec = specFromModel(model);
  const fspec: NetworkSpec<number> = {
    weights: exactSpec.weights.map((W) => map(W, F64.fromRational)),
    objective:
      exactSpec.objective.kind === 'dmf'
        ? { kind: 'dmf', target: map(exactSpec.objective.target, F64.fromRational) }
        : { kind: 'dln', inputs: map(exactSpec.objective.inputs, F64.fromRational), targets: map(exactSpec.objective.targets, F64.fromRational) },
    reduction: exactSpec.reduction,
  };
  const widths = [fspec.weights[0]?.cols ?? 0, ...fspec.weights.map((W) => W.rows)];
  const N = fspec.weights.length;
  const offsets = parameterOffsets(widths);
  const params = offsets[N] as number;
  const blocks: ParameterBlock[] = fspec.weights.map((W, i) => ({ name: `W_${i + 1}`, offset: offsets[i] as number, rows: W.rows, cols: W.cols }));
  const theta0 = new Float64Array(params);
  fspec.weights.forEach((W, i) => theta0.set(W.data, offsets[i] as number));
  const c = specLossCoefficient(F64, fspec);
  const obj = fspec.objective;
  const n = obj.kind === 'dln' ? obj.inputs.cols : 1;
  const weightsOf = (t: ArrayLike<number>): Matrix<number>[] =>
    blocks.map((b) => {
      const data = new Array<number>(b.rows * b.cols);
      for (let k = 0; k < data.length; k++) data[k] = t[b.offset + k] as number;
      return fromColumnMajor(b.rows, b.cols, data);
    });
  const specAt = (t: ArrayLike<number>): NetworkSpec<number> => ({ ...fspec, weights: weightsOf(t) });
  // The point and its spectral norms are computed once per θ (a recorded step asks for λ_max, the
  // Jacobian norm, the bounds and the balance at the same θ).
  let memoTheta: Float64Array | null = null;
  let memo: { pt: NetworkPoint<number>; layer?: number[]; partial?: { aN: number[]; bN: number[] }; pN?: number } | null = null;
  const memoAt = (t: ArrayLike<number>): NonNullable<typeof memo> => {
    let same = memoTheta !== null && memo !== null && memoTheta.length === t.length;
    for (let i = 0; same && i < t.length; i++) if ((memoTheta as Float64Array)[i] !== t[i]) same = false;
    if (!same || memo === null) {
      memoTheta = Float64Array.from(t);
      memo = { pt: preparePoint(F64, specAt(t)) };
    }
    return memo;
  };
  const pointAt = (t: ArrayLike<number>): NetworkPoint<number> => memoAt(t).pt;
  const layerNormsAt = (t: ArrayLike<number>): number[] => {
    const m = memoAt(t);
    m.layer ??= m.pt.weights.map((W) => spectralNorm(W));
    return m.layer;
  };
  const pNormAt = (t: ArrayLike<number>): number => {
    const m = memoAt(t);
    m.pN ??= spectralNorm(m.pt.P);
    return m.pN;
  };
  const writeGradient = (pt: NetworkPoint<number>, out: Float64Array): void => {
    gradient(pt).forEach((G, i) => out.set(G.data, offsets[i] as number));
  };
  // Whitened data: Σ = XXᵀ/n = I (to rounding); DMF is whitened by definition.
  let whitened = true;
  let M: Matrix<number> | null = null;
  if (obj.kind === 'dmf') M = obj.target;
  else {
    const X = obj.inputs;
    const sigma = map(mul(F64, X, transpose(X)), (x) => x / n);
    whitened = sigma.data.every((x, k) => Math.abs(x - (k % (sigma.rows + 1) === 0 ? 1 : 0)) <= 1e-12);
    if (whitened) M = map(mul(F64, obj.targets, transpose(X)), (x) => x / n);
  }
  const flattestValue = M === null ? null : c * N * spectralNorm(M) ** (2 - 2 / N);
  const refNorm = Math.sqrt(frobeniusSq(F64, obj.kind === 'dmf' ? obj.target : obj.targets));
  const relativeResidualOf = (pt: NetworkPoint<number>): number => Math.sqrt(frobeniusSq(F64, pt.error)) / Math.max(refNorm, Number.MIN_VALUE);
  // ‖H_res‖₂ ≤ c ‖R‖_F Σ_{i<j} ‖A_j‖₂ Π_{i<k<j}‖W_k‖₂ ‖B_i‖₂ (layers 0-based here).
  const isIdentity = (G: Matrix<number>): boolean => G.rows === G.cols && G.data.every((x, k) => x === (k % (G.rows + 1) === 0 ? 1 : 0));
  const norm2 = (G: Matrix<number>): number => (isIdentity(G) ? 1 : spectralNorm(G));
  const partialNorms = (pt: NetworkPoint<number>): { aN: number[]; bN: number[] } => {
    const m = memo !== null && memo.pt === pt ? memo : null;
    const value = m?.partial ?? { aN: pt.A.map(norm2), bN: pt.B.map(norm2) };
    if (m !== null) m.partial = value;
    return value;
  };
  const residualBoundOf = (pt: NetworkPoint<number>, layerNorms: readonly number[], norms = partialNorms(pt)): number => {
    const Rn = Math.sqrt(frobeniusSq(F64, pt.R));
    if (Rn === 0) return 0;
    const { aN, bN } = norms;
    let s = 0;
    for (let i = 0; i < N; i++) {
      let mid = 1;
      for (let j = i + 1; j < N; j++) {
        s += (aN[j] as number) * mid * (bN[i] as number);
        mid *= layerNorms[j] as number;
      }
    }
    return c * Rn * s;
  };
  const scalarChain = obj.kind === 'dmf' && widths.every((d) => d === 1);
  const chain = scalarChain ? scalarChainKernel(N, (obj.target.data[0] as number), c) : null;
  const kernel = deepLinearGradientKernel(
    widths,
    obj.kind === 'dmf' ? null : Float64Array.from(obj.inputs.data),
    Float64Array.from(obj.kind === 'dmf' ? obj.target.data : obj.targets.data),
    c,
  );
  const batchSpec = (t: ArrayLike<number>, batch: readonly number[]): NetworkSpec<number> => {
    if (obj.kind !== 'dln') return specAt(t);
    const X = obj.inputs;
    const Y = obj.targets;
    return {
      ...fspec,
      weights: weightsOf(t),
      objective: {
        kind: 'dln',
        inputs: generate(X.rows, batch.length, (i, j) => X.data[i + X.rows * (batch[j] as number)] as number),
        targets: generate(Y.rows, batch.length, (i, j) => Y.data[i + Y.rows * (batch[j] as number)] as number),
      },
    };
  };
  const kindName = obj.kind === 'dmf' ? 'deep matrix factorization' : 'deep linear network with data';
  return {
    family: 'deep-linear',
    label: label ?? `${kindName}, widths ${widths.join(',')}`,
    params,
    theta0,
    blocks,
    samples: n,
    hasSamples: obj.kind === 'dln',
    loss: (t) => (chain !== null ? chain.loss(t) : kernel.loss(t)),
    lossAndGradient: (t, out) => (chain !== null ? chain.lossAndGradient(t, out) : kernel.lossAndGradient(t, out)),
    batchLossAndGradient(t, batch, out) {
      const pt = preparePoint(F64, batchSpec(t, batch));
      writeGradient(pt, out);
      return dlnLoss(pt);
    },
    hessianOperator: (t) => hessianOperator(pointAt(t)),
    sharpness(t, options = {}) {
      const pt = pointAt(t);
      if (relativeResidualOf(pt) <= (options.reducedBelow ?? RESIDUAL_FOR_K)) {
        return topPair(reducedOperatorF64(pt), 'reduced operator K', options, residualBoundOf(pt, layerNormsAt(t)));
      }
      return topPair(hessianOperator(pt), 'Hessian', options, 0);
    },
    jacobianNorm(t) {
      if (chain !== null) return { value: Math.abs(chain.product(t)), sample: 0, formula: '‖P‖₂ (the Jacobian of x ↦ W_N⋯W_1 x is P for every input)' };
      return { value: pNormAt(t), sample: 0, formula: '‖P‖₂ (the Jacobian of x ↦ W_N⋯W_1 x is P for every input)' };
    },
    relativeResidual: (t) => relativeResidualOf(pointAt(t)),
    ansatz(t) {
      if (!whitened) return { unavailable: 'the data are not whitened (XXᵀ/n ≠ I), where the bounds are stated' };
      const pt = pointAt(t);
      const norms = layerNormsAt(t);
      const pN = pNormAt(t);
      const lower = c * N * pN ** (2 - 2 / N);
      const partial = partialNorms(pt);
      let upper = 0;
      for (let i = 0; i < N; i++) upper += (partial.aN[i] as number) ** 2 * (partial.bN[i] as number) ** 2;
      return { lower, upper: c * upper, residualBound: residualBoundOf(pt, norms, partial) };
    },
    balance: (t) => balanceOf(pointAt(t).weights, layerNormsAt(t)),
    flattestValue,
    withTheta(t) {
      const weights = weightsOf(t).map((W) => map(W, decimalOf));
      return serializeModel({ ...model, weights } as DeepLinearModel<Rational>);
    },
  };
}

/**
 * The deep scalar chain `L = (c/2)(w_N⋯w_1 − m)²` without allocation: prefix and suffix products in
 * two preallocated arrays, `∂L/∂w_i = c (P − m) Π_{j≠i} w_j` (the closed form `c A_iᵀ R B_iᵀ` with
 * 1×1 matrices; the tests compare the two). Used for every scalar DMF (all widths 1).
 */
/** The trainable model of a model file (or `example:ID`) of either family. */
export function trainableFromSource(arg: string): TrainableModel {
  return loadNetwork(arg).trainable();
}

function scalarChainKernel(N: number, m: number, c: number): {
  loss(t: ArrayLike<number>): number;
  lossAndGradient(t: ArrayLike<number>, out: Float64Array): number;
  product(t: ArrayLike<number>): number;
} {
  const prefix = new Float64Array(N + 1);
  return {
    product(t) {
      let p = 1;
      for (let i = 0; i < N; i++) p *= t[i] as number;
      return p;
    },
    loss(t) {
      let p = 1;
      for (let i = 0; i < N; i++) p *= t[i] as number;
      const r = p - m;
      return 0.5 * c * r * r;
    },
    lossAndGradient(t, out) {
      prefix[0] = 1;
      for (let i = 0; i < N; i++) prefix[i + 1] = (prefix[i] as number) * (t[i] as number);
      const r = (prefix[N] as number) - m;
      const cr = c * r;
      let suffix = 1;
      for (let i = N - 1; i >= 0; i--) {
        out[i] = cr * (prefix[i] as number) * suffix;
        suffix *= t[i] as number;
      }
      return 0.5 * c * r * r;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Two-layer networks

function subsetTargets(t: TwoLayerTargets<number>, batch: readonly number[]): TwoLayerTargets<number> {
  if (t.kind === 'labels') return { kind: 'labels', format: t.format, labels: batch.map((s) => t.labels[s] as number) };
  const Y = t.values;
  return { kind: 'values', values: generate(Y.rows, batch.length, (i, j) => Y.data[i + Y.rows * (batch[j] as number)] as number) };
}

/** A two-layer network `f(x) = W_2 σ(W_1 x)` of a model file as a {@link TrainableModel}. */
export function twoLayerTrainable(model: TwoLayerModel<Rational>, label?: string): TrainableModel {
  const fmodel = toFloat64TwoLayer(model);
  const [W1, W2] = fmodel.weights;
  const h = W1.rows;
  const d = W1.cols;
  const cOut = W2.rows;
  const n = fmodel.data.inputs.cols;
  const params = h * d + cOut * h;
  const theta0 = new Float64Array(params);
  theta0.set(W1.data, 0);
  theta0.set(W2.data, h * d);
  const blocks: ParameterBlock[] = [
    { name: 'W_1', offset: 0, rows: h, cols: d },
    { name: 'W_2', offset: h * d, rows: cOut, cols: h },
  ];
  const weightsOf = (t: ArrayLike<number>): [Matrix<number>, Matrix<number>] => {
    const a = new Array<number>(h * d);
    for (let k = 0; k < h * d; k++) a[k] = t[k] as number;
    const b = new Array<number>(cOut * h);
    for (let k = 0; k < cOut * h; k++) b[k] = t[h * d + k] as number;
    return [fromColumnMajor(h, d, a), fromColumnMajor(cOut, h, b)];
  };
  const modelAt = (t: ArrayLike<number>): TwoLayerModel<number> => ({ ...fmodel, weights: weightsOf(t) });
  const pointAt = (t: ArrayLike<number>): ReturnType<typeof prepareTwoLayerPoint<number>> => prepareTwoLayerPoint(F64, modelAt(t));
  const lossGrad = (m: TwoLayerModel<number>, out: Float64Array): number => {
    const pt = prepareTwoLayerPoint(F64, m);
    const [G1, G2] = twoLayerGradient(pt);
    out.set(G1.data, 0);
    out.set(G2.data, h * d);
    return twoLayerLoss(pt);
  };
  const targets = fmodel.data.targets;
  const refNorm = targets.kind === 'values' ? Math.sqrt(frobeniusSq(F64, targets.values)) : 1;
  return {
    family: 'two-layer',
    label: label ?? `two-layer network (${fmodel.activation}, ${fmodel.loss}), d=${d}, h=${h}, c=${cOut}, n=${n}`,
    params,
    theta0,
    blocks,
    samples: n,
    hasSamples: true,
    loss: (t) => twoLayerLoss(pointAt(t)),
    lossAndGradient: (t, out) => lossGrad(modelAt(t), out),
    batchLossAndGradient: (t, batch, out) =>
      lossGrad({ ...fmodel, weights: weightsOf(t), data: { inputs: generate(d, batch.length, (i, j) => fmodel.data.inputs.data[i + d * (batch[j] as number)] as number), targets: subsetTargets(targets, batch) } }, out),
    hessianOperator: (t) => fastTwoLayerHessianOperator(pointAt(t)),
    sharpness: (t, options = {}) => topPair(fastTwoLayerHessianOperator(pointAt(t)), 'Hessian', options, 0),
    jacobianNorm(t) {
      // J(x_s) = W_2 diag(σ'(z_s)) W_1, c × d, for each sample.
      const pt = pointAt(t);
      let best = -1;
      let arg = 0;
      for (let s = 0; s < n; s++) {
        const J = mul(F64, generate(cOut, h, (a, k) => (pt.W2.data[a + cOut * k] as number) * (pt.D1.data[k + h * s] as number)), pt.W1);
        const v = spectralNorm(J);
        if (v > best) {
          best = v;
          arg = s;
        }
      }
      return { value: best, sample: arg, formula: "max_s ‖W_2 diag(σ'(W_1 x_s)) W_1‖₂ over the samples" };
    },
    relativeResidual(t) {
      const pt = pointAt(t);
      if (targets.kind !== 'values') return twoLayerLoss(pt);
      return Math.sqrt(frobeniusSq(F64, sub(F64, pt.out, targets.values))) / Math.max(refNorm, Number.MIN_VALUE);
    },
    ansatz: () => ({ unavailable: 'the bounds are stated for deep linear networks' }),
    balance: (t) => balanceOf(weightsOf(t)),
    flattestValue: null,
    withTheta(t) {
      const [A, B] = weightsOf(t);
      return serializeTwoLayerModel({ ...model, weights: [map(A, decimalOf), map(B, decimalOf)] });
    },
  };
}
