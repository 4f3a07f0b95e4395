import fc from 'fast-check';
import { Rational } from '../../src/field/rational.js';
import { fromColumnMajor, type Matrix } from '../../src/linalg/matrix.js';

/** Rationals with small numerators and denominators (the shapes exact tests need). */
export function smallRational(maxNum = 20, maxDen = 8): fc.Arbitrary<Rational> {
  return fc
    .tuple(fc.integer({ min: -maxNum, max: maxNum }), fc.integer({ min: 1, max: maxDen }))
    .map(([n, d]) => new Rational(BigInt(n), BigInt(d)));
}

/** Rationals with large numerators and denominators (stress bigint paths). */
export function wideRational(): fc.Arbitrary<Rational> {
  return fc
    .tuple(fc.bigInt({ min: -(1n << 90n), max: 1n << 90n }), fc.bigInt({ min: 1n, max: 1n << 70n }))
    .map(([n, d]) => new Rational(n, d));
}

/** A `rows × cols` matrix with entries from `entry`. */
export function matrixOf<S>(rows: number, cols: number, entry: fc.Arbitrary<S>): fc.Arbitrary<Matrix<S>> {
  return fc.array(entry, { minLength: rows * cols, maxLength: rows * cols }).map((d) => fromColumnMajor(rows, cols, d));
}

/** A symmetric `n × n` rational matrix. */
export function symmetricRational(n: number, entry: fc.Arbitrary<Rational> = smallRational()): fc.Arbitrary<Matrix<Rational>> {
  return fc.array(entry, { minLength: (n * (n + 1)) / 2, maxLength: (n * (n + 1)) / 2 }).map((upper) => {
    const data = new Array<Rational>(n * n);
    let k = 0;
    for (let j = 0; j < n; j++)
      for (let i = 0; i <= j; i++) {
        const v = upper[k++] as Rational;
        data[i + j * n] = v;
        data[j + i * n] = v;
      }
    return fromColumnMajor(n, n, data);
  });
}
