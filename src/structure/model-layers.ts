/**
 * The layer blocks of a model (what `structure` and `overlap` read), in binary64; each family builds
 * them in `Network.layers()` (`src/families/`).
 */
import type { TwoLayerDims } from '../twolayer/model.js';
import type { LayerFactors } from './layer-block.js';

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
