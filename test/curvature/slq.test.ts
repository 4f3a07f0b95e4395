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

  test('order n with full reorthogonalisation: the nodes are the exact eigenvalues', () => {
    const { problem } = dlnDepth3();
    const ev = referenceEigenvalues(curvatureReference(problem)) ?? [];
    const r = stochasticLanczosQuadrature(problem.hessian, { order: 16, vectors: 2, seed: 5 });
    for (const q of r.quadratures) {
      expect(q.nodes.length).toBe(16);
      q.nodes.forEach((th, k) => expect(th).toBeCloseTo(ev[k] as number, 9));
    }
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
