/**
 * Fuzz: generated bad model files (truncated, deeply nested, huge or special numbers, wrong shapes,
 * bad keys, invalid bytes) given to every command that reads a model. Each is refused with exit 2,
 * a message naming the place (line and column, or the file), no output file, no temporary file left,
 * and the input untouched. See test/fuzz/harness.ts.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { checkAsyncProperty, checkProperty } from '../support/property.js';
import { runCliAsync } from '../support/cli.js';
import { expectRefused, FuzzDir, fuzzCases, hashOf } from './harness.js';

/** Commands that read MODEL.json, with the flags that make them write `--out` (or `--data`). */
const COMMANDS: readonly (readonly string[])[] = [
  ['check'],
  ['check', '--json'],
  ['hessian'],
  ['hessian', '--exact'],
  ['spectrum', '--data'],
  ['trace'],
  ['sharpness'],
  ['sharpness', '--exact'],
  ['structure'],
  ['projections'],
  ['landscape', '--data'],
];

/** A matrix of small integers as JSON rows; `hole` (row, col) replaced by `bad`. */
function rows(r: number, c: number, seed: number, hole?: { i: number; j: number; bad: string }): string {
  const out: string[] = [];
  for (let i = 0; i < r; i++) {
    const cells: string[] = [];
    for (let j = 0; j < c; j++) cells.push(hole !== undefined && hole.i === i && hole.j === j ? hole.bad : String(((seed + 3 * i + 7 * j) % 5) - 2));
    out.push(`[${cells.join(', ')}]`);
  }
  return `[${out.join(',\n   ')}]`;
}

interface Shape {
  d0: number;
  d1: number;
  d2: number;
  seed: number;
}

const shape: fc.Arbitrary<Shape> = fc.record({ d0: fc.integer({ min: 1, max: 3 }), d1: fc.integer({ min: 1, max: 3 }), d2: fc.integer({ min: 1, max: 3 }), seed: fc.nat(100) });

function modelText(s: Shape, hole?: { layer: 0 | 1 | 2; i: number; j: number; bad: string }): string {
  const h = (layer: number) => (hole !== undefined && hole.layer === layer ? { i: hole.i, j: hole.j, bad: hole.bad } : undefined);
  return `{\n "weights": [${rows(s.d1, s.d0, s.seed, h(0))},\n  ${rows(s.d2, s.d1, s.seed + 1, h(1))}],\n "target": ${rows(s.d2, s.d0, s.seed + 2, h(2))}\n}\n`;
}

/** Entries no model may hold: not finite, not numbers, beyond binary64, too long, bad syntax. */
const BAD_ENTRIES: readonly string[] = [
  '"1/0"', '"-3/0"', '"NaN"', '"nan"', '"Infinity"', '"-inf"', '""', '" "', '"0x10"', '"1/2/3"', '"abc"', '"1e100001"', '"1e-100001"',
  'null', 'true', 'false', '{}', '[]', '[1]', '1e400', '-1e400', '"1e309"', '"-2e308"', `"${'9'.repeat(10001)}"`, `${'9'.repeat(10001)}`,
];

/** A bad file: its bytes and what the message must name. */
interface BadFile {
  readonly kind: string;
  readonly bytes: Buffer;
  readonly place: RegExp;
}

const POSITION = /line \d+, column \d+/;

const truncated: fc.Arbitrary<BadFile> = fc.tuple(shape, fc.double({ min: 0, max: 1, noNaN: true })).map(([s, f]) => {
  const text = modelText(s);
  const cut = Math.floor(f * text.lastIndexOf('}'));
  return { kind: 'truncated', bytes: Buffer.from(text.slice(0, cut)), place: POSITION };
});

const badEntry: fc.Arbitrary<BadFile> = fc
  .tuple(shape, fc.constantFrom<0 | 1 | 2>(0, 1, 2), fc.nat(2), fc.nat(2), fc.constantFrom(...BAD_ENTRIES))
  .map(([s, layer, i0, j0, bad]) => {
    const dims = layer === 0 ? [s.d1, s.d0] : layer === 1 ? [s.d2, s.d1] : [s.d2, s.d0];
    const i = i0 % (dims[0] as number);
    const j = j0 % (dims[1] as number);
    const where = layer === 2 ? 'target' : `weights\\[${layer + 1}\\]`;
    return { kind: `entry ${bad.slice(0, 12)}`, bytes: Buffer.from(modelText(s, { layer, i, j, bad })), place: new RegExp(`${POSITION.source}: ${where} row ${i + 1} column ${j + 1}`) };
  });

const nested: fc.Arbitrary<BadFile> = fc.tuple(fc.integer({ min: 1, max: 200000 }), fc.constantFrom('[', '{"a":', '[{"weights":')).map(([n, open]) => ({
  kind: `nested ${n}`,
  bytes: Buffer.from(open.repeat(n)),
  place: POSITION,
}));

/** Well-formed JSON that is not a valid model: each names the key, row or shape at fault. */
const wrongShape: fc.Arbitrary<BadFile> = fc.tuple(shape, fc.nat(9)).map(([s, k]) => {
  const w1 = rows(s.d1, s.d0, s.seed);
  const w2 = rows(s.d2, s.d1, s.seed);
  const m = rows(s.d2, s.d0, s.seed);
  const texts: [string, RegExp][] = [
    [`{"weights": [${w1}, ${rows(s.d2, s.d1 + 1, 1)}], "target": ${m}}`, /weights\[2\]|chain|shape|d_1/],
    [`{"weights": [${w1}, ${w2}], "target": ${rows(s.d2 + 1, s.d0, 1)}}`, /target/],
    [`{"weights": [[[1, 2], [3]]], "target": [[1, 2]]}`, /row 2/],
    [`{"weights": [], "target": ${m}}`, /weights/],
    [`{"weights": 3, "target": ${m}}`, /weights/],
    [`{"weights": [${w1}, ${w2}]}`, /target|data/],
    [`{"weights": [${w1}, ${w2}], "target": ${m}, "wieghts": 1}`, /wieghts/],
    [`{"weights": [${w1}, ${w2}], "weights": [${w1}, ${w2}], "target": ${m}}`, /weights|duplicate/],
    [`{"__proto__": {"x": 1}, "weights": [${w1}, ${w2}], "target": ${m}}`, /__proto__/],
    [`{"weights": [${w1}, ${w2}], "target": ${m}, "lossScale": "mean"}`, /lossScale/],
  ];
  const [text, place] = texts[k % texts.length] as [string, RegExp];
  return { kind: `shape ${k}`, bytes: Buffer.from(text), place };
});

const badBytes: fc.Arbitrary<BadFile> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ kind: 'invalid UTF-8', bytes: Buffer.concat([Buffer.from('{"weights": '), Buffer.from([0xff]), Buffer.from(b)]), place: /UTF-8/ })),
  fc.constantFrom('', ' ', '\n\n', '\uFEFF', 'null', '[]', '"model"', '{}', '\u0000').map((t) => ({ kind: `document ${JSON.stringify(t)}`, bytes: Buffer.from(t), place: /line \d+, column \d+|expected/ })),
);

const badFile: fc.Arbitrary<BadFile> = fc.oneof(truncated, badEntry, nested, wrongShape, badBytes);

describe('fuzz: bad model files', () => {
  const dir = new FuzzDir();
  afterAll(() => dir.dispose());

  test('every command refuses them cleanly (exit 2, the place named, no output, no temporary file, input untouched)', () => {
    let n = 0;
    checkProperty(
      fc.property(badFile, fc.constantFrom(...COMMANDS), (bad, command) => {
        const input = dir.file(`bad-${n}.json`);
        const out = dir.file(`out-${n++}.${command.includes('--data') ? 'json' : 'txt'}`);
        writeFileSync(input, bad.bytes);
        const [name, ...flags] = command as [string, ...string[]];
        const argv = flags.includes('--data') ? [name, input, ...flags, out] : [name, input, ...flags, '--out', out];
        expectRefused({ argv, inputs: [input], outputs: [out], place: bad.place, dir });
        expect(hashOf(input)).toBeDefined();
      }),
      { numRuns: fuzzCases(1500) },
    );
  });

  test('minimizer --target refuses bad target files the same way', () => {
    let n = 0;
    checkProperty(
      fc.property(fc.oneof(truncated, badEntry, nested, badBytes), (bad) => {
        const input = dir.file(`target-${n}.json`);
        const out = dir.file(`min-${n++}.json`);
        writeFileSync(input, bad.bytes);
        const place = bad.kind.startsWith('entry') ? POSITION : bad.place;
        expectRefused({ argv: ['minimizer', '--target', input, '--depth', '2', '--kind', 'random', '--out', out], inputs: [input], outputs: [out], place, dir });
      }),
      { numRuns: fuzzCases(200) },
    );
  });

  test('hessian-vector --vector refuses bad vector files (exact-number rules, line and column)', async () => {
    let n = 0;
    const VECTORS: readonly [string, RegExp][] = [
      ['[1, ""]', /vector\[2\]/],
      ['[" ", 1]', /vector\[1\]/],
      ['["0x10", 1]', /vector\[1\]/],
      ['[1, 2, 3]', /expected 2 entries/],
      ['[1, NaN]', POSITION],
      ['{"vector": [1, "1/0"]}', /vector\[2\]|zero denominator/],
      ['{"vectr": [1, 2]}', /vectr/],
      ['[1,\n 2', POSITION],
      ['[1, 1e400]', /vector\[2\]/],
      ['"12"', /expected an array/],
    ];
    await checkAsyncProperty(
      fc.asyncProperty(fc.constantFrom(...VECTORS), async ([text, place]) => {
        const input = dir.file(`vector-${n}.json`);
        const out = dir.file(`hv-${n++}.json`);
        writeFileSync(input, text);
        const before = hashOf(input);
        const run = await runCliAsync('hessian-vector', 'example:scalar-chain-2', '--vector', input, '--out', out);
        expect({ code: run.code, named: place.test(run.stderr), stderr: run.stderr }).toEqual({ code: 2, named: true, stderr: run.stderr });
        expect(hashOf(out)).toBeUndefined();
        expect(hashOf(input)).toBe(before);
        expect(dir.temporaries()).toEqual([]);
      }),
      { numRuns: fuzzCases(30) },
    );
  });
});
