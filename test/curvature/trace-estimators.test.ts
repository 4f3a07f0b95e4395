/** Hutchinson, Hutch++ and the HVP-free finite-difference trace against exact traces. */
import { finiteDifferenceTrace, hutchinson, hutchPlusPlus } from '../../src/curvature/trace-estimators.js';
import { curvatureReference } from '../../src/curvature/reference.js';
import { diagonalOperator, dlnDepth3, quadraticNetwork } from './fixtures.js';

describe('trace estimators', () => {
  test('Hutchinson on diag(d): Rademacher probes give zᵀHz = tr H exactly (Σ H_ii² = ‖H‖_F²: zero variance)', () => {
    const d = [3, -1, 0.5, 2, 7];
    const est = hutchinson(diagonalOperator(d), { samples: 5, seed: 1 });
    expect(est.estimate).toBeCloseTo(11.5, 13);
    expect(est.standardError).toBeCloseTo(0, 13);
    expect(est.hvps).toBe(5);
    expect(est.lossEvaluations).toBe(0);
  });

  test('Hutchinson on a DLN: within 4.5 theoretical standard errors of the exact trace; the sample SE is near the theoretical one', () => {
    const { problem } = dlnDepth3();
    const ref = curvatureReference(problem);
    const tr = ref.trace?.value ?? NaN;
    for (const probes of ['rademacher', 'gaussian'] as const) {
      const est = hutchinson(problem.hessian, { samples: 400, seed: 3, probes });
      const v = probes === 'rademacher' ? 2 * ((ref.frobeniusSq?.value ?? NaN) - (ref.diagonalSq?.value ?? NaN)) : 2 * (ref.frobeniusSq?.value ?? NaN);
      const se = Math.sqrt(v / 400);
      expect(Math.abs(est.estimate - tr)).toBeLessThan(4.5 * se);
      expect(est.standardError / se).toBeGreaterThan(0.75);
      expect(est.standardError / se).toBeLessThan(1.3);
    }
  });

  test('Hutch++ is exact when rank H ≤ the sketch size, and unbiased (mean over seeds) otherwise', () => {
    const { problem } = dlnDepth3();
    const tr = curvatureReference(problem).trace?.value ?? NaN;
    const full = hutchPlusPlus(problem.hessian, { samples: 60, seed: 1 }); // sketch of 20 ≥ n = 16
    expect(full.estimate).toBeCloseTo(tr, 10);
    expect(full.sketch?.rank).toBe(16);
    expect(full.hvps).toBeLessThanOrEqual(60);
    // Low-rank diagonal: rank 2 ≤ k = 3.
    const lowRank = hutchPlusPlus(diagonalOperator([5, 0, 0, 0, -2, 0, 0, 0, 0, 0]), { samples: 9, seed: 4 });
    expect(lowRank.estimate).toBeCloseTo(3, 12);
    const runs = Array.from({ length: 150 }, (_, s) => hutchPlusPlus(problem.hessian, { samples: 9, seed: 100 + s }).estimate);
    const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
    const sd = Math.sqrt(runs.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs.length - 1));
    expect(Math.abs(mean - tr)).toBeLessThan(4.5 * (sd / Math.sqrt(runs.length)));
    expect(() => hutchPlusPlus(problem.hessian, { samples: 2 })).toThrow(/samples ≥ 3/);
  });

  test('finite differences reproduce Hutchinson probe by probe (same probes) from loss values alone', () => {
    const { problem } = dlnDepth3();
    const h = hutchinson(problem.hessian, { samples: 20, seed: 7 });
    const fd = finiteDifferenceTrace(problem, { samples: 20, seed: 7 });
    expect(fd.hvps).toBe(0);
    expect(fd.lossEvaluations).toBeGreaterThan(20);
    (fd.values ?? []).forEach((v, i) => expect(Math.abs(v - ((h.values ?? [])[i] as number))).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
    expect(fd.estimate).toBeCloseTo(h.estimate, 9);
  });

  test('finite differences are exact on a quadratic loss (depth-1 network): every zᵀHz equals the HVP value to rounding', () => {
    const { problem } = quadraticNetwork();
    const h = hutchinson(problem.hessian, { samples: 10, seed: 2, probes: 'gaussian' });
    const fd = finiteDifferenceTrace(problem, { samples: 10, seed: 2, probes: 'gaussian' });
    (fd.values ?? []).forEach((v, i) => expect(Math.abs(v - ((h.values ?? [])[i] as number))).toBeLessThan(1e-11 * Math.max(1, Math.abs(v))));
  });
});
