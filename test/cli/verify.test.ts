/** `dln-hessian verify` end to end (in process): verdicts, exit codes 0/1/2, the counterexample file, no file on errors. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { loadModelFile } from '../../src/models/load.js';
import { parameterCount } from '../../src/models/model.js';

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'dln-verify-'));
const SUM = 'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';

describe('dln-hessian verify', () => {
  test('exit 0 when the relation holds: the spectral-norm sum at depth 2', () => {
    const out = join(dir, 'never.json');
    const r = run('verify', SUM, '--depth', '2', '--cases', '50', '--seed', '42', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict\s+holds on 50 generated minimizers \(seed 42\)/);
    expect(r.stdout).toMatch(/rigor\s+/);
    expect(r.stderr).toBe('');
    expect(existsSync(out)).toBe(false); // only a counterexample is written
  });

  test('exit 0 for N·norm2(M)^(2−2/N) as a lower bound, with --json', () => {
    const r = run('verify', 'N * norm2(M)^(2 - 2/N)', '--relation', 'lower', '--cases', '50', '--seed', '3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { verdict: string; casesTried: number; seed: number; relation: string; depth: number[]; width: number[]; proven: number; undecided: number };
    expect(j.verdict).toBe('holds');
    expect(j.casesTried).toBe(50);
    expect(j.seed).toBe(3);
    expect(j.relation).toBe('lower');
    expect(j.depth).toEqual([2, 4]);
    expect(j.width).toEqual([1, 4]);
    expect(j.proven + j.undecided).toBe(50);
  });

  test('exit 1 on a counterexample: printed as a model file and written to --out, exact and small', () => {
    const out = join(dir, 'cex.json');
    const r = run('verify', SUM, '--depth', '3', '--cases', '50', '--seed', '42', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/verdict\s+counterexample \(after shrinking\): F = λ_max fails: F (=|∈) .* > λ_max/);
    expect(r.stdout).toMatch(/cases\s+\d+ tried \(seed 42\)/);
    expect(r.stdout).toContain('"name": "verify-counterexample"');
    const m = loadModelFile(out);
    expect(m.kind).toBe('dmf');
    expect(m.weights.length).toBe(3);
    expect(parameterCount(m)).toBeLessThanOrEqual(12);
    // The printed model is the written one.
    expect(r.stdout).toContain(readFileSync(out, 'utf8').trimEnd());
    // And it is a minimizer: `check` says so.
    const c = run('check', out);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/minimizer\s+yes/);
  });

  test('--json on a counterexample carries the values and the model file', () => {
    const r = run('verify', SUM, '--depth', '3', '--cases', '50', '--seed', '42', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      verdict: string;
      counterexample: { explanation: string; formulaValue: { lo: string; hi: string }; lambdaMax: { lo: string }; parameters: number; modelFile: string };
    };
    expect(j.verdict).toBe('counterexample');
    expect(j.counterexample.parameters).toBeLessThanOrEqual(12);
    expect(j.counterexample.modelFile).toContain('"weights"');
    expect(j.counterexample.explanation).toMatch(/^F = λ_max fails/);
  });

  const usage: [string, string[], RegExp][] = [
    ['a syntax error, with its position', ['norm2(M) +'], /formula: syntax error: .* at position 11\n {2}norm2\(M\) \+\n {12}\^/],
    ['an unknown quantity, with a caret', ['sumLayers(i, Q)'], /formula: unknown quantity "Q" at position 14\n {2}sumLayers\(i, Q\)\n {15}\^/],
    ['an unknown function', ['norm(M)'], /unknown function "norm"/],
    ['shapes that do not fit', ['norm2(W(1) * W(3))'], /shapes do not fit in the product W\(1\) \* W\(3\): a d_1×d_0 matrix times a d_3×d_2 matrix/],
    ['a matrix plus a scalar', ['norm2(M + 1)'], /cannot add a d_N×d_0 matrix and a scalar/],
    ['a matrix-valued formula', ['M'], /the formula must be a scalar/],
    ['a non-finite value', ['N * Infinity'], /non-finite value "Infinity"/],
    ['a layer out of range for a depth in the range', ['norm2(W(4))', '--depth', '3..4'], /W\(4\): layer 4 is out of range 1\.\.N = 3/],
    ['a division by zero', ['1 / (N - 2)'], /division by zero in 1 \/ \(N - 2\)/],
    ['a bad relation', ['N', '--relation', 'less'], /--relation must be one of equal, upper, lower/],
    ['a bad depth range', ['N', '--depth', '4..2'], /--depth 4\.\.2: the minimum exceeds the maximum/],
    ['a width outside the generator limits', ['N', '--width', '1..9'], /--width 1\.\.9: must lie within 1\.\.8/],
    ['an unknown kind', ['N', '--kind', 'balanced,skew'], /unknown minimizer kind "skew"/],
    ['a non-integer case count', ['N', '--cases', 'many'], /--cases expects an integer/],
    ['a missing formula', [], /expected FORMULA, got none/],
    // Issue 15's fuzz findings: limits, named, with the place.
    ['an exact power beyond the value limit', ['(N^4096)^4096'], /the power \(N\^4096\)\^4096 would need about \d+ bits; the limit is 65536 bits .* at position 1\n/],
    ['a tower beyond the value limit', ['((10^4096)^4096)^4096'], /would need about \d+ bits; the limit is 65536 bits/],
    ['a sum nested deeper than the limit', [`N${' + N'.repeat(1499)}`], /more than 256 levels deep \(the limit is 256\) at position 1023\n/],
    ['nested reductions beyond the step limit', ['sumLayers(i, sumLayers(j, sumLayers(k, sumLayers(l, sumLayers(m, norm2(W(i)))))))', '--depth', '4'], /evaluates its body 4 times at N = 4: \d+ evaluation steps in all; the limit is 100000/],
  ];
  test.each(usage)('exit 2 and no output file for %s', (_what, args, message) => {
    const out = join(dir, `bad-${args.join('_').replace(/[^A-Za-z0-9]/g, '').slice(0, 80)}.json`);
    const r = run('verify', ...args, '--seed', '1', '--cases', '10', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  test('500 nested parentheses parse (the parser is iterative) and a root of degree 4096 evaluates', () => {
    const r = run('verify', `${'('.repeat(500)}N${')'.repeat(500)}`, '--relation', 'upper', '--cases', '5', '--seed', '1');
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).not.toMatch(/call stack|RangeError/);
    const r2 = run('verify', 'norm2(M)^(1/4096)', '--relation', 'lower', '--cases', '2', '--seed', '1', '--depth', '2', '--width', '1..2');
    expect([0, 1]).toContain(r2.code);
    expect(r2.stderr).toBe('');
  });

  test('--help describes the options', () => {
    const r = run('verify', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--relation REL/);
    expect(r.stdout).toMatch(/--depth MIN\.\.MAX/);
  });
});
