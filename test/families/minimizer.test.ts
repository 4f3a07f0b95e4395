/**
 * The one minimizer test (src/families/minimizer.ts): the classification against hand values, the
 * deep-linear rounding bound on points whose product is formed here by a plain loop in binary64
 * (independent of the engine's kernels), and the same verdict from `check`, `sharpness` and the
 * library for one file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyResidual, gamma, NEAR_MINIMIZER_RESIDUAL } from '../../src/families/minimizer.js';
import { loadNetwork } from '../../src/families/registry.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dln-minimizer-test-'));

/** `C = A B` by the textbook loop, row-major lists. */
function matmul(A: number[][], B: number[][]): number[][] {
  return A.map((row) => (B[0] as number[]).map((_, j) => row.reduce((s, a, k) => s + a * ((B[k] as number[])[j] as number), 0)));
}

function dmfFile(name: string, weights: number[][][], target: number[][]): string {
  const path = join(dir, name);
  // Numbers as shortest round-trip decimals: the loader reads them as the exact binary64 values.
  writeFileSync(path, JSON.stringify({ weights, target }));
  return path;
}

describe('classifyResidual', () => {
  test('γ_k = k u / (1 − k u) (Higham §3.1)', () => {
    expect(gamma(1)).toBeCloseTo(2 ** -53 / (1 - 2 ** -53), 30);
    expect(gamma(2 ** 53)).toBe(Number.POSITIVE_INFINITY);
  });
  test('an exact zero loss is an exact minimizer whatever the float residual', () => {
    const t = classifyResidual({ residualNorm: 1e-17, targetNorm: 1, roundingBound: 1e-16, exactLoss: { isZero: true, text: '0' } });
    expect(t.verdict).toBe('exact-minimizer');
    expect(t.isZeroLoss).toBe(true);
    expect(t.relativeResidual).toBe(0);
  });
  test('within rounding, near, not: relative to the target norm', () => {
    expect(classifyResidual({ residualNorm: 2e-15, targetNorm: 2, roundingBound: 4e-15 }).verdict).toBe('minimizer-within-rounding');
    const near = classifyResidual({ residualNorm: 2e-6, targetNorm: 2, roundingBound: 4e-15 });
    expect(near.verdict).toBe('near-minimizer');
    expect(near.relativeResidual).toBeCloseTo(1e-6, 20);
    expect(near.tolerance).toBeCloseTo(2e-15, 28);
    expect(classifyResidual({ residualNorm: 2 * NEAR_MINIMIZER_RESIDUAL * 1.01, targetNorm: 2, roundingBound: 0 }).verdict).toBe('not-a-minimizer');
  });
  test('a tiny non-zero exact loss within rounding says so', () => {
    const t = classifyResidual({ residualNorm: 1e-16, targetNorm: 1, roundingBound: 1e-15, exactLoss: { isZero: false, text: '1/10000' } });
    expect(t.verdict).toBe('minimizer-within-rounding');
    expect(t.explanation).toMatch(/exact loss is 1\/10000, not 0/);
  });
  test('a family without zero-loss minimizers is never one', () => {
    expect(classifyResidual({ residualNorm: 0, targetNorm: 1, roundingBound: 0, noZeroLoss: 'cross-entropy' }).verdict).toBe('not-a-minimizer');
  });
});

describe('deep linear networks: one verdict for check, sharpness and the library', () => {
  // Weights that are not dyadic-friendly, so fl(W_3 W_2 W_1) ≠ W_3 W_2 W_1 exactly.
  const W1 = [[0.1, 0.7], [0.3, -0.9], [1.1, 0.2]];
  const W2 = [[0.35, -1.3, 0.6], [2.1, 0.05, -0.4]];
  const W3 = [[1.7, -0.3]];
  const M = matmul(W3, matmul(W2, W1)); // formed in binary64: the product up to rounding
  const rounded = dmfFile('rounded.json', [W1, W2, W3], M);
  const near = dmfFile('near.json', [W1, W2, W3], M.map((r) => r.map((x) => x * (1 + 1e-6))));
  const far = dmfFile('far.json', [W1, W2, W3], M.map((r) => r.map((x) => x + 1)));

  test('the product formed in binary64 is a minimizer within rounding (exactly, the loss is tiny but not 0)', () => {
    const t = loadNetwork(rounded).minimizerTest({ exact: true });
    expect(t.isZeroLoss).toBe(true);
    expect(['minimizer-within-rounding', 'exact-minimizer']).toContain(t.verdict);
    expect(t.relativeResidual).toBeLessThanOrEqual(t.tolerance);
  });
  test('a relative perturbation of 1e-6 is a near-minimizer; +1 is not a minimizer', () => {
    expect(loadNetwork(near).minimizerTest().verdict).toBe('near-minimizer');
    expect(loadNetwork(far).minimizerTest().verdict).toBe('not-a-minimizer');
  });
  test('check and sharpness agree on the verdict of the same file', () => {
    for (const file of [rounded, near, far]) {
      const c = JSON.parse(runCli('check', file, '--json').stdout) as { minimizer: { verdict: string; isZeroLoss: boolean } };
      const s = runCli('sharpness', file, '--json', '--allow-nonminimizer');
      expect(s.code).toBe(0);
      const sj = JSON.parse(s.stdout) as { isMinimizer: boolean; minimizerCheck: { verdict: string } };
      const lib = loadNetwork(file).minimizerTest();
      expect(sj.minimizerCheck.verdict).toBe(lib.verdict);
      expect(c.minimizer.isZeroLoss).toBe(lib.isZeroLoss);
      expect(sj.isMinimizer).toBe(lib.isZeroLoss);
    }
  });
});
