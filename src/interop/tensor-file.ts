/**
 * Reading and writing tensor files: `.npz` (NumPy `savez` / `savez_compressed`) and `.safetensors`.
 * The format is told by the content (a ZIP archive starts with `PK`), not the extension.
 */
import { readFileSync, statSync } from 'node:fs';
import { dtypeSize, encodeElements, type DType } from './dtypes.js';
import { TensorFileError } from './errors.js';
import { npyWritable, readNpy, writeNpy } from './npy.js';
import { readSafetensors, writeSafetensors, type EncodedTensor } from './safetensors.js';
import { elementCount, type Tensor, type TensorFile, type TensorFormat } from './tensor.js';
import { DEFAULT_ZIP_LIMITS, readZip, writeZip, ZipFormatError, type ZipLimits } from './zip.js';

/** Largest tensor file read: 1 GiB. */
export const MAX_TENSOR_FILE_BYTES = 1024 ** 3;

/** Options of {@link parseTensorFile}. */
export interface TensorReadOptions {
  /** Limits on the decompressed sizes of `.npz` entries (default {@link DEFAULT_ZIP_LIMITS}). */
  readonly zipLimits?: ZipLimits;
}

/**
 * safetensors `__metadata__` key under which `export` records the tensors' order (a JSON list of
 * names): safetensors writers store tensors sorted by dtype and name, not in state_dict order.
 */
export const ORDER_METADATA_KEY = 'dln-hessian.order';

/** Parses the bytes of a tensor file; `path` names it in messages. Throws {@link TensorFileError}. */
export function parseTensorFile(bytes: Uint8Array, path: string, options: TensorReadOptions = {}): TensorFile {
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    let entries;
    try {
      entries = readZip(bytes, options.zipLimits ?? DEFAULT_ZIP_LIMITS);
    } catch (e) {
      if (e instanceof ZipFormatError) throw new TensorFileError(path, e.message, e.entry?.replace(/\.npy$/, ''), e);
      throw e;
    }
    if (entries.some((e) => e.name.endsWith('data.pkl'))) {
      throw new TensorFileError(path, 'this is a torch.save file (a ZIP of pickles); pickles can run code and are not read: save with numpy.savez or safetensors (docs/pytorch.md)');
    }
    const tensors = entries.map((e) => {
      if (!e.name.endsWith('.npy')) throw new TensorFileError(path, `archive entry ${JSON.stringify(e.name)} is not a .npy array (an .npz file holds NAME.npy entries)`);
      return readNpy(e.data, e.name.slice(0, -4), path);
    });
    return { path, format: 'npz', tensors, metadata: {} };
  }
  if (bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e) {
    throw new TensorFileError(path, 'this is a single .npy array; save the state_dict with numpy.savez (an .npz archive of named arrays) or as .safetensors');
  }
  if (bytes.length >= 2 && bytes[0] === 0x80 && (bytes[1] as number) <= 5) {
    throw new TensorFileError(path, 'this looks like a pickle (torch.save); pickles can run code and are not read: save with numpy.savez or safetensors (docs/pytorch.md)');
  }
  const { tensors, metadata } = readSafetensors(bytes, path);
  const order = metadata[ORDER_METADATA_KEY];
  return { path, format: 'safetensors', tensors: orderTensors(tensors, order), metadata };
}

/** Compares names with their digit runs as numbers: `layers.2` before `layers.10`. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let k = 0; k < Math.min(pa.length, pb.length); k++) {
    const x = pa[k] as string;
    const y = pb[k] as string;
    if (x === y) continue;
    if (k % 2 === 1) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * The order of a safetensors file's tensors: the list recorded under {@link ORDER_METADATA_KEY} when
 * it names exactly the file's tensors, otherwise the names in natural order (the state_dict order of
 * `layers.0 … layers.N`, `fc1, fc2`, `0.weight, 2.weight`, which `save_file`'s sort by name loses for 10 layers or more).
 */
function orderTensors(tensors: Tensor[], recorded: string | undefined): Tensor[] {
  if (recorded !== undefined) {
    try {
      const names = JSON.parse(recorded) as unknown;
      if (Array.isArray(names) && names.length === tensors.length && tensors.every((t) => names.includes(t.name))) {
        return (names as string[]).map((n) => tensors.find((t) => t.name === n) as Tensor);
      }
    } catch {
      // fall through to the natural order
    }
  }
  return tensors.slice().sort((a, b) => naturalCompare(a.name, b.name));
}

/** Reads a tensor file (at most {@link MAX_TENSOR_FILE_BYTES}). Throws {@link TensorFileError}. */
export function readTensorFile(path: string, options: TensorReadOptions = {}): TensorFile {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new TensorFileError(path, 'cannot read: it is a directory');
    if (st.size > MAX_TENSOR_FILE_BYTES) throw new TensorFileError(path, `the file has ${st.size} bytes; the limit is ${MAX_TENSOR_FILE_BYTES} bytes (1 GiB)`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof TensorFileError) throw e;
    const code = (e as { code?: string }).code;
    throw new TensorFileError(path, `cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`, undefined, e);
  }
  return parseTensorFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), path, options);
}

/** A tensor to write: values must be exactly representable in `dtype` (see `roundRational`). */
export interface OutputTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
}

/**
 * The bytes of a tensor file holding `tensors` in order. `.npz`: stored entries `NAME.npy`, as
 * `numpy.savez` writes (bfloat16 is refused: NumPy has no bfloat16 without ml_dtypes). safetensors:
 * `metadata` plus the order under {@link ORDER_METADATA_KEY}.
 */
export function encodeTensorFile(format: TensorFormat, tensors: readonly OutputTensor[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const names = new Set<string>();
  const encoded: EncodedTensor[] = tensors.map((t) => {
    if (names.has(t.name)) throw new RangeError(`encodeTensorFile: two tensors named ${t.name}`);
    names.add(t.name);
    if (elementCount(t.shape) !== t.values.length) throw new RangeError(`encodeTensorFile: ${t.name} has ${t.values.length} values for shape (${t.shape.join(', ')})`);
    const data = encodeElements(t.values, t.dtype);
    if (data.length !== t.values.length * dtypeSize(t.dtype)) throw new RangeError('encodeTensorFile: size mismatch');
    return { name: t.name, dtype: t.dtype, shape: t.shape, data };
  });
  if (format === 'safetensors') return writeSafetensors(encoded, { ...metadata, [ORDER_METADATA_KEY]: JSON.stringify(encoded.map((t) => t.name)) });
  return writeZip(
    encoded.map((t) => {
      if (!npyWritable(t.dtype)) throw new TensorFileError('npz', `${t.dtype} cannot be written to .npz (NumPy has no bfloat16 without ml_dtypes): write safetensors, or choose --dtype float32`, t.name);
      return { name: `${t.name}.npy`, data: writeNpy(t.dtype, t.shape, t.data) };
    }),
  );
}
