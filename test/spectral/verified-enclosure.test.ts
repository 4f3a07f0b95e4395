/**
 * Verified enclosures of λ_max / λ_min of the EXACT Hessian at random rational points, against exact
 * inertia (rational LDLᵀ, Sylvester's law) as the oracle: `hi·I − H` positive definite and
 * `lo·I − H` not, and the same for λ_min.
 */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { accumulateHessian, hessian } from '../../src/hessian/dense.js';
import { preparePoint, type NetworkSpec } from '../../src/hessian/point.js';
import { isPositiveDefinite } from '../../src/linalg/ldlt.js';
import { generate, identity, mul, scale, sub, type Matrix } from '../../src/linalg/matrix.js';
import { choleskyInPlace, verifiedExtremeEigenvalue } from '../../src/spectral/verified-enclosure.js';
import { encloseMatrix, F64I, IntervalAccumulator, floatAbove, floatBelow, nextDown, nextUp, symmetricEnclosure } from '../../src/verify/float-interval.js';
import { checkProperty } from '../support/property.js';

const shifted = (H: Matrix<Rational>, t: Rational, sign: 1 | -1): Matrix<Rational> =>
  sign > 0 ? sub(Q, scale(Q, t, identity(Q, H.rows)), H) : sub(Q, H, scale(Q, t, identity(Q, H.rows)));

/** Decimal entries with up to 3 digits (not binary64 numbers) or binary64 draws, in [-2, 2]. */
const entry = fc.oneof(
  fc.integer({ min: -2000, max: 2000 }).map((k) => new Rational(BigInt(k), 1000n)),
  fc.double({ min: -2, max: 2, noNaN: true }).map((x) => Rational.fromNumber(Math.abs(x) < 1e-3 ? 0 : x)),
);

const matrixArb = (r: number, c: number): fc.Arbitrary<Matrix<Rational>> =>
  fc.array(entry, { minLength: r * c, maxLength: r * c }).map((xs) => generate(r, c, (i, j) => xs[i + j * r] as Rational));

const specArb: fc.Arbitrary<NetworkSpec<Rational>> = fc
  .record({ depth: fc.integer({ min: 1, max: 3 }), w: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }) })
  .chain(({ depth, w }) => {
    const widths = w.slice(0, depth + 1);
    return fc.record({
      weights: fc.tuple(...Array.from({ length: depth }, (_, i) => matrixArb(widths[i + 1] as number, widths[i] as number))),
      target: matrixArb(widths[depth] as number, widths[0] as number),
      sum: fc.boolean(),
    });
  })
  .map(({ weights, target, sum }) => ({ weights, objective: { kind: 'dmf', target }, reduction: sum ? 'sample-mean' : 'half' }) as NetworkSpec<Rational>);

describe('float-interval field', () => {
  test('nextUp/nextDown and the outward roundings of rationals', () => {
    expect(nextUp(1)).toBe(1 + 2 ** -52);
    expect(nextDown(1)).toBe(1 - 2 ** -53);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    const third = new Rational(1n, 3n);
    expect(Rational.fromNumber(floatBelow(third)).compare(third)).toBe(-1);
    expect(Rational.fromNumber(floatAbove(third)).compare(third)).toBe(1);
    expect(nextUp(floatBelow(third))).toBe(floatAbove(third));
  });

  test('every operation encloses the exact rational result', () => {
    checkProperty(
      fc.property(entry, entry, (a, b) => {
        const A = F64I.fromRational(a);
        const B = F64I.fromRational(b);
        const inside = (x: { m: number; r: number }, q: Rational): boolean =>
          Rational.fromNumber(x.m).sub(q).abs().compare(Rational.fromNumber(x.r)) <= 0;
        expect(inside(F64I.add(A, B), a.add(b))).toBe(true);
        expect(inside(F64I.sub(A, B), a.sub(b))).toBe(true);
        expect(inside(F64I.mul(A, B), a.mul(b))).toBe(true);
        if (Math.abs(b.toNumber()) > 1e-300) expect(inside(F64I.div(A, B), a.div(b))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('binary64 Cholesky', () => {
  test('factors a positive definite matrix and stops at the first nonpositive pivot', () => {
    const a = Float64Array.from([4, 2, 2, 3]); // [[4,2],[2,3]]: L = [[2,0],[1,√2]]
    expect(choleskyInPlace(a, 2)).toBe(-1);
    expect(a[0]).toBe(2);
    expect(a[1]).toBe(1);
    expect(a[3]).toBeCloseTo(Math.SQRT2, 15);
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(1); // eigenvalues 3, −1
  });
});

describe('verified enclosures of the exact Hessian (oracle: exact inertia)', () => {
  test('λ_max and λ_min of random rational points lie in their enclosures, which are narrow', () => {
    checkProperty(
      fc.property(specArb, (spec) => {
        const HQ = hessian(preparePoint(Q, spec));
        const encl = { weights: spec.weights.map(encloseMatrix), objective: { kind: 'dmf' as const, target: encloseMatrix((spec.objective as { target: Matrix<Rational> }).target) }, reduction: spec.reduction };
        const H = symmetricEnclosure(hessian(preparePoint(F64I, encl)));
        for (const which of ['largest', 'smallest'] as const) {
          const e = verifiedExtremeEigenvalue(H, which);
          expect(e.certified).toBe(true);
          if (!e.certified) return;
          if (which === 'largest') {
            expect(isPositiveDefinite(shifted(HQ, e.upper, 1))).toBe(true); // λ_max < upper
            expect(isPositiveDefinite(shifted(HQ, e.lower, 1))).toBe(false); // λ_max ≥ lower
          } else {
            expect(isPositiveDefinite(shifted(HQ, e.lower, -1))).toBe(true); // λ_min > lower
            expect(isPositiveDefinite(shifted(HQ, e.upper, -1))).toBe(false); // λ_min ≤ upper
          }
          const width = e.upper.sub(e.lower).toNumber();
          expect(width).toBeGreaterThanOrEqual(0);
          expect(width).toBeLessThan(1e-9 * Math.max(1, Math.abs(e.estimate)));
        }
      }),
      { numRuns: 40 },
    );
  });

  test('a matrix whose radius hides the sign of the gap is still enclosed (wide, not wrong)', () => {
    // mid = diag(1, 1), radius 0.5 everywhere: every symmetric X inside has λ_max ∈ [0.5, 2].
    const e = verifiedExtremeEigenvalue({ n: 2, mid: Float64Array.from([1, 0, 0, 1]), rad: Float64Array.from([0.5, 0.5, 0.5, 0.5]) }, 'largest');
    expect(e.certified).toBe(true);
    if (!e.certified) return;
    expect(e.lower.toNumber()).toBeLessThanOrEqual(0.5);
    expect(e.upper.toNumber()).toBeGreaterThanOrEqual(2);
  });
});

describe('interval matrix products (midpoint–radius on the binary64 kernel)', () => {
  test('enclose the exact rational product', () => {
    checkProperty(
      fc.property(matrixArb(3, 4), matrixArb(4, 2), (A, B) => {
        const C = mul(Q, A, B);
        const CI = mul(F64I, encloseMatrix(A), encloseMatrix(B));
        C.data.forEach((c, t) => {
          const e = CI.data[t] as { m: number; r: number };
          expect(Rational.fromNumber(e.m).sub(c).abs().compare(Rational.fromNumber(e.r))).toBeLessThanOrEqual(0);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('blocked Cholesky', () => {
  test('agrees with the textbook factor on a 150×150 positive definite matrix, and finds the first bad pivot', () => {
    const n = 150;
    const rng = (() => {
      let s = 12345;
      return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    })();
    const B = Float64Array.from({ length: n * n }, rng);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let t = i === j ? n : 0;
        for (let k = 0; k < n; k++) t += (B[i + k * n] as number) * (B[j + k * n] as number);
        A[i + j * n] = t;
      }
    const L = A.slice();
    expect(choleskyInPlace(L, n)).toBe(-1);
    // L Lᵀ reproduces A (lower triangle) to rounding.
    for (let i = 0; i < n; i += 7)
      for (let j = 0; j <= i; j += 5) {
        let t = 0;
        for (let k = 0; k <= j; k++) t += (L[i + k * n] as number) * (L[j + k * n] as number);
        expect(Math.abs(t - (A[i + j * n] as number))).toBeLessThan(1e-10 * n);
      }
    const bad = A.slice();
    bad[100 + 100 * n] = -1e6; // indefinite at row 100 (after 100 good pivots)
    expect(choleskyInPlace(bad, n)).toBe(100);
  });
});

describe('interval Hessian accumulated into binary64 arrays', () => {
  test('every entry encloses the exact rational Hessian entry', () => {
    checkProperty(
      fc.property(specArb, (spec) => {
        const HQ = hessian(preparePoint(Q, spec));
        const encl = { weights: spec.weights.map(encloseMatrix), objective: { kind: 'dmf' as const, target: encloseMatrix((spec.objective as { target: Matrix<Rational> }).target) }, reduction: spec.reduction };
        const acc = new IntervalAccumulator(HQ.rows, 2);
        accumulateHessian(preparePoint(F64I, encl), 'full', (k, a, b) => acc.add(k, a, b));
        const E = acc.finish();
        HQ.data.forEach((h, k) => {
          expect(Rational.fromNumber(E.mid[k] as number).sub(h).abs().compare(Rational.fromNumber(E.rad[k] as number))).toBeLessThanOrEqual(0);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('verification that cannot be done is reported, not thrown', () => {
  test('entries near the top of binary64: certified false with the reason', () => {
    const e = verifiedExtremeEigenvalue({ n: 2, mid: Float64Array.from([1e308, 1e308, 1e308, 1e308]), rad: new Float64Array(4) }, 'largest');
    expect(e.certified).toBe(false);
    if (!e.certified) expect(e.reason).toMatch(/overflow|not finite|impossible|failed/);
  });
  test('a non-finite entry: certified false, naming the entry', () => {
    const e = verifiedExtremeEigenvalue({ n: 2, mid: Float64Array.from([1, Infinity, Infinity, 1]), rad: new Float64Array(4) }, 'smallest');
    expect(e.certified).toBe(false);
    if (!e.certified) expect(e.reason).toMatch(/entry \(2, 1\) .* not finite/);
  });
});
