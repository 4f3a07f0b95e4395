/**
 * NumPy `.npy` arrays (format versions 1.0, 2.0 and 3.0): magic `\x93NUMPY`, a version, a header
 * length, then a Python-literal header `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`
 * and the raw data.
 *
 * Read: dtypes `<f2` (float16), `<f4`, `<f8`, `<i4`, `<i8` in either byte order (`>` is read
 * byte-swapped; `|` and `=` as native little-endian), a `descr` of `'bfloat16'` as bfloat16 (`'<V2'`,
 * what NumPy writes for an ml_dtypes bfloat16 array, has lost the name and is refused with advice), C and
 * Fortran order. Everything else (complex, object arrays, structured dtypes, strings, booleans,
 * unsigned integers) is refused naming the dtype. Written: version 1.0, little-endian, C order.
 */
import { decodeElements, dtypeSize, type DType } from './dtypes.js';
import { TensorFileError } from './errors.js';
import { elementCount, type Tensor } from './tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Longest `.npy` header accepted: NumPy itself refuses headers above 10 000 bytes by default. */
export const MAX_NPY_HEADER_BYTES = 65536;

/** Most dimensions of an array. */
export const MAX_DIMENSIONS = 32;

const DESCR_TYPES: Readonly<Record<string, DType>> = { f2: 'float16', f4: 'float32', f8: 'float64', i4: 'int32', i8: 'int64' };

const DESCR_NAMES: Readonly<Record<string, string>> = {
  b1: 'bool',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  i1: 'int8',
  i2: 'int16',
  c8: 'complex64',
  c16: 'complex128',
  f16: 'float128',
  O: 'object',
};

/** The dtype of a NumPy `descr` string and whether its data are little-endian; throws a message otherwise. */
function parseDescr(descr: string): { dtype: DType; littleEndian: boolean } {
  if (descr === 'bfloat16') return { dtype: 'bfloat16', littleEndian: true };
  const m = /^([<>|=]?)([a-zA-Z]+\d*)$/.exec(descr);
  const code = m?.[2];
  const order = m?.[1] ?? '';
  const dtype = code !== undefined ? DESCR_TYPES[code] : undefined;
  if (dtype === undefined) {
    const known = code !== undefined ? DESCR_NAMES[code] : undefined;
    const hint = /^[<>|=]?V2$/.test(descr) ? ' (a 2-byte void type: ml_dtypes bfloat16 saved by NumPy loses its name; save bfloat16 tensors as safetensors, or convert them to float32)' : '';
    throw new Error(
      `dtype ${descr}${known !== undefined ? ` (${known})` : ''} is not supported${hint}; supported: <f2 (float16), <f4 (float32), <f8 (float64), <i4 (int32), <i8 (int64), either byte order`,
    );
  }
  return { dtype, littleEndian: order !== '>' };
}

/** The Python dict literal of a header: the three keys NumPy writes, values checked strictly. */
function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const t = text.trim();
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(t)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(t)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(t)?.[1];
  if (!t.startsWith('{') || !t.endsWith('}') || descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`malformed .npy header ${JSON.stringify(t.slice(0, 120))} (expected {'descr': …, 'fortran_order': …, 'shape': (…)})`);
  }
  const parts = shapeText.split(',').map((s) => s.trim());
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > MAX_DIMENSIONS) throw new Error(`shape has ${parts.length} dimensions; the limit is ${MAX_DIMENSIONS}`);
  const shape = parts.map((p) => {
    if (!/^\d+L?$/.test(p)) throw new Error(`malformed shape (${shapeText}) in the .npy header`);
    const v = Number(p.replace(/L$/, ''));
    if (!Number.isSafeInteger(v)) throw new Error(`shape entry ${p} is too large`);
    return v;
  });
  return { descr, fortran: fortran === 'True', shape };
}

/**
 * Reads one `.npy` array named `name` from `bytes`. `file` is used in messages. Throws
 * {@link TensorFileError} naming the file and the array.
 */
export function readNpy(bytes: Uint8Array, name: string, file: string): Tensor {
  const fail = (message: string): never => {
    throw new TensorFileError(file, message, name);
  };
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) fail('not a .npy array (no \\x93NUMPY magic)');
  const major = bytes[6] as number;
  let headerLen: number;
  let start: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('truncated .npy header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    return fail(`.npy format version ${major}.${bytes[7] as number} is not supported (1.0, 2.0, 3.0 are)`);
  }
  if (headerLen > MAX_NPY_HEADER_BYTES) fail(`.npy header has ${headerLen} bytes; the limit is ${MAX_NPY_HEADER_BYTES}`);
  if (start + headerLen > bytes.length) fail(`truncated .npy header (needs ${headerLen} bytes, ${bytes.length - start} present)`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  let header: { descr: string; fortran: boolean; shape: number[] };
  let dt: { dtype: DType; littleEndian: boolean };
  try {
    header = parseHeader(headerText);
    dt = parseDescr(header.descr);
  } catch (e) {
    return fail((e as Error).message);
  }
  const count = elementCount(header.shape);
  const dataStart = start + headerLen;
  const need = count * dtypeSize(dt.dtype);
  const have = bytes.length - dataStart;
  if (have < need) fail(`truncated data: shape (${header.shape.join(', ')}) of ${dt.dtype} needs ${need} bytes, the array has ${have}`);
  if (have > need) fail(`${have - need} bytes after the data of shape (${header.shape.join(', ')}) (corrupt array)`);
  const raw = decodeElements(bytes, dataStart, count, dt.dtype, dt.littleEndian);
  const values = header.fortran && header.shape.length > 1 ? fortranToC(raw, header.shape) : raw;
  return { name, dtype: dt.dtype, shape: header.shape, values };
}

/** Reorders Fortran-order (first index fastest) values into C order (last index fastest). */
function fortranToC(v: Float64Array, shape: readonly number[]): Float64Array {
  const out = new Float64Array(v.length);
  const nd = shape.length;
  const cStride: number[] = new Array<number>(nd);
  const fStride: number[] = new Array<number>(nd);
  let c = 1;
  let f = 1;
  for (let k = nd - 1; k >= 0; k--) {
    cStride[k] = c;
    c *= shape[k] as number;
  }
  for (let k = 0; k < nd; k++) {
    fStride[k] = f;
    f *= shape[k] as number;
  }
  const idx = new Array<number>(nd).fill(0);
  for (let lin = 0; lin < v.length; lin++) {
    let fi = 0;
    for (let k = 0; k < nd; k++) fi += (idx[k] as number) * (fStride[k] as number);
    out[lin] = v[fi] as number;
    for (let k = nd - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (shape[k] as number)) break;
      idx[k] = 0;
    }
  }
  return out;
}

const NPY_DESCR: Readonly<Record<DType, string | undefined>> = {
  float16: '<f2',
  bfloat16: undefined,
  float32: '<f4',
  float64: '<f8',
  int32: '<i4',
  int64: '<i8',
};

/** Whether NumPy can hold `dtype` without extra packages (bfloat16 needs ml_dtypes). */
export function npyWritable(dtype: DType): boolean {
  return NPY_DESCR[dtype] !== undefined;
}

/** A version 1.0 `.npy` file for C-order data already encoded little-endian. */
export function writeNpy(dtype: DType, shape: readonly number[], data: Uint8Array): Uint8Array {
  const descr = NPY_DESCR[dtype];
  if (descr === undefined) throw new RangeError(`.npy cannot hold ${dtype}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad with spaces so that the data start at a multiple of 64, ending with a newline (as NumPy does).
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[10 + k] = header.charCodeAt(k);
  out.set(data, 10 + header.length);
  return out;
}
