/**
 * The layer blocks of a model of either family (what `structure` and `overlap` read), in binary64.
 */
import { F64 } from '../field/field.js';
import { specFromModel } from '../hessian/from-model.js';
import type { AnyModel } from '../models/source.js';
import { toFloatSpec } from '../hessian/from-model.js';
import type { LayerFactors } from './layer-block.js';
import { deepLinearLayerFactors, twoLayerLayerFactors } from './layer-factors.js';
import { toFloat64TwoLayer, type TwoLayerDims } from './model.js';
import { prepareTwoLayerPoint } from './point.js';
import { kinkWarnings } from './problem.js';

/** A model's layer blocks with a description and the warnings met (e.g. ReLU kinks). */
export interface ModelLayers {
  readonly family: 'two-layer' | 'deep-linear';
  /** E.g. `two-layer network (relu, cross-entropy; d = 64, h = 256, c = 10, n = 1000)`. */
  readonly summary: string;
  readonly layers: readonly LayerFactors[];
  readonly warnings: readonly string[];
}

/** `; biases b_1, b_2 (each in its layer's block, input augmented by a 1)` or empty. */
export function biasSummary(dims: TwoLayerDims): string {
  const names = [...(dims.bias1 ? ['b_1'] : []), ...(dims.bias2 ? ['b_2'] : [])];
  return names.length === 0 ? '' : `; biases ${names.join(', ')} (each in its layer's block, input augmented by a 1)`;
}

/** The layer blocks of a two-layer network or a deep linear network (DMF or with data). */
export function modelLayers(any: AnyModel): ModelLayers {
  if (any.family === 'two-layer') {
    const m = any.model;
    const pt = prepareTwoLayerPoint(F64, toFloat64TwoLayer(m));
    const { d, h, c, n } = pt.dims;
    return {
      family: 'two-layer',
      summary: `two-layer network (${m.activation}, ${m.loss}; d = ${d}, h = ${h}, c = ${c}, n = ${n}${biasSummary(pt.dims)})`,
      layers: twoLayerLayerFactors(pt),
      warnings: kinkWarnings(pt),
    };
  }
  const m = any.model;
  const spec = toFloatSpec(specFromModel(m));
  const kind = m.kind === 'dmf' ? 'deep matrix factorization (data X = I, no sample average)' : `deep linear network with data (n = ${m.data.inputs.cols})`;
  return {
    family: 'deep-linear',
    summary: `${kind}, widths ${m.widths.join(', ')}`,
    layers: deepLinearLayerFactors(spec),
    warnings: [],
  };
}
