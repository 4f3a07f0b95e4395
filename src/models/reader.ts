/**
 * The shared pieces of the model-file readers (src/models/load.ts, src/models/two-layer-load.ts):
 * {@link ModelReader}, which reads members, exact entries and matrices and reports every problem
 * as a placed {@link ModelError}, JSON parsing with syntax errors as {@link ModelError}s, and the
 * reading of a model file's text.
 */
import { bigAbs, bitLength, Rational, RationalParseError } from '../field/rational.js';
import { InputFileError, readInputText } from '../io/input.js';
import { fromRows, type Matrix } from '../linalg/matrix.js';
import { ModelError } from './errors.js';
import { describeJson, getMember, JsonSyntaxError, parseJson, quoteShort, type JsonLocation, type JsonNode, type JsonObject } from './json.js';

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

/** Reads parts of a parsed model file; `source` (a file name) is attached to errors. */
export class ModelReader {
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
