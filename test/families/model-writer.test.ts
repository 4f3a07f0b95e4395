/**
 * The one model writer (src/families/model-writer.ts): the built-in examples are written back byte
 * for byte as the committed docs/examples files; entries by hand; the referenced form (import
 * --tensors file) keeps every member, biases included, and reads back to the same exact model.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { decimalOf } from '../../src/field/decimal.js';
import { decimalEntryText, fractionEntryText, modelFileText, writeAnyModelFile } from '../../src/families/model-writer.js';
import { importModel } from '../../src/interop/import.js';
import { importedModelFiles } from '../../src/interop/model-files.js';
import { encodeTensorFile, parseTensorFile, readTensorFile } from '../../src/interop/tensor-file.js';
import { equals } from '../../src/linalg/matrix.js';
import { builtinExamples } from '../../src/models/examples/index.js';
import { loadAnySource, parseAnyModel } from '../../src/models/source.js';
import { writeFilesAtomic } from '../../src/io/output.js';

const docsDir = join(__dirname, '..', '..', 'docs', 'examples');
const fixtures = join(__dirname, '..', 'fixtures', 'interop');

describe('modelFileText', () => {
  it.each(builtinExamples.map((e) => [e.id]))('writes example %s exactly as docs/examples holds it', (id) => {
    const want = readFileSync(join(docsDir, `${id}.json`), 'utf8');
    expect(modelFileText(parseAnyModel(want))).toBe(want);
  });

  it('writeAnyModelFile writes the same text atomically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'));
    const any = loadAnySource('example:two-layer-relu-ce');
    writeAnyModelFile(join(dir, 'm.json'), any);
    expect(readFileSync(join(dir, 'm.json'), 'utf8')).toBe(readFileSync(join(docsDir, 'two-layer-relu-ce.json'), 'utf8'));
  });
});

describe('entries', () => {
  it('fraction style: safe integers as numbers, everything else as an exact string', () => {
    expect(fractionEntryText(Rational.fromBigInt(2n ** 53n - 1n))).toBe('9007199254740991');
    expect(fractionEntryText(Rational.fromBigInt(-(2n ** 53n)))).toBe('"-9007199254740992"');
    expect(fractionEntryText(new Rational(-3n, 4n))).toBe('"-3/4"');
  });
  it('decimal style: terminating decimals as numbers, others as "p/q"', () => {
    expect(decimalEntryText(new Rational(1n, 8n))).toBe('0.125');
    expect(decimalEntryText(new Rational(-3n, 40n))).toBe('-0.075');
    expect(decimalEntryText(Rational.fromBigInt(-3n))).toBe('-3');
    expect(decimalEntryText(new Rational(1n, 3n))).toBe('"1/3"');
    // a binary64 value reads back as its shortest round-trip decimal
    expect(decimalEntryText(decimalOf(0.1 + 0.2))).toBe('0.30000000000000004');
  });
});

describe('the referenced form', () => {
  it('keeps the biases of a two-layer network (inline, as lists) and reads back to the same model', () => {
    const f32 = (name: string, shape: number[], values: number[]) => ({ name, dtype: 'float32' as const, shape, values });
    const weights = parseTensorFile(
      encodeTensorFile('npz', [
        f32('0.weight', [4, 3], [0.5, -1, 0.25, 2, 0, 1, -0.5, 1.5, 0.75, 1, -2, 0.125]),
        f32('0.bias', [4], [0.5, -0.25, 0, 1]),
        f32('2.weight', [3, 4], [1, 0, -1, 0.5, 0.25, 1, 0, -0.5, 2, 1, 1, 0]),
        f32('2.bias', [3], [-1, 0.5, 0.25]),
      ]),
      'w.npz',
    );
    const imp = importModel(weights, { kind: 'two-layer', activation: 'tanh', loss: 'squared', data: readTensorFile(join(fixtures, 'twolayer_data_sq.npz')) });
    const dir = mkdtempSync(join(tmpdir(), 'writer-'));
    writeFilesAtomic(importedModelFiles(imp, join(dir, 'ref.json'), 'file'));
    const text = readFileSync(join(dir, 'ref.json'), 'utf8');
    expect(text).toContain('"biases": [[0.5, -0.25, 0, 1], [-1, 0.5, 0.25]]');
    const back = loadAnySource(join(dir, 'ref.json'));
    if (back.family !== 'two-layer' || imp.model.family !== 'two-layer') throw new Error('two-layer expected');
    expect(back.model.biases).toEqual(imp.model.model.biases);
    expect(equals(Q, back.model.weights[0], imp.model.model.weights[0])).toBe(true);
    expect(equals(Q, back.model.data.inputs, imp.model.model.data.inputs)).toBe(true);
  });
});
