/** Stochastic Lanczos quadrature: Gauss-quadrature exactness, full-order node recovery, density normalisation. */
import { broadenedDensity, l1Distance, linearGrid, slqDensity, stochasticLanczosQuadrature } from '../../src/curvature/slq.js';
import { curvatureReference, referenceEigenvalues } from '../../src/curvature/reference.js';
import { createRng, rademacherVector } from '../../src/random/rng.js';
import { dot } from '../../src/linalg/vectors.js';
import { diagonalOperator, dlnDepth3 } from './fixtures.js';

describe('stochastic Lanczos quadrature', () => {
  test('weights sum to 1 and Σ τ_k θ_k^j = vᵀH^j v for j < 2m (Gauss quadrature), checked with fresh HVPs', () => {
    const { problem } = dlnDepth3();
    const m = 5;
    const r = stochasticLanczosQuadrature(problem.hessian, { order: m, vectors: 1, seed: 2 });
    const q = r.quadratures[0];
    if (q === undefined) throw new Error('no quadrature');
    expect(q.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 13);
    // The probe of the stream 'slq', normalised.
    const z = rademacherVector(createRng(2, 'slq'), problem.params);
    const v = Array.from(z, (x) => x / Math.sqrt(problem.params));
    let w = v;
    for (let j = 0; j < 2 * m; j++) {
      const moment = dot(v, w);
      const quad = q.nodes.reduce((s, th, k) => s + (q.weights[k] as number) * th ** j, 0);
      expect(Math.abs(quad - moment)).toBeLessThan(1e-9 * Math.max(1, Math.abs(moment)));
      w = problem.hessian.matvec(w);
    }
  });

  test.each(['partial', 'full'] as const)('order n with %s reorthogonalisation: the nodes are the exact eigenvalues', (mode) => {
    const { problem } = dlnDepth3();
    const ev = referenceEigenvalues(curvatureReference(problem)) ?? [];
    const r = stochasticLanczosQuadrature(problem.hessian, { order: 16, vectors: 2, seed: 5, reorthogonalization: mode });
    expect(r.reorthogonalization).toBe(mode);
    for (const q of r.quadratures) {
      expect(q.nodes.length).toBe(16);
      q.nodes.forEach((th, k) => expect(th).toBeCloseTo(ev[k] as number, 9));
    }
  });

  describe('ghost copies: an isolated top eigenvalue converges early and the bare recurrence repeats it', () => {
    // 400 eigenvalues: 100 and 60 isolated, the rest spread evenly over [0, 1]; 150 steps.
    const spectrum = [...Array.from({ length: 398 }, (_, i) => i / 397), 60, 100];
    const op = diagonalOperator(spectrum);
    const run = (mode: 'partial' | 'full' | 'none') => stochasticLanczosQuadrature(op, { order: 150, vectors: 2, seed: 3, reorthogonalization: mode });
    const near = (nodes: readonly number[], x: number): number[] => nodes.filter((t) => Math.abs(t - x) < 1e-3);
    const none = run('none');
    const full = run('full');
    const partial = run('partial');

    test('without reorthogonalisation 100 appears more than once (the failure the other modes prevent)', () => {
      expect(none.quadratures.some((q) => near(q.nodes, 100).length > 1)).toBe(true);
    });

    test.each([['partial', partial], ['full', full]] as const)('%s: 100 and 60 appear once each, to 1e-10, with weight (1/400) each (Rademacher probe)', (_mode, r) => {
      for (const q of r.quadratures) {
        for (const x of [100, 60]) {
          const k = q.nodes.findIndex((t) => Math.abs(t - x) < 1e-3);
          expect(near(q.nodes, x)).toHaveLength(1);
          expect(Math.abs((q.nodes[k] as number) - x)).toBeLessThan(1e-10 * 100);
          expect(q.weights[k]).toBeCloseTo(1 / 400, 12);
        }
        // Every node lies in the spectrum's hull: [0, 1] ∪ {60, 100} up to rounding.
        for (const t of q.nodes) expect(t <= 1 + 1e-9 || Math.abs(t - 60) < 1e-9 || Math.abs(t - 100) < 1e-8).toBe(true);
      }
    });

    test('partial keeps the quadrature of full (same moments) with far fewer whole-basis passes', () => {
      expect(full.wholeBasisPasses).toBe(300);
      expect(partial.wholeBasisPasses).toBeGreaterThan(0);
      expect(partial.wholeBasisPasses).toBeLessThan(full.wholeBasisPasses / 2);
      // Moments Σ τ θ^j (j ≤ 6, scaled by 100^j) agree: the Gauss rules integrate the same measure.
      partial.quadratures.forEach((q, p) => {
        const f = full.quadratures[p];
        if (f === undefined) throw new Error('missing probe');
        for (let j = 0; j <= 6; j++) {
          const m = (r: typeof q): number => r.nodes.reduce((s, t, k) => s + (r.weights[k] as number) * (t / 100) ** j, 0);
          expect(Math.abs(m(q) - m(f))).toBeLessThan(1e-12);
        }
      });
    });
  });

  test('an invariant subspace stops early and stays exact (diag with 3 distinct values)', () => {
    const r = stochasticLanczosQuadrature(diagonalOperator([1, 1, 1, 2, 2, 5, 5, 5, 5, 5]), { order: 8, vectors: 1, seed: 1 });
    const q = r.quadratures[0];
    expect(q?.steps).toBe(3);
    expect(q?.nodes.map((x) => Number(x.toFixed(10)))).toEqual([1, 2, 5]);
    // Rademacher probe: weights are the fractions of the coordinates, 3/10, 2/10, 5/10.
    expect(q?.weights.map((x) => Number(x.toFixed(12)))).toEqual([0.3, 0.2, 0.5]);
  });

  test('the density integrates to 1 and approaches the exact broadened density as vectors grow', () => {
    const { problem } = dlnDepth3();
    const ev = referenceEigenvalues(curvatureReference(problem)) ?? [];
    const sigma = 0.2;
    const grid = linearGrid((ev[0] as number) - 2, (ev[ev.length - 1] as number) + 2, 2000);
    const exact = broadenedDensity(ev, grid, sigma);
    const few = slqDensity(stochasticLanczosQuadrature(problem.hessian, { order: 16, vectors: 2, seed: 1 }), grid, sigma);
    const many = slqDensity(stochasticLanczosQuadrature(problem.hessian, { order: 16, vectors: 200, seed: 1 }), grid, sigma);
    const ones = grid.map(() => 0);
    expect(l1Distance(grid, many, ones)).toBeCloseTo(1, 6);
    expect(l1Distance(grid, exact, ones)).toBeCloseTo(1, 6);
    expect(l1Distance(grid, many, exact)).toBeLessThan(l1Distance(grid, few, exact));
    expect(l1Distance(grid, many, exact)).toBeLessThan(0.15);
  });
});
