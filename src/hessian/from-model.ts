import type { Rational } from '../field/rational.js';
import type { DeepLinearModel } from '../models/model.js';
import { toFloat64Matrix } from '../models/float-side.js';
import type { NetworkSpec } from './point.js';
import { assertFloatStagesFit } from './float-range.js';

/** The closed forms' view of a model file: weights, objective and loss scale. */
export function specFromModel<S>(m: DeepLinearModel<S>): NetworkSpec<S> {
  return {
    weights: m.weights,
    objective: m.kind === 'dmf' ? { kind: 'dmf', target: m.target } : { kind: 'dln', inputs: m.data.inputs, targets: m.data.targets },
    reduction: m.reduction,
  };
}

const FLOAT_SPECS = new WeakMap<NetworkSpec<Rational>, NetworkSpec<number>>();

/**
 * Converts an exact spec to binary64 (rounding each entry once; the same spec object converts once
 * and later calls return the same result). Refuses (`FloatRangeError`, exit 2) a point where the float
 * stages would overflow (src/hessian/float-range.ts).
 */
export function toFloatSpec(spec: NetworkSpec<Rational>): NetworkSpec<number> {
  const known = FLOAT_SPECS.get(spec);
  if (known !== undefined) return known;
  assertFloatStagesFit(spec);
  const f = toFloat64Matrix;
  const obj = spec.objective;
  const out: NetworkSpec<number> = {
    weights: spec.weights.map(f),
    objective: obj.kind === 'dmf' ? { kind: 'dmf', target: f(obj.target) } : { kind: 'dln', inputs: f(obj.inputs), targets: f(obj.targets) },
    reduction: spec.reduction,
  };
  FLOAT_SPECS.set(spec, out);
  return out;
}
