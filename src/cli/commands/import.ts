import { resolve } from 'node:path';
import { REDUCTIONS, type Reduction } from '../../models/reduction.js';
import { readTensorFile } from '../../interop/tensor-file.js';
import { importModel, IMPORT_KINDS, type ImportKind } from '../../interop/import.js';
import { companionPath, importedModelFiles, TENSOR_STORAGES, usesTensorFile, type TensorStorage } from '../../interop/model-files.js';
import { formatShape } from '../../interop/tensor.js';
import { writeFilesAtomic, assertWritable } from '../../plots/files.js';
import { ACTIVATIONS, TWO_LAYER_LOSSES, type ActivationName, type TwoLayerLoss } from '../../twolayer/model.js';
import { flagBool, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';

/** `dln-hessian import`: a PyTorch-layout state_dict (.npz / .safetensors) and data → a model file. */
export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'Build a model file from a PyTorch/NumPy state_dict (.npz or .safetensors) and a data file, every value read exactly (docs/pytorch.md).',
  positionals: ['WEIGHTS'],
  flags: {
    kind: { kind: 'string', description: `the model: ${IMPORT_KINDS.join(' | ')}`, valueName: 'K' },
    data: { kind: 'string', description: 'inputs (n × d_0, one row per sample) and targets (n × d_N; cross-entropy: n class indices or n × c one-hot rows), or target (d_N × d_0) for dmf', valueName: 'DATA.npz' },
    activation: { kind: 'string', description: `two-layer: ${ACTIVATIONS.join(' | ')}`, valueName: 'A' },
    loss: { kind: 'string', description: `two-layer: ${TWO_LAYER_LOSSES.join(' | ')} (default squared)`, valueName: 'L' },
    reduction: { kind: 'string', description: `the loss convention: ${REDUCTIONS.join(' | ')} (default half; mean is nn.MSELoss(), cross-entropy is always mean) — docs/conventions.md`, valueName: 'R' },
    layers: { kind: 'string', description: 'the weight tensors in layer order, comma-separated (default: NAME.weight tensors in file order)', valueName: 'A,B,…' },
    tensors: { kind: 'string', description: `entries in the JSON (inline), in a companion MODEL.safetensors (file), or file above 10000 entries (auto, default)`, valueName: 'S' },
    name: { kind: 'string', description: 'the model name to record' },
    out: { kind: 'string', description: 'the model file to write (with MODEL.safetensors beside it when tensors are stored in a file)', valueName: 'MODEL.json' },
    json: { kind: 'boolean', description: 'print one JSON object describing what was imported' },
  },
};

function choice<T extends string>(args: ParsedArgs, flag: string, choices: readonly T[]): T | undefined {
  const v = flagString(args, flag);
  if (v === undefined) return undefined;
  const found = choices.find((c) => c === v);
  if (found === undefined) throw new UsageError(`import: --${flag} must be one of ${choices.join(', ')}, got "${v}"`);
  return found;
}

/** Runs `import`. */
export function runImport(args: ParsedArgs): number {
  const weightsPath = args.positionals[0] as string;
  const kind = choice<ImportKind>(args, 'kind', IMPORT_KINDS);
  if (kind === undefined) throw new UsageError(`import: --kind is required (${IMPORT_KINDS.join(', ')})`);
  const dataPath = flagString(args, 'data');
  if (dataPath === undefined) throw new UsageError(`import: --data DATA.npz is required (${kind === 'dmf' ? 'the target "target", d_N × d_0' : '"inputs", n × d_0, and "targets"'})`);
  const out = flagString(args, 'out');
  if (out === undefined) throw new UsageError('import: --out MODEL.json is required');
  const storage = choice<TensorStorage>(args, 'tensors', TENSOR_STORAGES) ?? 'auto';
  const activation = choice<ActivationName>(args, 'activation', ACTIVATIONS);
  const loss = choice<TwoLayerLoss>(args, 'loss', TWO_LAYER_LOSSES);
  const reduction = choice<Reduction>(args, 'reduction', REDUCTIONS);
  if (kind !== 'two-layer' && (activation !== undefined || loss !== undefined)) throw new UsageError('import: --activation and --loss are for --kind two-layer');
  const layersFlag = flagString(args, 'layers');
  const layers = layersFlag?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const name = flagString(args, 'name');
  assertWritable(out);
  const imported = importModel(readTensorFile(weightsPath), {
    kind,
    data: readTensorFile(dataPath),
    ...(activation !== undefined ? { activation } : {}),
    ...(loss !== undefined ? { loss } : {}),
    ...(reduction !== undefined ? { reduction } : {}),
    ...(layers !== undefined ? { layers } : {}),
    ...(name !== undefined ? { name } : {}),
  });
  const files = importedModelFiles(imported, out, storage);
  for (const f of files) {
    for (const input of [weightsPath, dataPath]) {
      if (resolve(f.path) === resolve(input)) throw new UsageError(`import: writing "${f.path}" would replace the input "${input}"; choose another --out name`);
    }
  }
  writeFilesAtomic(files);
  const referenced = usesTensorFile(imported, storage);
  const m = imported.model.model;
  const widths = [m.weights[0].cols, ...m.weights.map((w) => w.rows)];
  const summary = {
    weights: weightsPath,
    data: dataPath,
    kind,
    layers: imported.layers.map((l) => ({ name: l.tensor.name, shape: l.tensor.shape, dtype: l.tensor.dtype, layout: l.layout })),
    widths,
    samples: imported.data.inputs?.shape[0],
    storage: referenced ? 'file' : 'inline',
    exact: true,
    written: files.map((f) => f.path),
  };
  if (flagBool(args, 'json')) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `weights      ${weightsPath}: ${imported.layers.map((l) => `${l.tensor.name} ${formatShape(l.tensor.shape)} ${l.tensor.dtype}${l.layout === 'flax' ? ' (Flax kernel, transposed)' : ''}`).join(', ')}`,
    `model        ${kind}${imported.model.family === 'two-layer' ? ` (${imported.model.model.activation}, ${imported.model.model.loss})` : ''}, widths ${widths.join(' → ')}${summary.samples !== undefined ? `, n = ${summary.samples} samples` : ''}`,
    `values       exact (each stored binary value as a rational)`,
    `written      ${out}${referenced ? ` (tensors referenced in ${companionPath(out)})` : ' (entries inline)'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
