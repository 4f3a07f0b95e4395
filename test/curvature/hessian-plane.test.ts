/** The Hessian-direction plane: slice Hessian diag(λ_max, λ_min) (docs/math.md §6, arXiv 2208.13219). */
import { hessianPlane } from '../../src/curvature/hessian-plane.js';
import { curvatureReference, referenceEigenvalues } from '../../src/curvature/reference.js';
import { CurvatureInputError } from '../../src/curvature/errors.js';
import { diagonalQuadratic, dlnDepth3, originFixture } from './fixtures.js';
import { loadNetwork } from '../../src/families/registry.js';

describe('Hessian plane', () => {
  test('origin fixture: λ_max = 3, λ_min = −3, the slice is the saddle diag(3, −3), also from loss values alone', () => {
    const h = hessianPlane(originFixture().problem);
    expect(h.top.eigenvalue).toBeCloseTo(3, 10);
    expect(h.bottom.eigenvalue).toBeCloseTo(-3, 10);
    expect(h.isDiagonal).toBe(true);
    expect(h.kind).toBe('saddle');
    expect(h.finiteDifference?.top).toBeCloseTo(3, 9);
    expect(h.finiteDifference?.bottom).toBeCloseTo(-3, 9);
  });

  test('a DLN with data: λ_max and λ_min match the dense spectrum and H̃ = diag(λ_max, λ_min) to the residual tolerance', () => {
    const { problem } = dlnDepth3();
    const ev = referenceEigenvalues(curvatureReference(problem)) ?? [];
    const h = hessianPlane(problem, { seed: 3 });
    expect(h.top.eigenvalue).toBeCloseTo(ev[ev.length - 1] as number, 9);
    expect(h.bottom.eigenvalue).toBeCloseTo(ev[0] as number, 9);
    expect(h.isDiagonal).toBe(true);
    expect(Math.abs(h.cosine)).toBeLessThan(1e-8);
    expect(h.sliceHessian[0][1]).toBeCloseTo(0, 8);
  });

  test('H = 2I: both Lanczos runs may return the same vector; the plane is still orthonormal and diag(2, 2)', () => {
    const h = hessianPlane(diagonalQuadratic([2, 2, 2, 2]));
    expect(Math.abs(h.cosine)).toBeLessThan(1e-12);
    expect(h.sliceHessian).toEqual([[expect.closeTo(2, 12), expect.closeTo(0, 12)], [expect.closeTo(0, 12), expect.closeTo(2, 12)]]);
    expect(h.kind).toBe('minimum');
  });

  test('a one-parameter model has no Hessian plane', () => {
    expect(() => hessianPlane(diagonalQuadratic([1]))).toThrow(CurvatureInputError);
  });

  test('balanced depth-3 minimizer: λ_max = 48 (docs/math.md §3) and λ_min = 0', () => {
    const h = hessianPlane(loadNetwork('example:dmf-balanced-depth3'));
    expect(h.top.eigenvalue).toBeCloseTo(48, 9);
    expect(Math.abs(h.bottom.eigenvalue)).toBeLessThan(1e-10);
    expect(h.isDiagonal).toBe(true);
    expect(h.kind).toBe('degenerate');
  });
});
