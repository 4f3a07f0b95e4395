/**
 * dln-hessian: exact and float64 closed-form Hessians of deep linear networks.
 *
 * Conventions (`docs/math.md §1`): `W_i` is `d_i × d_{i−1}`, applied first to last, `P = W_N ⋯ W_1`;
 * `L = ½‖P − M‖_F²` (DMF) or `(1/2n)‖PX − Y‖_F²` (DLN); column-major `vec`;
 * `θ = (vec W_1, …, vec W_N)`. Arrays are 0-based in code; layers are numbered from 1 in messages.
 *
 * @packageDocumentation
 */
export * from './field/index.js';
export * from './linalg/index.js';
export * from './linop/index.js';
export * from './hessian/index.js';
export * from './models/index.js';
export * from './reports/index.js';
export * from './spectral/index.js';
export * from './sharpness/index.js';
export * from './generators/index.js';
export * from './verify/index.js';
export { networkCurvatureProblem } from './curvature/problem.js';
export type { CurvatureProblem, ParameterBlock } from './curvature/problem.js';
export { loadCurvatureProblem } from './curvature/load.js';
export { reducedProblem, reducedOperatorF64 } from './hessian/reduced.js';
export type { ReducedProblem } from './hessian/reduced.js';
export {
  deriveDocument,
  renderDocument,
  documentBuilder,
  DOCUMENT_BUILDERS,
  DERIVATION_FORMATS,
  DERIVE_LIMITS,
  DerivationInputError,
  DerivationCheckError,
} from './derivation/index.js';
export type { DocumentBuilder, DerivationFormat, DeriveRequest, DerivationResult, DerivationDocument } from './derivation/index.js';
export * from './twolayer/index.js';
export { loadAnySource, parseAnyModel } from './models/source.js';
export type { AnyModel } from './models/source.js';
export * from './autodiff/index.js';

// Verified binary64 interval arithmetic (sharpness certificates at points given in floating point).
export { F64I, mulEnclosed, symmetricEnclosure, encloseMatrix, floatAbove, floatBelow, nextUp, nextDown } from './verify/float-interval.js';
export type { Enclosed, SymmetricEnclosure } from './verify/float-interval.js';
