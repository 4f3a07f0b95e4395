/**
 * The exact two-layer loss, gradient and Hessian, entry by entry, against mathjs's symbolic
 * derivatives of the loss written out as text from its definition (docs/math.md §5), evaluated exactly
 * with Fractions. ReLU away from kinks is locally polynomial: the expression uses the active set of
 * the point, found here by evaluating the pre-activations directly with rationals.
 */
import { all, create, type MathNode } from 'mathjs';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at } from '../../src/linalg/matrix.js';
import { twoLayerHessian } from '../../src/twolayer/dense.js';
import type { TwoLayerModel } from '../../src/twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from '../../src/twolayer/point.js';
import { mat, randomExactModel } from './helpers.js';

if (all === undefined) throw new Error('mathjs: the `all` factory bundle is missing');
const math = create(all, { number: 'Fraction' });
type Frac = { s: bigint; n: bigint; d: bigint };
const toRational = (f: Frac): Rational => new Rational(f.s * f.n, f.d);

function names(model: TwoLayerModel<Rational>): string[] {
  const [W1, W2] = model.weights;
  const out: string[] = [];
  for (let j = 0; j < W1.cols; j++) for (let i = 0; i < W1.rows; i++) out.push(`u${i}_${j}`);
  for (let i = 0; i < W2.cols; i++) for (let a = 0; a < W2.rows; a++) out.push(`v${a}_${i}`);
  return out;
}

function lossExpression(model: TwoLayerModel<Rational>): string {
  const [W1, W2] = model.weights;
  const X = model.data.inputs;
  const t = model.data.targets;
  if (t.kind !== 'values') throw new Error('squared loss only');
  const lit = (x: Rational): string => `(${x.toString()})`;
  const terms: string[] = [];
  for (let s = 0; s < X.cols; s++) {
    const act: string[] = [];
    for (let i = 0; i < W1.rows; i++) {
      const z = Array.from({ length: W1.cols }, (_, j) => `u${i}_${j}*${lit(at(X, j, s))}`).join(' + ');
      let zValue = Rational.ZERO;
      for (let j = 0; j < W1.cols; j++) zValue = zValue.add(at(W1, i, j).mul(at(X, j, s)));
      if (model.activation === 'identity') act.push(`(${z})`);
      else if (model.activation === 'quadratic') act.push(`(${z})^2`);
      else {
        if (zValue.isZero()) throw new Error('test point has a kink');
        act.push(zValue.sign() > 0 ? `(${z})` : '0');
      }
    }
    for (let a = 0; a < W2.rows; a++) {
      const f = act.map((s2, i) => `v${a}_${i}*${s2}`).join(' + ');
      terms.push(`(${f} - ${lit(at(t.values, a, s))})^2`);
    }
  }
  const kappa = model.reduction === 'sample-mean' ? 2 : 1;
  return `${kappa}/(2*${X.cols}) * (${terms.join(' + ')})`;
}

function expectExactAgreement(model: TwoLayerModel<Rational>): void {
  const vars = names(model);
  const [W1, W2] = model.weights;
  const scope: Record<string, unknown> = {};
  for (let j = 0; j < W1.cols; j++) for (let i = 0; i < W1.rows; i++) scope[`u${i}_${j}`] = math.fraction(at(W1, i, j).toString());
  for (let i = 0; i < W2.cols; i++) for (let a = 0; a < W2.rows; a++) scope[`v${a}_${i}`] = math.fraction(at(W2, a, i).toString());
  const L = math.parse(lossExpression(model));
  const evalExact = (node: MathNode): string => {
    const v = node.evaluate(scope) as Frac | number;
    if (typeof v === 'number') throw new Error('expected an exact Fraction');
    return toRational(v).toString();
  };
  const first = vars.map((x) => math.derivative(L, x, { simplify: false }));
  const pt = prepareTwoLayerPoint(Q, model);
  expect(twoLayerLoss(pt).toString()).toBe(evalExact(L));
  expect(twoLayerGradientVector(pt).map(String)).toEqual(first.map(evalExact));
  const H = twoLayerHessian(pt);
  const engine = vars.map((_, i) => vars.map((__, j) => at(H, i, j).toString()));
  const symbolic = first.map((dx) => vars.map((y) => evalExact(math.derivative(dx, y, { simplify: false }))));
  expect(engine).toEqual(symbolic);
}

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
