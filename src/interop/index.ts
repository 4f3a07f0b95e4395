/**
 * Interop with PyTorch / JAX / NumPy (`docs/pytorch.md`): `.npz` and `.safetensors` tensor files read exactly
 * (every float as the rational of its bits), import of PyTorch-layout state_dicts as model files, and
 * export of models and parameter-space vectors back to tensor files.
 */
export { TensorFileError, ImportError } from './errors.js';
export { DTYPES, FLOAT_DTYPES, roundRational, decodeElements, encodeElements, dtypeSize } from './dtypes.js';
export type { DType } from './dtypes.js';
export type { Tensor, TensorFile, TensorFormat } from './tensor.js';
export { readTensorFile, parseTensorFile, encodeTensorFile, MAX_TENSOR_FILE_BYTES, ORDER_METADATA_KEY } from './tensor-file.js';
export type { OutputTensor, TensorReadOptions } from './tensor-file.js';
export { DEFAULT_ZIP_LIMITS } from './zip.js';
export type { ZipLimits } from './zip.js';
export { MAX_SAFETENSORS_HEADER_BYTES } from './safetensors.js';
export { importModel, classifyTensors, checkChain, IMPORT_KINDS } from './import.js';
export type { ImportKind, ImportOptions, ImportedModel, LayerTensor, BiasTensor } from './import.js';
export { importedModelFiles, companionPath, usesTensorFile, INLINE_ENTRY_LIMIT } from './model-files.js';
export type { TensorStorage } from './model-files.js';
export { modelTensors, vectorTensors, resultVectors, stateDictSlots } from './export.js';
export type { ExportDType, VectorLayout, FlatOrder, NamedVector, RoundingReport, StateDictSlot } from './export.js';
