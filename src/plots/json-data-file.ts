/**
 * Reading the JSON data files that the plotting commands write once and read back (`landscape`,
 * `spectrum`, `train`, `escape`): the file read, the JSON parse, the sniff of the `format` header and
 * the field checks, each throwing the caller's input error (exit 2) with the place of the problem.
 * Each data-file module states its own schema with these checks.
 */
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../errors/input-error.js';
import { readInputText } from '../io/input.js';
import { MAX_MODEL_FILE_BYTES } from '../models/reader.js';

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A parsed JSON object. */
export type JsonObject = { [k: string]: Json };

/** Whether `x` is a JSON object (not `null`, not a list). */
export function isJsonObject(x: Json | undefined): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** How a data-file module reports a problem: `where` names the field (`''` for the whole file). */
export type DataFileFail = (where: string, message: string, kind?: 'io' | 'syntax' | 'schema') => never;

/** The text of `path`, or `fail('', …, 'io')`. */
export function readDataFileText(path: string, fail: DataFileFail): string {
  try {
    // The one input reader: special files refused, the size limit enforced on the bytes read.
    return readInputText(path, { what: 'data file', maxBytes: MAX_MODEL_FILE_BYTES });
  } catch (e) {
    if (e instanceof InputError) throw e;
    return fail('', `cannot read the data file: ${e instanceof Error ? e.message : String(e)}`, 'io');
  }
}

/** The JSON object of `text`, or `fail` (not JSON, or not an object: `expected` says what was expected). */
export function parseDataFileRoot(text: string, fail: DataFileFail, expected: string): JsonObject {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    return fail('', `not JSON: ${e instanceof Error ? e.message : String(e)}`, 'syntax');
  }
  if (!isJsonObject(root)) return fail('', `expected ${expected}`);
  return root;
}

/**
 * Which of `formats` the file at `path` is, from its first 256 bytes (`{"format":"…"` as the
 * writers put it first); `undefined` for anything else (a model file, `example:ID`, an unreadable path).
 */
export function sniffDataFileFormat<F extends string>(path: string, formats: readonly F[]): F | undefined {
  if (path.startsWith('example:')) return undefined;
  let head: string;
  try {
    // Only regular files are looked into (a FIFO would block); the reader refuses the others.
    if (!statSync(path).isFile()) return undefined;
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(256);
      const n = readSync(fd, buf, 0, 256, 0);
      head = buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const m = /^\s*\{\s*"format"\s*:\s*"([^"]*)"/.exec(head);
  const found = m?.[1];
  return found !== undefined && (formats as readonly string[]).includes(found) ? (found as F) : undefined;
}

const shown = (v: Json | undefined): string => JSON.stringify(v) ?? 'nothing';

/** Field checks of one data file, each failing with the field's place (`series[3].loss`, …). */
export class DataFileChecks {
  constructor(private readonly fail: DataFileFail) {}

  /** Fails at `where` with `message`. */
  error(where: string, message: string): never {
    return this.fail(where, message, 'schema');
  }

  /** `o[key]` as an object. */
  object(o: JsonObject, key: string, where = key): JsonObject {
    const v = o[key];
    if (!isJsonObject(v)) return this.error(where, `expected an object, got ${shown(v)}`);
    return v;
  }

  /** `o[key]` as a list (of `length` entries when given). */
  list(o: JsonObject, key: string, where = key, length?: number): Json[] {
    const v = o[key];
    if (!Array.isArray(v)) return this.error(where, `expected a list, got ${shown(v)}`);
    if (length !== undefined && v.length !== length) return this.error(where, `expected ${length} entries, got ${v.length}`);
    return v;
  }

  /** Entry `i` of a list as an object (`where` is the list's place; entries are numbered from 1). */
  entry(list: readonly Json[], i: number, where: string): JsonObject {
    const v = list[i];
    if (!isJsonObject(v)) return this.error(`${where}[${i + 1}]`, `expected an object, got ${shown(v)}`);
    return v;
  }

  /** `o[key]` as a finite number. */
  number(o: JsonObject, key: string, where = key): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.error(where, `expected a finite number, got ${shown(v)}`);
    return v;
  }

  /** `o[key]` as a finite number or `null` (non-finite values are written as `null`). */
  numberOrNull(o: JsonObject, key: string, where = key): number | null {
    if (o[key] === null) return null;
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.error(where, `expected a finite number or null, got ${shown(v)}`);
    return v;
  }

  /** `o[key]` as an integer in `[min, max]`. */
  integer(o: JsonObject, key: string, where = key, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return this.error(where, `expected an integer from ${min} to ${max}, got ${shown(v)}`);
    return v;
  }

  /** `o[key]` as an integer in `[min, max]` or `null`. */
  integerOrNull(o: JsonObject, key: string, where = key, min = 0): number | null {
    return o[key] === null ? null : this.integer(o, key, where, min);
  }

  /** `o[key]` as a list of finite numbers (of `length` when given). */
  numbers(o: JsonObject, key: string, where = key, length?: number): number[] {
    return this.list(o, key, where, length).map((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) return this.error(`${where}[${i + 1}]`, `expected a finite number, got ${shown(x)}`);
      return x;
    });
  }

  /** `o[key]` as a string. */
  string(o: JsonObject, key: string, where = key): string {
    const v = o[key];
    if (typeof v !== 'string') return this.error(where, `expected a string, got ${shown(v)}`);
    return v;
  }

  /** `o[key]` as a string or `null`. */
  stringOrNull(o: JsonObject, key: string, where = key): string | null {
    return o[key] === null ? null : this.string(o, key, where);
  }

  /** `o[key]` as one of `values`. */
  oneOf<T extends string>(o: JsonObject, key: string, values: readonly T[], where = key): T {
    const v = o[key];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) return this.error(where, `expected one of ${values.map((x) => `"${x}"`).join(', ')}, got ${shown(v)}`);
    return v as T;
  }

  /** `o[key]` as a boolean. */
  boolean(o: JsonObject, key: string, where = key): boolean {
    const v = o[key];
    if (typeof v !== 'boolean') return this.error(where, `expected true or false, got ${shown(v)}`);
    return v;
  }

  /** `o[key]` as a boolean or `null`. */
  booleanOrNull(o: JsonObject, key: string, where = key): boolean | null {
    return o[key] === null ? null : this.boolean(o, key, where);
  }
}
