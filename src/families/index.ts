export { deepLinearNetwork } from './deep-linear.js';
export { deepLinearMinimizerTest } from './deep-linear-minimizer.js';
export { classifyResidual, gamma, minimizerLabel, NEAR_MINIMIZER_RESIDUAL } from './minimizer.js';
export type { MinimizerTest, MinimizerVerdict, ResidualEvidence } from './minimizer.js';
export type { DescriptionRow, FamilyName, MinimizerTestOptions, Network, NetworkDescription, NetworkHessianOptions } from './network.js';
export { crosscheckInputsOf, loadNetwork, networkOf } from './registry.js';
export { twoLayerMinimizerTest, twoLayerNetwork } from './two-layer.js';
