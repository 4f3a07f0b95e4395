/**
 * Layer-wise Hessian structure for every family (arXiv 2010.04261, "Dissecting Hessian"): layer blocks
 * and their Kronecker factors, block Lanczos, top eigenpairs, eigenspace overlap, the structure
 * report. Families supply their layer factors through `Network.layers()`.
 */
export {
  blockFrobeniusSq,
  blockKroneckerInner,
  centredInputs,
  curvatureGram,
  denseLayerBlock,
  inputMean,
  inputSecondMoment,
  isKroneckerExact,
  layerMatmat,
  layerMatvec,
  layerOperator,
  meanCurvature,
  withInputs,
} from './layer-block.js';
export type { LayerFactors, OutputFactor } from './layer-block.js';
// The solver entry point and its result type (topEigenpairs, TopEigenpairs, blockTopEigenpairs, …) are exported by spectral/.
export { SUBSPACE_TOLERANCE, topKroneckerEigenpairs, topLayerEigenpairs } from './top-eigen.js';
export type { TopEigenOptions } from './top-eigen.js';
export { chanceOverlap, orthonormalize, overlapCurve, subspaceOverlap } from './overlap.js';
export { analyzeLayerStructure, analyzeStructure } from './structure.js';
export type { ErrorMethod, LayerStructure, StructureMeasures, StructureOptions, StructureReport } from './structure.js';
export type { ModelLayers } from './model-layers.js';
export { modelOverlap, topFullHessianEigenpairs, topLayerEigenpairsOfModel } from './model-overlap.js';
export type { ModelOverlap } from './model-overlap.js';
