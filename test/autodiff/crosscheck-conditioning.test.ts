/**
 * `crosscheck` compares like with like: the closed form at the float32 values the device holds, so
 * ill-conditioned but valid models (layer condition numbers 1e2 to 1e8) agree — the rounding of the
 * inputs times the conditioning no longer reads as a disagreement — and the closed-form λ_max is
 * converged to a residual, not stopped early between two close eigenvalues.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../support/cli.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { deepLinearReference } from '../../src/autodiff/crosscheck.js';
import { fromRows } from '../../src/linalg/matrix.js';
import { makeDmfModel } from '../../src/models/model.js';

jest.setTimeout(300_000);

const dir = mkdtempSync(join(tmpdir(), 'dln-crosscheck-cond-'));

/** A d×d matrix U·diag(s)·Vᵀ with U, V rotations by random angles (products of Givens) and s spanning `cond`. */
function conditioned(d: number, cond: number, rng: () => number): number[][] {
  const s = Array.from({ length: d }, (_, i) => cond ** (-i / (d - 1)) * 2);
  let M = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? (s[i] as number) : 0)));
  const rotate = (A: number[][], left: boolean): number[][] => {
    for (let k = 0; k < 2 * d; k++) {
      const p = Math.floor(rng() * d);
      const q = (p + 1 + Math.floor(rng() * (d - 1))) % d;
      const t = rng() * 2 * Math.PI;
      const c = Math.cos(t);
      const sn = Math.sin(t);
      A = A.map((row) => row.slice());
      for (let j = 0; j < d; j++) {
        if (left) {
          const a = (A[p] as number[])[j] as number;
          const b = (A[q] as number[])[j] as number;
          (A[p] as number[])[j] = c * a - sn * b;
          (A[q] as number[])[j] = sn * a + c * b;
        } else {
          const a = (A[j] as number[])[p] as number;
          const b = (A[j] as number[])[q] as number;
          (A[j] as number[])[p] = c * a - sn * b;
          (A[j] as number[])[q] = sn * a + c * b;
        }
      }
    }
    return A;
  };
  M = rotate(rotate(M, true), false);
  return M;
}

const matmul = (A: number[][], B: number[][]): number[][] => A.map((row) => (B[0] as number[]).map((_, j) => row.reduce((s, a, k) => s + a * ((B[k] as number[])[j] as number), 0)));

describe('crosscheck on ill-conditioned valid models', () => {
  test.each([
    [1e2, 'minimizer'],
    [1e4, 'minimizer'],
    [1e6, 'minimizer'],
    [1e8, 'minimizer'],
    [1e2, 'off'],
    [1e4, 'off'],
    [1e6, 'off'],
    [1e8, 'off'],
  ] as const)('layer condition %s, %s: agrees (exit 0)', async (cond, where) => {
    const rng = mulberry32(Math.round(Math.log10(cond)));
    const d = 6;
    const W1 = conditioned(d, cond, rng);
    const W2 = conditioned(d, cond, rng);
    const W3 = conditioned(d, 10, rng);
    const P = matmul(W3, matmul(W2, W1));
    const target = where === 'minimizer' ? P : P.map((row) => row.map((x) => x + 0.5 * (rng() - 0.5)));
    const path = join(dir, `cond-${cond}-${where}.json`);
    writeFileSync(path, JSON.stringify({ kind: 'dmf', weights: [W1, W2, W3], target }));
    const r = await runCliAsync('crosscheck', path, '--json');
    const j = JSON.parse(r.stdout) as { agrees: boolean; items: { quantity: string; relativeDifference: number; tolerance: number }[] };
    expect(j.items.filter((i) => i.relativeDifference > i.tolerance)).toEqual([]);
    expect(j.agrees).toBe(true);
    expect(r.code).toBe(0);
  });
});

describe('the closed-form λ_max of crosscheck is converged whatever the gap', () => {
  test('top two eigenvalues 2.7e-6 apart (K = I ⊗ W_2W_2ᵀ + W_1ᵀW_1 ⊗ I, eigenvalues y_i² + x_j²): λ_max = 2 to 1e-9', () => {
    // W_1 = diag(1, ½, ⅓), W_2 = diag(1, 1 − 1.35e-6, ¼): λ_max = 1 + 1 = 2, next (1 − 1.35e-6)² + 1.
    const diag = (d: number[]): number[][] => d.map((x, i) => d.map((_, j) => (i === j ? x : 0)));
    const W1 = diag([1, 0.5, 1 / 3]);
    const W2 = diag([1, 1 - 1.35e-6, 0.25]);
    const m = { kind: 'dmf' as const, weights: [W1, W2], target: matmul(W2, W1) };
    const model = makeDmfModel(m.weights.map((W) => fromRows(W)), fromRows(m.target));
    const l = deepLinearReference(model).lambdaMax();
    expect(Math.abs(l.value - 2)).toBeLessThan(1e-9);
  });
});

test('crosscheck --json twice: byte-identical (seconds only with --timings)', async () => {
  const a = await runCliAsync('crosscheck', 'example:dmf-balanced-depth3', '--json');
  const b = await runCliAsync('crosscheck', 'example:dmf-balanced-depth3', '--json');
  expect(a.stdout).toBe(b.stdout);
  expect(a.stdout).not.toMatch(/"seconds"/);
  expect((await runCliAsync('crosscheck', 'example:dmf-balanced-depth3', '--json', '--timings')).stdout).toMatch(/"seconds"/);
});
