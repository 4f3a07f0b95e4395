import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rational } from '../../src/field/rational.js';
import { at, toRows } from '../../src/linalg/matrix.js';
import { EXIT_BAD_INPUT, ModelError } from '../../src/models/errors.js';
import { loadModelFile, MAX_ENTRY_CHARS, MAX_MODEL_FILE_BYTES, parseModel } from '../../src/models/load.js';

function modelError(text: string, source?: string): ModelError {
  try {
    parseModel(text, source);
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error(`expected a ModelError for ${text}`);
}

/** A valid DMF model text with `weights`/`target` replaced by the given JSON fragments. */
function dmf(weights: string, target: string, extra = ''): string {
  return `{"weights": ${weights}, "target": ${target}${extra}}`;
}

const W2x2 = '[[1, 0], [0, 1]]';

describe('parseModel reads valid models exactly', () => {
  it('reads a DMF model with widths d_0..d_N', () => {
    const m = parseModel(dmf('[[[1, 2, 3], [4, 5, 6]], [[1, 0], [0, 1], [1, 1]]]', '[[1, 2, 3], [4, 5, 6], [7, 8, "9"]]'));
    expect(m.kind).toBe('dmf');
    expect(m.widths).toEqual([3, 2, 3]);
    expect(m.reduction).toBe('half');
    expect(m.weights[0]?.rows).toBe(2);
    expect(m.weights[0]?.cols).toBe(3);
    // Rows as written; storage is column-major.
    expect(m.weights[0]?.data.map(String)).toEqual(['1', '4', '2', '5', '3', '6']);
    if (m.kind !== 'dmf') throw new Error('dmf expected');
    expect(toRows(m.target).map((r) => r.map(String))).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8', '9'],
    ]);
    expect(m.name).toBeUndefined();
    expect('name' in m).toBe(false);
  });

  it('reads decimals exactly: "0.1" and 0.1 are both 1/10, "1e-3" is 1/1000', () => {
    const m = parseModel(dmf('[[[0.1, "0.1", "1e-3", 1e-3, "-3/4", "2.5E+2", -0.125, "-0.125"]]]', '[[0, 0, 0, 0, 0, 0, 0, 0]]'));
    expect(m.weights[0]?.data.map(String)).toEqual(['1/10', '1/10', '1/1000', '1/1000', '-3/4', '250', '-1/8', '-1/8']);
  });

  it('reads a JSON literal like 1e300 as the exact integer, and huge integers exactly', () => {
    const m = parseModel(dmf('[[[1e300, 123456789012345678901234567890, "-98765432109876543210/3", "98765432109876543211/3"]]]', '[[1, 2, 3, 4]]'));
    const data = m.weights[0]?.data ?? [];
    expect(data[0]?.equals(new Rational(10n ** 300n))).toBe(true);
    expect(data[1]?.num).toBe(123456789012345678901234567890n);
    expect(data[2]?.toString()).toBe('-32921810703292181070');
    expect(data[3]?.toString()).toBe('98765432109876543211/3');
  });

  it('reads a DLN model with data, reduction, kind, name and description', () => {
    const m = parseModel(
      '{"name": "n", "description": "d", "kind": "dln", "reduction": "sum", "weights": [[[1, 2]]], "data": {"targets": [[1, 2, 3]], "inputs": [[1, 0, 1], [0, 1, 1]]}}',
    );
    expect(m.kind).toBe('dln');
    if (m.kind !== 'dln') throw new Error('dln expected');
    expect(m.reduction).toBe('sum');
    expect(m.name).toBe('n');
    // The legacy key keeps the loss those files meant: "sum" was (1/n)‖PX − Y‖² (no ½, mean over samples).
    const legacy = (ls: string): string => parseModel(`{"lossScale": "${ls}", "weights": [[[1]]], "data": {"inputs": [[1, 2]], "targets": [[0, 1]]}}`).reduction;
    expect([legacy('half'), legacy('sum')]).toEqual(['half', 'sample-mean']);
    expect(m.description).toBe('d');
    expect(m.widths).toEqual([2, 1]);
    expect(m.data.inputs.rows).toBe(2);
    expect(m.data.inputs.cols).toBe(3);
    expect(String(at(m.data.targets, 0, 2))).toBe('3');
  });

  it('accepts kind "dmf" with a target', () => {
    expect(parseModel(dmf(`[${W2x2}]`, W2x2, ', "kind": "dmf"')).kind).toBe('dmf');
  });
});

describe('parseModel errors name the place', () => {
  const cases: [string, string, string][] = [
    // [what, text, message]
    ['malformed JSON', '{"weights": [[[1, 2]\n  }, "target": [[1]]}', "line 2, column 3: expected ',' or ']', got '}'"],
    ['top level not an object', '[[1]]', 'expected a JSON object at the top level (with "weights" and "target" or "data"), got a list'],
    ['unknown key', '{"weights": [[[1]]], "target": [[1]], "wieghts": 1}', 'unknown key "wieghts" (allowed keys: "weights", "target", "data", "reduction", "lossScale", "kind", "name", "description", "stateDict")'],
    ['missing weights', '{"target": [[1]]}', 'missing "weights" (the list of layer matrices W_1, …, W_N)'],
    [
      'neither target nor data',
      '{"weights": [[[1]]]}',
      'neither "target" nor "data" given: a model needs one ("target" for deep matrix factorization, "data" for a deep linear network with data)',
    ],
    ['both target and data', '{"weights": [[[1]]], "target": [[1]], "data": {"inputs": [[1]], "targets": [[1]]}}', 'both "target" and "data" given: give exactly one'],
    ['weights not a list', dmf('{"W1": 1}', '[[1]]'), 'weights: expected a list of matrices (W_1 first), got an object'],
    ['empty weights', dmf('[]', '[[1]]'), 'weights: expected at least one layer, got an empty list'],
    ['a weight that is a number', dmf('[[[1]], 3]', '[[1]]'), 'weights[2]: expected a matrix (a non-empty list of rows), got 3'],
    ['a weight that is an empty list', dmf('[[]]', '[[1]]'), 'weights[1]: expected a matrix (a non-empty list of rows), got an empty list'],
    ['a row that is not a list', dmf('[[[1], 2]]', '[[1]]'), 'weights[1] row 2: expected a list of entries, got 2'],
    ['an empty row', dmf('[[[]]]', '[[1]]'), 'weights[1] row 1: expected a non-empty list of entries, got an empty list'],
    [
      'ragged rows',
      dmf('[[[1, 2, 3, 4], [1, 2, 3, 4]], [[1, 0], [0, 1], [1, 1]], [[1, 2, 3], [1, 2, 3], [1, 2]]]', '[[1]]'),
      'weights[3] row 3: expected 3 entries, got 2',
    ],
    ['a boolean entry', dmf('[[[1], [true]]]', '[[1], [1]]'), 'weights[1] row 2 column 1: expected a number or an exact string like "3/4", got true'],
    ['a null entry', dmf('[[[1, null]]]', '[[1, 1]]'), 'weights[1] row 1 column 2: expected a number or an exact string like "3/4", got null'],
    ['a list entry', dmf('[[[[1]]]]', '[[1]]'), 'weights[1] row 1 column 1: expected a number or an exact string like "3/4", got a list'],
    [
      'an unparsable string',
      dmf('[[["abc"]]]', '[[1]]'),
      'weights[1] row 1 column 1: cannot read "abc" as an exact number (write e.g. 3, "3/4", "-0.125" or "1e-3")',
    ],
    ['an empty string', dmf('[[[""]]]', '[[1]]'), 'weights[1] row 1 column 1: cannot read "" as an exact number (write e.g. 3, "3/4", "-0.125" or "1e-3")'],
    ['a zero denominator', dmf('[[["3/0"]]]', '[[1]]'), 'weights[1] row 1 column 1: zero denominator in "3/0"'],
    ['"Infinity"', dmf('[[["Infinity"]]]', '[[1]]'), 'weights[1] row 1 column 1: "Infinity" is not finite; entries must be finite numbers'],
    ['"-inf"', dmf('[[["-inf"]]]', '[[1]]'), 'weights[1] row 1 column 1: "-inf" is not finite; entries must be finite numbers'],
    ['"NaN"', dmf('[[[1]]]', '[["NaN"]]'), 'target row 1 column 1: "NaN" is not finite; entries must be finite numbers'],
    ['a bare NaN token', dmf('[[[NaN]]]', '[[1]]'), 'line 1, column 16: non-finite numbers are not allowed (got NaN); JSON numbers must be finite'],
    [
      'a literal beyond float64',
      dmf('[[[1e999]]]', '[[1]]'),
      'weights[1] row 1 column 1: 1e999 cannot be represented in float64 (its magnitude exceeds Number.MAX_VALUE ≈ 1.8e308)',
    ],
    [
      'a string beyond float64',
      dmf('[[[1]]]', '[["-2e308"]]'),
      'target row 1 column 1: "-2e308" cannot be represented in float64 (its magnitude exceeds Number.MAX_VALUE ≈ 1.8e308)',
    ],
    ['an exponent out of range', dmf('[[["1e-1000000"]]]', '[[1]]'), 'weights[1] row 1 column 1: exponent out of range in "1e-1000000" (|exponent| ≤ 100000)'],
    [
      'layers that do not chain',
      dmf('[[[1, 2]], [[1], [2], [3], [4]], [[1, 2, 3, 4, 5]]]', '[[1]]'),
      'weights[3] has 5 columns but weights[2] has 4 rows (d_2 must agree)',
    ],
    ['a target of the wrong shape', dmf('[[[1, 2], [3, 4], [5, 6]]]', '[[1, 2, 3], [4, 5, 6]]'), 'target: expected 3×2 (d_N × d_0), got 2×3'],
    ['a target that is not a matrix', dmf(`[${W2x2}]`, '5'), 'target: expected a matrix (a non-empty list of rows), got 5'],
    ['data not an object', '{"weights": [[[1]]], "data": [[1]]}', 'data: expected an object {"inputs": X, "targets": Y}, got a list'],
    ['data with an unknown key', '{"weights": [[[1]]], "data": {"inputs": [[1]], "targets": [[1]], "x": 1}}', 'data: unknown key "x" (allowed keys: "inputs", "targets")'],
    ['data without inputs', '{"weights": [[[1]]], "data": {"targets": [[1]]}}', 'data: missing "inputs" (X, d_0 × n, one column per sample)'],
    ['data without targets', '{"weights": [[[1]]], "data": {"inputs": [[1]]}}', 'data: missing "targets" (Y, d_N × n, one column per sample)'],
    [
      'inputs with rows ≠ d_0',
      '{"weights": [[[1, 2]]], "data": {"inputs": [[1, 2], [3, 4], [5, 6]], "targets": [[1, 2]]}}',
      'data.inputs: expected d_0 = 2 rows (the columns of weights[1]), got 3',
    ],
    [
      'targets with rows ≠ d_N',
      '{"weights": [[[1, 2]], [[1], [2]]], "data": {"inputs": [[1], [2]], "targets": [[1], [2], [3]]}}',
      'data.targets: expected d_N = 2 rows (the rows of weights[2]), got 3',
    ],
    [
      'sample counts that differ',
      '{"weights": [[[1, 2]]], "data": {"inputs": [[1, 2, 3, 4], [1, 2, 3, 4]], "targets": [[1, 2, 3]]}}',
      'data.targets: expected 4 columns (one per sample, as in data.inputs), got 3',
    ],
    ['zero samples', '{"weights": [[[1, 2]]], "data": {"inputs": [[], []], "targets": [[]]}}', 'data.inputs: expected at least one sample (one column per sample), got 0 columns'],
    ['a bad reduction', dmf('[[[1]]]', '[[1]]', ', "reduction": "full"'), 'reduction: expected one of "half", "sample-mean", "sum", "mean", got "full"'],
    ['a reduction that is not a string', dmf('[[[1]]]', '[[1]]', ', "reduction": 0.5'), 'reduction: expected one of "half", "sample-mean", "sum", "mean", got 0.5'],
    ['a bad legacy lossScale', dmf('[[[1]]]', '[[1]]', ', "lossScale": "mean"'), 'lossScale: expected "half" or "sum" (or use "reduction": one of "half", "sample-mean", "sum", "mean"), got "mean"'],
    ['both reduction and lossScale', dmf('[[[1]]]', '[[1]]', ', "reduction": "sum", "lossScale": "sum"'), 'give either "reduction" or the older "lossScale", not both'],
    [
      'an unsupported kind',
      dmf('[[[1]]]', '[[1]]', ', "kind": "two-layer"'),
      'kind: unsupported kind "two-layer"; this version supports "dmf" (deep matrix factorization) and "dln" (deep linear network with data)',
    ],
    [
      'a kind that is not a string',
      dmf('[[[1]]]', '[[1]]', ', "kind": 2'),
      'kind: expected a string, got 2; this version supports "dmf" (deep matrix factorization) and "dln" (deep linear network with data)',
    ],
    ['kind "dln" with a target', dmf('[[[1]]]', '[[1]]', ', "kind": "dln"'), 'kind: "dln" (deep linear network with data) needs "data", but the model gives "target"'],
    [
      'kind "dmf" with data',
      '{"kind": "dmf", "weights": [[[1]]], "data": {"inputs": [[1]], "targets": [[1]]}}',
      'kind: "dmf" (deep matrix factorization) needs "target", but the model gives "data"',
    ],
    ['a name that is not a string', dmf('[[[1]]]', '[[1]]', ', "name": 3'), 'name: expected a string, got 3'],
    ['a description that is not a string', dmf('[[[1]]]', '[[1]]', ', "description": ["x"]'), 'description: expected a string, got a list'],
    ['duplicate keys', '{"weights": [[[1]]], "target": [[1]], "target": [[2]]}', 'line 1, column 39: duplicate key "target" (first given at line 1, column 22)'],
  ];

  it.each(cases)('%s', (_what, text, message) => {
    const e = modelError(text);
    expect(e.message).toBe(message);
  });

  it('refuses a string entry longer than the limit, saying the limit', () => {
    const long = `"${'1'.repeat(MAX_ENTRY_CHARS + 1)}"`;
    expect(modelError(dmf(`[[[${long}]]]`, '[[1]]')).message).toBe(
      `weights[1] row 1 column 1: string entry has ${MAX_ENTRY_CHARS + 1} characters; the limit is ${MAX_ENTRY_CHARS}`,
    );
    const longNumber = '1'.repeat(MAX_ENTRY_CHARS + 1);
    expect(modelError(dmf(`[[[${longNumber}]]]`, '[[1]]')).message).toBe(
      `weights[1] row 1 column 1: number has ${MAX_ENTRY_CHARS + 1} characters; the limit is ${MAX_ENTRY_CHARS}`,
    );
    // At the limit it is read.
    const atLimit = `0.${'7'.repeat(MAX_ENTRY_CHARS - 2)}`;
    const q = parseModel(dmf(`[[["${atLimit}"]]]`, '[[1]]')).weights[0]?.data[0];
    expect(q?.den).toBe(10n ** BigInt(MAX_ENTRY_CHARS - 2));
    expect(q?.num.toString()).toBe('7'.repeat(MAX_ENTRY_CHARS - 2));
  });

  it('accepts entries of magnitude exactly Number.MAX_VALUE', () => {
    const max = Rational.fromNumber(Number.MAX_VALUE).toString();
    const m = parseModel(dmf(`[[["-${max}"]]]`, '[[1]]'));
    expect(m.weights[0]?.data[0]?.toNumber()).toBe(-Number.MAX_VALUE);
    expect(modelError(dmf(`[[["${max}1/10"]]]`, '[[1]]')).message).toContain('cannot be represented in float64');
  });

  it('carries kind, path, line, column and source', () => {
    const e = modelError('{\n  "weights": [\n    [[1, 2], [3]]\n  ],\n  "target": [[1, 2]]\n}', 'm.json');
    expect(e.message).toBe('weights[1] row 2: expected 2 entries, got 1');
    expect(e.kind).toBe('schema');
    expect(e.path).toBe('weights[1] row 2');
    expect([e.line, e.column]).toEqual([3, 14]);
    expect(e.source).toBe('m.json');
    expect(e.describe()).toBe('m.json: line 3, column 14: weights[1] row 2: expected 2 entries, got 1');

    const s = modelError('{"weights": [}', 'm.json');
    expect(s.kind).toBe('syntax');
    expect(s.describe()).toBe("m.json: line 1, column 14: expected a JSON value, got '}'");
    expect([s.line, s.column]).toEqual([1, 14]);

    const c = modelError(dmf('[[[1, 2]], [[1, 2], [3, 4]]]', '[[1]]'));
    expect(c.message).toBe('weights[2] has 2 columns but weights[1] has 1 row (d_1 must agree)');
    expect([c.path, c.line, c.column]).toEqual(['weights[2]', 1, 24]);
    expect(modelError(dmf('[[[1, 2], [1]]]', '[[1]]')).message).toBe('weights[1] row 2: expected 2 entries, got 1');
    expect(modelError(dmf('[[[1], [1, 2]]]', '[[1]]')).message).toBe('weights[1] row 2: expected 1 entry, got 2');
  });

  it('uses the CLI exit code 2 for bad input', () => {
    expect(EXIT_BAD_INPUT).toBe(2);
  });
});

describe('loadModelFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dln-load-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a file and names it in errors', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, '\ufeff{"weights": [[["1/3"]]], "target": [[1]]}');
    expect(loadModelFile(good).weights[0]?.data[0]?.toString()).toBe('1/3');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"weights": [[[1]]], "target": [[1, 2]]}');
    let err: unknown;
    try {
      loadModelFile(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).describe()).toBe(`${bad}: line 1, column 32: target: expected 1×1 (d_N × d_0), got 1×2`);
  });

  it('reports missing files, directories and invalid UTF-8', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadModelFile(missing)).toThrow(`cannot read model file "${missing}": no such file`);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(() => loadModelFile(sub)).toThrow(`cannot read model file "${sub}": it is a directory`);
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    expect(() => loadModelFile(latin1)).toThrow(`model file "${latin1}" is not valid UTF-8 text`);
    try {
      loadModelFile(missing);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      expect((e as ModelError).kind).toBe('io');
    }
  });

  it('has a file size limit of 64 MiB, enforced on the bytes read', () => {
    expect(MAX_MODEL_FILE_BYTES).toBe(64 * 1024 * 1024);
    const p = join(dir, 'huge.json');
    // A sparse file: 1 byte over the limit, no disk used.
    const fd = openSync(p, 'w');
    ftruncateSync(fd, MAX_MODEL_FILE_BYTES + 1);
    closeSync(fd);
    expect(() => loadModelFile(p)).toThrow(/has more than 67108864 bytes \(64 MiB\), the limit/);
  });
});
