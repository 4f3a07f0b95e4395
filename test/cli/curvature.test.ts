/** The curvature commands end to end (in process): outputs, JSON fields, exit codes, and no partial files. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSvg } from '../../src/plots/svg-check.js';
import { runCli } from '../support/cli.js';

jest.setTimeout(60000);

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'dln-curv-'));
const path = (name: string): string => join(dir, name);
function file(name: string, text: string): string {
  writeFileSync(path(name), text);
  return path(name);
}

/** docs/math.md §6 origin fixture: ½‖W₂W₁ − Y‖² at W = 0, Y = diag(3, 1) padded to 2×3, h = 2. */
const origin = file(
  'origin.json',
  JSON.stringify({ kind: 'dmf', weights: [[[0, 0, 0], [0, 0, 0]], [[0, 0], [0, 0]]], target: [[3, 0, 0], [0, 1, 0]], reduction: 'half' }),
);

describe('dln-hessian trace', () => {
  test('--json on w = (1,2), m = 2: exact tr H = 5 (docs/math.md §2); Hutchinson with Rademacher probes on H = [[4,2],[2,1]]', () => {
    const r = run('trace', 'example:scalar-chain-2', '--json', '--samples', '50', '--seed', '3');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      exact: { source: string; trace: { exact: string }; frobeniusSq: { exact: string }; diagonalSq: { exact: string } };
      estimates: { method: string; estimate: number; standardError: number; theoreticalStandardError?: number; hvps: number; lossEvaluations: number }[];
    };
    expect(j.exact.source).toBe('exact');
    expect(j.exact.trace.exact).toBe('5');
    expect(j.exact.frobeniusSq.exact).toBe('25');
    expect(j.exact.diagonalSq.exact).toBe('17');
    const by = new Map(j.estimates.map((e) => [e.method, e]));
    // zᵀHz = 5 ± 4 for z = (±1, ±1): values 9 or 1, variance 2(25 − 17) = 16.
    expect(by.get('hutchinson')?.theoreticalStandardError).toBeCloseTo(Math.sqrt(16 / 50), 12);
    expect(Math.abs((by.get('hutchinson')?.estimate ?? NaN) - 5)).toBeLessThan(4.5 * Math.sqrt(16 / 50));
    expect(by.get('hutchpp')?.estimate).toBeCloseTo(5, 10); // rank 2 ≤ sketch 16: exact
    expect(by.get('finite-difference')?.estimate).toBeCloseTo(by.get('hutchinson')?.estimate ?? NaN, 9);
    expect(by.get('finite-difference')?.hvps).toBe(0);
    expect(by.get('hutchinson')?.lossEvaluations).toBe(0);
  });

  test('text output names the exact rational trace; --method exact with no dense Hessian is a limit error (exit 2)', () => {
    const r = run('trace', 'example:dln-data-depth2', '--method', 'exact,hutchinson', '--samples', '10');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tr H\s+1155\/64 = 18\.046875\s+\(exact rational Hessian\)/);
    expect(r.stdout).toMatch(/hutchinson/);
    expect(r.stdout).not.toMatch(/hutchpp/);
    const e = run('trace', 'example:dln-data-depth2', '--method', 'exact', '--max-dense-params', '3', '--max-exact-params', '0');
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/no exact trace.*--max-dense-params/);
    expect(run('trace', 'example:scalar-chain-2', '--method', 'magic').code).toBe(2);
    expect(run('trace', 'example:scalar-chain-2', '--fd-step', '0').stderr).toMatch(/--fd-step: expected a number 0 < x/);
  });
});

describe('dln-hessian projections', () => {
  test('random: the origin fixture is traceless; exact moments and predictions are printed', () => {
    const r = run('projections', origin, '--samples', '300', '--distribution', 'gaussian,rademacher', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { exact: { trace: { exact: string } }; distributions: { distribution: string; exact: { variance: { exact: string } }; predictions: { slices?: { saddle: number } } }[] };
    expect(j.exact.trace.exact).toBe('0');
    expect(j.distributions.map((d) => d.distribution)).toEqual(['gaussian', 'rademacher']);
    expect(j.distributions[0]?.exact.variance.exact).toBe('80'); // 2‖H‖_F² = 2·40
    expect(j.distributions[0]?.predictions.slices?.saddle).toBeCloseTo(Math.SQRT1_2, 12);
    const t = run('projections', origin, '--samples', '50', '--distribution', 'unit');
    expect(t.stdout).toMatch(/unit sphere directions: 50 slices/);
    expect(t.stdout).toMatch(/exact 0\b/);
  });

  test('hessian: the slice Hessian is diag(3, −3), a saddle', () => {
    const r = run('projections', origin, '--directions', 'hessian');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/λ_max\s+3(\.0+)?\s/);
    expect(r.stdout).toMatch(/H̃ = diag\(λ_max, λ_min\): yes/);
    expect(r.stdout).toMatch(/look\s+saddle/);
  });

  test('a directions file; bad directions exit 2 naming the place', () => {
    const good = file('dirs.json', JSON.stringify({ directions: [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]] }));
    const r = run('projections', origin, '--directions', good, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { sliceHessian: number[][]; kind: string };
    // θ₀ = W₁[1,1], θ₆ = W₂[1,1]: H entry −Y[1,1] = −3 between them, zero diagonal.
    expect(j.sliceHessian).toEqual([[0, -3], [-3, 0]]);
    expect(j.kind).toBe('saddle');
    const zero = file('zero.json', JSON.stringify([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]));
    const z = run('projections', origin, '--directions', zero);
    expect(z.code).toBe(2);
    expect(z.stderr).toMatch(/zero\.json: directions\[1\]: degenerate or zero directions/);
    const short = file('short.json', JSON.stringify([[1, 2]]));
    expect(run('projections', origin, '--directions', short).stderr).toMatch(/expected 10 entries/);
    const par = file('par.json', JSON.stringify([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [-2, 0, 0, 0, 0, 0, 0, 0, 0, 0]]));
    expect(run('projections', origin, '--directions', par).stderr).toMatch(/parallel/);
    const f = run('projections', origin, '--distribution', 'filter', '--samples', '3');
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/degenerate or zero directions/);
    expect(run('projections', origin, '--directions', path('missing.json')).code).toBe(2);
  });
});

describe('dln-hessian spectrum', () => {
  test('top and bottom pairs with the exact eigenvalues; the density plot and data written; replot from the data', () => {
    const svg = path('spec.svg');
    const data = path('spec.json');
    const r = run('spectrum', origin, '--top', '2', '--density', '--steps', '10', '--vectors', '4', '--out', svg, '--data', data);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/repeated eigenvalue 3 × 2/);
    expect(r.stdout).toMatch(/repeated eigenvalue -3 × 2/);
    expect(r.stdout).toMatch(/∫\|ρ_SLQ − ρ_exact\|/);
    checkSvg(readFileSync(svg, 'utf8'));
    const again = path('spec2.svg');
    const p = run('spectrum', data, '--out', again);
    expect(p.code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(svg, 'utf8'));
    expect(run('spectrum', data, '--out', again, '--top', '3').code).toBe(2);
  });

  test('--json gives pairs with residuals and convergence flags', () => {
    const r = run('spectrum', 'example:dmf-balanced-depth3', '--top', '1', '--json');
    const j = JSON.parse(r.stdout) as { top: { pairs: { eigenvalue: number; residual: number; converged: boolean; exact: number }[] } };
    expect(j.top.pairs[0]?.eigenvalue).toBeCloseTo(48, 9);
    expect(j.top.pairs[0]?.exact).toBeCloseTo(48, 9);
    expect(j.top.pairs[0]?.converged).toBe(true);
  });

  test('bad plot paths: --out without --density, PNG, missing directory; nothing is written', () => {
    const before = readdirSync(dir).length;
    expect(run('spectrum', origin, '--out', path('a.svg')).stderr).toMatch(/add --density/);
    expect(run('spectrum', origin, '--density', '--out', path('a.png')).stderr).toMatch(/PNG output is not available/);
    const r = run('spectrum', origin, '--density', '--out', path('a.svg'), '--data', join(dir, 'nope', 'd.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/directory .* does not exist/);
    expect(readdirSync(dir).length).toBe(before);
  });
});

describe('dln-hessian landscape', () => {
  test('hessian plane: SVG and data written; replotting the data gives the same SVG', () => {
    const svg = path('land.svg');
    const data = path('land.json');
    const r = run('landscape', origin, '--plane', 'hessian', '--grid', '11', '--span', '0.5', '--out', svg, '--data', data);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/λ_max = 3(\.0+)?, λ_min = -3/);
    expect(r.stdout).toMatch(/cost\s+\d+ loss evaluations/);
    const s = checkSvg(readFileSync(svg, 'utf8'));
    expect(s.texts.join(' ')).toMatch(/Hessian plane/);
    const d = JSON.parse(readFileSync(data, 'utf8')) as { format: string; grid: number; loss: number[][] };
    expect(d.format).toBe('dln-hessian-landscape');
    expect(d.loss.length).toBe(11);
    // The centre is θ = 0: L = ½‖Y‖² = 5.
    expect(d.loss[5]?.[5]).toBe(5);
    const again = path('land2.svg');
    expect(run('landscape', data, '--out', again).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(svg, 'utf8'));
  });

  test('out-of-range grids and spans, degenerate planes and unwritable paths: exit 2 and no file', () => {
    const svg = path('never.svg');
    const cases: [string[], RegExp][] = [
      [['--grid', '2'], /--grid: grid out of range: 2 points per axis \(allowed: 3 to 401\)/],
      [['--grid', '402'], /--grid: grid out of range: 402/],
      [['--span', '0'], /--span: expected a number 0 < x ≤ 1000000/],
      [['--span', '2e6'], /--span/],
      [['--span', 'abc'], /--span/],
      [['--plane', 'random'], /degenerate or zero directions/],
      [['--plane', 'random', '--distribution', 'unit,gaussian'], /one distribution/],
    ];
    for (const [extra, msg] of cases) {
      const r = run('landscape', origin, '--out', svg, ...extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const one = file('one.json', JSON.stringify([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]]));
    expect(run('landscape', origin, '--plane', one, '--out', svg).stderr).toMatch(/a plane needs two directions/);
    expect(run('landscape', origin, '--plane', 'hessian', '--out', join(dir, 'missing', 'x.svg')).code).toBe(2);
    expect(run('landscape', origin, '--plane', 'hessian', '--out', dir + '/').code).toBe(2);
    expect(run('landscape', origin, '--plane', 'hessian').stderr).toMatch(/nothing to write/);
    expect(existsSync(svg)).toBe(false);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
