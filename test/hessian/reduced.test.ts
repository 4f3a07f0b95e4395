/**
 * docs/math.md §3: at a zero-loss point the nonzero spectrum of H equals that of the reduced problem.
 * Checked exactly through characteristic polynomials: t^m det(tI − H) = t^p det(tS − K)/det(S)
 * (H = JᵀJ is p×p, the reduced problem m×m), with charpoly from the multi-modular routine.
 */
import fc from 'fast-check';
import { F64, Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { hessian, preparePoint, type NetworkSpec } from '../../src/hessian/index.js';
import { reducedOperatorF64, reducedProblem } from '../../src/hessian/reduced.js';
import { characteristicPolynomial } from '../../src/linalg/charpoly.js';
import { Polynomial } from '../../src/linalg/polynomial.js';
import { generate, mul, at, type Matrix } from '../../src/linalg/matrix.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { toDense } from '../../src/linop/linear-operator.js';
import { toFloatSpec } from '../../src/hessian/from-model.js';
import { checkProperty } from '../support/property.js';
import { networkShape, networkOf } from '../support/networks.js';

/** Moves the objective onto the network's own output, so the point has zero loss. */
function atZeroLoss(spec: NetworkSpec<Rational>): NetworkSpec<Rational> {
  const W = spec.weights;
  let P = W[0] as Matrix<Rational>;
  for (let i = 1; i < W.length; i++) P = mul(Q, W[i] as Matrix<Rational>, P);
  const obj = spec.objective;
  return {
    ...spec,
    objective: obj.kind === 'dmf' ? { kind: 'dmf', target: P } : { kind: 'dln', inputs: obj.inputs, targets: mul(Q, P, obj.inputs) },
  };
}

const tPow = (k: number): Polynomial => Polynomial.fromCoefficients([...Array.from({ length: k }, () => Rational.ZERO), Rational.ONE]);

describe('reduced problem K', () => {
  test('t^m charpoly(H) = t^p charpoly(S⁻¹K) exactly at zero-loss points (DMF and DLN, all forms)', () => {
    checkProperty(
      fc.property(networkShape(3, 3).chain((s) => networkOf(s)), (raw) => {
        const spec = atZeroLoss(raw);
        const pt = preparePoint(Q, spec);
        const H = hessian(pt);
        const red = reducedProblem(pt);
        const m = red.K.rows;
        const metric = red.metric;
        const SinvK = metric === null ? red.K : generate(m, m, (i, j) => at(red.K, i, j).div(metric[i] as Rational));
        const lhs = tPow(m).mul(characteristicPolynomial(H));
        const rhs = tPow(H.rows).mul(characteristicPolynomial(SinvK));
        expect(lhs.toString()).toBe(rhs.toString());
        if (raw.objective.kind === 'dmf') expect(red.form).toBe('dmf');
      }),
      { numRuns: 60 },
    );
  });

  test('the covariance (pencil) form is used when the samples outnumber rank Σ', () => {
    const r = (s: string): Rational => Rational.parse(s);
    const X = generate(2, 4, (i, j) => r(String((i + 1) * (j + 1) - i)));
    const spec = atZeroLoss({
      weights: [generate(2, 2, (i, j) => r(String(i + 2 * j + 1))), generate(1, 2, (_, j) => r(String(j - 3)))],
      objective: { kind: 'dln', inputs: X, targets: generate(1, 4, () => Rational.ZERO) },
      reduction: 'half',
    });
    const red = reducedProblem(preparePoint(Q, spec));
    expect(red.form).toBe('dln-covariance');
    expect(red.K.rows).toBe(2);
  });

  test('float64 matrix-free operator matches the exact K (DMF) and has the same spectrum (DLN)', () => {
    checkProperty(
      fc.property(networkShape(3, 3).chain((s) => networkOf(s)), (raw) => {
        const spec = atZeroLoss(raw);
        const op = toDense(reducedOperatorF64(preparePoint(F64, toFloatSpec(spec))));
        const exact = reducedProblem(preparePoint(Q, spec));
        const scaleK = Math.max(1, ...exact.K.data.map((x) => Math.abs(x.toNumber())));
        if (exact.form === 'dmf') {
          exact.K.data.forEach((x, k) => expect(Math.abs(x.toNumber() - (op.data[k] as number))).toBeLessThanOrEqual(1e-12 * scaleK));
        } else {
          const H = hessian(preparePoint(F64, toFloatSpec(spec)));
          const top = (v: number[]): number => v[v.length - 1] as number;
          const lh = top(symmetricEigen(H).values);
          const lk = top(symmetricEigen(op).values);
          expect(Math.abs(lh - lk)).toBeLessThanOrEqual(1e-9 * Math.max(1, lh));
        }
      }),
      { numRuns: 60 },
    );
  });
});
