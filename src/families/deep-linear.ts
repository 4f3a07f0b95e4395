import { deepLinearReference } from '../autodiff/crosscheck.js';
import { deepLinearTrainable } from '../dynamics/deep-linear-trainable.js';
import { deepLinearDeviceModel } from '../autodiff/device-model.js';
import { deepLinearExactHessian, deepLinearParameterBlocks, networkCurvatureProblem } from '../curvature/problem.js';
import { lazyCurvatureProblem, withMembers } from './lazy-problem.js';
import type { CurvatureProblem } from '../curvature/problem.js';
import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { assertFloatStagesFit } from '../hessian/float-range.js';
import { specFromModel, toFloatSpec } from '../hessian/from-model.js';
import { gradientVector } from '../hessian/gradient.js';
import { chainWidths, preparePoint, residualShapeOf } from '../hessian/point.js';
import { lossConvention } from '../models/reduction.js';
import { convertModel, toFloat64Model, type DeepLinearModel } from '../models/model.js';
import { describeNetwork } from '../reports/describe.js';
import { hessianReport } from '../reports/hessian-report.js';
import { analyzeSharpness } from '../sharpness/sharpness.js';
import type { ModelLayers } from '../structure/model-layers.js';
import { deepLinearLayerFactors } from '../twolayer/layer-factors.js';
import { deepLinearMinimizerTest } from './deep-linear-minimizer.js';
import type { Network } from './network.js';

/** A deep linear network (factorization or with data) as a {@link Network}. */
export function deepLinearNetwork(model: DeepLinearModel<Rational>, source: string): Network {
  const spec = specFromModel(model);
  const label = `${model.kind === 'dmf' ? 'deep matrix factorization' : 'deep linear network with data'} (${source})`;
  const problem = lazyCurvatureProblem(label, deepLinearParameterBlocks(chainWidths(spec.weights)), () => networkCurvatureProblem(spec, label), () => deepLinearExactHessian(spec));
  const any = { family: 'deep-linear', model } as const;
  const convention = lossConvention(model.reduction, residualShapeOf(spec.objective), model.kind === 'dmf' ? 'P − M' : 'PX − Y', model.kind === 'dmf');
  const members: Omit<Network, keyof CurvatureProblem> = {
    family: 'deep-linear',
    source,
    model: any,
    warnings: [],
    convention,
    gradient: () => Float64Array.from(gradientVector(preparePoint(F64, toFloatSpec(spec)))),
    minimizerTest: (options = {}) => deepLinearMinimizerTest(spec, options),
    describe: (limits) => {
      const d = describeNetwork(spec, limits);
      const rows = [
        { label: 'kind', value: d.kind === 'dmf' ? 'deep matrix factorization (target M)' : `deep linear network with data (${d.samples ?? 0} samples)` },
        { label: 'depth', value: `N = ${d.depth}` },
        { label: 'widths', value: `d_0..d_N = ${d.widths.join(', ')}` },
        { label: 'parameters', value: String(d.params) },
        { label: 'convention', value: convention.formula },
      ];
      const { loss, lossExact, gradientNorm, gradientNormSqExact, minimizer, ...fields } = d;
      return {
        family: 'deep-linear',
        kind: d.kind,
        params: d.params,
        rows,
        fields,
        loss,
        ...(lossExact !== undefined ? { lossExact } : {}),
        gradientNorm,
        ...(gradientNormSqExact !== undefined ? { gradientNormSqExact } : {}),
        minimizer,
        warnings: [],
      };
    },
    hessianReport: (options) => hessianReport(spec, options),
    sharpness: (options) => analyzeSharpness(model, spec, options),
    layers: (): ModelLayers => ({
      family: 'deep-linear',
      summary: `${model.kind === 'dmf' ? 'deep matrix factorization (data X = I, no sample average)' : `deep linear network with data (n = ${model.data.inputs.cols})`}, widths ${model.widths.join(', ')}`,
      layers: deepLinearLayerFactors(toFloatSpec(spec)),
      warnings: [],
    }),
    // The device's own float32 range check names the array (autodiff/device-model.ts).
    deviceModel: () => deepLinearDeviceModel(model, F64.fromRational),
    trainable: () => deepLinearTrainable(model),
    // Like with like: the closed forms at the float32 values the device holds (docs/autodiff.md).
    closedReference: () => {
      assertFloatStagesFit(spec);
      return deepLinearReference(convertModel(toFloat64Model(model), Math.fround));
    },
  };
  return withMembers(problem, members);
}
