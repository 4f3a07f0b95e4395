/**
 * Internal consistency of the closed forms, by independent routes:
 * - exact HVP (a sweep over partial-product derivatives) equals the dense Hessian (Kronecker entries) times v;
 * - Gauss–Newton + residual = full, residual vanishes at zero-loss points and on diagonal blocks;
 * - float64 Hessian against central finite differences of the float64 gradient;
 * - float64 against exact, with a tolerance from the float64 error model.
 */
import fc from 'fast-check';
import { F64, Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at, equals, fromColumnMajor, isSymmetric, mul, type Matrix } from '../../src/linalg/matrix.js';
import { denseOperator, toDense } from '../../src/linop/linear-operator.js';
import {
  gaussNewton,
  gradientVector,
  hessian,
  hessianBlocks,
  hessianOperator,
  hessianVectorProduct,
  loss,
  lossAt,
  preparePoint,
  residualPart,
  type NetworkSpec,
} from '../../src/hessian/index.js';
import { checkProperty } from '../support/property.js';
import { matrixOf, smallRational } from '../support/arbitraries.js';
import { networkOf, networkShape, smallNetwork, toFloatSpec } from '../support/networks.js';

const paramVector = (n: number): fc.Arbitrary<Rational[]> => fc.array(smallRational(6, 5), { minLength: n, maxLength: n });

describe('closed forms over Q', () => {
  test('HVP equals dense H·v exactly', () => {
    checkProperty(
      fc.property(
        smallNetwork(4, 3).chain((spec) => {
          const n = spec.weights.reduce((s, W) => s + W.rows * W.cols, 0);
          return fc.tuple(fc.constant(spec), paramVector(n));
        }),
        ([spec, v]) => {
          const pt = preparePoint(Q, spec);
          const Hv = denseOperator(Q, hessian(pt)).matvec(v);
          expect(hessianVectorProduct(pt, v).map(String)).toEqual(Hv.map(String));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('H = G + residual part, H symmetric, residual zero on diagonal blocks', () => {
    checkProperty(
      fc.property(smallNetwork(4, 3), (spec) => {
        const pt = preparePoint(Q, spec);
        const H = hessian(pt);
        const G = gaussNewton(pt);
        const Rp = residualPart(pt);
        expect(isSymmetric(Q, H)).toBe(true);
        expect(isSymmetric(Q, G)).toBe(true);
        expect(H.data.every((h, k) => h.equals((G.data[k] as Rational).add(Rp.data[k] as Rational)))).toBe(true);
        const blocks = hessianBlocks(pt, 'residual');
        blocks.forEach((row, i) => expect((row[i] as Matrix<Rational>).data.every((x) => x.isZero())).toBe(true));
      }),
      { numRuns: 60 },
    );
  });

  test('Gauss–Newton part is JᵀJ-like: positive semidefinite quadratic form on random directions', () => {
    checkProperty(
      fc.property(
        smallNetwork(3, 3).chain((spec) => {
          const n = spec.weights.reduce((s, W) => s + W.rows * W.cols, 0);
          return fc.tuple(fc.constant(spec), paramVector(n));
        }),
        ([spec, v]) => {
          const G = gaussNewton(preparePoint(Q, spec));
          const Gv = denseOperator(Q, G).matvec(v);
          const q = Gv.reduce((s, x, i) => s.add(x.mul(v[i] as Rational)), Rational.ZERO);
          expect(q.sign()).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('at a zero-loss point the residual part vanishes and H = G', () => {
    checkProperty(
      fc.property(
        networkShape(4, 3).filter((s) => s.kind === 'dmf').chain((s) => networkOf(s)),
        (spec) => {
          // Move the target onto the product so the point is an exact minimizer.
          const W = spec.weights;
          let P = W[0] as Matrix<Rational>;
          for (let i = 1; i < W.length; i++) P = mul(Q, W[i] as Matrix<Rational>, P);
          const atMin: NetworkSpec<Rational> = { ...spec, objective: { kind: 'dmf', target: P } };
          const pt = preparePoint(Q, atMin);
          expect(residualPart(pt).data.every((x) => x.isZero())).toBe(true);
          expect(equals(Q, hessian(pt), gaussNewton(pt))).toBe(true);
          expect(gradientVector(pt).every((g) => g.isZero())).toBe(true);
          // The HVP skips the residual terms here; it must still equal the dense product.
          const v = Array.from({ length: pt.widths.reduce((s, d, i) => (i === 0 ? 0 : s + d * (pt.widths[i - 1] as number)), 0) }, (_, i) =>
            Rational.fromBigInt(BigInt((i % 5) - 2)),
          );
          expect(hessianVectorProduct(pt, v).map(String)).toEqual(denseOperator(Q, hessian(pt)).matvec(v).map(String));
        },
      ),
      { numRuns: 40 },
    );
  });

  test('lossAt (forward product only) equals the loss of the prepared point', () => {
    checkProperty(
      fc.property(smallNetwork(4, 3), (spec) => {
        expect(lossAt(Q, spec).equals(loss(preparePoint(Q, spec)))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test("'sample-mean' doubles the Hessian of 'half'", () => {
    checkProperty(
      fc.property(smallNetwork(3, 3), (spec) => {
        const half = hessian(preparePoint(Q, { ...spec, reduction: 'half' }));
        const sum = hessian(preparePoint(Q, { ...spec, reduction: 'sample-mean' }));
        expect(sum.data.every((x, k) => x.equals((half.data[k] as Rational).mul(Rational.fromBigInt(2n))))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  test('toDense of the HVP operator reproduces the dense Hessian', () => {
    checkProperty(
      fc.property(smallNetwork(3, 3), (spec) => {
        const pt = preparePoint(Q, spec);
        expect(equals(Q, toDense(hessianOperator(pt)), hessian(pt))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});

describe('closed forms over F64', () => {
  const floatNet = fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }))
    .chain(([N, d]) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: N }, () => matrixOf(d, d, fc.double({ min: -1.5, max: 1.5, noNaN: true })))),
        matrixOf(d, d, fc.double({ min: -2, max: 2, noNaN: true })),
      ),
    )
    .map(([ws, target]): NetworkSpec<number> => ({ weights: ws as Matrix<number>[], objective: { kind: 'dmf', target }, reduction: 'half' }));

  test('Hessian equals central finite differences of the gradient', () => {
    checkProperty(
      fc.property(floatNet, (spec) => {
        const pt = preparePoint(F64, spec);
        const H = hessian(pt);
        const n = H.rows;
        const h = 1e-5;
        const theta = spec.weights.flatMap((W) => W.data.slice());
        const specAt = (t: number[]): NetworkSpec<number> => {
          let o = 0;
          return {
            ...spec,
            weights: spec.weights.map((W) => {
              const M = fromColumnMajor(W.rows, W.cols, t.slice(o, o + W.rows * W.cols));
              o += W.rows * W.cols;
              return M;
            }),
          };
        };
        // Central differences: error ≤ h²/6·|∂³g| + ε|g|/h; entries here are O(10), so 1e-6·scale bounds both.
        const scaleH = Math.max(1, ...H.data.map(Math.abs));
        for (let j = 0; j < n; j++) {
          const tp = theta.slice();
          const tm = theta.slice();
          tp[j] = (tp[j] as number) + h;
          tm[j] = (tm[j] as number) - h;
          const gp = gradientVector(preparePoint(F64, specAt(tp)));
          const gm = gradientVector(preparePoint(F64, specAt(tm)));
          for (let i = 0; i < n; i++) {
            const fd = ((gp[i] as number) - (gm[i] as number)) / (2 * h);
            expect(Math.abs(fd - at(H, i, j))).toBeLessThan(1e-6 * scaleH);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  test('at float64 minimizers (target = the float product) the HVP, which then skips the rounding-level residual terms, still equals dense H·v', () => {
    checkProperty(
      fc.property(floatNet, (spec) => {
        const W = spec.weights;
        let P = W[0] as Matrix<number>;
        for (let i = 1; i < W.length; i++) P = mul(F64, W[i] as Matrix<number>, P);
        const atMin: NetworkSpec<number> = { ...spec, objective: { kind: 'dmf', target: P } };
        const pt = preparePoint(F64, atMin);
        const H = hessian(pt);
        const v = Array.from({ length: H.rows }, (_, i) => Math.cos(i + 1));
        const dense = denseOperator(F64, H).matvec(v);
        const scaleH = Math.max(1, ...H.data.map(Math.abs));
        hessianVectorProduct(pt, v).forEach((x, i) => expect(Math.abs(x - (dense[i] as number))).toBeLessThanOrEqual(1e-12 * scaleH * H.rows));
      }),
      { numRuns: 60 },
    );
  });

  test('float64 Hessian and HVP agree with the exact ones within the float64 error model', () => {
    checkProperty(
      fc.property(smallNetwork(4, 3), (spec) => {
        const exact = hessian(preparePoint(Q, spec));
        const fspec = toFloatSpec(spec);
        const pt = preparePoint(F64, fspec);
        const approx = hessian(pt);
        // Each entry is a sum of ≤ n products of ≤ 2N + 1 factors: a relative bound (4N + n)·u on the
        // magnitudes is generous; measure against the largest entry of the exact Hessian.
        const n = exact.rows;
        const tol = (4 * spec.weights.length + n + 8) * F64.unitRoundoff * Math.max(1, ...exact.data.map((x) => Math.abs(x.toNumber()))) * 16;
        exact.data.forEach((x, k) => expect(Math.abs(x.toNumber() - (approx.data[k] as number))).toBeLessThanOrEqual(tol));
        const v = Array.from({ length: n }, (_, i) => ((i * 7) % 5) - 2);
        const Hv = denseOperator(F64, approx).matvec(v);
        hessianVectorProduct(pt, v).forEach((x, i) => expect(Math.abs(x - (Hv[i] as number))).toBeLessThanOrEqual(tol * n * 4));
      }),
      { numRuns: 40 },
    );
  });
});
