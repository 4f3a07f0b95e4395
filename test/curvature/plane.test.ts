/** The plane fast path of deep linear networks equals fresh loss evaluations at the same points. */
import fc from 'fast-check';
import { networkCurvatureProblem } from '../../src/curvature/problem.js';
import { offset } from '../../src/linalg/vectors.js';
import { checkProperty } from '../support/property.js';
import { smallNetwork } from '../support/networks.js';

describe('lossOnPlane (deep linear networks)', () => {
  test('matches problem.loss(θ + αη + βδ) on random networks, directions and points', () => {
    checkProperty(
      fc.property(
        smallNetwork(4, 3).chain((spec) => {
          const n = spec.weights.reduce((s, W) => s + W.rows * W.cols, 0);
          const dir = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n });
          const t = fc.double({ min: -2, max: 2, noNaN: true });
          return fc.tuple(fc.constant(spec), dir, dir, t, t);
        }),
        ([spec, eta, del, a, b]) => {
          const problem = networkCurvatureProblem(spec);
          const onPlane = problem.lossOnPlane?.(eta, del);
          if (onPlane === undefined) throw new Error('deep linear networks provide lossOnPlane');
          const direct = problem.loss(offset(problem.theta, a, eta, b, del));
          // Both are sums of the same products in another order: agreement to rounding of the magnitudes.
          expect(Math.abs(onPlane(a, b) - direct)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(direct)));
        },
      ),
      { numRuns: 100 },
    );
  });
});
