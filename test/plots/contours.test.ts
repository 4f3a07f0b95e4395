/** Marching squares against exact level sets. */
import fc from 'fast-check';
import { contourSegments, evenLevels } from '../../src/plots/contours.js';
import { checkProperty } from '../support/property.js';

const axis = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('contours', () => {
  test('a plane z = x + 2y: every segment endpoint lies exactly on its level line (linear interpolation is exact)', () => {
    const x = axis(11, -1, 1);
    const y = axis(9, -1, 1);
    const z = y.map((b) => x.map((a) => a + 2 * b));
    const segs = contourSegments(x, y, z, [-1.3, 0, 0.77]);
    expect(segs.length).toBeGreaterThan(0);
    for (const s of segs) {
      expect(s.x1 + 2 * s.y1).toBeCloseTo(s.level, 12);
      expect(s.x2 + 2 * s.y2).toBeCloseTo(s.level, 12);
    }
  });

  test('circles z = x² + y²: endpoints at radius √level up to the interpolation error O(h²)', () => {
    checkProperty(
      fc.property(fc.double({ min: 0.1, max: 0.8, noNaN: true }), (r) => {
        const x = axis(81, -1, 1);
        const z = x.map((b) => x.map((a) => a * a + b * b));
        const segs = contourSegments(x, x, z, [r * r]);
        expect(segs.length).toBeGreaterThan(8);
        for (const s of segs) {
          expect(Math.abs(Math.hypot(s.x1, s.y1) - r)).toBeLessThan(0.01);
          expect(Math.abs(Math.hypot(s.x2, s.y2) - r)).toBeLessThan(0.01);
        }
      }),
      { numRuns: 20 },
    );
  });

  test('saddle cells give two segments; null corners are skipped; levels lie strictly inside', () => {
    const segs = contourSegments([0, 1], [0, 1], [[1, -1], [-1, 1]], [0]);
    expect(segs.length).toBe(2);
    expect(contourSegments([0, 1], [0, 1], [[1, null], [-1, 1]], [0])).toEqual([]);
    expect(evenLevels(0, 10, 4)).toEqual([2, 4, 6, 8]);
    expect(evenLevels(1, 1, 4)).toEqual([]);
  });
});
