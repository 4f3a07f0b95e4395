/**
 * The exact two-layer loss, gradient and Hessian, entry by entry, against mathjs's symbolic
 * derivatives of the loss written out as text from its definition (docs/math.md §5), evaluated exactly
 * with Fractions. ReLU away from kinks is locally polynomial: the expression uses the active set of
 * the point, found here by evaluating the pre-activations directly with rationals.
 */
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at } from '../../src/linalg/matrix.js';
import { twoLayerHessian } from '../../src/twolayer/dense.js';
import type { TwoLayerModel } from '../../src/twolayer/model.js';
import { prepareTwoLayerPoint } from '../../src/twolayer/point.js';
import { mat, randomExactModel } from './helpers.js';
import { expectExactAgreement } from './symbolic-reference.js';





describe('exact two-layer Hessian equals the symbolic Hessian (mathjs derivative, Fractions)', () => {
  test('hand example, identity: d = h = c = n = 1', () => {
    // f = v u x, L = ½(v u x − y)²; x = 2, y = 1, u = 1/2, v = 3: residual e = 2, ∂²L/∂u² = v²x² = 36,
    // ∂²L/∂u∂v = x(2vux − y) = 2·(6 − 1) = 10, ∂²L/∂v² = u²x² = 1.
    const model: TwoLayerModel<Rational> = {
      kind: 'two-layer',
      activation: 'identity',
      loss: 'squared',
      weights: [mat([['1/2']]), mat([['3']])],
      data: { inputs: mat([['2']]), targets: { kind: 'values', values: mat([['1']]) } },
      reduction: 'half',
    };
    const H = twoLayerHessian(prepareTwoLayerPoint(Q, model));
    expect(H.data.map(String)).toEqual(['36', '10', '10', '1']);
    expectExactAgreement(model);
  });

  test('hand example, quadratic: σ(z) = z², the σ″ term of H_11', () => {
    // f = v (ux)², x = 1, y = 0, u = 1, v = 2: f = 2, r = 2. ∂²L/∂u² = (∂f/∂u)² + r ∂²f/∂u² = (2vux²)² + r·2v x⁴ = 16 + 8 = 24.
    const model: TwoLayerModel<Rational> = {
      kind: 'two-layer',
      activation: 'quadratic',
      loss: 'squared',
      weights: [mat([['1']]), mat([['2']])],
      data: { inputs: mat([['1']]), targets: { kind: 'values', values: mat([['0']]) } },
      reduction: 'half',
    };
    const H = twoLayerHessian(prepareTwoLayerPoint(Q, model));
    expect(String(H.data[0])).toBe('24');
    expectExactAgreement(model);
  });

  for (const activation of ['identity', 'quadratic', 'relu'] as const) {
    test(`${activation}: d = 2, h = 3, c = 2, n = 3, both loss scales`, () => {
      for (const [seed, reduction] of [[1, 'half'], [2, 'sample-mean']] as const) {
        let model = randomExactModel(seed, { d: 2, h: 3, c: 2, n: 3 }, activation, 'squared', reduction);
        // Move ReLU kinks away deterministically (a kink would make the test point invalid).
        for (let tries = 0; activation === 'relu' && hasKink(model) && tries < 20; tries++) model = randomExactModel(seed + 100 * (tries + 1), { d: 2, h: 3, c: 2, n: 3 }, activation, 'squared', reduction);
        expectExactAgreement(model);
      }
    });
  }
});

function hasKink(model: TwoLayerModel<Rational>): boolean {
  const [W1] = model.weights;
  const X = model.data.inputs;
  for (let s = 0; s < X.cols; s++)
    for (let i = 0; i < W1.rows; i++) {
      let z = Rational.ZERO;
      for (let j = 0; j < W1.cols; j++) z = z.add(at(W1, i, j).mul(at(X, j, s)));
      if (z.isZero()) return true;
    }
  return false;
}
