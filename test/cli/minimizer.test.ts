/** `dln-hessian minimizer` end to end (in process): files written, read back unchanged, loss 0; bad input exits 2 with no file. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { Q } from '../../src/field/field.js';
import { equals } from '../../src/linalg/matrix.js';
import { isBalanced, productOf } from '../../src/generators/minimizers.js';
import { loadModelFile, parseModel } from '../../src/models/load.js';
import { deepLinearModelText as serializeModel } from '../../src/families/model-writer.js';

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'dln-minimizer-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
let counter = 0;
const outPath = (): string => join(dir, `out-${++counter}.json`);

describe('dln-hessian minimizer', () => {
  const diag81 = file('diag81.json', '[[8, 0], [0, 1]]');

  test.each(['balanced', 'gl-orbit', 'diagonal', 'random'])('--kind %s writes an exact minimizer that loads back unchanged and checks with loss 0', (kind) => {
    const out = outPath();
    const r = run('minimizer', '--target', diag81, '--depth', '3', '--kind', kind, '--seed', '5', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Wrote .*: a ${kind} minimizer of the 2×2 target .* depth N = 3, widths d_0..d_N = 2, 2, 2, 2, seed 5\\. It is exact`));
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const m = loadModelFile(out);
    expect(parseModel(serializeModel(m))).toEqual(m);
    if (m.kind !== 'dmf') throw new Error('expected a dmf model');
    expect(equals(Q, productOf(m.weights), m.target)).toBe(true);
    if (kind === 'balanced') expect(isBalanced(m.weights)).toBe(true);
    expect(m.description).toMatch(new RegExp(`${kind} minimizer.*seed 5`));
    const check = run('check', out);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/loss\s+0 \(exact\)/);
    expect(check.stdout).toMatch(/minimizer\s+yes/);
  });

  test('exact decimals in the target ("0.1" is 1/10), --widths, a model file as the target', () => {
    const t = file('dec.json', '[[0.1, "1/5"], ["3/10", 0.6], [0, 0]]');
    const out = outPath();
    const r = run('minimizer', '--target', t, '--depth', '3', '--widths', '2,1,2,3', '--kind', 'random', '--out', out);
    expect(r.code).toBe(0);
    const m = loadModelFile(out);
    if (m.kind !== 'dmf') throw new Error('expected a dmf model');
    expect(m.target.data.map(String)).toEqual(['1/10', '3/10', '0', '1/5', '3/5', '0']);
    expect(m.widths).toEqual([2, 1, 2, 3]);
    const again = outPath();
    expect(run('minimizer', '--target', out, '--depth', '2', '--kind', 'gl-orbit', '--out', again).code).toBe(0);
    const m2 = loadModelFile(again);
    if (m2.kind !== 'dmf') throw new Error('expected a dmf model');
    expect(equals(Q, m2.target, m.target)).toBe(true);
    expect(run('minimizer', '--target', 'example:dmf-diagonal-depth3', '--depth', '2', '--kind', 'random', '--out', outPath()).code).toBe(0);
  });

  test('--float accepts a float64 balanced minimizer when the exact one is not rational', () => {
    const t = file('diag21.json', '[[2, 0], [0, 1]]');
    const out = outPath();
    const r = run('minimizer', '--target', t, '--depth', '3', '--kind', 'balanced', '--float', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NOT exact/);
    expect(r.stdout).toMatch(/relative residual/);
    expect(existsSync(out)).toBe(true);
    // The one minimizer test: the exact loss is tiny but not 0, and within binary64 rounding of forming the product.
    const checked = run('check', out).stdout;
    expect(checked).toMatch(/minimizer\s+yes, within rounding/);
    expect(checked).toMatch(/not 0\)/);
  });

  const bad = file('bad.json', '[[1, 2],\n [3 4]]');
  const ragged = file('ragged.json', '[[1, 2], [3]]');
  const diag21 = file('diag21b.json', '[[2, 0], [0, 1]]');
  const dln = file('dln.json', JSON.stringify({ weights: [[[1]]], data: { inputs: [[1]], targets: [[1]] } }));
  test.each([
    ['unparsable target', ['--target', bad, '--depth', '2', '--kind', 'random'], /bad\.json: line 2, column 5: /],
    ['ragged target', ['--target', ragged, '--depth', '2', '--kind', 'random'], /ragged\.json: line 1, column 10: target row 2: expected 2 entries, got 1/],
    ['missing target file', ['--target', join(dir, 'nope.json'), '--depth', '2', '--kind', 'random'], /cannot read target file .*no such file/],
    ['model with data', ['--target', dln, '--depth', '2', '--kind', 'random'], /has "data", not a "target"/],
    ['depth 0', ['--target', diag81, '--depth', '0', '--kind', 'random'], /--depth must be between 1 and 200, got 0/],
    ['missing depth', ['--target', diag81, '--kind', 'random'], /missing --depth/],
    ['widths of the wrong length', ['--target', diag81, '--depth', '2', '--widths', '2,2', '--kind', 'random'], /expected N \+ 1 = 3 widths/],
    ['widths not matching the target', ['--target', diag81, '--depth', '2', '--widths', '3,2,2', '--kind', 'random'], /d_0 = 3 must equal the number of columns/],
    ['widths not integers', ['--target', diag81, '--depth', '2', '--widths', '2,x,2', '--kind', 'random'], /d_1 must be an integer from 1 to 1000000/],
    ['hidden width below the rank', ['--target', diag81, '--depth', '2', '--widths', '2,1,2', '--kind', 'random'], /hidden width d_1 = 1 is below rank\(M\) = 2/],
    ['unknown kind', ['--target', diag81, '--depth', '2', '--kind', 'flat'], /unknown --kind "flat" \(kinds: balanced, gl-orbit, diagonal, random\)/],
    ['missing kind', ['--target', diag81, '--depth', '2'], /missing --kind/],
    [
      'inexact balanced',
      ['--target', diag21, '--depth', '3', '--kind', 'balanced'],
      /balanced minimizer of this target is not rational: singular value 2 is not a perfect 3rd power; use --kind gl-orbit or --kind random/,
    ],
    ['diagonal of a non-diagonal target', ['--target', ragged.replace('ragged', 'dec'), '--depth', '2', '--kind', 'diagonal'], /kind diagonal needs a square diagonal target/],
  ])('%s: exit 2, a clear message, no output file', (_name, args, message) => {
    const out = outPath();
    const r = run('minimizer', ...args, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  test('missing --out, unwritable --out: exit 2', () => {
    const r = run('minimizer', '--target', diag81, '--depth', '2', '--kind', 'random');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --out/);
    const w = run('minimizer', '--target', diag81, '--depth', '2', '--kind', 'random', '--out', join(dir, 'no-such-dir', 'x.json'));
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/does not exist/);
  });

  test('listed in the overview and has --help', () => {
    expect(run('--help').stdout).toMatch(/minimizer\s+Write a model file/);
    const h = run('minimizer', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--kind KIND/);
    expect(readFileSync(diag81, 'utf8')).toBe('[[8, 0], [0, 1]]');
  });
});
