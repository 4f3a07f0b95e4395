/**
 * Directions given in a file (`--directions FILE.json`): one or two vectors of length `n` (the
 * parameter count, in the order `θ = (vec W_1, …, vec W_N)`, column-major), as
 * `{"directions": [[…], […]]}`, a bare list of lists, or a single list of numbers.
 */
import { readInputText } from '../io/input.js';
import { MAX_MODEL_FILE_BYTES } from '../models/reader.js';
import { JsonSyntaxError, parseJson, type JsonNode } from '../models/json.js';
import { CurvatureInputError } from './errors.js';
import { checkDirections } from './directions.js';

function vectorOf(node: JsonNode, where: string, source: string): Float64Array {
  if (node.kind !== 'array') throw new CurvatureInputError(`expected a list of numbers, got ${node.kind === 'object' ? 'an object' : node.kind}`, { path: where, source, line: node.line, column: node.column });
  const v = new Float64Array(node.items.length);
  node.items.forEach((x, i) => {
    if (x.kind !== 'number') {
      throw new CurvatureInputError(`entry ${i + 1}: expected a number, got ${x.kind === 'array' ? 'a list' : x.kind}`, { path: where, source, line: x.line, column: x.column });
    }
    const value = Number(x.text);
    if (!Number.isFinite(value)) throw new CurvatureInputError(`entry ${i + 1} (${x.text}) is not finite in binary64`, { path: where, source, line: x.line, column: x.column });
    v[i] = value;
  });
  return v;
}

/** Parses and checks directions text for a model with `n` parameters (see `checkDirections`). */
export function parseDirections(text: string, n: number, source = 'directions'): Float64Array[] {
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new CurvatureInputError(e.message, { source, kind: 'syntax' });
    throw e;
  }
  let list: JsonNode = root;
  if (root.kind === 'object') {
    const m = root.members.find((x) => x.key === 'directions');
    if (m === undefined) throw new CurvatureInputError('expected a key "directions" with one or two lists of numbers', { source, path: '' });
    list = m.value;
  }
  if (list.kind !== 'array' || list.items.length === 0) throw new CurvatureInputError('expected one or two lists of numbers', { source, path: 'directions' });
  const dirs = list.items.every((x) => x.kind === 'number') ? [vectorOf(list, 'directions[1]', source)] : list.items.map((x, k) => vectorOf(x, `directions[${k + 1}]`, source));
  try {
    checkDirections(dirs, n);
  } catch (e) {
    if (e instanceof CurvatureInputError) throw new CurvatureInputError(e.reason, { source, path: e.path });
    throw e;
  }
  return dirs;
}

/** Reads a directions file (see {@link parseDirections}). */
export function readDirectionsFile(path: string, n: number): Float64Array[] {
  return parseDirections(readInputText(path, { what: 'directions file', maxBytes: MAX_MODEL_FILE_BYTES }), n, path);
}
