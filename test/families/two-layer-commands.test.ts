/**
 * `check`, `hessian` and closed-form `sharpness` take two-layer files (the family contract). The
 * Hessian is checked against central second differences of the loss written out by hand here
 * (`f(x) = W_2 tanh(W_1 x)`, `L = (1/2n)‖f(X) − Y‖²`), independent of the engine's closed forms;
 * `λ_max` against the top eigenvalue of that finite-difference Hessian (Jacobi rotations below).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const W1 = [[0.5, -0.25], [0.75, 1]];
const W2 = [[1, -0.5]];
const X = [[1, 0, -0.5], [0.5, 1, 2]];
const Y = [[0.25, -0.5, 1]];
const x = (r: number, k: number): number => (X[r] as number[])[k] as number;
const y = (k: number): number => (Y[0] as number[])[k] as number;

function lossAt(theta: number[]): number {
  // θ = (vec W_1, vec W_2), column-major.
  const w1 = (i: number, j: number): number => theta[i + 2 * j] as number;
  const w2 = (j: number): number => theta[4 + j] as number;
  let s = 0;
  for (let k = 0; k < 3; k++) {
    let f = 0;
    for (let j = 0; j < 2; j++) f += w2(j) * Math.tanh(w1(j, 0) * x(0, k) + w1(j, 1) * x(1, k));
    s += (f - y(k)) ** 2;
  }
  return s / (2 * 3);
}

/** The Hessian by central second differences, as a row-major n×n array. */
function fdHessian(theta: number[], h = 1e-4): Float64Array {
  const n = theta.length;
  const at = (i: number, di: number, j: number, dj: number): number => {
    const t = theta.slice();
    t[i] = (t[i] as number) + di;
    t[j] = (t[j] as number) + dj;
    return lossAt(t);
  };
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] = (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h);
  return H;
}

/** Largest eigenvalue of a small symmetric row-major matrix by cyclic Jacobi rotations. */
function jacobiMax(H: Float64Array, n: number): number {
  const A = Float64Array.from(H);
  const g = (i: number, j: number): number => A[i * n + j] as number;
  for (let sweep = 0; sweep < 50; sweep++)
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = g(p, q);
        if (Math.abs(apq) < 1e-300) continue;
        const th = (g(q, q) - g(p, p)) / (2 * apq);
        const t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = g(k, p);
          const akq = g(k, q);
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = g(p, k);
          const aqk = g(q, k);
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
      }
  return Math.max(...Array.from({ length: n }, (_, i) => g(i, i)));
}

const dir = mkdtempSync(join(tmpdir(), 'dln-two-layer-cmd-'));
const file = join(dir, 'tanh.json');
writeFileSync(file, JSON.stringify({ kind: 'two-layer', activation: 'tanh', loss: 'squared', weights: [W1, W2], data: { inputs: X, targets: Y } }));
const theta = [0.5, 0.75, -0.25, 1, 1, -0.5];

describe('two-layer networks through check, hessian and sharpness', () => {
  test('check describes the net and runs the minimizer test', () => {
    const r = runCli('check', file, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { family: string; kind: string; params: number; loss: number; minimizer: { verdict: string } };
    expect(j.family).toBe('two-layer');
    expect(j.params).toBe(6);
    expect(j.loss).toBeCloseTo(lossAt(theta), 14);
    expect(j.minimizer.verdict).toBe('not-a-minimizer');
    expect(runCli('check', file).stdout).toMatch(/tanh activation/);
  });
  test('hessian --json equals central second differences of the loss', () => {
    const r = runCli('hessian', file, '--json', '--blocks');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { hessian: number[][]; blocks: { row: number; col: number; shape: number[] }[] };
    const H = fdHessian(theta);
    j.hessian.forEach((row, a) => row.forEach((v, b) => expect(Math.abs(v - (H[a * 6 + b] as number))).toBeLessThan(1e-6)));
    expect(j.blocks.map((b) => [b.row, b.col, ...b.shape])).toEqual([
      [1, 1, 4, 4],
      [1, 2, 4, 2],
      [2, 1, 2, 4],
      [2, 2, 2, 2],
    ]);
  });
  test('hessian --exact is refused for tanh with a message naming the activation (exit 2)', () => {
    const r = runCli('hessian', file, '--exact');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tanh/);
  });
  test('closed-form sharpness gives λ_max of the full Hessian', () => {
    const r = runCli('sharpness', file, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { kind: string; lambdaMax: number; lambdaMin: number };
    expect(j.kind).toBe('two-layer');
    expect(Math.abs(j.lambdaMax - jacobiMax(fdHessian(theta), 6))).toBeLessThan(1e-6);
    expect(j.lambdaMin).toBeLessThanOrEqual(j.lambdaMax);
  });
});
