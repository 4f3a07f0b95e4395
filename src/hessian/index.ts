export { preparePoint, chainWidths, parameterCountOfWidths, parameterOffsets } from './point.js';
export type { Objective, NetworkSpec, NetworkPoint } from './point.js';
export { loss, lossAt, gradient, gradientVector, gradientNormSq } from './gradient.js';
export { hessian, gaussNewton, residualPart, hessianBlocks, parameterIndex } from './dense.js';
export type { HessianPart } from './dense.js';
export { hessianVectorProduct, hessianOperator } from './hvp.js';
export { specFromModel, toFloatSpec } from './from-model.js';
export {
  DEFAULT_EXACT_LIMITS,
  DEFAULT_DENSE_LIMITS,
  LimitError,
  estimateExactHessian,
  assertExactHessianFits,
  assertDenseFits,
} from './limits.js';
export type { ExactLimits, DenseLimits, ExactEstimate } from './limits.js';
