/**
 * Writing an imported model: inline (every entry as exact JSON text) or referenced (the JSON names
 * tensors in a companion `.safetensors` file, read back exactly; docs/model-format.md "Tensor
 * references"), so that a model with 262 144 parameters is a small JSON file and a 2 MB tensor file
 * instead of megabytes of decimal text.
 */
import { basename, dirname, join } from 'node:path';
import { modelFileText, type ModelTensorReferences } from '../families/model-writer.js';
import type { OutputFile } from '../plots/files.js';
import { encodeTensorFile, type OutputTensor } from './tensor-file.js';
import type { ImportedModel } from './import.js';
import { elementCount, type Tensor } from './tensor.js';

/** How the entries are stored: in the JSON, in a companion tensor file, or by size. */
export type TensorStorage = 'inline' | 'file' | 'auto';

/** The storages, in the order messages list them. */
export const TENSOR_STORAGES: readonly TensorStorage[] = ['auto', 'inline', 'file'];

/** With `'auto'`, models with more entries than this (weights and data together) reference a tensor file. */
export const INLINE_ENTRY_LIMIT = 10000;

/** The companion tensor file of a model file: `model.json` → `model.safetensors`. */
export function companionPath(jsonPath: string): string {
  const base = basename(jsonPath).replace(/\.json$/i, '');
  return join(dirname(jsonPath), `${base}.safetensors`);
}

/** Total entries of the imported tensors (weights and data). */
function entryCount(imp: ImportedModel): number {
  return [...imp.layers.map((l) => l.tensor), ...Object.values(imp.data)].reduce((s, t) => s + elementCount(t.shape), 0);
}

/** Whether {@link importedModelFiles} would reference a tensor file. */
export function usesTensorFile(imp: ImportedModel, storage: TensorStorage): boolean {
  return storage === 'file' || (storage === 'auto' && entryCount(imp) > INLINE_ENTRY_LIMIT);
}

const asOutput = (t: Tensor, name: string): OutputTensor => ({ name, dtype: t.dtype, shape: t.shape, values: t.values });

/**
 * The files of an imported model at `jsonPath`: the JSON alone (inline), or the JSON and its
 * companion `.safetensors` (tensors in their original dtypes and layouts, data under `data.inputs`,
 * `data.targets`, `target`). Write them with `writeFilesAtomic` (all or none).
 */
export function importedModelFiles(imp: ImportedModel, jsonPath: string, storage: TensorStorage): OutputFile[] {
  if (!usesTensorFile(imp, storage)) {
    return [{ path: jsonPath, text: modelFileText(imp.model) }];
  }
  const tensorPath = companionPath(jsonPath);
  const file = basename(tensorPath);
  const dataName = (role: string): string => (role === 'target' ? 'target' : `data.${role}`);
  const tensors: OutputTensor[] = [
    ...imp.layers.map((l) => asOutput(l.tensor, l.tensor.name)),
    ...Object.entries(imp.data).map(([role, t]) => asOutput(t, dataName(role))),
  ];
  const names = new Set<string>();
  for (const t of tensors) {
    if (names.has(t.name)) throw new RangeError(`importedModelFiles: two tensors named ${t.name}`);
    names.add(t.name);
  }
  const dataRefs = {
    inputs: { file, tensor: 'data.inputs', transpose: true },
    targets: { file, tensor: 'data.targets', transpose: imp.data.targets !== undefined && imp.data.targets.shape.length === 2 },
  };
  const refs: ModelTensorReferences = {
    weights: imp.layers.map((l) => ({ file, tensor: l.tensor.name, transpose: l.layout === 'flax' })),
    ...(imp.data.inputs === undefined ? { target: { file, tensor: 'target' } } : dataRefs),
  };
  return [
    { path: tensorPath, text: encodeTensorFile('safetensors', tensors, { 'dln-hessian.model': basename(jsonPath) }) },
    { path: jsonPath, text: modelFileText(imp.model, refs) },
  ];
}
