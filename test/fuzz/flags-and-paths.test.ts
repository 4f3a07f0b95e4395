/**
 * Fuzz: bad option values (integers beyond 2^53, below or above their documented range, not
 * integers; numbers in bad syntax) and bad output paths (empty, NUL bytes, a trailing slash, a
 * directory, a missing or file parent, the input itself under another spelling, two outputs naming
 * one file). Each is refused with exit 2, a message naming the option, nothing written, no temporary
 * file left and the input untouched.
 */
import fc from 'fast-check';
import { copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CommandSpec } from '../../src/cli/args.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { hessianCommand } from '../../src/cli/commands/hessian.js';
import { landscapeCommand } from '../../src/cli/commands/landscape.js';
import { minimizerCommand } from '../../src/cli/commands/minimizer.js';
import { overlapCommand } from '../../src/cli/commands/overlap.js';
import { projectionsCommand } from '../../src/cli/commands/projections.js';
import { sampleCommand } from '../../src/cli/commands/sample.js';
import { sharpnessCommand } from '../../src/cli/commands/sharpness.js';
import { spectrumCommand } from '../../src/cli/commands/spectrum.js';
import { structureCommand } from '../../src/cli/commands/structure.js';
import { traceCommand } from '../../src/cli/commands/trace.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { deriveCommand } from '../../src/cli/commands/derive.js';
import { getExample } from '../../src/models/examples/index.js';
import { checkProperty } from '../support/property.js';
import { expectRefused, FuzzDir, fuzzCases } from './harness.js';

const SPECS: readonly CommandSpec[] = [
  checkCommand, hessianCommand, landscapeCommand, minimizerCommand, overlapCommand, projectionsCommand, sampleCommand,
  sharpnessCommand, spectrumCommand, structureCommand, traceCommand, verifyCommand, deriveCommand,
];

const MODEL = 'example:scalar-chain-2';

function positionals(spec: CommandSpec): string[] {
  return spec.positionals.map(() => MODEL);
}

/** Every integer option of every command, with its range. */
const INTEGER_FLAGS = SPECS.flatMap((spec) =>
  Object.entries(spec.flags).flatMap(([name, f]) => (f.kind === 'integer' ? [{ spec, name, min: f.min, max: f.max }] : [])),
);

/** A value the option must refuse. */
function badInteger(min: number | undefined, max: number | undefined): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc.integer({ min: 17, max: 400 }).map((k) => `${'9'.repeat(k)}`),
    fc.integer({ min: 17, max: 400 }).map((k) => `-${'9'.repeat(k)}`),
    fc.constantFrom('1.5', '1e3', '0x10', '', ' ', 'abc', '-', '+1', '1_000', '１', 'Infinity', 'NaN', '9007199254740993'),
  ];
  if (min !== undefined) options.push(fc.integer({ min: 1, max: 1_000_000 }).map((k) => String(min - k)));
  if (max !== undefined) options.push(fc.integer({ min: 1, max: 1_000_000_000 }).map((k) => String(max + k)));
  return fc.oneof(...options);
}

/** Numeric options given as text, with values none of them accepts. */
const NUMBER_FLAGS: readonly [string, string][] = [
  ['spectrum', 'tolerance'],
  ['spectrum', 'sigma'],
  ['structure', 'tolerance'],
  ['landscape', 'span'],
  ['trace', 'fd-step'],
  ['sample', 'learning-rate'],
  ['sample', 'input-mean'],
];
const BAD_NUMBERS = fc.constantFrom('', ' ', 'abc', '0x10', 'NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '1,5', '1..2', '--1', '1e', '.', 'e5');

describe('fuzz: option values', () => {
  const dir = new FuzzDir();
  afterAll(() => dir.dispose());

  test('integers beyond 2^53, outside their range or not integers are refused naming the option', () => {
    let n = 0;
    const flag = fc.constantFrom(...INTEGER_FLAGS).chain((f) => badInteger(f.min, f.max).map((value) => ({ ...f, value })));
    checkProperty(
      fc.property(flag, ({ spec, name, value }) => {
        const out = dir.file(`flag-${n++}.txt`);
        const withOut = 'out' in spec.flags ? ['--out', out] : [];
        expectRefused({ argv: [spec.name, ...positionals(spec), `--${name}=${value}`, ...withOut], inputs: [], outputs: [out], place: new RegExp(`--${name}\\b`), dir });
      }),
      { numRuns: fuzzCases(800) },
    );
  });

  test('numbers in bad syntax are refused naming the option', () => {
    let n = 0;
    checkProperty(
      fc.property(fc.constantFrom(...NUMBER_FLAGS), BAD_NUMBERS, ([command, name], value) => {
        const spec = SPECS.find((s) => s.name === command) as CommandSpec;
        const plot = command === 'landscape' || command === 'spectrum';
        const out = dir.file(`num-${n++}.${plot ? 'svg' : 'txt'}`);
        const extra = command === 'spectrum' ? ['--density'] : [];
        expectRefused({ argv: [command, ...positionals(spec), `--${name}=${value}`, ...extra, '--out', out], inputs: [], outputs: [out], place: new RegExp(`--${name}\\b`), dir });
      }),
      { numRuns: fuzzCases(200) },
    );
  });
});

describe('fuzz: output paths', () => {
  const dir = new FuzzDir();
  afterAll(() => dir.dispose());
  const model = dir.file('model.json');
  writeFileSync(model, getExample('scalar-chain-2').text);
  mkdirSync(dir.file('sub'));
  writeFileSync(dir.file('plain'), 'x');
  symlinkSync(model, dir.file('link.json'));
  linkSync(model, dir.file('hard.json'));
  const input = (): string => {
    const copy = dir.file('copy.json');
    copyFileSync(model, copy);
    return copy;
  };

  /** A bad `--out` and whether it names the model itself (then the message says so). */
  const badOut: fc.Arbitrary<{ path: string; place: RegExp }> = fc.constantFrom(
    { path: '', place: /--out "": the file name is empty/ },
    { path: dir.file('x.json/'), place: /--out .*names a directory/ },
    { path: dir.file('a\u0000b.json'), place: /--out .*NUL byte/ },
    { path: dir.file('sub'), place: /--out .*it is a directory/ },
    { path: dir.path, place: /--out .*it is a directory/ },
    { path: join(dir.path, 'missing', 'x.json'), place: /--out .*does not exist/ },
    { path: join(dir.path, 'plain', 'x.json'), place: /--out .*is not a directory/ },
    { path: `${dir.file('y')}${'z'.repeat(300)}`, place: /--out .*255/ },
    { path: model, place: /--out .*is the input/ },
    { path: join(dir.path, 'sub', '..', basename(model)), place: /--out .*is the input/ },
    { path: dir.file('link.json'), place: /--out .*is the input/ },
    { path: dir.file('hard.json'), place: /--out .*is the input/ },
    { path: '/dev/null', place: /--out .*not a regular file/ },
  );
  const COMMANDS = ['check', 'hessian', 'structure', 'trace', 'sharpness', 'projections'];

  test('bad --out names are refused before any work, naming the option; the model is untouched', () => {
    checkProperty(
      fc.property(badOut, fc.constantFrom(...COMMANDS), ({ path, place }, command) => {
        const outputs = path === '' || path.includes('\u0000') || path.endsWith('/') || path === model || path === '/dev/null' || path.includes('link') || path.includes('hard') || path.includes('..') || path === dir.path || path.endsWith('sub') ? [] : [path];
        expectRefused({ argv: [command, model, '--out', path], inputs: [model, dir.file('link.json'), dir.file('hard.json')], outputs, place, dir });
      }),
      { numRuns: fuzzCases(300) },
    );
  });

  test('two outputs naming one file (--out and --data) are refused; neither is written', () => {
    checkProperty(
      fc.property(fc.constantFrom('spectrum', 'landscape'), fc.constantFrom('same', 'dot', 'link'), (command, how) => {
        const a = dir.file(`both.${command === 'landscape' ? 'json' : 'json'}`);
        const b = how === 'same' ? a : how === 'dot' ? join(dir.path, '.', basename(a)) : join(dir.path, 'sub', '..', basename(a));
        const extra = command === 'spectrum' ? ['--density'] : [];
        expectRefused({ argv: [command, input(), ...extra, '--data', a, '--out', b], inputs: [model], outputs: [a], place: /--(out|data) .*same file/, dir });
      }),
      { numRuns: fuzzCases(30) },
    );
  });

  test('special input files are refused up front (directory, device, NUL in the name)', () => {
    for (const [path, place] of [
      [dir.path, /it is a directory/],
      ['/dev/zero', /character device/],
      ['/dev/urandom', /character device/],
      [`${model}\u0000x`, /NUL byte/],
      [join(dir.path, 'nope.json'), /no such file/],
    ] as const) {
      const out = dir.file('never.txt');
      expectRefused({ argv: ['check', path, '--out', out], inputs: [model], outputs: [out], place, dir });
    }
  });
});
