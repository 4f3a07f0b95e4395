import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { map, type Matrix } from '../linalg/matrix.js';
import type { DeepLinearModel } from '../models/model.js';
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

/**
 * Converts an exact spec to binary64 (rounding each entry once). Refuses (`FloatRangeError`, exit 2)
 * a point where the float stages would overflow (src/hessian/float-range.ts).
 */
export function toFloatSpec(spec: NetworkSpec<Rational>): NetworkSpec<number> {
  assertFloatStagesFit(spec);
  const f = (M: Matrix<Rational>): Matrix<number> => map(M, (x) => F64.fromRational(x));
  const obj = spec.objective;
  return {
    weights: spec.weights.map(f),
    objective: obj.kind === 'dmf' ? { kind: 'dmf', target: f(obj.target) } : { kind: 'dln', inputs: f(obj.inputs), targets: f(obj.targets) },
    reduction: spec.reduction,
  };
}
