/**
 * The symbolic reference of the two-layer closed forms: the squared loss written out entry by entry
 * (biases included, ReLU through its active set at the point) and differentiated by mathjs over
 * Fractions, compared with the engine's exact loss, gradient, Hessian and HVP.
 */
import { all, create, type MathNode } from 'mathjs';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at } from '../../src/linalg/matrix.js';
import { twoLayerHessian } from '../../src/twolayer/dense.js';
import { twoLayerHessianVectorProduct, twoLayerTheta } from '../../src/twolayer/hvp.js';
import { twoLayerDims, type TwoLayerModel } from '../../src/twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from '../../src/twolayer/point.js';

if (all === undefined) throw new Error('mathjs: the `all` factory bundle is missing');
const math = create(all, { number: 'Fraction' });
type Frac = { s: bigint; n: bigint; d: bigint };
const toRational = (f: Frac): Rational => new Rational(f.s * f.n, f.d);

/** Variable names in the documented θ order: vec W_1 (column-major), b_1, vec W_2, b_2. */
export function names(model: TwoLayerModel<Rational>): string[] {
  const { d, h, c, bias1, bias2 } = twoLayerDims(model);
  const out: string[] = [];
  for (let j = 0; j < d; j++) for (let i = 0; i < h; i++) out.push(`u${i}_${j}`);
  if (bias1) for (let i = 0; i < h; i++) out.push(`p${i}`);
  for (let i = 0; i < h; i++) for (let a = 0; a < c; a++) out.push(`v${a}_${i}`);
  if (bias2) for (let a = 0; a < c; a++) out.push(`q${a}`);
  return out;
}

export function scopeOf(model: TwoLayerModel<Rational>): Record<string, unknown> {
  const [W1, W2] = model.weights;
  const scope: Record<string, unknown> = {};
  for (let j = 0; j < W1.cols; j++) for (let i = 0; i < W1.rows; i++) scope[`u${i}_${j}`] = math.fraction(at(W1, i, j).toString());
  for (let i = 0; i < W2.cols; i++) for (let a = 0; a < W2.rows; a++) scope[`v${a}_${i}`] = math.fraction(at(W2, a, i).toString());
  model.biases?.b1?.forEach((x, i) => (scope[`p${i}`] = math.fraction(x.toString())));
  model.biases?.b2?.forEach((x, a) => (scope[`q${a}`] = math.fraction(x.toString())));
  return scope;
}

/** `½·(1/n) Σ_s Σ_a (f_a(x_s) − y_as)²` written out, with `σ` by its definition (ReLU: its active set at the point). */
export function lossExpression(model: TwoLayerModel<Rational>): string {
  const [W1, W2] = model.weights;
  const X = model.data.inputs;
  const t = model.data.targets;
  if (t.kind !== 'values') throw new Error('squared loss only');
  const lit = (x: Rational): string => `(${x.toString()})`;
  const terms: string[] = [];
  for (let s = 0; s < X.cols; s++) {
    const act: string[] = [];
    for (let i = 0; i < W1.rows; i++) {
      const parts = Array.from({ length: W1.cols }, (_, j) => `u${i}_${j}*${lit(at(X, j, s))}`);
      let zValue = model.biases?.b1?.[i] ?? Rational.ZERO;
      if (model.biases?.b1 !== undefined) parts.push(`p${i}`);
      for (let j = 0; j < W1.cols; j++) zValue = zValue.add(at(W1, i, j).mul(at(X, j, s)));
      const z = parts.join(' + ');
      if (model.activation === 'identity') act.push(`(${z})`);
      else if (model.activation === 'quadratic') act.push(`(${z})^2`);
      else {
        if (zValue.isZero()) throw new Error('test point has a kink');
        act.push(zValue.sign() > 0 ? `(${z})` : '0');
      }
    }
    for (let a = 0; a < W2.rows; a++) {
      const f = [...act.map((s2, i) => `v${a}_${i}*${s2}`), ...(model.biases?.b2 !== undefined ? [`q${a}`] : [])].join(' + ');
      terms.push(`(${f} - ${lit(at(t.values, a, s))})^2`);
    }
  }
  // The reduction's factor by its definition: half 1, sample-mean 2 (the others are not used here).
  if (model.reduction !== 'half' && model.reduction !== 'sample-mean') throw new Error(`reduction ${model.reduction} not written out here`);
  const kappa = model.reduction === 'sample-mean' ? 2 : 1;
  return `${kappa}/(2*${X.cols}) * (${terms.join(' + ')})`;
}

export function expectExactAgreement(model: TwoLayerModel<Rational>): void {
  const vars = names(model);
  const scope = scopeOf(model);
  const L = math.parse(lossExpression(model));
  const evalExact = (node: MathNode): string => {
    const v = node.evaluate(scope) as Frac | number;
    if (typeof v === 'number') throw new Error('expected an exact Fraction');
    return toRational(v).toString();
  };
  const first = vars.map((x) => math.derivative(L, x, { simplify: false }));
  const pt = prepareTwoLayerPoint(Q, model);
  expect(twoLayerTheta(pt).length).toBe(vars.length);
  expect(twoLayerLoss(pt).toString()).toBe(evalExact(L));
  expect(twoLayerGradientVector(pt).map(String)).toEqual(first.map(evalExact));
  const H = twoLayerHessian(pt);
  const engine = vars.map((_, i) => vars.map((__, j) => at(H, i, j).toString()));
  const symbolic = first.map((dx) => vars.map((y) => evalExact(math.derivative(dx, y, { simplify: false }))));
  expect(engine).toEqual(symbolic);
  // The generic HVP in exact arithmetic is H v for every unit vector.
  vars.forEach((_, k) => {
    const e = vars.map((__, j) => (j === k ? Rational.ONE : Rational.ZERO));
    expect(twoLayerHessianVectorProduct(pt, e).map(String)).toEqual(engine.map((row) => row[k]));
  });
}
