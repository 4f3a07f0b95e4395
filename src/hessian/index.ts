export { preparePoint, chainWidths, parameterCount, parameterOffsets } from './point.js';
export type { LossScale, Objective, NetworkSpec, NetworkPoint } from './point.js';
export { loss, gradient, gradientVector, gradientNormSq } from './gradient.js';
export { hessian, gaussNewton, residualPart, hessianBlocks, parameterIndex } from './dense.js';
export type { HessianPart } from './dense.js';
export { hessianVectorProduct, hessianOperator } from './hvp.js';
