/** Slice classification and the predicted frequencies of docs/math.md §6 (arXiv 2208.13219). */
import {
  betaNegativeCurvature,
  classifySlice,
  cltSlicePrediction,
  eigenvalues2x2,
  gaussianSlicePrediction,
  negativeCurvatureProbability,
  spectrumSlicePrediction,
} from '../../src/curvature/saddle.js';
import { createRng } from '../../src/random/rng.js';

const pm = (p: number, m: number): number[] => [...Array<number>(p).fill(1), ...Array<number>(m).fill(-1)];

describe('slice classification', () => {
  test('minimum, maximum, saddle and degenerate by the signs of the 2×2 eigenvalues', () => {
    expect(classifySlice(2, 0, 1)).toBe('minimum');
    expect(classifySlice(-2, 1, -1)).toBe('maximum');
    expect(classifySlice(1, 2, 1)).toBe('saddle'); // eigenvalues 3, −1
    expect(classifySlice(1, 1, 1)).toBe('degenerate'); // eigenvalues 2, 0
    expect(classifySlice(0, 0, 0)).toBe('degenerate');
    expect(classifySlice(1e-30, 0, -1e-30)).toBe('saddle');
  });

  test('eigenvalues of [[a, b], [b, c]] without cancellation', () => {
    const [l1, l2] = eigenvalues2x2(1, 1, 1 + 1e-12);
    expect(l2).toBeCloseTo(2 + 5e-13, 12);
    expect(l1 / 5e-13).toBeCloseTo(1, 3); // det / trace = 1e-12 / 2
    expect(eigenvalues2x2(4, 2, 1)).toEqual([0, 5]);
  });
});

describe('1D: P(curvature < 0)', () => {
  test('docs/math.md §6 values of I_½(n₊/2, n₋/2): 0.5, 0.1817, 0.0096', () => {
    expect(betaNegativeCurvature(1, 1)).toBeCloseTo(0.5, 12);
    expect(betaNegativeCurvature(3, 1)).toBeCloseTo(0.1817, 4);
    expect(betaNegativeCurvature(30, 10)).toBeCloseTo(0.0096, 4);
    expect(betaNegativeCurvature(4, 0)).toBe(0);
    expect(betaNegativeCurvature(0, 4)).toBe(1);
  });

  test('Imhof over the spectrum equals the beta formula for ±1 spectra', () => {
    for (const [p, m] of [[1, 1], [3, 1], [30, 10], [2, 5], [7, 7]] as const) {
      expect(negativeCurvatureProbability(pm(p, m))).toBeCloseTo(betaNegativeCurvature(p, m), 10);
    }
  });

  test('two eigenvalues λ₁ > 0 > λ₂: P = (2/π) arctan √(|λ₂|/λ₁) (ratio of two |normals| is |Cauchy|)', () => {
    for (const [a, b] of [[3, -1], [1, -5], [2, -2], [10, -0.01]] as const) {
      expect(negativeCurvatureProbability([a, b])).toBeCloseTo((2 / Math.PI) * Math.atan(Math.sqrt(-b / a)), 10);
    }
    expect(negativeCurvatureProbability([0, 0])).toBeUndefined();
    expect(negativeCurvatureProbability([1, 0, 2])).toBe(0);
  });
});

describe('2D: looks of random slices', () => {
  test('traceless H at large n: P(saddle) → 1/√2, minimum = maximum = (1 − 1/√2)/2', () => {
    const g = gaussianSlicePrediction(0, 10);
    expect(g?.saddle).toBeCloseTo(Math.SQRT1_2, 14);
    expect(g?.minimum).toBeCloseTo((1 - Math.SQRT1_2) / 2, 14);
    expect(g?.maximum).toBeCloseTo((1 - Math.SQRT1_2) / 2, 14);
  });

  test('the numerical central-limit prediction reduces to the closed form when v_d = 2v_o', () => {
    for (const mu of [0, 0.7, -1.3, 3]) {
      const a = gaussianSlicePrediction(mu, 1);
      const b = cltSlicePrediction(mu, 2, 1);
      expect(b?.saddle).toBeCloseTo(a?.saddle ?? NaN, 7);
      expect(b?.minimum).toBeCloseTo(a?.minimum ?? NaN, 7);
      expect(b?.maximum).toBeCloseTo(a?.maximum ?? NaN, 7);
    }
  });

  test('a direct simulation of Gaussian slices of diag(±1) at n = 400 sees a saddle with frequency ≈ 1/√2', () => {
    // Independent of the module: the quadratic forms are summed here.
    const rng = createRng(11, 'test');
    const n = 400;
    const S = 1500;
    let saddles = 0;
    for (let s = 0; s < S; s++) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const l = i < n / 2 ? 1 : -1;
        const z = rng.gaussian();
        const w = rng.gaussian();
        a += l * z * z;
        b += l * z * w;
        c += l * w * w;
      }
      if (a * c - b * b < 0) saddles++;
    }
    const p = saddles / S;
    // 4 standard errors plus a finite-n allowance (‖H‖₂/‖H‖_F = 1/20).
    expect(Math.abs(p - Math.SQRT1_2)).toBeLessThan(4 * Math.sqrt(0.5 * 0.5 / S) + 0.01);
    const mc = spectrumSlicePrediction(pm(n / 2, n / 2), 1000, createRng(3));
    expect(Math.abs(mc.saddle - Math.SQRT1_2)).toBeLessThan(4 * Math.sqrt(0.25 / 1000) + 0.01);
  });
});
