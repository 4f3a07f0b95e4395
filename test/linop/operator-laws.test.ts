/** Operator laws: matvec of unit vectors gives the columns of toDense; sums, scalings, compositions and shifts act as their dense counterparts. */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { add, at, equals, identity, mul, scale, sub, transpose, type Matrix } from '../../src/linalg/matrix.js';
import { composeOperators, denseOperator, scaleOperator, shiftOperator, sumOperator, toDense } from '../../src/linop/linear-operator.js';
import { hessianOperator, preparePoint } from '../../src/hessian/index.js';
import { checkProperty } from '../support/property.js';
import { matrixOf, smallRational } from '../support/arbitraries.js';
import { smallNetwork } from '../support/networks.js';

const dims = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));

describe('linear operator laws (exact)', () => {
  test('matvec of unit vectors equals the columns of toDense', () => {
    checkProperty(
      fc.property(dims.chain(([m, n]) => matrixOf(m, n, smallRational())), (A) => {
        const op = denseOperator(Q, A);
        for (let j = 0; j < A.cols; j++) {
          const e = Array.from({ length: A.cols }, (_, k) => (k === j ? Rational.ONE : Rational.ZERO));
          expect(op.matvec(e).map(String)).toEqual(Array.from({ length: A.rows }, (_, i) => at(A, i, j).toString()));
        }
        expect(equals(Q, toDense(op), A)).toBe(true);
      }),
    );
  });

  test('sum, scale, composition and shift agree with dense arithmetic', () => {
    checkProperty(
      fc.property(
        dims.chain(([m, k, n]) => fc.tuple(matrixOf(m, k, smallRational()), matrixOf(m, k, smallRational()), matrixOf(k, n, smallRational()), smallRational())),
        ([A, B, C, s]) => {
          const oA = denseOperator(Q, A);
          expect(equals(Q, toDense(sumOperator(oA, denseOperator(Q, B))), add(Q, A, B))).toBe(true);
          expect(equals(Q, toDense(scaleOperator(s, oA)), scale(Q, s, A))).toBe(true);
          expect(equals(Q, toDense(composeOperators(oA, denseOperator(Q, C))), mul(Q, A, C))).toBe(true);
          const S = mul(Q, transpose(A), A);
          expect(equals(Q, toDense(shiftOperator(denseOperator(Q, S), s)), sub(Q, S, scale(Q, s, identity(Q, S.rows))))).toBe(true);
        },
      ),
    );
  });

  test('shape mismatches are refused', () => {
    const A: Matrix<Rational> = { rows: 2, cols: 3, data: new Array<Rational>(6).fill(Rational.ONE) };
    const op = denseOperator(Q, A);
    expect(() => op.matvec([Rational.ONE])).toThrow(/expected a vector of length 3, got 1/);
    expect(() => composeOperators(op, op)).toThrow(/compose/);
    expect(() => sumOperator(op, denseOperator(Q, transpose(A)))).toThrow(/differ/);
  });

  test('the Hessian operator is symmetric: uᵀ(Hv) = vᵀ(Hu)', () => {
    checkProperty(
      fc.property(
        smallNetwork(3, 3).chain((spec) => {
          const n = spec.weights.reduce((s, W) => s + W.rows * W.cols, 0);
          const vec = fc.array(smallRational(5, 3), { minLength: n, maxLength: n });
          return fc.tuple(fc.constant(spec), vec, vec);
        }),
        ([spec, u, v]) => {
          const H = hessianOperator(preparePoint(Q, spec));
          const dot = (x: Rational[], y: Rational[]): Rational => x.reduce((s, xi, i) => s.add(xi.mul(y[i] as Rational)), Rational.ZERO);
          expect(dot(u, H.matvec(v)).equals(dot(v, H.matvec(u)))).toBe(true);
          expect(H.symmetric).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});
