import fc from 'fast-check';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rational } from '../../src/field/rational.js';
import { fromRows, type Matrix } from '../../src/linalg/matrix.js';
import { FileWriteError } from '../../src/models/errors.js';
import { loadModelFile, parseModel } from '../../src/models/load.js';
import { makeDlnModel, makeDmfModel, type DeepLinearModel, type Reduction } from '../../src/models/model.js';
import { deepLinearModelText, fractionEntryText, writeAnyModelFile } from '../../src/families/model-writer.js';
import { writeFileAtomic } from '../../src/io/output.js';
import { matrixOf, smallRational, wideRational } from '../support/arbitraries.js';
import { checkProperty } from '../support/property.js';

/** Entries of every kind the writer distinguishes: small, wide, safe and unsafe integers. */
const entry: fc.Arbitrary<Rational> = fc.oneof(
  smallRational(),
  wideRational(),
  fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }).map((n) => Rational.fromBigInt(n)),
  fc.constantFrom(2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n)).map((n) => Rational.fromBigInt(n)),
);

const text = fc.string({ unit: 'binary', maxLength: 20 });

function optional(name: string | null, description: string | null): { name?: string; description?: string } {
  return { ...(name !== null ? { name } : {}), ...(description !== null ? { description } : {}) };
}

const anyModel: fc.Arbitrary<DeepLinearModel<Rational>> = fc
  .record({
    widths: fc.integer({ min: 1, max: 4 }).chain((N) => fc.array(fc.integer({ min: 1, max: 3 }), { minLength: N + 1, maxLength: N + 1 })),
    dln: fc.boolean(),
    samples: fc.integer({ min: 1, max: 4 }),
    reduction: fc.constantFrom<Reduction>('half', 'sample-mean', 'sum', 'mean'),
    name: fc.option(text),
    description: fc.option(text),
  })
  .chain((s) => {
    const N = s.widths.length - 1;
    const d0 = s.widths[0] as number;
    const dN = s.widths[N] as number;
    const weights = fc.tuple(...Array.from({ length: N }, (_, i) => matrixOf(s.widths[i + 1] as number, s.widths[i] as number, entry)));
    const opts = { reduction: s.reduction, ...optional(s.name, s.description) };
    if (s.dln) {
      return fc
        .tuple(weights, matrixOf(d0, s.samples, entry), matrixOf(dN, s.samples, entry))
        .map(([ws, inputs, targets]): DeepLinearModel<Rational> => makeDlnModel(ws as Matrix<Rational>[], { inputs, targets }, opts));
    }
    return fc.tuple(weights, matrixOf(dN, d0, entry)).map(([ws, target]): DeepLinearModel<Rational> => makeDmfModel(ws as Matrix<Rational>[], target, opts));
  });

describe('deepLinearModelText', () => {
  it('round-trips: parseModel(deepLinearModelText(m)) equals m', () => {
    checkProperty(
      fc.property(anyModel, (m) => {
        const text = deepLinearModelText(m);
        expect(parseModel(text)).toStrictEqual(m);
        // Canonical: writing again gives the same text.
        expect(deepLinearModelText(parseModel(text))).toBe(text);
        // Plain JSON any reader accepts.
        expect(() => JSON.parse(text) as unknown).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('writes integers up to 2^53 - 1 as JSON numbers and everything else as exact strings', () => {
    expect(fractionEntryText(Rational.fromBigInt(-7n))).toBe('-7');
    expect(fractionEntryText(Rational.fromBigInt(2n ** 53n - 1n))).toBe('9007199254740991');
    expect(fractionEntryText(Rational.fromBigInt(2n ** 53n))).toBe('"9007199254740992"');
    expect(fractionEntryText(Rational.fromBigInt(-(2n ** 53n)))).toBe('"-9007199254740992"');
    expect(fractionEntryText(new Rational(-3n, 4n))).toBe('"-3/4"');
    expect(fractionEntryText(Rational.parse('0.1'))).toBe('"1/10"');
  });

  it('lays out matrices one row per line with aligned columns', () => {
    const m = makeDmfModel(
      [fromRows([[Rational.ONE, new Rational(1n, 2n)], [Rational.parse('-10'), Rational.ZERO]])],
      fromRows([[Rational.ONE, Rational.ZERO], [Rational.ZERO, Rational.ONE]]),
      { name: 'x' },
    );
    expect(deepLinearModelText(m)).toBe(
      [
        '{',
        '  "name": "x",',
        '  "kind": "dmf",',
        '  "weights": [',
        '    [[  1, "1/2"],',
        '     [-10,     0]]',
        '  ],',
        '  "target": [[1, 0],',
        '             [0, 1]],',
        '  "reduction": "half"',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(join(tmpdir(), 'dln-write-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes and replaces a file whole, keeping its permissions', () => {
    const p = join(dir, 'out.json');
    writeFileAtomic(p, 'first');
    expect(fs.readFileSync(p, 'utf8')).toBe('first');
    fs.chmodSync(p, 0o640);
    writeFileAtomic(p, 'second ✓');
    expect(fs.readFileSync(p, 'utf8')).toBe('second ✓');
    expect(fs.statSync(p).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir)).toEqual(['out.json']);
  });

  it('writes a model that loads back', () => {
    const p = join(dir, 'model.json');
    const m = makeDmfModel([fromRows([[new Rational(1n, 3n)]])], fromRows([[Rational.ONE]]), { reduction: 'sum' });
    writeAnyModelFile(p, { family: 'deep-linear', model: m });
    expect(loadModelFile(p)).toStrictEqual(m);
  });

  it('says when the directory does not exist, and creates nothing', () => {
    const p = join(dir, 'no', 'such', 'out.json');
    expect(() => writeFileAtomic(p, 'x')).toThrow(`cannot write "${p}": directory "${join(dir, 'no', 'such')}" does not exist`);
    expect(() => writeFileAtomic(p, 'x')).toThrow(FileWriteError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('says when the parent is a file or the target is a directory', () => {
    const f = join(dir, 'file');
    fs.writeFileSync(f, '');
    const p = join(f, 'out.json');
    expect(() => writeFileAtomic(p, 'x')).toThrow(`cannot write "${p}": "${f}" is not a directory`);
    const sub = join(dir, 'sub');
    fs.mkdirSync(sub);
    expect(() => writeFileAtomic(sub, 'x')).toThrow(`cannot write "${sub}": it is a directory`);
    expect(fs.readdirSync(dir).sort()).toEqual(['file', 'sub']);
  });

  it('says when the directory is not writable', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const ro = join(dir, 'ro');
    fs.mkdirSync(ro, 0o555);
    const p = join(ro, 'out.json');
    expect(() => writeFileAtomic(p, 'x')).toThrow(`cannot write "${p}": directory "${ro}" is not writable`);
  });

  it('leaves no partial or temporary file when the final rename fails', () => {
    const p = join(dir, 'out.json');
    writeFileAtomic(p, 'old');
    jest.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    let err: unknown;
    try {
      writeFileAtomic(p, 'new');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FileWriteError);
    expect((err as FileWriteError).code).toBe('ENOSPC');
    expect((err as FileWriteError).message).toBe(`cannot write "${p}": no space left on the device`);
    expect(fs.readdirSync(dir)).toEqual(['out.json']);
    expect(fs.readFileSync(p, 'utf8')).toBe('old');
  });

  it('handles long file names (the temporary name stays short)', () => {
    const p = join(dir, `${'a'.repeat(240)}.json`);
    writeFileAtomic(p, 'x');
    expect(fs.readFileSync(p, 'utf8')).toBe('x');
  });
});
