/** Extreme eigenpairs, multiplicities and the SLQ density next to the dense eigenvalues. */
import { spectrumReport } from '../../src/curvature/spectrum.js';
import type { CurvatureProblem } from '../../src/curvature/problem.js';
import { operatorFrom } from '../../src/linop/linear-operator.js';
import { spectrumSpec } from '../../src/plots/spectrum-plot.js';
import { hessianKernelBound } from '../../src/curvature/kernel.js';
import { loadNetwork } from '../../src/families/registry.js';
import { F64, Q } from '../../src/field/field.js';
import { hessian } from '../../src/hessian/dense.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { preparePoint } from '../../src/hessian/point.js';
import { inertia } from '../../src/linalg/ldlt.js';
import { curvatureReference, referenceEigenvalues } from '../../src/curvature/reference.js';
import { dlnDepth3, originFixture } from './fixtures.js';

describe('spectrum', () => {
  test('top-k and bottom-k agree with the dense eigenvalues; residuals are true residuals', () => {
    const { problem } = dlnDepth3();
    const ev = referenceEigenvalues(curvatureReference(problem)) ?? [];
    const r = spectrumReport(problem, { k: 3, exactEigenvalues: ev, includeEigenvectors: true });
    r.top.pairs.forEach((p, i) => {
      expect(p.eigenvalue).toBeCloseTo(ev[ev.length - 1 - i] as number, 9);
      expect(p.converged).toBe(true);
      const v = p.eigenvector ?? [];
      const Hv = problem.hessian.matvec(v);
      const res = Math.sqrt(Hv.reduce((s, x, k) => s + (x - p.eigenvalue * (v[k] as number)) ** 2, 0));
      expect(Math.abs(res - p.residual)).toBeLessThan(1e-12);
    });
    r.bottom.pairs.forEach((p, i) => expect(p.eigenvalue).toBeCloseTo(ev[i] as number, 9));
  });

  test('the origin fixture: ±3 and ±1 each twice (multiplicity h = 2), found with their copies by a block of 2', () => {
    const { problem } = originFixture();
    const r = spectrumReport(problem, { k: 4 });
    expect(r.top.pairs.map((p) => Number(p.eigenvalue.toFixed(9)))).toEqual([3, 3, 1, 1]);
    expect(r.bottom.pairs.map((p) => Number(p.eigenvalue.toFixed(9)))).toEqual([-3, -3, -1, -1]);
    expect(r.top.clusters.map((c) => c.multiplicity)).toEqual([2, 2]);
    expect(r.top.converged && r.bottom.converged).toBe(true);
  });

  test('zero eigenvalues at a minimizer count as converged (residual at rounding level of ‖H‖)', () => {
    const problem = loadNetwork('example:dmf-balanced-depth3');
    const r = spectrumReport(problem, { k: 4 });
    expect(r.top.pairs[0]?.eigenvalue).toBeCloseTo(48, 9); // docs/math.md §3: N·4^{N−1} = 48
    for (const p of r.bottom.pairs) {
      expect(Math.abs(p.eigenvalue)).toBeLessThan(1e-12);
      expect(p.converged).toBe(true);
    }
  });

  test('density: grid, exact density and L1 error when the eigenvalues are known; SLQ trace near tr H', () => {
    const { problem } = dlnDepth3();
    const ref = curvatureReference(problem);
    const ev = referenceEigenvalues(ref) ?? [];
    const r = spectrumReport(problem, { k: 1, exactEigenvalues: ev, density: { order: 16, vectors: 50, points: 300 } });
    const d = r.density;
    expect(d?.grid.length).toBe(300);
    expect(d?.exactDensity?.length).toBe(300);
    expect(d?.l1Error).toBeLessThan(0.25);
    expect(d?.hvps).toBe(16 * 50);
    expect(Math.abs((d?.trace.value ?? NaN) - (ref.trace?.value ?? NaN))).toBeLessThan(4.5 * (d?.trace.standardError ?? 0));
  });
});

describe('honest reports of unconverged pairs (issue: spectrum grouped unconverged pairs as repeated)', () => {
  test('unconverged Ritz pairs are never grouped as a repeated eigenvalue, nor put in the plot subtitle as values', () => {
    // diag(1, 2, …, 60): a Krylov space of 2 steps cannot converge the bottom pairs.
    const n = 60;
    const op = operatorFrom(F64, [n, n], (v) => v.map((x, i) => (i + 1) * x), { symmetric: true, label: 'diag' });
    const problem = { hessian: op, params: n, label: 'diag', loss: () => 0 } as unknown as CurvatureProblem;
    const r = spectrumReport(problem, { k: 3, maxIterations: 4, tolerance: 1e-12 });
    const bottom = r.bottom;
    expect(bottom.pairs.some((p) => !p.converged)).toBe(true);
    for (const c of bottom.clusters) if (c.multiplicity > 1) throw new Error(`grouped ${c.multiplicity} pairs at ${c.value}`);
    const data = { format: 'dln-hessian-spectrum', version: 1, model: 'diag', ...r, density: { order: 1, vectors: 1, sigma: 1, grid: [0, 1], density: [1, 1], quadratures: [], trace: { value: 0, standardError: 0 }, hvps: 0, seconds: 0, reorthogonalize: true } };
    const subtitle = JSON.stringify((spectrumSpec(data as never) as { title: { subtitle: string[] } }).title.subtitle);
    const first = bottom.pairs[0];
    if (first !== undefined && !first.converged) expect(subtitle).toMatch(/λ_min not converged/);
  });
});

describe('kernel of H from the structure', () => {
  test('zero-loss deep linear point: dim ker H ≥ p − d_N d_0, against the exact inertia of the rational Hessian', () => {
    const network = loadNetwork('example:dmf-diagonal-depth3');
    const bound = hessianKernelBound(network);
    expect(bound?.atLeast).toBe(12 - 4);
    if (network.model.family !== 'deep-linear') throw new Error('expected a deep linear example');
    const H = hessian(preparePoint(Q, specFromModel(network.model.model)));
    expect(inertia(H).inertia.zero).toBeGreaterThanOrEqual(bound?.atLeast ?? Infinity);
    expect(hessianKernelBound(loadNetwork('example:dmf-nonminimizer-depth2'))).toBeUndefined();
  });
});
