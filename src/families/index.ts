export { deepLinearNetwork } from './deep-linear.js';
export { deepLinearMinimizerTest, deepLinearMinimizerTestF64 } from './deep-linear-minimizer.js';
export { classifyResidual, gamma, isSettled, minimizerLabel, NEAR_MINIMIZER_RESIDUAL, SETTLED_RESIDUAL } from './minimizer.js';
export type { MinimizerTest, MinimizerVerdict, ResidualEvidence } from './minimizer.js';
export type { DescriptionRow, FamilyName, MinimizerTestOptions, Network, NetworkDescription, NetworkHessianOptions } from './network.js';
export { crosscheckInputsOf, loadNetwork, networkOf } from './registry.js';
export { twoLayerMinimizerTest, twoLayerMinimizerTestF64, twoLayerNetwork } from './two-layer.js';
export {
  decimalEntryText,
  deepLinearModelText,
  fractionEntryText,
  modelFileText,
  stateDictText,
  twoLayerModelText,
  writeAnyModelFile,
  /** @deprecated the name before the one model writer: {@link twoLayerModelText}. */
  twoLayerModelText as serializeTwoLayerModel,
  /** @deprecated the name before the one model writer: {@link decimalEntryText}. */
  decimalEntryText as exactEntryText,
  /** @deprecated the name before the one model writer: {@link deepLinearModelText}. */
  deepLinearModelText as serializeModel,
  /** @deprecated the name before the one model writer: {@link fractionEntryText}. */
  fractionEntryText as formatEntry,
} from './model-writer.js';
export type { EntryStyle, ModelTensorReferences, TensorReference } from './model-writer.js';
