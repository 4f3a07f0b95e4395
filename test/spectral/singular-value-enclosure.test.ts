/**
 * Singular values and spectral norms enclosed rigorously (src/spectral/singular-value-enclosure.ts):
 * quadratic surds compared through exact squares, rational singular values exactly, random
 * matrices against float singular values.
 */
import fc from 'fast-check';
import { Rational } from '../../src/field/rational.js';
import { singularValues } from '../../src/linalg/svd-f64.js';
import { fromRows, generate, type Matrix } from '../../src/linalg/matrix.js';
import { singularValueEnclosure, spectralNormSquaredEnclosure } from '../../src/spectral/singular-value-enclosure.js';
import { checkProperty } from '../support/property.js';
import { smallRational } from '../support/arbitraries.js';
import { containsSurd } from '../support/surds.js';

const q = (s: string): Rational => Rational.parse(s);
const diag = (...d: string[]): Matrix<Rational> => generate(d.length, d.length, (i, j) => (i === j ? q(d[i] as string) : Rational.ZERO));
const rows = (r: string[][]): Matrix<Rational> => fromRows(r.map((row) => row.map(q)));

describe('singular values and spectral norms', () => {
  test('[[1,1],[0,1]]: σ = (√5 ± 1)/2, enclosed exactly through squares', () => {
    const X = rows([['1', '1'], ['0', '1']]);
    const width = q('1e-15');
    const s1 = singularValueEnclosure(X, 1, width);
    const s2 = singularValueEnclosure(X, 2, width);
    expect(s1.upper.sub(s1.lower).compare(width)).toBeLessThanOrEqual(0);
    expect(s2.upper.sub(s2.lower).compare(width)).toBeLessThanOrEqual(0);
    expect(containsSurd(s1.lower, s1.upper, q('1'), 1, q('5'), q('2'))).toBe(true);
    expect(containsSurd(s2.lower, s2.upper, q('-1'), 1, q('5'), q('2'))).toBe(true);
  });

  test('rectangular with rational singular values: exact', () => {
    const X = rows([['3', '0', '0'], ['0', '4', '0']]);
    expect(singularValueEnclosure(X, 1, q('1e-9')).exact?.toString()).toBe('4');
    expect(singularValueEnclosure(X, 2, q('1e-9')).exact?.toString()).toBe('3');
    expect(spectralNormSquaredEnclosure(diag('3', '1/2'), q('1e-9')).exact?.toString()).toBe('9');
  });

  test('‖[[1,2],[3,4]]‖₂² = 15 + √221 and random matrices against float singular values', () => {
    const e = spectralNormSquaredEnclosure(rows([['1', '2'], ['3', '4']]), q('1e-18'));
    expect(containsSurd(e.lower, e.upper, q('15'), 1, q('221'), q('1'))).toBe(true);
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((m) => fc.integer({ min: 1, max: 4 }).map((n) => [m, n] as const)),
        fc.array(smallRational(9, 3), { minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 4 }),
        ([m, n], entries, kRaw) => {
          const X = generate(m, n, (i, j) => entries[i + j * m] as Rational);
          const k = Math.min(kRaw, m, n);
          const width = q('1e-10');
          const s = singularValueEnclosure(X, k, width);
          const ref = singularValues(generate(m, n, (i, j) => (entries[i + j * m] as Rational).toNumber()));
          const want = ref[k - 1] as number;
          const tol = 1e-9 * Math.max(1, ref[0] as number);
          expect(s.upper.sub(s.lower).compare(width)).toBeLessThanOrEqual(0);
          expect(s.lower.toNumber()).toBeLessThanOrEqual(want + tol);
          expect(s.upper.toNumber()).toBeGreaterThanOrEqual(want - tol);
          // The square's enclosure brackets σ² exactly as claimed.
          expect(s.squared.lower.compare(s.upper.mul(s.upper))).toBeLessThanOrEqual(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
