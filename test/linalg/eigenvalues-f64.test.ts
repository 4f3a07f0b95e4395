import fc from 'fast-check';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { symmetricEigenvalues } from '../../src/linalg/eigenvalues-f64.js';
import { ShapeError, fromColumnMajor, type Matrix } from '../../src/linalg/matrix.js';
import { checkProperty } from '../support/property.js';

/** A random symmetric matrix with entries in [−1, 1]·10^scale. */
const symmetric = fc
  .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -30, max: 30 }), fc.integer({ min: 1, max: 1e9 }))
  .map(([n, scale, seed]): Matrix<number> => {
    let s = seed;
    const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const data = new Array<number>(n * n);
    for (let j = 0; j < n; j++)
      for (let i = 0; i <= j; i++) {
        const v = rnd() * 10 ** scale;
        data[i + j * n] = v;
        data[j + i * n] = v;
      }
    return fromColumnMajor(n, n, data);
  });

describe('symmetricEigenvalues (values only)', () => {
  it('agrees with the eigen-decomposition (tred2/tql2 with vectors) to O(n u ‖A‖)', () => {
    checkProperty(
      fc.property(symmetric, (A) => {
        const a = symmetricEigenvalues(A);
        const b = symmetricEigen(A).values;
        const norm = Math.max(...A.data.map(Math.abs)) * A.rows;
        return a.length === b.length && a.every((x, i) => Math.abs(x - (b[i] as number)) <= 64 * A.rows * Number.EPSILON * norm);
      }),
      { numRuns: 60 },
    );
  });

  it('hand cases: empty, 1×1, diagonal (sorted), [[2,1],[1,2]] → 1, 3, zero matrix', () => {
    expect(symmetricEigenvalues(fromColumnMajor(0, 0, []))).toEqual([]);
    expect(symmetricEigenvalues(fromColumnMajor(1, 1, [-3.5]))).toEqual([-3.5]);
    expect(symmetricEigenvalues(fromColumnMajor(3, 3, [5, 0, 0, 0, -1, 0, 0, 0, 2]))).toEqual([-1, 2, 5]);
    const v = symmetricEigenvalues(fromColumnMajor(2, 2, [2, 1, 1, 2]));
    expect(v[0]).toBeCloseTo(1, 14);
    expect(v[1]).toBeCloseTo(3, 14);
    expect(symmetricEigenvalues(fromColumnMajor(4, 4, new Array<number>(16).fill(0)))).toEqual([0, 0, 0, 0]);
  });

  it('refuses non-square and non-finite input', () => {
    expect(() => symmetricEigenvalues(fromColumnMajor(2, 3, [1, 2, 3, 4, 5, 6]))).toThrow(ShapeError);
    expect(() => symmetricEigenvalues(fromColumnMajor(1, 1, [Number.NaN]))).toThrow(RangeError);
  });
});
