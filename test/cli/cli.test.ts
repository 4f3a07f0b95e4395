/** The CLI end to end (in process): outputs, JSON fields, exit codes, and no output file on bad input. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'dln-cli-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('dln-hessian check', () => {
  test('describes a zero-loss minimizer exactly', () => {
    const r = run('check', 'example:scalar-chain-3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/depth\s+N = 3/);
    expect(r.stdout).toMatch(/parameters\s+3/);
    expect(r.stdout).toMatch(/loss\s+0 \(exact\)/);
    expect(r.stdout).toMatch(/minimizer\s+yes/);
  });

  test('--json gives the exact loss of a non-minimizer; a float64 check above the exact limit', () => {
    // W_1 = [1, 2] (1×2), W_2 = [[3]] ... P = [3, 6], M = [1, 1]: L = ½(4 + 25) = 29/2.
    const p = file('nm.json', JSON.stringify({ weights: [[['1', '2']], [[3]]], target: [[1, 1]] }));
    const r = run('check', p, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { lossExact: string; params: number; minimizer: { method: string; isZeroLoss: boolean } };
    expect(j.lossExact).toBe('29/2');
    expect(j.params).toBe(3);
    expect(j.minimizer).toMatchObject({ method: 'exact', isZeroLoss: false, verdict: 'not-a-minimizer', exactLoss: '29/2' });
    const f = JSON.parse(run('check', 'example:scalar-chain-2', '--json', '--max-exact-params', '0').stdout) as {
      minimizer: { method: string; isZeroLoss: boolean };
    };
    expect(f.minimizer.method).toBe('float');
    expect(f.minimizer.isZeroLoss).toBe(true);
  });
});

describe('dln-hessian hessian', () => {
  test('--exact --json on w = (1,2), m = 2 gives H = [[4,2],[2,1]], spectrum {0, 5}, trace 5 (docs/math.md §2)', () => {
    const r = run('hessian', 'example:scalar-chain-2', '--exact', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { params: number; hessian: string[][]; eigenvalues: number[]; traceExact: string; lossExact: string; trace: number };
    expect(j.params).toBe(2);
    expect(j.hessian).toEqual([['4', '2'], ['2', '1']]);
    expect(j.traceExact).toBe('5');
    expect(j.trace).toBe(5);
    expect(j.lossExact).toBe('0');
    expect(j.eigenvalues[0]).toBeCloseTo(0, 12);
    expect(j.eigenvalues[1]).toBeCloseTo(5, 12);
  });

  test('float64 λ_max of the depth-3 diagonal example is 33/2 (docs/math.md §3), blocks given on request', () => {
    const r = run('hessian', 'example:dmf-diagonal-depth3', '--json', '--blocks');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { eigenvalues: number[]; blocks: { row: number; col: number; shape: number[] }[] };
    expect(j.eigenvalues[j.eigenvalues.length - 1]).toBeCloseTo(16.5, 10);
    expect(j.blocks).toHaveLength(9);
    expect(j.blocks[1]).toMatchObject({ row: 1, col: 2, shape: [4, 4] });
  });

  test('text output prints the matrix and the spectrum', () => {
    const r = run('hessian', 'example:scalar-chain-2', '--exact');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[ 4  2 ]');
    expect(r.stdout).toMatch(/λ_max\s+5/);
  });

  test('--out writes the whole file', () => {
    const out = join(dir, 'h.json');
    const r = run('hessian', 'example:scalar-chain-3', '--exact', '--json', '--out', out);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8')) as { eigenvalues: number[] };
    expect(j.eigenvalues[2]).toBeCloseTo(49, 10); // docs/math.md §3: w = (1,2,3) has λ_max = 36 + 9 + 4
  });
});

describe('bad input: message naming the place, exit code 2, no output file', () => {
  const cases: [string, string, RegExp][] = [
    ['malformed.json', '{"weights": [[[1, 2]], "target": [[1]]}', /line 1, column \d+/],
    ['ragged.json', JSON.stringify({ weights: [[[1, 2], [3, 4]], [[1, 2], [3]]], target: [[1, 1], [1, 1]] }), /weights\[2\] row 2: expected 2 entries, got 1/],
    ['chain.json', JSON.stringify({ weights: [[[1, 2]], [[1, 2]]], target: [[1, 1]] }), /weights\[2\] has 2 columns but weights\[1\] has 1 row\b/],
    ['zeroden.json', JSON.stringify({ weights: [[['1/0']]], target: [[1]] }), /zero denominator/],
    ['missing.json', JSON.stringify({ weights: [[[1]]] }), /target|data/],
    ['empty.json', JSON.stringify({ weights: [], target: [[1]] }), /at least one layer/],
    ['shape.json', JSON.stringify({ weights: [[[1, 2]]], target: [[1]] }), /target: expected 1×2/],
    ['nonfinite.json', JSON.stringify({ weights: [[['Infinity']]], target: [[1]] }), /weights\[1\] row 1 column 1/],
  ];
  test.each(cases)('%s', (name, text, message) => {
    const model = file(name, text);
    const out = join(dir, `${name}.out`);
    const r = run('hessian', model, '--json', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  test('a missing file, an unknown option, an unknown command', () => {
    expect(run('check', join(dir, 'nope.json')).code).toBe(2);
    const u = run('hessian', 'example:scalar-chain-2', '--frobnicate');
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown option --frobnicate/);
    expect(run('frobnicate').code).toBe(2);
  });

  test('exact problems above the limit are refused up front, naming the limit and the flag', () => {
    const out = join(dir, 'limit.out');
    const r = run('hessian', 'example:dmf-diagonal-depth3', '--exact', '--max-exact-params', '10', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/12 parameters \(limit 10; raise it with --max-exact-params/);
    expect(existsSync(out)).toBe(false);
    const d = run('hessian', 'example:dmf-diagonal-depth3', '--max-dense-params', '4');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/dense Hessian too large: 12 parameters \(limit 4/);
  });

  test('an output path in a missing directory is an error and leaves nothing behind', () => {
    const r = run('hessian', 'example:scalar-chain-2', '--out', join(dir, 'no-such-dir', 'h.txt'));
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});
