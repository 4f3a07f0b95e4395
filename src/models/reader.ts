/**
 * The shared pieces of the model-file readers (src/models/load.ts, src/models/two-layer-load.ts):
 * {@link ModelReader}, which reads members, exact entries and matrices and reports every problem
 * as a placed {@link ModelError}, JSON parsing with syntax errors as {@link ModelError}s, and the
 * reading of a model file's text.
 */
import { dirname, resolve } from 'node:path';
import { bigAbs, bitLength, Rational, RationalParseError } from '../field/rational.js';
import { InputFileError, readInputText } from '../io/input.js';
import { fromRows, type Matrix } from '../linalg/matrix.js';
import { ModelError } from './errors.js';
import { decimalMatrix, roundedDecimal, withFloatSide } from './float-side.js';
import { describeJson, getMember, JsonSyntaxError, parseJson, quoteShort, type JsonLocation, type JsonNode, type JsonObject } from './json.js';
import type { StateDictEntry } from './model.js';
import { TensorFileError } from '../interop/errors.js';
import { readTensorFile } from '../interop/tensor-file.js';
import { FLOAT_DTYPES } from '../interop/dtypes.js';
import { formatShape, type TensorFile } from '../interop/tensor.js';

/** Longest accepted text of one entry (a JSON number or an exact string), in characters. */
export const MAX_ENTRY_CHARS = 10000;

/**
 * Largest model file {@link readModelText} reads: 64 MiB. Loading keeps the text, its JSON tree (the
 * exact text of every number, with its place for messages) and the exact rationals: measured peak
 * memory about 21 times the file size (1.5 GB for a 70 MB file), so 256 MiB files ran out of memory.
 */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

/** The keys a `data` object may have. */
export const DATA_KEYS: readonly string[] = ['inputs', 'targets'];

/** `Number.MAX_VALUE` exactly: entries above it in magnitude have no binary64 value. */
const MAX_F64 = Rational.fromNumber(Number.MAX_VALUE);
const NON_FINITE_TEXT = /^\s*[+-]?(nan|inf|infinity)\s*$/i;
const ZERO_DENOMINATOR = /^\s*[+-]?\d+\s*\/\s*[+-]?0+\s*$/;

const STATE_DICT_OF = /^weights\[(\d+)\]$/;

/** The keys of a tensor reference, an object that stands for a matrix (docs/model-format.md). */
export const TENSOR_REF_KEYS: readonly string[] = ['file', 'tensor', 'transpose'];

/** Reads parts of a parsed model file; `source` (a file name) is attached to errors. */
export class ModelReader {
  /** Tensor files referenced so far, by resolved path (each is read once). */
  private readonly tensorFiles = new Map<string, TensorFile>();

  constructor(private readonly source: string | undefined) {}

  /** Throws a `kind: 'schema'` {@link ModelError} at `path` (and `at`, when given). */
  fail(message: string, path: string, at?: JsonLocation): never {
    throw new ModelError(message, {
      kind: 'schema',
      path,
      ...(this.source !== undefined ? { source: this.source } : {}),
      ...(at !== undefined ? { line: at.line, column: at.column } : {}),
    });
  }

  /** Refuses keys outside `allowed`, naming the key and listing the allowed ones. */
  checkKeys(obj: JsonObject, allowed: readonly string[], path: string): void {
    for (const m of obj.members) {
      if (!allowed.includes(m.key)) {
        const list = allowed.map((k) => `"${k}"`).join(', ');
        const prefix = path === '' ? '' : `${path}: `;
        this.fail(`${prefix}unknown key ${quoteShort(m.key)} (allowed keys: ${list})`, path === '' ? m.key : `${path}.${m.key}`, m.keyNode);
      }
    }
  }

  /** An optional string member. */
  optionalString(obj: JsonObject, key: string): string | undefined {
    const m = getMember(obj, key);
    if (m === undefined) return undefined;
    if (m.value.kind !== 'string') this.fail(`${key}: expected a string, got ${describeJson(m.value)}`, key, m.value);
    return m.value.value;
  }

  /** One exact entry (the rules of docs/model-format.md). */
  entry(node: JsonNode, path: string): Rational {
    let text: string;
    let shown: string;
    if (node.kind === 'number') {
      text = node.text;
      shown = text;
      if (text.length > MAX_ENTRY_CHARS) {
        this.fail(`${path}: number has ${text.length} characters; the limit is ${MAX_ENTRY_CHARS}`, path, node);
      }
    } else if (node.kind === 'string') {
      text = node.value;
      if (text.length > MAX_ENTRY_CHARS) {
        this.fail(`${path}: string entry has ${text.length} characters; the limit is ${MAX_ENTRY_CHARS}`, path, node);
      }
      shown = quoteShort(text);
      if (NON_FINITE_TEXT.test(text)) this.fail(`${path}: ${shown} is not finite; entries must be finite numbers`, path, node);
      if (ZERO_DENOMINATOR.test(text)) this.fail(`${path}: zero denominator in ${shown}`, path, node);
    } else {
      return this.fail(`${path}: expected a number or an exact string like "3/4", got ${describeJson(node)}`, path, node);
    }
    let q: Rational;
    try {
      q = Rational.parse(text);
    } catch (e) {
      if (e instanceof RationalParseError && /exponent/.test(e.message)) this.fail(`${path}: exponent out of range in ${shown} (|exponent| ≤ 100000)`, path, node);
      return this.fail(`${path}: cannot read ${shown} as an exact number (write e.g. 3, "3/4", "-0.125" or "1e-3")`, path, node);
    }
    // Bit lengths decide all but the entries within a factor 2 of the largest double.
    if (bitLength(bigAbs(q.num)) - bitLength(q.den) >= 1023 && q.abs().compare(MAX_F64) > 0) {
      this.fail(`${path}: ${shorten(shown)} cannot be represented in float64 (its magnitude exceeds Number.MAX_VALUE ≈ 1.8e308)`, path, node);
    }
    return q;
  }

  /**
   * A matrix given as a non-empty list of non-empty rows of equal length. `samples`: the matrix
   * holds one column per sample, so rows with no entries mean "no samples".
   */
  matrix(node: JsonNode, path: string, samples = false): Matrix<Rational> {
    if (node.kind === 'object') return this.tensorMatrix(node, path);
    if (node.kind !== 'array' || node.items.length === 0) {
      this.fail(`${path}: expected a matrix (a non-empty list of rows), got ${describeJson(node)}`, path, node);
    }
    const fast = this.decimalMatrix(node.items);
    if (fast !== undefined) return fast;
    const rows: Rational[][] = [];
    let cols = -1;
    node.items.forEach((rowNode, r) => {
      const rp = `${path} row ${r + 1}`;
      if (rowNode.kind !== 'array') this.fail(`${rp}: expected a list of entries, got ${describeJson(rowNode)}`, rp, rowNode);
      if (rowNode.items.length === 0) {
        if (samples) this.fail(`${path}: expected at least one sample (one column per sample), got 0 columns`, path, rowNode);
        this.fail(`${rp}: expected a non-empty list of entries, got an empty list`, rp, rowNode);
      }
      if (cols < 0) cols = rowNode.items.length;
      else if (rowNode.items.length !== cols) this.fail(`${rp}: expected ${cols === 1 ? '1 entry' : `${cols} entries`}, got ${rowNode.items.length}`, rp, rowNode);
      rows.push(rowNode.items.map((e, c) => this.entry(e, `${rp} column ${c + 1}`)));
    });
    return fromRows(rows);
  }

  /**
   * The common case of {@link matrix} without exact work: rows of equal, non-zero length whose
   * entries are all plain JSON numbers with a normal (or zero) binary64 value. Their binary64 side is
   * read now and the exact side when first used (`models/float-side.ts`); `undefined` when any entry
   * needs the general path (which also names any problem).
   */
  private decimalMatrix(rowNodes: readonly JsonNode[]): Matrix<Rational> | undefined {
    const first = rowNodes[0];
    if (first?.kind !== 'array') return undefined;
    const rows = rowNodes.length;
    const cols = first.items.length;
    if (cols === 0) return undefined;
    const texts = new Array<string>(rows * cols);
    const float = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = rowNodes[r] as JsonNode;
      if (row.kind !== 'array' || row.items.length !== cols) return undefined;
      for (let c = 0; c < cols; c++) {
        const e = row.items[c] as JsonNode;
        if (e.kind !== 'number' || e.text.length > MAX_ENTRY_CHARS) return undefined;
        const x = roundedDecimal(e.text);
        if (x === undefined) return undefined;
        texts[r + c * rows] = e.text;
        float[r + c * rows] = x;
      }
    }
    return decimalMatrix(rows, cols, texts, float);
  }

  /**
   * A matrix given by reference to a tensor file: `{"file": "model.safetensors", "tensor":
   * "layers.0.weight"}` (`.npz` or `.safetensors`, resolved relative to the model file), optionally
   * `"transpose": true`. A 2-D tensor of shape (r, c) is the r×c matrix (row-major storage, as
   * written by PyTorch and NumPy), a 1-D tensor of length k is a 1×k row. Each stored value is read
   * exactly (its binary value as a rational).
   */
  tensorMatrix(node: JsonObject, path: string): Matrix<Rational> {
    this.checkKeys(node, TENSOR_REF_KEYS, path);
    const fileMember = getMember(node, 'file');
    const tensorMember = getMember(node, 'tensor');
    if (fileMember === undefined || tensorMember === undefined) {
      this.fail(`${path}: a tensor reference needs "file" and "tensor" ({"file": "model.safetensors", "tensor": "layers.0.weight"}), or give the matrix as a list of rows`, path, node);
    }
    if (fileMember.value.kind !== 'string' || fileMember.value.value === '') this.fail(`${path}.file: expected a file name, got ${describeJson(fileMember.value)}`, `${path}.file`, fileMember.value);
    if (tensorMember.value.kind !== 'string') this.fail(`${path}.tensor: expected a tensor name, got ${describeJson(tensorMember.value)}`, `${path}.tensor`, tensorMember.value);
    const tr = getMember(node, 'transpose');
    if (tr !== undefined && tr.value.kind !== 'boolean') this.fail(`${path}.transpose: expected true or false, got ${describeJson(tr.value)}`, `${path}.transpose`, tr.value);
    const transpose = tr !== undefined && tr.value.kind === 'boolean' && tr.value.value;
    const base = this.source === undefined || this.source.startsWith('example:') ? process.cwd() : dirname(resolve(this.source));
    const file = resolve(base, fileMember.value.value);
    const shown = fileMember.value.value;
    let tf = this.tensorFiles.get(file);
    if (tf === undefined) {
      try {
        tf = readTensorFile(file);
      } catch (e) {
        if (e instanceof TensorFileError) this.fail(`${path}: ${e.message.replace(file, shown)}${e.tensor !== undefined ? ` (tensor ${JSON.stringify(e.tensor)} of ${shown})` : ` (${shown})`}`, path, fileMember.value);
        throw e;
      }
      this.tensorFiles.set(file, tf);
    }
    const name = tensorMember.value.value;
    const t = tf.tensors.find((x) => x.name === name);
    if (t === undefined) {
      const have = tf.tensors.map((x) => JSON.stringify(x.name)).slice(0, 20).join(', ');
      this.fail(`${path}: ${shown} has no tensor ${JSON.stringify(name)} (it has ${have}${tf.tensors.length > 20 ? ', …' : ''})`, path, tensorMember.value);
    }
    if (t.shape.length !== 1 && t.shape.length !== 2) this.fail(`${path}: tensor ${JSON.stringify(name)} of ${shown} has shape ${formatShape(t.shape)}; a matrix needs 1 or 2 dimensions`, path, tensorMember.value);
    const r = t.shape.length === 2 ? (t.shape[0] as number) : 1;
    const c = t.shape.length === 2 ? (t.shape[1] as number) : (t.shape[0] as number);
    if (r === 0 || c === 0) this.fail(`${path}: tensor ${JSON.stringify(name)} of ${shown} is empty (shape ${formatShape(t.shape)})`, path, tensorMember.value);
    const float = new Float64Array(r * c);
    const v = t.values;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        const x = v[i * c + j] as number;
        if (!Number.isFinite(x)) {
          const what = Number.isNaN(x) && !FLOAT_DTYPES.includes(t.dtype) ? 'an integer beyond ±2^53' : String(x);
          this.fail(`${path}: tensor ${JSON.stringify(name)} of ${shown}, element [${i}, ${j}] is ${what}; entries must be finite numbers`, path, tensorMember.value);
        }
        // Storage is row-major (r×c); the matrix is column-major.
        float[transpose ? j + c * i : i + r * j] = x === 0 ? 0 : x;
      }
    }
    // Every stored value is a binary64 number: its exact rational is built when exact work asks.
    return withFloatSide(transpose ? c : r, transpose ? r : c, float, () => Array.from(float, (x) => Rational.fromNumber(x)));
  }

  /**
   * The optional `stateDict` list: `[{"name": "fc1.weight", "of": "weights[1]", "dtype": "float32"}, …]`,
   * names distinct and non-empty, each place at most once, dtype one of the float dtypes.
   */
  stateDict(root: JsonObject, weightCount: number): StateDictEntry[] | undefined {
    const m = getMember(root, 'stateDict');
    if (m === undefined) return undefined;
    const v = m.value;
    if (v.kind !== 'array') this.fail(`stateDict: expected a list of {"name", "of", "dtype"} objects, got ${describeJson(v)}`, 'stateDict', v);
    const names = new Set<string>();
    const places = new Set<string>();
    return v.items.map((item, k) => {
      const p = `stateDict[${k + 1}]`;
      if (item.kind !== 'object') this.fail(`${p}: expected an object {"name", "of", "dtype"}, got ${describeJson(item)}`, p, item);
      this.checkKeys(item, ['name', 'of', 'dtype'], p);
      const name = getMember(item, 'name')?.value;
      const of = getMember(item, 'of')?.value;
      const dtype = getMember(item, 'dtype')?.value;
      if (name?.kind !== 'string' || name.value === '') this.fail(`${p}.name: expected a non-empty tensor name`, `${p}.name`, name ?? item);
      if (names.has(name.value)) this.fail(`${p}.name: ${quoteShort(name.value)} is given twice`, `${p}.name`, name);
      names.add(name.value);
      const match = of?.kind === 'string' ? STATE_DICT_OF.exec(of.value) : null;
      const layer = match !== null ? Number(match[1]) : 0;
      if (of?.kind !== 'string' || layer < 1 || layer > weightCount) {
        this.fail(`${p}.of: expected "weights[i]" with i in 1..${weightCount}, got ${of === undefined ? 'nothing' : describeJson(of)}`, `${p}.of`, of ?? item);
      }
      if (places.has(of.value)) this.fail(`${p}.of: ${of.value} is named twice`, `${p}.of`, of);
      places.add(of.value);
      if (dtype !== undefined && (dtype.kind !== 'string' || !FLOAT_DTYPES.includes(dtype.value as never))) {
        this.fail(`${p}.dtype: expected one of ${FLOAT_DTYPES.map((d) => `"${d}"`).join(', ')}, got ${describeJson(dtype)}`, `${p}.dtype`, dtype);
      }
      return { name: name.value, of: of.value, ...(dtype?.kind === 'string' ? { dtype: dtype.value } : {}) };
    });
  }
}

function shorten(s: string): string {
  return s.length <= 42 ? s : `${s.slice(0, 40)}…`;
}

/** Parses JSON text, turning syntax errors into {@link ModelError}s (`kind: 'syntax'`). */
export function parseModelJson(text: string, source?: string): JsonNode {
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new ModelError(e.message, { kind: 'syntax', line: e.line, column: e.column, cause: e, ...(source !== undefined ? { source } : {}) });
    }
    throw e;
  }
}

/**
 * The UTF-8 text of a model file (at most {@link MAX_MODEL_FILE_BYTES} bytes read; only regular
 * files). Throws {@link ModelError} with `kind: 'io'` when the file cannot be read.
 */
export function readModelText(path: string, what = 'model file'): string {
  try {
    return readInputText(path, { what, maxBytes: MAX_MODEL_FILE_BYTES });
  } catch (e) {
    if (e instanceof InputFileError) throw new ModelError(e.message, { kind: 'io', cause: e });
    throw e;
  }
}
