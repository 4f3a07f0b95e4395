/**
 * dln-hessian: exact and float64 closed-form Hessians of deep linear networks.
 *
 * Conventions (MATH.md §1): `W_i` is `d_i × d_{i−1}`, applied first to last, `P = W_N ⋯ W_1`;
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
// interop: .npz / .safetensors tensor files, import of PyTorch-layout state_dicts, export (docs/pytorch.md)
export { TensorFileError, ImportError } from './interop/errors.js';
export { DTYPES, FLOAT_DTYPES, roundRational, decodeElements, encodeElements, dtypeSize } from './interop/dtypes.js';
export type { DType } from './interop/dtypes.js';
export type { Tensor, TensorFile, TensorFormat } from './interop/tensor.js';
export { readTensorFile, parseTensorFile, encodeTensorFile, MAX_TENSOR_FILE_BYTES, ORDER_METADATA_KEY } from './interop/tensor-file.js';
export type { OutputTensor, TensorReadOptions } from './interop/tensor-file.js';
export { DEFAULT_ZIP_LIMITS } from './interop/zip.js';
export type { ZipLimits } from './interop/zip.js';
export { MAX_SAFETENSORS_HEADER_BYTES } from './interop/safetensors.js';
export { importModel, classifyTensors, checkChain, IMPORT_KINDS } from './interop/import.js';
export type { ImportKind, ImportOptions, ImportedModel, LayerTensor, BiasTensor } from './interop/import.js';
export { importedModelFiles, companionPath, usesTensorFile, INLINE_ENTRY_LIMIT } from './interop/model-files.js';
export type { TensorStorage } from './interop/model-files.js';
export { modelTensors, vectorTensors, resultVectors, stateDictSlots } from './interop/export.js';
export type { ExportDType, VectorLayout, FlatOrder, NamedVector, RoundingReport, StateDictSlot } from './interop/export.js';
export type { StateDictEntry } from './models/model.js';
