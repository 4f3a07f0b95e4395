/**
 * `dln-hessian sharpness` end to end (in process): `--exact` at a point given in decimals gives a
 * proven enclosure (checked against exact inertia of the rational Hessian), `--json` is byte-identical
 * for identical runs (timings only with `--timings`), certificates beyond their limits are refused up
 * front (exit 2, nothing written), and a near-minimizer is analysed rather than refused.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { hessian } from '../../src/hessian/dense.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { preparePoint } from '../../src/hessian/point.js';
import { isPositiveDefinite } from '../../src/linalg/ldlt.js';
import { identity, scale, sub } from '../../src/linalg/matrix.js';
import { loadModelFile } from '../../src/models/load.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dln-sharpness-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// W_2 W_1 with decimal entries; the target is their product plus about 1e-7 (a near-minimizer).
const near = file(
  'near.json',
  JSON.stringify({
    kind: 'dmf',
    weights: [
      [
        [0.472096, -0.793668],
        [-0.207884, 0.309945],
        [-0.86697, -0.196818],
      ],
      [
        [1.83591, 0.600905, 0.530325],
        [-0.556144, 1.07336, -0.446635],
      ],
    ],
    target: [
      [0.28203146709, -1.3752327235050001],
      [-0.098468382114, 0.861982468822],
    ],
  }),
);

describe('dln-hessian sharpness', () => {
  test('--exact at a near-minimizer given in decimals: a proven enclosure of the exact Hessian’s λ_max', () => {
    const r = runCli('sharpness', near, '--exact', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { exact: { method: string; lower: string; upper: string; route: string }; minimizerCheck: { verdict: string }; gaussNewton: { residualBound: number } };
    expect(j.minimizerCheck.verdict).toBe('near-minimizer');
    expect(j.exact.method).toBe('verified-binary64');
    expect(j.exact.route).toBe('reduced-operator');
    const H = hessian(preparePoint(Q, specFromModel(loadModelFile(near) as never)));
    const I = identity(Q, H.rows);
    expect(isPositiveDefinite(sub(Q, scale(Q, Rational.parse(j.exact.upper), I), H))).toBe(true);
    expect(isPositiveDefinite(sub(Q, scale(Q, Rational.parse(j.exact.lower), I), H))).toBe(false);
    expect(j.gaussNewton.residualBound).toBeGreaterThan(0);
    const text = runCli('sharpness', near, '--exact');
    expect(text.stdout).toMatch(/certified\s+5\.35104\d* ≤ λ_max ≤ 5\.35104\d* \(verified binary64, reduced operator K 4×4\)/);
    expect(text.stdout).toMatch(/Gauss–Newton λ_max\(K\)/);
    expect(text.stdout).not.toMatch(/ s$/m);
  });

  test('--json is byte-identical for identical runs; --timings adds the seconds', () => {
    for (const args of [[near, '--json'], [near, '--exact', '--json'], ['example:dmf-diagonal-depth3', '--exact', '--json']]) {
      const a = runCli('sharpness', ...args);
      const b = runCli('sharpness', ...args);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout).not.toMatch(/"seconds"/);
    }
    expect(runCli('sharpness', near, '--json', '--timings').stdout).toMatch(/"seconds": /);
  });

  test('a certificate beyond its size limit is refused up front: exit 2, the size and the flag, no output file', () => {
    const out = join(dir, 'out.json');
    const r = runCli('sharpness', near, '--exact', '--max-verified', '2', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/verified certificate too large: .*4×4 matrix.*limit 2 rows.*--max-verified/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('--json is reproducible in spectrum and crosscheck too', () => {
  test('spectrum --density --json twice: byte-identical; --timings brings the seconds back', () => {
    const a = runCli('spectrum', 'example:dmf-diagonal-depth3', '--density', '--json', '--vectors', '2', '--order', '6');
    const b = runCli('spectrum', 'example:dmf-diagonal-depth3', '--density', '--json', '--vectors', '2', '--order', '6');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toMatch(/"seconds"/);
    expect(runCli('spectrum', 'example:dmf-diagonal-depth3', '--density', '--json', '--vectors', '2', '--order', '6', '--timings').stdout).toMatch(/"seconds"/);
  });
});

describe('sharpness: the top eigenvector of K in the output', () => {
  // Depth 2, width 7: W_1 = diag(1..7), W_2 = I, target their product. K = I ⊗ I + W_1ᵀW_1 ⊗ I, so
  // λ_max = 1 + 49 and its eigenvectors, as 7×7 matrices, are u e_7ᵀ: rank one.
  const weights = [Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => (i === j ? i + 1 : 0))), Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => (i === j ? 1 : 0)))];
  const wide = file('wide.json', JSON.stringify({ weights, target: weights[0] }));

  test('text: the top 5 singular values, s₂/s₁ and the numerical rank; --json: all of them and numericalRank', () => {
    const text = runCli('sharpness', wide).stdout;
    expect(text).toMatch(/top eigenvector of K as a 7×7 matrix: singular values 1(\.0*)?, [^,\n]+, [^,\n]+, [^,\n]+, [^,\n]+, … \(7 in all; --json lists them\)/);
    expect(text).toMatch(/numerical rank 1 \(singular values above max\(rows, cols\)·ε·s₁\)/);
    const j = JSON.parse(runCli('sharpness', wide, '--json').stdout) as { lambdaMax: number; topEigenvector: { singularValues: number[]; numericalRank: number } };
    expect(j.lambdaMax).toBeCloseTo(50, 9);
    expect(j.topEigenvector.singularValues).toHaveLength(7);
    expect(j.topEigenvector.numericalRank).toBe(1);
  });
});
