/**
 * Two-layer networks `f(x) = W_2 σ(W_1 x)` (`docs/math.md §5`) and the structure of layer-wise Hessians
 * (arXiv 2010.04261, "Dissecting Hessian"). See docs/two-layer.md.
 */
export { ACTIVATIONS, TWO_LAYER_LOSSES, convertTwoLayerModel, isExactActivation, supportsExact, toFloat64TwoLayer, hasBiases, mapBiases, twoLayerDims } from './model.js';
export type { ActivationName, TwoLayerBiases, TwoLayerData, TwoLayerDims, TwoLayerLoss, TwoLayerModel, TwoLayerTargets } from './model.js';
export { activationF64, evaluateActivation, hasZeroSecondDerivative, InexactActivationError } from './activations.js';
export type { ActivationValue } from './activations.js';
export {
  applyOutputCurvature,
  KinkError,
  NotExactError,
  outputCurvatureMatrix,
  prepareTwoLayerPoint,
  targetLabels,
  twoLayerGradient,
  twoLayerGradientVector,
  twoLayerLoss,
} from './point.js';
export type { Kink, KinkPolicy, OutputCurvature, PrepareOptions, TwoLayerPoint } from './point.js';
export { hessianBlock11, hessianBlock12, hessianBlock22, layerOneCurvatures, twoLayerHessian, twoLayerHessianBlocks } from './dense.js';
export type { TwoLayerHessianBlocks } from './dense.js';
export { twoLayerHessianOperator, twoLayerHessianVectorProduct, parametersFromTheta, twoLayerTheta, weightsFromTheta } from './hvp.js';
export { fastTwoLayerHessianOperator, fastTwoLayerHvp } from './hvp-f64.js';
export { assertTwoLayerExactFits, estimateTwoLayerExactHessian } from './limits.js';
export { kinkWarnings, twoLayerCurvatureProblem, twoLayerParameterBlocks } from './problem.js';
export type { TwoLayerCurvatureProblem } from './problem.js';
export {
  blockFrobeniusSq,
  blockKroneckerInner,
  centredInputs,
  curvatureGram,
  denseLayerBlock,
  inputMean,
  inputSecondMoment,
  isKroneckerExact,
  layerBlockOperator,
  layerMatmat,
  layerMatvec,
  layerOperator,
  meanCurvature,
  withInputs,
} from './layer-block.js';
export type { LayerFactors, OutputFactor } from './layer-block.js';
export { deepLinearLayerFactors, twoLayerLayerFactors } from './layer-factors.js';
export { blockTopEigenpairs } from './block-eigen.js';
export type { BlockEigenOptions, BlockEigenResult, BlockOperator } from './block-eigen.js';
export { DEFAULT_DENSE_UP_TO, topDenseEigenpairs, topKroneckerEigenpairs, topLayerEigenpairs } from './top-eigen.js';
export type { EigenMethod, TopEigenOptions, TopEigenpairs } from './top-eigen.js';
export { chanceOverlap, orthonormalize, overlapCurve, subspaceOverlap } from './overlap.js';
export { analyzeLayerStructure, analyzeStructure } from './structure.js';
export type { ErrorMethod, LayerStructure, StructureMeasures, StructureOptions, StructureReport } from './structure.js';
export { modelLayers } from './model-layers.js';
export type { ModelLayers } from './model-layers.js';
export { modelOverlap, topFullHessianEigenpairs, topLayerEigenpairsOfModel } from './model-overlap.js';
export type { ModelOverlap } from './model-overlap.js';
export { angle, reluDerivativeCorrelation, reluMean, reluPopulationMean, reluPopulationSecondMoment, reluSecondMoment } from './relu-gaussian.js';
export { gaussianGenerator, gradientStep, sampledLoss, sampleTwoLayerModel, toDecimalModel } from './sample.js';
export type { SampleSpec } from './sample.js';
export { decimalOf, exactEntryText, serializeTwoLayerModel } from './write.js';
