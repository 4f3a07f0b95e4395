import { specFromModel } from '../hessian/from-model.js';
import { loadAnySource } from '../models/source.js';
import { twoLayerCurvatureProblem } from '../twolayer/problem.js';
import { networkCurvatureProblem, type CurvatureProblem } from './problem.js';

/**
 * The curvature problem of a model file (or `example:ID`), whatever its family: a two-layer network
 * when the file says `"kind": "two-layer"` (see `twoLayerCurvatureProblem`), a deep linear network
 * (DMF or with data) otherwise.
 */
export function loadCurvatureProblem(arg: string): CurvatureProblem {
  const any = loadAnySource(arg);
  if (any.family === 'two-layer') {
    const m = any.model;
    return twoLayerCurvatureProblem(m, `two-layer network, ${m.activation} activation, ${m.loss} loss (${arg})`);
  }
  const model = any.model;
  return networkCurvatureProblem(specFromModel(model), `${model.kind === 'dmf' ? 'deep matrix factorization' : 'deep linear network with data'} (${arg})`);
}
