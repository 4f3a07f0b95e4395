/** Exact reference values and the moment formulas of docs/math.md §6, against hand values and simulation. */
import { curvatureReference, projectionMoments, referenceEigenvalues } from '../../src/curvature/reference.js';
import { createRng } from '../../src/random/rng.js';
import { sampleDirection } from '../../src/curvature/directions.js';
import { dot, meanVariance } from '../../src/linalg/vectors.js';
import { dlnDepth3, originFixture, scalarChain } from './fixtures.js';

describe('curvature reference', () => {
  test('scalar chain w = (1,2), m = 2: H = [[4,2],[2,1]], tr H = 5, ‖H‖_F² = 25, Σ H_ii² = 17 (exact)', () => {
    const { problem } = scalarChain();
    const ref = curvatureReference(problem);
    expect(ref.source).toBe('exact');
    expect(ref.trace).toEqual({ value: 5, exact: '5' });
    expect(ref.frobeniusSq).toEqual({ value: 25, exact: '25' });
    expect(ref.diagonalSq).toEqual({ value: 17, exact: '17' });
    const ev = referenceEigenvalues(ref) ?? [];
    expect(ev[0]).toBeCloseTo(0, 14);
    expect(ev[1]).toBeCloseTo(5, 14);
  });

  test('moments by hand: Gaussian 2‖H‖_F² = 50, Rademacher 2(25 − 17) = 16, sphere 2/(2·4)·(25 − 25/2) = 25/8', () => {
    const { problem } = scalarChain();
    const ref = curvatureReference(problem);
    expect(projectionMoments(problem, ref, 'gaussian')).toEqual({ mean: { value: 5, exact: '5' }, variance: { value: 50, exact: '50' }, offDiagonalVariance: { value: 25, exact: '25' } });
    expect(projectionMoments(problem, ref, 'rademacher')?.variance).toEqual({ value: 16, exact: '16' });
    // On the unit circle ηᵀHη = 5/2 + (3/2) cos 2φ + 2 sin 2φ: mean 5/2, variance ((3/2)² + 2²)/2 = 25/8.
    const unit = projectionMoments(problem, ref, 'unit');
    expect(unit?.mean).toEqual({ value: 2.5, exact: '5/2' });
    expect(unit?.variance).toEqual({ value: 3.125, exact: '25/8' });
    expect(unit?.offDiagonalVariance).toEqual({ value: 6.25, exact: '25/4' });
  });

  test('the origin fixture is traceless (docs/math.md §6)', () => {
    const ref = curvatureReference(originFixture().problem);
    expect(ref.trace?.exact).toBe('0');
    expect(ref.frobeniusSq?.exact).toBe('40'); // 2·2·(9 + 1)
  });

  test('float fallback above the exact limit, nothing above the dense limit', () => {
    const { problem } = dlnDepth3();
    const exact = curvatureReference(problem);
    const flt = curvatureReference(problem, { maxExactParams: 0 });
    expect(flt.source).toBe('float64');
    expect(flt.note).toMatch(/--max-exact-params/);
    expect(flt.trace?.value).toBeCloseTo(exact.trace?.value ?? NaN, 12);
    expect(flt.trace?.exact).toBeUndefined();
    const none = curvatureReference(problem, { maxDenseParams: 3, maxExactParams: 0 });
    expect(none.source).toBe('none');
    expect(none.trace).toBeUndefined();
    expect(projectionMoments(problem, none, 'gaussian')).toBeUndefined();
  });

  test('filter/layer moment formulas against a simulation with the dense Hessian', () => {
    const { problem } = dlnDepth3();
    const ref = curvatureReference(problem);
    const H = ref.dense;
    if (H === undefined) throw new Error('no dense Hessian');
    const n = problem.params;
    const Hv = (v: Float64Array): number[] => Array.from({ length: n }, (_, i) => Array.from(v).reduce((s, x, j) => s + (H.data[i + j * n] as number) * x, 0));
    for (const kind of ['filter', 'layer', 'rademacher'] as const) {
      const m = projectionMoments(problem, ref, kind);
      const rng = createRng(8, kind);
      const diag: number[] = [];
      const off: number[] = [];
      const S = 6000;
      for (let s = 0; s < S; s++) {
        const e = sampleDirection(problem, kind, rng);
        const d = sampleDirection(problem, kind, rng);
        diag.push(dot(e, Hv(e)));
        off.push(dot(e, Hv(d)) ** 2);
      }
      const a = meanVariance(diag);
      const b = meanVariance(off);
      expect(Math.abs(a.mean - (m?.mean.value ?? NaN))).toBeLessThan(4.5 * Math.sqrt(a.variance / S));
      expect(Math.abs(b.mean - (m?.offDiagonalVariance.value ?? NaN))).toBeLessThan(4.5 * Math.sqrt(b.variance / S));
      // Sample variance: relative standard error about √(2/S)·(kurtosis factor); allow 15%.
      expect(Math.abs(a.variance / (m?.variance.value ?? NaN) - 1)).toBeLessThan(0.15);
    }
  });
});
