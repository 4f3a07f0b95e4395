/**
 * Two-layer networks `f(x) = W_2 σ(W_1 x + b_1) + b_2` (`docs/math.md §5`): closed forms, HVPs, the
 * layer factors of their Hessian blocks. The structure tools that read any family are in
 * `src/structure/`. See docs/two-layer.md.
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
export { deepLinearLayerFactors, twoLayerLayerFactors } from './layer-factors.js';
export { angle, reluDerivativeCorrelation, reluMean, reluPopulationMean, reluPopulationSecondMoment, reluSecondMoment } from './relu-gaussian.js';
export { gaussianGenerator, gradientStep, sampledLoss, sampleTwoLayerModel, toDecimalModel } from './sample.js';
export type { SampleSpec } from './sample.js';
