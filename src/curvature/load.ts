import { specFromModel } from '../hessian/from-model.js';
import { loadModelSource } from '../models/source.js';
import { networkCurvatureProblem, type CurvatureProblem } from './problem.js';

/** The curvature problem of a model file (or `example:ID`), whatever its family. */
export function loadCurvatureProblem(arg: string): CurvatureProblem {
  const model = loadModelSource(arg);
  return networkCurvatureProblem(specFromModel(model), `${model.kind === 'dmf' ? 'deep matrix factorization' : 'deep linear network with data'} (${arg})`);
}
