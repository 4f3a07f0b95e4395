/**
 * The deep linear network (factorization or with data) as a {@link TrainableModel}, on the family's
 * closed forms (`preparePoint`, `hessianOperator`, `reducedOperatorF64`).
 *
 * Loss and gradient at every step run on one of two binary64 kernels of the same closed form
 * `∂L/∂W_i = c A_iᵀ R B_iᵀ` (the tests compare both with the generic `gradient` and with exact steps
 * over Q): the buffer kernel (`gradient-f64.ts`: any widths, full batch and minibatches) and, for the
 * scalar chain (all widths 1, deep matrix factorization), the allocation-free kernel below. The second
 * exists for speed: `escape` on deep scalar chains takes 10⁵–10⁶ steps per run, where the buffer
 * kernel's per-layer calls dominate (the `escape` case of the dynamics bench).
 */
import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { deepLinearMinimizerTestF64 } from '../families/deep-linear-minimizer.js';
import { gamma, type MinimizerTest } from '../families/minimizer.js';
import { specFromModel, toFloatSpec } from '../hessian/from-model.js';
import { hessianOperator } from '../hessian/hvp.js';
import { chainWidths, parameterOffsets, preparePoint, specLossCoefficient, type NetworkPoint, type NetworkSpec } from '../hessian/point.js';
import { reducedOperatorF64 } from '../hessian/reduced.js';
import { frobeniusSq, fromColumnMajor, map, mul, transpose, type Matrix } from '../linalg/matrix.js';
import { spectralNorm } from '../linalg/svd-f64.js';
import type { DeepLinearModel } from '../models/model.js';
import { decimalOf } from '../field/decimal.js';
import { deepLinearModelText } from '../families/model-writer.js';
import type { ParameterBlock } from '../curvature/problem.js';
import { deepLinearGradientKernel, type DeepLinearGradientKernel } from './gradient-f64.js';
import { trackedSharpness } from './tracked-sharpness.js';
import { balanceOf, type TrainableModel } from './trainable.js';

/** Whether the inputs of a deep linear network are whitened, and by how much they miss. */
export interface Whitening {
  readonly whitened: boolean;
  /** `max_ij |(XXᵀ/n − I)_ij|` in binary64. */
  readonly defect: number;
  /** The rounding tolerance it is compared with. */
  readonly tolerance: number;
  /** Why the ansatz bounds are unavailable, when the data are not whitened. */
  readonly reason: string;
}

/**
 * Whether the inputs are whitened, `Σ = XXᵀ/n = I`, up to rounding. Each entry of `XXᵀ/n` is a mean
 * of `n` products; formed in binary64 it is within `γ_n·max|x|²` of the exact mean of the stored
 * entries, and when the stored entries are roundings of whitened data with unit roundoff `u_x`
 * (`2⁻²⁴` when every entry is a float32 value, as in data exported from float32 tensors; else `2⁻⁵³`,
 * one rounding of the file's decimals) the exact mean moves by at most `(2u_x + u_x²)·max|x|²`.
 * The data count as whitened when every entry of `Σ − I` is within the sum of the two.
 */
export function whitening(X: Matrix<number>): Whitening {
  const n = X.cols;
  let maxAbs = 0;
  let float32 = true;
  for (const x of X.data) {
    maxAbs = Math.max(maxAbs, Math.abs(x));
    if (Math.fround(x) !== x) float32 = false;
  }
  const ux = float32 ? 2 ** -24 : 2 ** -53;
  const tolerance = (gamma(n) + 2 * ux + ux * ux) * maxAbs * maxAbs;
  const sigma = map(mul(F64, X, transpose(X)), (x) => x / n);
  let defect = 0;
  sigma.data.forEach((x, k) => {
    defect = Math.max(defect, Math.abs(x - (k % (sigma.rows + 1) === 0 ? 1 : 0)));
  });
  const reason =
    `the data are not whitened: max |(XXᵀ/n − I)_ij| = ${defect.toExponential(3)} is above the rounding tolerance ` +
    `(γ_n + 2u_x + u_x²)·max|x|² = ${tolerance.toExponential(3)} (u_x = ${float32 ? '2⁻²⁴: the entries are float32 values' : '2⁻⁵³'}), and the bounds are stated for XXᵀ/n = I`;
  return { whitened: defect <= tolerance, defect, tolerance, reason };
}

/** The deep linear network (DMF or with data) of a model file as a {@link TrainableModel}. */
export function deepLinearTrainable(model: DeepLinearModel<Rational>, label?: string): TrainableModel {
  const fspec = toFloatSpec(specFromModel(model));
  const widths = chainWidths(fspec.weights);
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
  let memo: { pt: NetworkPoint<number>; layer?: number[]; partial?: { aN: number[]; bN: number[] }; pN?: number; test?: MinimizerTest } | null = null;
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
  const minimizerTestAt = (t: ArrayLike<number>): MinimizerTest => {
    const m = memoAt(t);
    m.test ??= deepLinearMinimizerTestF64(m.pt.spec);
    return m.test;
  };
  // Whitened data: Σ = XXᵀ/n = I up to rounding; DMF is whitened by definition.
  const whiteData = obj.kind === 'dmf' ? null : whitening(obj.inputs);
  let M: Matrix<number> | null = null;
  if (obj.kind === 'dmf') M = obj.target;
  else if (whiteData?.whitened === true) M = map(mul(F64, obj.targets, transpose(obj.inputs)), (x) => x / n);
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
  // Minibatches run on the same buffer kernel, over batch copies of the columns of X and Y (one
  // kernel per batch size, its buffers refilled in place for each batch).
  const batchKernels = new Map<number, { X: Float64Array; Y: Float64Array; kernel: DeepLinearGradientKernel }>();
  const batchKernel = (batch: readonly number[]): DeepLinearGradientKernel => {
    if (obj.kind !== 'dln') return kernel;
    const d0 = obj.inputs.rows;
    const dN = obj.targets.rows;
    let k = batchKernels.get(batch.length);
    if (k === undefined) {
      const X = new Float64Array(d0 * batch.length);
      const Y = new Float64Array(dN * batch.length);
      k = { X, Y, kernel: deepLinearGradientKernel(widths, X, Y, c) };
      batchKernels.set(batch.length, k);
    }
    const { X, Y } = k;
    batch.forEach((s, j) => {
      X.set(obj.inputs.data.slice(d0 * s, d0 * (s + 1)), d0 * j);
      Y.set(obj.targets.data.slice(dN * s, dN * (s + 1)), dN * j);
    });
    return k.kernel;
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
    batchLossAndGradient: (t, batch, out) => batchKernel(batch).lossAndGradient(t, out),
    hessianOperator: (t) => hessianOperator(pointAt(t)),
    sharpness(t, options = {}) {
      const pt = pointAt(t);
      // At a zero-loss minimizer within rounding (the one minimizer test) the Hessian is its
      // Gauss–Newton part up to the residual part, bounded by residualBound: λ_max of the smaller
      // reduced operator K is used there, the Hessian everywhere else.
      if (minimizerTestAt(t).isZeroLoss) {
        return trackedSharpness(reducedOperatorF64(pt), 'reduced operator K', options, residualBoundOf(pt, layerNormsAt(t)));
      }
      return trackedSharpness(hessianOperator(pt), 'Hessian', options, 0);
    },
    jacobianNorm(t) {
      if (chain !== null) return { value: Math.abs(chain.product(t)), sample: 0, formula: '‖P‖₂ (the Jacobian of x ↦ W_N⋯W_1 x is P for every input)' };
      return { value: pNormAt(t), sample: 0, formula: '‖P‖₂ (the Jacobian of x ↦ W_N⋯W_1 x is P for every input)' };
    },
    relativeResidual: (t) => relativeResidualOf(pointAt(t)),
    minimizerTest: minimizerTestAt,
    ansatz(t) {
      if (whiteData !== null && !whiteData.whitened) return { unavailable: whiteData.reason };
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
      return deepLinearModelText({ ...model, weights } as DeepLinearModel<Rational>);
    },
  };
}
/**
 * The deep scalar chain `L = (c/2)(w_N⋯w_1 − m)²` without allocation: prefix products in one
 * preallocated array and a running suffix product, `∂L/∂w_i = c (P − m) Π_{j≠i} w_j` (the closed form
 * `c A_iᵀ R B_iᵀ` with 1×1 matrices; the tests compare the two). Used for every scalar DMF (all widths 1).
 */
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
