/** The buffer-based binary64 gradient against the generic closed form `c A_iᵀ R B_iᵀ` (src/hessian/gradient.ts). */
import fc from 'fast-check';
import { F64 } from '../../src/field/field.js';
import { gradient, loss } from '../../src/hessian/gradient.js';
import { preparePoint, type NetworkSpec } from '../../src/hessian/point.js';
import { fromColumnMajor, type Matrix } from '../../src/linalg/matrix.js';
import { deepLinearGradientKernel } from '../../src/dynamics/gradient-f64.js';
import { checkProperty } from '../support/property.js';

const entries = (k: number): fc.Arbitrary<number[]> => fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: k, maxLength: k });

test('property: loss and gradient agree with the closed form to rounding (DMF and DLN, rectangular widths, both loss scales)', () => {
  const arb = fc
    .record({ widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 5 }), n: fc.integer({ min: 1, max: 5 }), dln: fc.boolean(), sum: fc.boolean() })
    .chain((c) => {
      const sizes = c.widths.slice(1).map((d, i) => d * (c.widths[i] as number));
      const d0 = c.widths[0] as number;
      const dN = c.widths[c.widths.length - 1] as number;
      return fc.record({
        c: fc.constant(c),
        weights: fc.tuple(...sizes.map((k) => entries(k))),
        X: entries(d0 * c.n),
        Y: entries(dN * (c.dln ? c.n : d0)),
      });
    });
  checkProperty(
    fc.property(arb, ({ c, weights, X, Y }) => {
      const ws = c.widths;
      const d0 = ws[0] as number;
      const dN = ws[ws.length - 1] as number;
      const W: Matrix<number>[] = weights.map((data, i) => fromColumnMajor(ws[i + 1] as number, ws[i] as number, data));
      const spec: NetworkSpec<number> = {
        weights: W,
        objective: c.dln ? { kind: 'dln', inputs: fromColumnMajor(d0, c.n, X), targets: fromColumnMajor(dN, c.n, Y) } : { kind: 'dmf', target: fromColumnMajor(dN, d0, Y) },
        reduction: c.sum ? 'sample-mean' : 'half',
      };
      const pt = preparePoint(F64, spec);
      const expected = gradient(pt).flatMap((G) => G.data);
      const k = deepLinearGradientKernel(ws, c.dln ? Float64Array.from(X) : null, Float64Array.from(Y), c.sum ? 2 : 1);
      const out = new Float64Array(expected.length);
      const theta = Float64Array.from(weights.flat());
      const L = k.lossAndGradient(theta, out);
      const scale = Math.max(1, ...expected.map(Math.abs));
      expect(Math.abs(L - loss(pt))).toBeLessThanOrEqual(1e-12 * Math.max(1, loss(pt)));
      expect(k.loss(theta)).toBe(L);
      expected.forEach((g, i) => expect(Math.abs((out[i] as number) - g)).toBeLessThanOrEqual(1e-12 * scale));
    }),
    { numRuns: 200 },
  );
});
