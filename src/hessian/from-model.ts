import type { DeepLinearModel } from '../models/model.js';
import type { NetworkSpec } from './point.js';

/** The closed forms' view of a model file: weights, objective and loss scale. */
export function specFromModel<S>(m: DeepLinearModel<S>): NetworkSpec<S> {
  return {
    weights: m.weights,
    objective: m.kind === 'dmf' ? { kind: 'dmf', target: m.target } : { kind: 'dln', inputs: m.data.inputs, targets: m.data.targets },
    lossScale: m.lossScale,
  };
}
