/**
 * Second differences with Richardson extrapolation: exact over Q after N levels on a depth-N
 * network's loss (a polynomial of degree 2N), exact after one level on a quadratic, and accurate
 * in binary64 for polynomial and non-polynomial functions.
 */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { richardsonCentral, ridders } from '../../src/curvature/finite-difference.js';
import { hessian } from '../../src/hessian/dense.js';
import { gradientVector, loss } from '../../src/hessian/gradient.js';
import { parameterOffsets, preparePoint, type NetworkSpec } from '../../src/hessian/point.js';
import { fromColumnMajor } from '../../src/linalg/matrix.js';
import { checkProperty } from '../support/property.js';
import { smallNetwork } from '../support/networks.js';
import { smallRational } from '../support/arbitraries.js';

/** `L(θ + t u)` in exact arithmetic. */
function exactLine(spec: NetworkSpec<Rational>, u: readonly Rational[]): (t: Rational) => Rational {
  const widths = [spec.weights[0]?.cols ?? 0, ...spec.weights.map((W) => W.rows)];
  const off = parameterOffsets(widths);
  return (t) =>
    loss(
      preparePoint(Q, {
        ...spec,
        weights: spec.weights.map((W, i) => fromColumnMajor(W.rows, W.cols, W.data.map((x, k) => x.add(t.mul(u[(off[i] as number) + k] as Rational))))),
      }),
    );
}

/** `uᵀ H u` from the exact dense Hessian (an independent closed form). */
function exactQuadraticForm(spec: NetworkSpec<Rational>, u: readonly Rational[]): Rational {
  const H = hessian(preparePoint(Q, spec));
  let s = Rational.ZERO;
  for (let j = 0; j < H.cols; j++) for (let i = 0; i < H.rows; i++) s = s.add((u[i] as Rational).mul(H.data[i + j * H.rows] as Rational).mul(u[j] as Rational));
  return s;
}

describe('Richardson-extrapolated central differences', () => {
  test('over Q, N levels give d²/dt² L(θ + tu) = uᵀHu and d/dt L = ∇Lᵀu exactly on depth-N networks (any step)', () => {
    checkProperty(
      fc.property(
        smallNetwork(3, 2).chain((spec) => {
          const n = spec.weights.reduce((s, W) => s + W.rows * W.cols, 0);
          return fc.tuple(fc.constant(spec), fc.array(smallRational(3, 2), { minLength: n, maxLength: n }), smallRational(4, 3));
        }),
        ([spec, u, h]) => {
          fc.pre(!h.isZero());
          const f = exactLine(spec, u);
          const N = spec.weights.length;
          const second = richardsonCentral(Q, f, 2, h, N);
          expect(second.equals(exactQuadraticForm(spec, u))).toBe(true);
          const g = gradientVector(preparePoint(Q, spec));
          const slope = g.reduce((s, x, i) => s.add(x.mul(u[i] as Rational)), Rational.ZERO);
          expect(richardsonCentral(Q, f, 1, h, N).equals(slope)).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  test('fewer levels than N leave a truncation error on a depth-3 network (the extrapolation is needed)', () => {
    const m = (a: number): Rational => new Rational(BigInt(a));
    const spec: NetworkSpec<Rational> = {
      weights: [fromColumnMajor(1, 1, [m(1)]), fromColumnMajor(1, 1, [m(2)]), fromColumnMajor(1, 1, [m(3)])],
      objective: { kind: 'dmf', target: fromColumnMajor(1, 1, [m(1)]) },
      reduction: 'half',
    };
    const u = [m(1), m(1), m(1)];
    const f = exactLine(spec, u);
    const want = exactQuadraticForm(spec, u);
    expect(richardsonCentral(Q, f, 2, m(1), 2).equals(want)).toBe(false);
    expect(richardsonCentral(Q, f, 2, m(1), 3).equals(want)).toBe(true);
  });

  test('one level is exact on a quadratic (docs/math.md §6)', () => {
    const f = (t: Rational): Rational => new Rational(3n, 2n).mul(t).mul(t).sub(t).add(new Rational(7n));
    expect(richardsonCentral(Q, f, 2, new Rational(5n), 1).equals(new Rational(3n))).toBe(true);
  });

  test('binary64 (Ridders): a degree-8 polynomial to rounding, and exp/sin to 1e-10 relative', () => {
    // f(t) = (1 + t)^8: f''(0) = 56, f'(0) = 8.
    const p = ridders((t) => (1 + t) ** 8, 2, 0.5);
    expect(p.value).toBeCloseTo(56, 10);
    expect(ridders((t) => (1 + t) ** 8, 1, 0.5).value).toBeCloseTo(8, 11);
    const e = ridders((t) => Math.exp(2 * t), 2, 0.5);
    expect(Math.abs(e.value - 4) / 4).toBeLessThan(1e-10);
    expect(e.error).toBeLessThan(1e-7);
    const s = ridders((t) => Math.sin(t + 1), 2, 0.5);
    expect(Math.abs(s.value + Math.sin(1))).toBeLessThan(1e-10);
    expect(() => ridders((t) => t, 2, 0)).toThrow(RangeError);
  });
});
