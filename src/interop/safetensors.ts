/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length `N`, a
 * JSON header of `N` bytes `{"name": {"dtype": "F32", "shape": [3, 4], "data_offsets": [begin, end]},
 * …, "__metadata__": {"k": "v"}}`, then the byte buffer; offsets are relative to the buffer.
 *
 * Checked as the reference implementation does, and a little more: header length within
 * {@link MAX_SAFETENSORS_HEADER_BYTES} and the file; the header a JSON object; every tensor's dtype
 * supported, shape a list of non-negative integers, `end − begin` equal to `Π shape × size(dtype)`,
 * offsets within the buffer and not overlapping another tensor's. Tensors come back in the order of
 * their offsets; `parseTensorFile` (tensor-file.ts) then puts them in state_dict order.
 */
import { decodeElements, dtypeSize, type DType } from './dtypes.js';
import { TensorFileError } from './errors.js';
import { MAX_DIMENSIONS } from './npy.js';
import { elementCount, type Tensor } from './tensor.js';

/** Largest accepted header: 100 MB, the limit of the reference implementation. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

const ST_DTYPES: Readonly<Record<string, DType>> = { F16: 'float16', BF16: 'bfloat16', F32: 'float32', F64: 'float64', I32: 'int32', I64: 'int64' };
const ST_NAMES: Readonly<Record<DType, string>> = { float16: 'F16', bfloat16: 'BF16', float32: 'F32', float64: 'F64', int32: 'I32', int64: 'I64' };

/** Reads a safetensors file's tensors (in offset order) and its metadata. Throws {@link TensorFileError}. */
export function readSafetensors(bytes: Uint8Array, file: string): { tensors: Tensor[]; metadata: Record<string, string> } {
  const fail = (message: string, tensor?: string): never => {
    throw new TensorFileError(file, message, tensor);
  };
  if (bytes.length < 8) fail(`only ${bytes.length} bytes: truncated (a safetensors file starts with an 8-byte header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) fail(`header length ${n64} bytes exceeds the limit of ${MAX_SAFETENSORS_HEADER_BYTES} bytes (corrupt file, or not safetensors)`);
  const n = Number(n64);
  if (8 + n > bytes.length) fail(`header length ${n} bytes runs past the end of the file (${bytes.length} bytes; truncated)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    return fail(`the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('the header is not a JSON object');
  const buffer = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('__metadata__ is not an object of strings');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (typeof info !== 'object' || info === null) return fail('header entry is not an object {dtype, shape, data_offsets}', name);
    const { dtype: dt, shape, data_offsets: offs } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = typeof dt === 'string' ? ST_DTYPES[dt] : undefined;
    if (dtype === undefined) {
      return fail(`dtype ${JSON.stringify(dt)} is not supported (supported: ${Object.keys(ST_DTYPES).join(', ')})`, name);
    }
    if (!Array.isArray(shape) || shape.length > MAX_DIMENSIONS || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      return fail(`shape ${JSON.stringify(shape)} is not a list of at most ${MAX_DIMENSIONS} non-negative integers`, name);
    }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isSafeInteger(d) && (d as number) >= 0) || (offs[0] as number) > (offs[1] as number)) {
      return fail(`data_offsets ${JSON.stringify(offs)} is not a pair [begin, end] with 0 ≤ begin ≤ end`, name);
    }
    const [begin, end] = offs as [number, number];
    const dims = shape as number[];
    const need = elementCount(dims) * dtypeSize(dtype);
    if (end - begin !== need) fail(`data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but shape [${dims.join(', ')}] of ${dt as string} needs ${need}`, name);
    if (end > buffer.length) fail(`data_offsets [${begin}, ${end}] run past the end of the data (${buffer.length} bytes; truncated or corrupt file)`, name);
    entries.push({ name, dtype, shape: dims, begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let k = 1; k < entries.length; k++) {
    const prev = entries[k - 1] as (typeof entries)[number];
    const cur = entries[k] as (typeof entries)[number];
    if (cur.begin < prev.end) fail(`data_offsets [${cur.begin}, ${cur.end}] overlap those of tensor ${JSON.stringify(prev.name)} [${prev.begin}, ${prev.end}]`, cur.name);
  }
  const tensors = entries.map((e) => ({ name: e.name, dtype: e.dtype, shape: e.shape, values: decodeElements(buffer, e.begin, elementCount(e.shape), e.dtype) }));
  return { tensors, metadata };
}

/** One tensor to write: its name, dtype, shape and little-endian data. */
export interface EncodedTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/**
 * A safetensors file holding `tensors` in the given order (offsets increasing), with `metadata`.
 * The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */
export function writeSafetensors(tensors: readonly EncodedTensor[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: ST_NAMES[t.dtype], shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  let text = JSON.stringify(header);
  const raw = new TextEncoder().encode(text);
  const pad = (8 - (raw.length % 8)) % 8;
  text += ' '.repeat(pad);
  const headerBytes = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let q = 8 + headerBytes.length;
  for (const t of tensors) {
    out.set(t.data, q);
    q += t.data.length;
  }
  return out;
}
