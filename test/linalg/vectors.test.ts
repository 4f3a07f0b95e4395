/** The binary64 vector helpers (src/linalg/vectors.ts), on values worked by hand. */
import { distance, dot, meanVariance, norm2, offset, scaled, transposed } from '../../src/linalg/vectors.js';

describe('vector helpers', () => {
  test('dot, norm2 and distance by hand; norm2 neither overflows nor underflows', () => {
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
    expect(norm2([3, 4])).toBe(5);
    expect(norm2([3e200, 4e200])).toBeCloseTo(5e200, -186);
    expect(norm2([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2([0, 0])).toBe(0);
    expect(distance([1, 1], [4, 5])).toBe(5);
  });

  test('offset and scaled', () => {
    expect(offset([1, 1], 2, [1, 0], 3, [0, 1])).toEqual([3, 4]);
    expect(Array.from(scaled([1, -2], 0.5))).toEqual([0.5, -1]);
  });

  test('transposed: column-major 2×3 [[1, 2, 3], [4, 5, 6]] becomes 3×2 [[1, 4], [2, 5], [3, 6]]', () => {
    const A = [1, 4, 2, 5, 3, 6]; // columns (1, 4), (2, 5), (3, 6)
    expect(Array.from(transposed(A, 2, 3))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(transposed(transposed(A, 2, 3), 3, 2))).toEqual(A);
  });

  test('meanVariance: mean 2 and unbiased variance 1 of 1, 2, 3', () => {
    expect(meanVariance([1, 2, 3])).toEqual({ mean: 2, variance: 1 });
    expect(meanVariance([7]).variance).toBeNaN();
  });
});
