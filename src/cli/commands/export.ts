import { readFileSync } from 'node:fs';
import { FLOAT_DTYPES, type DType } from '../../interop/dtypes.js';
import { ImportError } from '../../interop/errors.js';
import { modelTensors, resultVectors, vectorTensors, type ExportDType, type FlatOrder, type RoundingReport, type VectorLayout } from '../../interop/export.js';
import { encodeTensorFile, type OutputTensor } from '../../interop/tensor-file.js';
import { TENSOR_FORMATS, formatShape, type TensorFormat } from '../../interop/tensor.js';
import { loadAnySource } from '../../models/source.js';
import { assertWritable, writeFilesAtomic } from '../../plots/files.js';
import { flagBool, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';

/** `dln-hessian export`: a model's weights, or result vectors, as .npz / .safetensors for PyTorch and NumPy. */
export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'Write a model’s weights as a PyTorch-layout state_dict, or result vectors (HVPs, eigenvectors, directions) per layer and flat, to .npz or .safetensors (docs/pytorch.md).',
  positionals: ['FILE.json'],
  flags: {
    to: { kind: 'string', description: 'npz | safetensors (default: from the extension of --out)', valueName: 'F' },
    out: { kind: 'string', description: 'the tensor file to write', valueName: 'FILE' },
    model: { kind: 'string', description: 'for a result file: the model whose parameter space the vectors are in (shapes and tensor names)', valueName: 'MODEL.json' },
    dtype: { kind: 'string', description: `auto (weights: as imported, else float64; vectors: float64) | ${FLOAT_DTYPES.join(' | ')}`, valueName: 'D' },
    layout: { kind: 'string', description: 'vectors: flat | layers | both (default both)', valueName: 'L' },
    order: { kind: 'string', description: 'vectors: order of the flat vector, column (θ, this project’s order; default) | row (torch parameters_to_vector)', valueName: 'O' },
    json: { kind: 'boolean', description: 'print one JSON object describing what was written' },
  },
};

function choice<T extends string>(args: ParsedArgs, flag: string, choices: readonly T[]): T | undefined {
  const v = flagString(args, flag);
  if (v === undefined) return undefined;
  const found = choices.find((c) => c === v);
  if (found === undefined) throw new UsageError(`export: --${flag} must be one of ${choices.join(', ')}, got "${v}"`);
  return found;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ImportError(`cannot read "${path}": ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ImportError(`${path}: not JSON (${(e as Error).message})`);
  }
}

/** Runs `export`. */
export function runExport(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const out = flagString(args, 'out');
  if (out === undefined) throw new UsageError('export: --out FILE is required');
  const ext = /\.(npz|safetensors)$/i.exec(out)?.[1]?.toLowerCase() as TensorFormat | undefined;
  const format = choice<TensorFormat>(args, 'to', TENSOR_FORMATS) ?? ext;
  if (format === undefined) throw new UsageError(`export: give --to ${TENSOR_FORMATS.join('|')} (or an --out name ending in .npz or .safetensors)`);
  const dtype = choice<ExportDType>(args, 'dtype', ['auto', ...FLOAT_DTYPES]) ?? 'auto';
  const layout = choice<VectorLayout>(args, 'layout', ['flat', 'layers', 'both']);
  const order = choice<FlatOrder>(args, 'order', ['column', 'row']);
  const modelPath = flagString(args, 'model');
  assertWritable(out);
  const root = source.startsWith('example:') ? undefined : readJson(source);
  const isModel = root === undefined || (typeof root === 'object' && root !== null && !Array.isArray(root) && 'weights' in root);
  let tensors: OutputTensor[];
  let rounding: RoundingReport;
  let what: string;
  /** Names the file in messages that name only a tensor or a vector. */
  const naming = <T>(file: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ImportError && !e.message.startsWith(file)) throw new ImportError(`${file}: ${e.message}`);
      throw e;
    }
  };
  if (isModel) {
    if (modelPath !== undefined || layout !== undefined || order !== undefined) throw new UsageError('export: --model, --layout and --order are for result files (vectors); this is a model file');
    ({ tensors, rounding } = naming(source, () => modelTensors(loadAnySource(source), dtype)));
    what = 'weights (state_dict)';
  } else {
    if (modelPath === undefined) throw new UsageError(`export: "${source}" is a result file: give --model MODEL.json, the model whose parameters the vectors belong to`);
    const vectors = resultVectors(root, source);
    const model = loadAnySource(modelPath);
    ({ tensors, rounding } = naming(source, () =>
      vectorTensors(vectors, model, {
        layout: layout ?? 'both',
        order: order ?? 'column',
        dtype: dtype === 'auto' ? 'float64' : (dtype satisfies DType),
      }),
    ));
    what = `vectors ${vectors.map((v) => v.name).join(', ')} (${layout ?? 'both'}${(layout ?? 'both') !== 'layers' ? `, flat in ${order ?? 'column'} order` : ''})`;
  }
  const bf16 = tensors.find((t) => t.dtype === 'bfloat16');
  if (format === 'npz' && bf16 !== undefined) {
    throw new UsageError(`export: tensor ${JSON.stringify(bf16.name)} is bfloat16, which .npz cannot hold (NumPy has no bfloat16 without ml_dtypes): write --to safetensors, or choose --dtype float32 (exact for bfloat16 values)`);
  }
  const bytes = encodeTensorFile(format, tensors, { 'dln-hessian.source': source, ...(order !== undefined ? { 'dln-hessian.flat-order': order } : {}) });
  writeFilesAtomic([{ path: out, text: bytes }]);
  const roundingLine =
    rounding.rounded === 0
      ? 'exact (every value is representable in its dtype)'
      : `${rounding.rounded} of ${rounding.entries} entries rounded to nearest (largest relative change ${rounding.maxRelativeChange.toExponential(2)})`;
  if (flagBool(args, 'json')) {
    process.stdout.write(`${JSON.stringify({ source, format, written: out, tensors: tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: t.dtype })), rounding }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `source       ${source}: ${what}`,
    `tensors      ${tensors.slice(0, 6).map((t) => `${t.name} ${formatShape(t.shape)} ${t.dtype}`).join(', ')}${tensors.length > 6 ? `, … (${tensors.length} in all)` : ''}`,
    `values       ${roundingLine}`,
    `written      ${out} (${format})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
