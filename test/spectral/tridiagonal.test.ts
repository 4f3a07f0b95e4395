/**
 * The tridiagonal eigen routines of the Lanczos convergence test against the dense eigensolver
 * (an independent algorithm: Householder + implicit QL on the assembled matrix).
 */
import fc from 'fast-check';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { sturmCount, tridiagonalEigenvalues, tridiagonalEigenvector } from '../../src/spectral/tridiagonal.js';
import { checkProperty } from '../support/property.js';

function assemble(alpha: readonly number[], beta: readonly number[]): { rows: number; cols: number; data: number[] } {
  const p = alpha.length;
  const data = new Array<number>(p * p).fill(0);
  for (let i = 0; i < p; i++) data[i + p * i] = alpha[i] as number;
  for (let i = 0; i < p - 1; i++) {
    data[i + 1 + p * i] = beta[i] as number;
    data[i + p * (i + 1)] = beta[i] as number;
  }
  return { rows: p, cols: p, data };
}

describe('tridiagonal', () => {
  test('bisection eigenvalues and inverse-iteration eigenvectors agree with the dense solver', () => {
    checkProperty(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }).map((x) => x / 100), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: -1000, max: 1000 }).map((x) => x / 100), { minLength: 60, maxLength: 60 }),
        (alpha, betaRaw) => {
          const p = alpha.length;
          const beta = betaRaw.slice(0, p - 1);
          const T = assemble(alpha, beta);
          const ref = symmetricEigen(T).values;
          const norm = Math.max(1e-300, ...ref.map(Math.abs));
          const all = tridiagonalEigenvalues(alpha, beta, Array.from({ length: p }, (_, i) => i));
          all.forEach((x, i) => expect(Math.abs(x - (ref[i] as number))).toBeLessThanOrEqual(1e-12 * norm));
          // The top and bottom eigenvectors: residual ‖T y − θ y‖ at rounding level, unit length.
          for (const theta of [all[p - 1] as number, all[0] as number]) {
            const y = tridiagonalEigenvector(alpha, beta, theta);
            let r = 0;
            for (let i = 0; i < p; i++) {
              const ty = (alpha[i] as number) * (y[i] as number) + (i > 0 ? (beta[i - 1] as number) * (y[i - 1] as number) : 0) + (i < p - 1 ? (beta[i] as number) * (y[i + 1] as number) : 0);
              r += (ty - theta * (y[i] as number)) ** 2;
            }
            expect(Math.abs(Math.hypot(...y) - 1)).toBeLessThan(1e-12);
            expect(Math.sqrt(r)).toBeLessThanOrEqual(1e-10 * norm);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('Sturm counts of a known spectrum; repeated eigenvalues of a split matrix', () => {
    // diag(1, 2, 3, 4) with zero couplings, then the 1D Laplacian (eigenvalues 2 − 2cos(kπ/(p+1))).
    expect([0.5, 1.5, 2.5, 3.5, 4.5].map((x) => sturmCount([1, 2, 3, 4], [0, 0, 0], x, 1e-300))).toEqual([0, 1, 2, 3, 4]);
    const p = 50;
    const lap = tridiagonalEigenvalues(new Array<number>(p).fill(2), new Array<number>(p - 1).fill(-1), [0, p - 1]);
    expect(Math.abs((lap[0] as number) - (2 - 2 * Math.cos(Math.PI / (p + 1))))).toBeLessThan(1e-14);
    expect(Math.abs((lap[1] as number) - (2 - 2 * Math.cos((p * Math.PI) / (p + 1))))).toBeLessThan(1e-14);
    tridiagonalEigenvalues([5, 5, 1], [0, 0], [1, 2]).forEach((x) => expect(Math.abs(x - 5)).toBeLessThanOrEqual(4 * 2 ** -52 * 5));
    expect(() => tridiagonalEigenvalues([1, 2], [0], [2])).toThrow(RangeError);
  });
});
