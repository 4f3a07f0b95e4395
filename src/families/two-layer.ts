import { twoLayerReference } from '../autodiff/crosscheck.js';
import { twoLayerTrainable } from '../dynamics/two-layer-trainable.js';
import { twoLayerDeviceModel } from '../autodiff/device-model.js';
import { F64, Q, type Field } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { assertDenseFits, DEFAULT_DENSE_LIMITS, DEFAULT_EXACT_LIMITS, type ExactLimits } from '../hessian/limits.js';
import { transpose } from '../linalg/matrix.js';
import { assembleHessianReport, type HessianBlock, type HessianParts } from '../reports/hessian-report.js';
import { fullHessianSharpness } from '../sharpness/full-hessian.js';
import { NotExactError } from '../twolayer/point.js';
import { twoLayerHessianBlocks, twoLayerHessian } from '../twolayer/dense.js';
import { assertTwoLayerExactFits } from '../twolayer/limits.js';
import { biasSummary, type ModelLayers } from '../structure/model-layers.js';
import { twoLayerLayerFactors } from '../twolayer/layer-factors.js';
import { convertTwoLayerModel, supportsExact, toFloat64TwoLayer, twoLayerDims, type TwoLayerModel } from '../twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from '../twolayer/point.js';
import { twoLayerCurvatureProblem, twoLayerExactHessian, twoLayerParameterBlocks, type TwoLayerCurvatureProblem } from '../twolayer/problem.js';
import { lazyCurvatureProblem, withMembers } from './lazy-problem.js';
import type { CurvatureProblem } from '../curvature/problem.js';
import { lossConvention } from '../models/reduction.js';
import { FamilyNotSupportedError } from './support.js';
import type { Network, NetworkDescription } from './network.js';
import { twoLayerMinimizerTest } from './two-layer-minimizer.js';

export { twoLayerMinimizerTest, twoLayerMinimizerTestF64 } from './two-layer-minimizer.js';


function hessianParts<S>(F: Field<S>, model: TwoLayerModel<S>, withBlocks: boolean): HessianParts<S> {
  const pt = prepareTwoLayerPoint(F, model);
  const g = twoLayerGradientVector(pt);
  const g2 = g.reduce((s, x) => F.add(s, F.mul(x, x)), F.zero);
  const blocks: HessianBlock<S>[] = [];
  if (withBlocks) {
    const { H11, H12, H22 } = twoLayerHessianBlocks(pt);
    blocks.push({ row: 1, col: 1, matrix: H11 }, { row: 1, col: 2, matrix: H12 }, { row: 2, col: 1, matrix: transpose(H12) }, { row: 2, col: 2, matrix: H22 });
  }
  const { d, h, c } = pt.dims;
  return { H: twoLayerHessian(pt), blocks, loss: twoLayerLoss(pt), g2, widths: [d, h, c] };
}

/** `W_2 σ(W_1 x + b_1) + b_2` with the biases the model has. */
function formulaOf(dims: { bias1: boolean; bias2: boolean }): string {
  return `W_2 σ(W_1 x${dims.bias1 ? ' + b_1' : ''})${dims.bias2 ? ' + b_2' : ''}`;
}

/** A two-layer network `f(x) = W_2 σ(W_1 x + b_1) + b_2` (biases optional) as a {@link Network}. */
export function twoLayerNetwork(model: TwoLayerModel<Rational>, source: string): Network {
  const label = `two-layer network, ${model.activation} activation, ${model.loss} loss (${source})`;
  let built: TwoLayerCurvatureProblem | undefined;
  const float = (): TwoLayerCurvatureProblem => (built ??= twoLayerCurvatureProblem(model, label));
  const problem = lazyCurvatureProblem(label, twoLayerParameterBlocks(twoLayerDims(model)), float, () => twoLayerExactHessian(model));
  const any = { family: 'two-layer', model } as const;
  const dims = twoLayerDims(model);
  const fmodel = (): TwoLayerModel<number> => toFloat64TwoLayer(model);
  const exactFits = (limits: ExactLimits): boolean => supportsExact(model) && dims.params <= limits.maxParams;
  const members: Omit<Network, keyof CurvatureProblem> = {
    family: 'two-layer',
    get warnings(): readonly string[] {
      return float().warnings;
    },
    source,
    model: any,
    convention: lossConvention(model.loss === 'cross-entropy' ? 'cross-entropy' : model.reduction, { samples: dims.n, outputs: dims.c }, 'F − Y'),
    gradient: () => Float64Array.from(twoLayerGradientVector(float().point)),
    minimizerTest: (options = {}) => twoLayerMinimizerTest(model, options),
    describe: (limits): NetworkDescription => {
      const minimizer = twoLayerMinimizerTest(model, { exact: true, limits });
      const rows = [
        { label: 'kind', value: `two-layer network f(x) = ${formulaOf(dims)}, ${model.activation} activation, ${model.loss} loss` },
        { label: 'dimensions', value: `d = ${dims.d}, h = ${dims.h}, c = ${dims.c}, n = ${dims.n} samples` },
        { label: 'parameters', value: String(dims.params) },
        { label: 'convention', value: lossConvention(model.loss === 'cross-entropy' ? 'cross-entropy' : model.reduction, { samples: dims.n, outputs: dims.c }, 'F − Y').formula },
      ];
      const fields = { activation: model.activation, lossFunction: model.loss, dims: { d: dims.d, h: dims.h, c: dims.c, n: dims.n }, biases: { b1: dims.bias1, b2: dims.bias2 }, reduction: model.reduction };
      let exact: { loss: Rational; g2: Rational } | undefined;
      if (exactFits(limits)) {
        try {
          const pt = prepareTwoLayerPoint(Q, model);
          const g = twoLayerGradientVector(pt);
          exact = { loss: twoLayerLoss(pt), g2: g.reduce((s, x) => s.add(x.mul(x)), Q.zero) };
        } catch (e) {
          if (!(e instanceof NotExactError)) throw e;
        }
      }
      const base = { family: 'two-layer' as const, kind: 'two-layer', params: dims.params, rows, fields, minimizer, warnings: float().warnings };
      if (exact !== undefined) {
        return { ...base, loss: exact.loss.toNumber(), lossExact: exact.loss.toString(), gradientNorm: Math.sqrt(exact.g2.toNumber()), gradientNormSqExact: exact.g2.toString() };
      }
      const g = twoLayerGradientVector(float().point);
      return { ...base, loss: twoLayerLoss(float().point), gradientNorm: Math.sqrt(g.reduce((s, x) => s + x * x, 0)) };
    },
    hessianReport: (options) => {
      assertDenseFits(dims.params, options.denseLimits ?? DEFAULT_DENSE_LIMITS);
      const t0 = performance.now();
      if (options.exact === true) {
        if (!supportsExact(model)) {
          throw new NotExactError(
            `--exact: a two-layer network with ${model.activation} activation and ${model.loss} loss has no exact Hessian (exact arithmetic needs the squared loss with identity, quadratic or ReLU); drop --exact for float64`,
          );
        }
        assertTwoLayerExactFits(model, options.exactLimits ?? DEFAULT_EXACT_LIMITS);
        return assembleHessianReport({ field: 'Q', parts: hessianParts(Q, model, options.blocks === true) }, (performance.now() - t0) / 1000);
      }
      return assembleHessianReport({ field: 'F64', parts: hessianParts(F64, fmodel(), options.blocks === true) }, (performance.now() - t0) / 1000);
    },
    sharpness: (options) => {
      if (options.exact === true) {
        throw new FamilyNotSupportedError(
          'sharpness --exact',
          'two-layer',
          'the exact certificate works on the reduced operator K of a deep linear network at a minimizer; drop --exact for λ_max of the full two-layer Hessian (binary64, Lanczos and dense where it fits), or use hessian --exact for the exact Hessian and its eigenvalues',
        );
      }
      return fullHessianSharpness(problem, { kind: 'two-layer', widths: [dims.d, dims.h, dims.c] }, twoLayerMinimizerTest(model), options);
    },
    layers: (): ModelLayers => {
      const pt = float().point;
      const { d, h, c, n } = pt.dims;
      return {
        family: 'two-layer',
        summary: `two-layer network (${model.activation}, ${model.loss}; d = ${d}, h = ${h}, c = ${c}, n = ${n}${biasSummary(pt.dims)})`,
        layers: twoLayerLayerFactors(pt),
        warnings: float().warnings,
      };
    },
    // The device's own float32 range check names the array (autodiff/device-model.ts).
    deviceModel: () => twoLayerDeviceModel(model, F64.fromRational),
    trainable: () => twoLayerTrainable(model),
    // Like with like: the closed forms at the float32 values the device holds (docs/autodiff.md).
    closedReference: () => twoLayerReference(convertTwoLayerModel(fmodel(), Math.fround)),
  };
  return withMembers(problem, members);
}
