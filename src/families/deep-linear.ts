import { deepLinearReference } from '../autodiff/crosscheck.js';
import { deepLinearTrainable } from '../dynamics/deep-linear-trainable.js';
import { deepLinearDeviceModel } from '../autodiff/device-model.js';
import { networkCurvatureProblem } from '../curvature/problem.js';
import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { specFromModel, toFloatSpec } from '../hessian/from-model.js';
import { gradientVector } from '../hessian/gradient.js';
import { preparePoint } from '../hessian/point.js';
import { toFloat64Model, type DeepLinearModel } from '../models/model.js';
import { describeNetwork } from '../reports/describe.js';
import { hessianReport } from '../reports/hessian-report.js';
import { analyzeSharpness } from '../sharpness/sharpness.js';
import { modelLayers } from '../twolayer/model-layers.js';
import { deepLinearMinimizerTest } from './deep-linear-minimizer.js';
import type { Network } from './network.js';

/** A deep linear network (factorization or with data) as a {@link Network}. */
export function deepLinearNetwork(model: DeepLinearModel<Rational>, source: string): Network {
  const spec = specFromModel(model);
  const label = `${model.kind === 'dmf' ? 'deep matrix factorization' : 'deep linear network with data'} (${source})`;
  const problem = networkCurvatureProblem(spec, label);
  const any = { family: 'deep-linear', model } as const;
  return {
    ...problem,
    family: 'deep-linear',
    source,
    model: any,
    warnings: [],
    gradient: () => Float64Array.from(gradientVector(preparePoint(F64, toFloatSpec(spec)))),
    minimizerTest: (options = {}) => deepLinearMinimizerTest(spec, options),
    describe: (limits) => {
      const d = describeNetwork(spec, limits);
      const rows = [
        { label: 'kind', value: d.kind === 'dmf' ? 'deep matrix factorization (target M)' : `deep linear network with data (${d.samples ?? 0} samples)` },
        { label: 'depth', value: `N = ${d.depth}` },
        { label: 'widths', value: `d_0..d_N = ${d.widths.join(', ')}` },
        { label: 'parameters', value: String(d.params) },
        { label: 'loss scale', value: d.lossScale === 'half' ? '½‖·‖² (half)' : '‖·‖² (sum)' },
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
    layers: () => modelLayers(any),
    deviceModel: () => deepLinearDeviceModel(model, F64.fromRational),
    trainable: () => deepLinearTrainable(model),
    closedReference: () => deepLinearReference(toFloat64Model(model)),
  };
}
