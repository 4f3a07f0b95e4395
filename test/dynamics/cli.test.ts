/** `train` and `escape` end to end (in process): JSON fields, exit codes, divergence, replotting, no partial files. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSvg } from '../../src/plots/svg-check.js';
import { runCli, runCliAsync } from '../support/cli.js';

/** The value, asserting it is present (test helper). */
function nn<T>(x: T | undefined | null): T {
  if (x === undefined || x === null) throw new Error('unexpected missing value');
  return x;
}


jest.setTimeout(120000);

const dir = mkdtempSync(join(tmpdir(), 'dln-dyn-'));
const path = (name: string): string => join(dir, name);
const quadratic = path('quadratic.json');
// L = ½‖W − M‖² (depth 1): λ_max = 1 everywhere.
writeFileSync(quadratic, JSON.stringify({ kind: 'dmf', weights: [[[0, 0], [0, 0]]], target: [[3, 1], [0, 2]] }));

describe('dln-hessian train', () => {
  test('--json: eta, series of {step, loss, gradientNorm, lambdaMax, jacobianNorm, …}; --series, --out and --plot written; replot from the series', async () => {
    const r = await runCliAsync('train', 'example:dmf-nonminimizer-depth2', '--eta', '0.1', '--steps', '200', '--every', '50', '--json', '--series', path('s.json'), '--out', path('final.json'), '--plot', path('s.svg'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { eta: number; verdict: string; series: { step: number; loss: number; gradientNorm: number; lambdaMax: number; jacobianNorm: number; twoOverEta: number; ansatz: { lower: number; upper: number; holds: boolean } }[] };
    expect(j.eta).toBe(0.1);
    expect(j.verdict).toBe('completed');
    expect(j.series.map((p) => p.step)).toEqual([0, 50, 100, 150, 200]);
    for (const p of j.series) {
      expect(p.twoOverEta).toBe(20);
      expect(p.ansatz.holds).toBe(true);
      expect(p.lambdaMax).toBeGreaterThan(0);
    }
    // Depth 2: λ_max of the Gauss–Newton part is ‖W_1‖² + ‖W_2‖² = the upper bound, at the converged end.
    const last = nn(j.series[4]);
    expect(Math.abs(last.lambdaMax - last.ansatz.upper)).toBeLessThan(1e-8);
    const svg = readFileSync(path('s.svg'), 'utf8');
    checkSvg(svg);
    for (const label of ['2/η', 'ansatz lower', 'loss L(t) (log axis)', 'Jacobian norm against λ_max']) expect(svg).toContain(label);
    const check = runCli('check', path('final.json'), '--json');
    expect(check.code).toBe(0);
    const re = await runCliAsync('train', path('s.json'), '--plot', path('s2.svg'));
    expect(re.code).toBe(0);
    checkSvg(readFileSync(path('s2.svg'), 'utf8'));
  });

  test('divergence: exit 0, verdict "diverged" with the step, the series kept, --out not written', async () => {
    const r = await runCliAsync('train', quadratic, '--eta', '2.5', '--steps', '100000', '--every', '100', '--no-sharpness', '--json', '--series', path('div.json'), '--out', path('div-final.json'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { verdict: string; divergedAt: number; series: { step: number }[] };
    expect(j.verdict).toBe('diverged');
    // error e_t = (−1.5)^t e_0 with ‖e_0‖ = ‖M‖ = √14: ½‖e_t‖² exceeds 1.8e308 once
    // ‖e_t‖ > 1.9e154, i.e. t > ln(1.9e154/√14)/ln 1.5 ≈ 872.
    expect(j.divergedAt).toBeGreaterThanOrEqual(870);
    expect(j.divergedAt).toBeLessThanOrEqual(875);
    expect(nn(j.series[j.series.length - 1]).step).toBeLessThanOrEqual(j.divergedAt);
    expect(existsSync(path('div.json'))).toBe(true);
    expect(existsSync(path('div-final.json'))).toBe(false);
    expect(r.stderr).toMatch(/not written/);
  });

  test.each([
    [['--eta', '0'], /--eta/],
    [['--eta', '-1'], /--eta/],
    [['--eta', 'nan'], /--eta/],
    [['--eta', 'Infinity'], /--eta/],
    [['--eta', '0.1', '--steps', '20000000'], /--steps must be between 0 and 10000000/],
    [['--eta', '0.1', '--steps', '10000000', '--every', '1'], /series points \(limit 100000\)/],
    [['--eta', '0.1', '--steps', '10', '--optimizer', 'sgd'], /minibatches need/],
    [['--eta', '0.1', '--steps', '10', '--optimizer', 'adam'], /--optimizer/],
  ])('bad input %j: exit 2, a clear message, nothing written', async (extra, message) => {
    const before = readdirSync(dir).length;
    const r = await runCliAsync('train', quadratic, '--series', path('bad.json'), ...(extra as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(readdirSync(dir).length).toBe(before);
  });
});

describe('dln-hessian escape', () => {
  test('--json on the depth-3 diagonal example: lambdaMax 16.5 certified, a sweep of factors, field names as documented', async () => {
    const r = await runCliAsync('escape', 'example:dmf-diagonal-depth3', '--eta-factor', '0.8,1.3', '--steps', '5000', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      lambdaMax: number;
      certified: boolean;
      neighbourhood: { radius: number; description: string };
      flattestValue: number;
      runs: { eta: number; escaped: boolean; verdict: string; final: { loss: number; lambdaMax: number; distance: number }; prediction: string; belowFlattest: boolean }[];
    };
    expect(j.lambdaMax).toBe(16.5);
    expect(j.certified).toBe(true);
    expect(j.runs).toHaveLength(2);
    expect(nn(j.runs[0]).eta).toBeCloseTo(0.8 * (2 / 16.5), 15);
    expect(nn(j.runs[0]).escaped).toBe(false);
    expect(nn(j.runs[1]).escaped).toBe(true);
    expect(nn(j.runs[1]).final.lambdaMax).toBeLessThanOrEqual(2 / nn(j.runs[1]).eta);
    expect(typeof nn(j.runs[1]).final.distance).toBe('number');
    expect(nn(j.runs[1]).belowFlattest).toBe(false);
  });

  test('--data then --plot from the data file; --out of one run is a model file', async () => {
    const r = await runCliAsync('escape', 'example:dmf-diagonal-depth3', '--eta-factor', '0.9,1.2,1.6', '--steps', '3000', '--data', path('esc.json'), '--grid', '21');
    expect(r.code).toBe(0);
    const p = await runCliAsync('escape', path('esc.json'), '--plot', path('esc.svg'));
    expect(p.code).toBe(0);
    const svg = readFileSync(path('esc.svg'), 'utf8');
    checkSvg(svg);
    for (const label of ['F = 0.9', 'F = 1.2', 'F = 1.6', 'α along v_1 (top eigenvector)', 'certified exactly']) expect(svg).toContain(label);
    const o = await runCliAsync('escape', 'example:dmf-diagonal-depth3', '--eta-factor', '1.2', '--steps', '3000', '--out', path('settled.json'));
    expect(o.code).toBe(0);
    const s = runCli('sharpness', path('settled.json'), '--json');
    // The settled point is a minimizer to rounding (a float model); λ_max ≤ 2/η = 16.5/1.2.
    expect(s.code).toBe(0);
    expect((JSON.parse(s.stdout) as { lambdaMax: number }).lambdaMax).toBeLessThanOrEqual(16.5 / 1.2);
  });

  test('a non-minimizer: exit 2 stating the residual; --out with several factors: exit 2', async () => {
    const r = await runCliAsync('escape', 'example:dmf-nonminimizer-depth2', '--eta-factor', '1.1', '--data', path('nm.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/relative residual/);
    expect(existsSync(path('nm.json'))).toBe(false);
    const o = await runCliAsync('escape', 'example:dmf-diagonal-depth3', '--eta-factor', '0.9,1.1', '--out', path('x.json'));
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/one --eta-factor/);
  });
});
