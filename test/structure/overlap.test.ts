/** Laws of the eigenspace overlap ‖V_1ᵀV_2‖_F²/k (docs/math.md §5). */
import fc from 'fast-check';
import { chanceOverlap, orthonormalize, overlapCurve, subspaceOverlap } from '../../src/structure/overlap.js';
import { gaussianGenerator } from '../../src/twolayer/sample.js';
import { checkProperty } from '../support/property.js';

const vector = (D: number): fc.Arbitrary<number[]> => fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: D, maxLength: D });
const basis = (D: number, k: number): fc.Arbitrary<number[][]> =>
  fc.array(vector(D), { minLength: k, maxLength: k }).filter((vs) => {
    try {
      orthonormalize(vs);
      return true;
    } catch {
      return false;
    }
  });

describe('subspace overlap', () => {
  test('1 for identical subspaces (any two bases of the same span)', () => {
    checkProperty(
      fc.property(basis(6, 3), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }), (V, mix) => {
        // W = V G for an invertible G (checked by orthonormalising W).
        const W = [0, 1, 2].map((c) => (V[0] as number[]).map((_, i) => [0, 1, 2].reduce((s, r) => s + ((V[r] as number[])[i] as number) * (mix[r + 3 * c] as number), 0)));
        try {
          orthonormalize(W);
        } catch {
          return true; // G singular: not a basis
        }
        return Math.abs(subspaceOverlap(V, W) - 1) < 1e-8;
      }),
    );
  });

  test('0 for orthogonal subspaces, symmetric, in [0, 1]', () => {
    const e = (i: number): number[] => Array.from({ length: 5 }, (_, j) => (i === j ? 1 : 0));
    expect(subspaceOverlap([e(0), e(1)], [e(2), e(3)])).toBe(0);
    checkProperty(
      fc.property(basis(5, 2), basis(5, 2), (A, B) => {
        const ab = subspaceOverlap(A, B);
        return ab >= -1e-15 && ab <= 1 + 1e-12 && Math.abs(ab - subspaceOverlap(B, A)) < 1e-12;
      }),
    );
  });

  test('basis invariance: rotating either basis within its span keeps the value', () => {
    checkProperty(
      fc.property(basis(7, 2), basis(7, 2), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (A, B, t) => {
        const [a0, a1] = orthonormalize(A) as [Float64Array, Float64Array];
        const R = [Array.from(a0, (x, i) => Math.cos(t) * x + Math.sin(t) * (a1[i] as number)), Array.from(a0, (x, i) => -Math.sin(t) * x + Math.cos(t) * (a1[i] as number))];
        return Math.abs(subspaceOverlap(A, B) - subspaceOverlap(R, B)) < 1e-10;
      }),
    );
  });

  test('hand value: span{e_1, e_2} against span{e_1, (e_2 + e_3)/√2} is (1 + ½)/2 = 3/4', () => {
    const s = Math.SQRT1_2;
    expect(subspaceOverlap([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, s, s]])).toBeCloseTo(0.75, 15);
    expect(overlapCurve([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, s, s]])).toEqual([1, expect.closeTo(0.75, 15)]);
  });

  test('random subspaces give k/D on average (Monte Carlo within 4 standard errors)', () => {
    const D = 20;
    const k = 4;
    const g = gaussianGenerator(5);
    const fixed = Array.from({ length: k }, (_, i) => Array.from({ length: D }, (_, j) => (i === j ? 1 : 0)));
    const samples: number[] = [];
    for (let t = 0; t < 2000; t++) samples.push(subspaceOverlap(fixed, Array.from({ length: k }, () => Array.from({ length: D }, g))));
    const mean = samples.reduce((a, x) => a + x, 0) / samples.length;
    const sd = Math.sqrt(samples.reduce((a, x) => a + (x - mean) ** 2, 0) / (samples.length - 1));
    expect(Math.abs(mean - chanceOverlap(k, D))).toBeLessThan((4 * sd) / Math.sqrt(samples.length));
  });

  test('mismatched dimensions are refused', () => {
    expect(() => subspaceOverlap([[1, 0]], [[1, 0], [0, 1]])).toThrow(/different dimensions/);
    expect(() => orthonormalize([[1, 0], [2, 0]])).toThrow(/linearly dependent/);
  });
});
