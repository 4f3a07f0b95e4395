/**
 * Reading model files (format: docs/model-format.md).
 *
 * `{"weights": [W_1, …, W_N], "target": M}` (deep matrix factorization) or
 * `{"weights": [...], "data": {"inputs": X, "targets": Y}}` (deep linear network with data), each
 * matrix a list of rows, entries JSON numbers or exact strings (`"3/4"`, `"-0.125"`, `"1e-3"`),
 * all read exactly as rationals. Every problem is a {@link ModelError} naming its place.
 */
import { readFileSync, statSync } from 'node:fs';
import { Rational, RationalParseError } from '../field/rational.js';
import { fromRows, type Matrix } from '../linalg/matrix.js';
import { ModelError } from './errors.js';
import { describeJson, getMember, JsonSyntaxError, parseJson, quoteShort, type JsonLocation, type JsonNode, type JsonObject } from './json.js';
import { MODEL_KINDS, shapeProblem, widthsOf, type DeepLinearModel, type LossScale, type ModelKind } from './model.js';

/** Longest accepted text of one entry (a JSON number or an exact string), in characters. */
export const MAX_ENTRY_CHARS = 10000;

/** Largest model file {@link loadModelFile} reads: 256 MiB. */
export const MAX_MODEL_FILE_BYTES = 256 * 1024 * 1024;

/** The keys a model object may have. */
export const MODEL_KEYS: readonly string[] = ['weights', 'target', 'data', 'lossScale', 'kind', 'name', 'description'];

const DATA_KEYS: readonly string[] = ['inputs', 'targets'];
const LOSS_SCALES: readonly LossScale[] = ['half', 'sum'];
const KIND_NAMES: Record<ModelKind, string> = { dmf: 'deep matrix factorization', dln: 'deep linear network with data' };

/** `Number.MAX_VALUE` exactly: entries above it in magnitude have no binary64 value. */
const MAX_F64 = Rational.fromNumber(Number.MAX_VALUE);
const NON_FINITE_TEXT = /^\s*[+-]?(nan|inf|infinity)\s*$/i;
const ZERO_DENOMINATOR = /^\s*[+-]?\d+\s*\/\s*[+-]?0+\s*$/;

class Reader {
  constructor(private readonly source: string | undefined) {}

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

  optionalString(obj: JsonObject, key: string): string | undefined {
    const m = getMember(obj, key);
    if (m === undefined) return undefined;
    if (m.value.kind !== 'string') this.fail(`${key}: expected a string, got ${describeJson(m.value)}`, key, m.value);
    return m.value.value;
  }

  /** One exact entry. */
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
    if (q.abs().compare(MAX_F64) > 0) {
      this.fail(`${path}: ${shorten(shown)} cannot be represented in float64 (its magnitude exceeds Number.MAX_VALUE ≈ 1.8e308)`, path, node);
    }
    return q;
  }

  /**
   * A matrix given as a non-empty list of non-empty rows of equal length. `samples`: the matrix
   * holds one column per sample, so rows with no entries mean "no samples".
   */
  matrix(node: JsonNode, path: string, samples = false): Matrix<Rational> {
    if (node.kind !== 'array' || node.items.length === 0) {
      this.fail(`${path}: expected a matrix (a non-empty list of rows), got ${describeJson(node)}`, path, node);
    }
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
}

function shorten(s: string): string {
  return s.length <= 42 ? s : `${s.slice(0, 40)}…`;
}

/**
 * Parses a model from JSON text (format: docs/model-format.md). Entries are read exactly.
 * `source` (a file name) is attached to errors. Throws {@link ModelError} naming the first problem.
 */
export function parseModel(text: string, source?: string): DeepLinearModel<Rational> {
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new ModelError(e.message, { kind: 'syntax', line: e.line, column: e.column, cause: e, ...(source !== undefined ? { source } : {}) });
    }
    throw e;
  }
  return modelFromJson(root, source);
}

/** Builds a model from an already parsed JSON tree (see {@link parseModel}). */
export function modelFromJson(root: JsonNode, source?: string): DeepLinearModel<Rational> {
  const rd: Reader = new Reader(source);
  if (root.kind !== 'object') {
    rd.fail(`expected a JSON object at the top level (with "weights" and "target" or "data"), got ${describeJson(root)}`, '', root);
  }
  rd.checkKeys(root, MODEL_KEYS, '');

  // kind (reserved): if given, must be supported.
  const kindMember = getMember(root, 'kind');
  let declared: ModelKind | undefined;
  if (kindMember !== undefined) {
    const v = kindMember.value;
    const supported = `this version supports ${MODEL_KINDS.map((k) => `"${k}" (${KIND_NAMES[k]})`).join(' and ')}`;
    if (v.kind !== 'string') rd.fail(`kind: expected a string, got ${describeJson(v)}; ${supported}`, 'kind', v);
    const k = MODEL_KINDS.find((x) => x === v.value);
    if (k === undefined) rd.fail(`kind: unsupported kind ${quoteShort(v.value)}; ${supported}`, 'kind', v);
    declared = k;
  }

  const name = rd.optionalString(root, 'name');
  const description = rd.optionalString(root, 'description');

  let lossScale: LossScale = 'half';
  const lsMember = getMember(root, 'lossScale');
  if (lsMember !== undefined) {
    const v = lsMember.value;
    const ls = v.kind === 'string' ? LOSS_SCALES.find((x) => x === v.value) : undefined;
    if (ls === undefined) rd.fail(`lossScale: expected "half" or "sum", got ${describeJson(v)}`, 'lossScale', v);
    lossScale = ls;
  }

  const weightsMember = getMember(root, 'weights');
  if (weightsMember === undefined) rd.fail('missing "weights" (the list of layer matrices W_1, …, W_N)', 'weights', root);
  const targetMember = getMember(root, 'target');
  const dataMember = getMember(root, 'data');
  if (targetMember === undefined && dataMember === undefined) {
    rd.fail('neither "target" nor "data" given: a model needs one ("target" for deep matrix factorization, "data" for a deep linear network with data)', '', root);
  }
  if (targetMember !== undefined && dataMember !== undefined) {
    rd.fail('both "target" and "data" given: give exactly one', '', dataMember.keyNode);
  }
  const actual: ModelKind = targetMember !== undefined ? 'dmf' : 'dln';
  if (declared !== undefined && kindMember !== undefined && declared !== actual) {
    const needs = declared === 'dmf' ? '"target"' : '"data"';
    const gives = actual === 'dmf' ? '"target"' : '"data"';
    rd.fail(`kind: "${declared}" (${KIND_NAMES[declared]}) needs ${needs}, but the model gives ${gives}`, 'kind', kindMember.value);
  }

  // weights
  const wn = weightsMember.value;
  if (wn.kind !== 'array') rd.fail(`weights: expected a list of matrices (W_1 first), got ${describeJson(wn)}`, 'weights', wn);
  if (wn.items.length === 0) rd.fail('weights: expected at least one layer, got an empty list', 'weights', wn);
  const weights = wn.items.map((w, i) => rd.matrix(w, `weights[${i + 1}]`));

  let target: Matrix<Rational> | undefined;
  let inputs: Matrix<Rational> | undefined;
  let targets: Matrix<Rational> | undefined;
  let inputsNode: JsonNode | undefined;
  let targetsNode: JsonNode | undefined;
  if (targetMember !== undefined) {
    target = rd.matrix(targetMember.value, 'target');
  } else if (dataMember !== undefined) {
    const dn = dataMember.value;
    if (dn.kind !== 'object') rd.fail(`data: expected an object {"inputs": X, "targets": Y}, got ${describeJson(dn)}`, 'data', dn);
    rd.checkKeys(dn, DATA_KEYS, 'data');
    const im = getMember(dn, 'inputs');
    if (im === undefined) rd.fail('data: missing "inputs" (X, d_0 × n, one column per sample)', 'data', dn);
    const tm = getMember(dn, 'targets');
    if (tm === undefined) rd.fail('data: missing "targets" (Y, d_N × n, one column per sample)', 'data', dn);
    inputsNode = im.value;
    targetsNode = tm.value;
    inputs = rd.matrix(im.value, 'data.inputs', true);
    targets = rd.matrix(tm.value, 'data.targets', true);
  }

  const objective =
    target !== undefined ? { target } : { data: { inputs: inputs ?? { rows: 0, cols: 0 }, targets: targets ?? { rows: 0, cols: 0 } } };
  const problem = shapeProblem(weights, objective);
  if (problem !== undefined) {
    const at = problem.at;
    const node =
      at.part === 'weights' ? wn.items[at.index] : at.part === 'target' ? targetMember?.value : at.part === 'inputs' ? inputsNode : targetsNode;
    rd.fail(problem.message, problem.path, node);
  }

  const extra = {
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
  };
  const widths = widthsOf(weights);
  if (target !== undefined) return { kind: 'dmf', weights, widths, target, lossScale, ...extra };
  if (inputs === undefined || targets === undefined) throw new Error('unreachable: neither target nor data');
  return { kind: 'dln', weights, widths, data: { inputs, targets }, lossScale, ...extra };
}

/** `code` and `message` of a system error, read structurally (errors may come from another realm). */
function describeFsError(e: unknown): { code: string | undefined; text: string } {
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string' ? e.message : String(e);
  const known: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
  };
  const text = (code !== undefined ? known[code] : undefined) ?? message;
  return { code, text };
}

/**
 * Reads and parses a model file (UTF-8 JSON, at most {@link MAX_MODEL_FILE_BYTES}). Throws
 * {@link ModelError}: `kind: 'io'` when the file cannot be read, otherwise as {@link parseModel}
 * with `source` set to `path`.
 */
export function loadModelFile(path: string): DeepLinearModel<Rational> {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ModelError(`cannot read model file "${path}": it is a directory`, { kind: 'io' });
    if (st.size > MAX_MODEL_FILE_BYTES) {
      throw new ModelError(`model file "${path}" has ${st.size} bytes; the limit is ${MAX_MODEL_FILE_BYTES} bytes (256 MiB)`, { kind: 'io' });
    }
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`cannot read model file "${path}": ${describeFsError(e).text}`, { kind: 'io', cause: e });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ModelError(`model file "${path}" is not valid UTF-8 text`, { kind: 'io', cause: e });
  }
  return parseModel(text, path);
}
