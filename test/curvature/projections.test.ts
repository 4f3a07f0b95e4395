/** Random projections: E[H̃] = tr(H)·I₂ within standard errors, the variance formulas, the looks. */
import { givenSlice, randomProjections } from '../../src/curvature/projections.js';
import { curvatureReference, referenceEigenvalues } from '../../src/curvature/reference.js';
import { CurvatureInputError } from '../../src/curvature/errors.js';
import { dlnDepth3, originFixture } from './fixtures.js';

describe('random projections', () => {
  test('sample means within 4.5 SE of the exact moments for every distribution; sample variances within 20%', () => {
    const { problem } = dlnDepth3();
    const ref = curvatureReference(problem);
    const r = randomProjections(problem, { samples: 1500, seed: 1, reference: ref });
    expect(r.hvps).toBe(2 * 1500 * 5);
    for (const d of r.distributions) {
      const e = d.exact;
      if (e === undefined) throw new Error('no exact moments');
      expect(Math.abs(d.oneD.mean.value - e.mean.value)).toBeLessThan(4.5 * d.oneD.mean.standardError);
      for (const m of d.twoD.meanDiagonal) expect(Math.abs(m.value - e.mean.value)).toBeLessThan(4.5 * m.standardError);
      expect(Math.abs(d.twoD.meanOffDiagonal.value)).toBeLessThan(4.5 * d.twoD.meanOffDiagonal.standardError);
      expect(Math.abs(d.twoD.offDiagonalSecondMoment.value - e.offDiagonalVariance.value)).toBeLessThan(4.5 * d.twoD.offDiagonalSecondMoment.standardError);
      expect(Math.abs(d.oneD.variance / e.variance.value - 1)).toBeLessThan(0.2);
      const f = d.twoD.fractions;
      expect(f.minimum + f.maximum + f.saddle + f.degenerate).toBeCloseTo(1, 12);
    }
  });

  test('origin fixture (traceless): Gaussian slices look like saddles about as often as the spectrum predicts, and E[ηᵀHη] = 0', () => {
    const { problem } = originFixture();
    const ref = curvatureReference(problem);
    const eigenvalues = referenceEigenvalues(ref) ?? [];
    const r = randomProjections(problem, { samples: 1500, seed: 2, distributions: ['gaussian', 'unit'], reference: ref, eigenvalues });
    for (const d of r.distributions) {
      expect(d.exact?.mean.value).toBe(0);
      expect(Math.abs(d.oneD.mean.value)).toBeLessThan(4.5 * d.oneD.mean.standardError);
      const pred = d.predictions.slicesFromSpectrum;
      if (pred === undefined) throw new Error('no prediction');
      const se = Math.sqrt((pred.saddle * (1 - pred.saddle)) / 1500) + Math.sqrt((pred.saddle * (1 - pred.saddle)) / pred.samples);
      expect(Math.abs(d.twoD.fractions.saddle - pred.saddle)).toBeLessThan(4.5 * se);
      // Symmetric spectrum: P(ηᵀHη < 0) = ½ exactly (Imhof).
      expect(d.predictions.negativeCurvatureExact).toBeCloseTo(0.5, 10);
      expect(d.predictions.slices?.saddle).toBeCloseTo(Math.SQRT1_2, 12);
    }
  });

  test('filter-normalised directions at θ = 0 are refused as degenerate or zero directions', () => {
    expect(() => randomProjections(originFixture().problem, { samples: 2, distributions: ['filter'] })).toThrow(CurvatureInputError);
    expect(() => randomProjections(originFixture().problem, { samples: 2, distributions: ['filter'] })).toThrow(/degenerate or zero directions/);
  });

  test('given directions: H̃ by HVP and the same curvatures from loss values', () => {
    const { problem } = dlnDepth3();
    const e1 = Float64Array.from({ length: problem.params }, (_, i) => (i === 0 ? 1 : 0));
    const e2 = Float64Array.from({ length: problem.params }, (_, i) => (i === 5 ? 2 : 0));
    const g = givenSlice(problem, [e1, e2]);
    const H = curvatureReference(problem).dense;
    if (H === undefined) throw new Error('no dense');
    const n = problem.params;
    expect((g.sliceHessian[0] as number[])[0]).toBeCloseTo(H.data[0] as number, 12);
    expect((g.sliceHessian[1] as number[])[1]).toBeCloseTo(4 * (H.data[5 + 5 * n] as number), 12);
    expect((g.sliceHessian[0] as number[])[1]).toBeCloseTo(2 * (H.data[0 + 5 * n] as number), 12);
    g.finiteDifference.values.forEach((v, k) => expect(v).toBeCloseTo((g.sliceHessian[k] as number[])[k] as number, 9));
    expect(g.normalizedCurvatures[1]).toBeCloseTo(H.data[5 + 5 * n] as number, 12);
  });
});
