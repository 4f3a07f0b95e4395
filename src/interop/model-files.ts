/**
 * Writing an imported model: inline (every entry as exact JSON text) or referenced (the JSON names
 * tensors in a companion `.safetensors` file, read back exactly; docs/model-format.md "Tensor
 * references"), so that a model with 262 144 parameters is a small JSON file and a 2 MB tensor file
 * instead of megabytes of decimal text.
 */
import { basename, dirname, join } from 'node:path';
import { serializeModel, stateDictText } from '../models/write.js';
import { serializeTwoLayerModel } from '../twolayer/write.js';
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

const ref = (file: string, tensor: string, transpose = false): string =>
  JSON.stringify({ file, tensor, ...(transpose ? { transpose: true } : {}) });

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
    const any = imp.model;
    return [{ path: jsonPath, text: any.family === 'two-layer' ? serializeTwoLayerModel(any.model) : serializeModel(any.model) }];
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
  const m = imp.model.model as { name?: string; description?: string; reduction: string; stateDict?: readonly { name: string; of: string; dtype?: string }[] };
  const parts: string[] = [];
  if (m.name !== undefined) parts.push(`  "name": ${JSON.stringify(m.name)}`);
  if (m.description !== undefined) parts.push(`  "description": ${JSON.stringify(m.description)}`);
  const weights = imp.layers.map((l) => `    ${ref(file, l.tensor.name, l.layout === 'flax')}`).join(',\n');
  const inputs = imp.data.inputs;
  const targets = imp.data.targets;
  const dataText = (): string =>
    `  "data": {\n    "inputs": ${ref(file, 'data.inputs', true)},\n    "targets": ${ref(file, 'data.targets', (targets as Tensor).shape.length === 2)}\n  }`;
  if (imp.model.family === 'two-layer') {
    const tl = imp.model.model;
    parts.push('  "kind": "two-layer"', `  "activation": "${tl.activation}"`, `  "loss": "${tl.loss}"`, `  "weights": [\n${weights}\n  ]`, dataText());
    if (tl.loss === 'squared') parts.push(`  "reduction": "${tl.reduction}"`);
  } else {
    parts.push(`  "kind": "${imp.model.model.kind}"`, `  "weights": [\n${weights}\n  ]`);
    parts.push(inputs === undefined ? `  "target": ${ref(file, 'target')}` : dataText());
    parts.push(`  "reduction": "${m.reduction}"`);
  }
  if (m.stateDict !== undefined) parts.push(stateDictText(m.stateDict));
  return [
    { path: tensorPath, text: encodeTensorFile('safetensors', tensors, { 'dln-hessian.model': basename(jsonPath) }) },
    { path: jsonPath, text: `{\n${parts.join(',\n')}\n}\n` },
  ];
}
