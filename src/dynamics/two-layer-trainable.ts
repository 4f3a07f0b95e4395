/** A two-layer network `f(x) = W_2 σ(W_1 x)` as a {@link TrainableModel}, on the family's closed forms. */
import { DynamicsInputError } from './errors.js';
import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { twoLayerMinimizerTestF64 } from '../families/two-layer-minimizer.js';
import { frobeniusSq, fromColumnMajor, generate, map, mul, sub, type Matrix } from '../linalg/matrix.js';
import { spectralNorm } from '../linalg/svd-f64.js';
import { fastTwoLayerHessianOperator } from '../twolayer/hvp-f64.js';
import { toFloat64TwoLayer, type TwoLayerModel, type TwoLayerTargets } from '../twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradient, twoLayerLoss } from '../twolayer/point.js';
import { decimalOf } from '../field/decimal.js';
import { twoLayerModelText } from '../families/model-writer.js';
import type { ParameterBlock } from '../curvature/problem.js';
import { trackedSharpness } from './tracked-sharpness.js';
import { balanceOf, type TrainableModel } from './trainable.js';

function subsetTargets(t: TwoLayerTargets<number>, batch: readonly number[]): TwoLayerTargets<number> {
  if (t.kind === 'labels') return { kind: 'labels', format: t.format, labels: batch.map((s) => t.labels[s] as number) };
  const Y = t.values;
  return { kind: 'values', values: generate(Y.rows, batch.length, (i, j) => Y.data[i + Y.rows * (batch[j] as number)] as number) };
}

/** A two-layer network `f(x) = W_2 σ(W_1 x)` of a model file as a {@link TrainableModel}. */
export function twoLayerTrainable(model: TwoLayerModel<Rational>, label?: string): TrainableModel {
  if (model.biases?.b1 !== undefined || model.biases?.b2 !== undefined) {
    throw new DynamicsInputError(
      'train and escape do not take two-layer networks with biases yet (their adapter covers f(x) = W_2 σ(W_1 x)); ' +
        'check, hessian, sharpness, spectrum, structure, projections, trace and landscape do',
    );
  }
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
    sharpness: (t, options = {}) => trackedSharpness(fastTwoLayerHessianOperator(pointAt(t)), 'Hessian', options, 0),
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
    minimizerTest: (t) => twoLayerMinimizerTestF64(modelAt(t)),
    ansatz: () => ({ unavailable: 'the bounds are stated for deep linear networks' }),
    balance: (t) => balanceOf(weightsOf(t)),
    flattestValue: null,
    withTheta(t) {
      const [A, B] = weightsOf(t);
      return twoLayerModelText({ ...model, weights: [map(A, decimalOf), map(B, decimalOf)] });
    },
  };
}