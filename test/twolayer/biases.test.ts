/**
 * Two-layer networks with biases, f(x) = W_2 σ(W_1 x + b_1) + b_2 (each bias optional):
 * - exact loss, gradient and every Hessian entry (bias blocks included) against mathjs's symbolic
 *   derivatives of the loss written out from its definition (identity, quadratic, ReLU off kinks);
 * - binary64 gradient and Hessian (tanh, sigmoid, cross-entropy) against finite differences of a
 *   reference loss written here from the definition (no code shared with src/twolayer);
 * - the generic and the fast binary64 HVP against the dense Hessian;
 * - the layer blocks of the structure tools ([W b] with the input augmented by a 1) against the
 *   dense Hessian's diagonal blocks; file read/write round trip and placed bias errors.
 */
import { F64, Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at, generate, type Matrix } from '../../src/linalg/matrix.js';
import { parseTwoLayerModel } from '../../src/models/two-layer-load.js';
import { twoLayerHessian } from '../../src/twolayer/dense.js';
import { twoLayerHessianVectorProduct, twoLayerTheta } from '../../src/twolayer/hvp.js';
import { fastTwoLayerHvp } from '../../src/twolayer/hvp-f64.js';
import { denseLayerBlock } from '../../src/structure/layer-block.js';
import { twoLayerLayerFactors } from '../../src/twolayer/layer-factors.js';
import { convertTwoLayerModel, twoLayerDims, type ActivationName, type TwoLayerLoss, type TwoLayerModel } from '../../src/twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from '../../src/twolayer/point.js';
import { twoLayerCurvatureProblem } from '../../src/twolayer/problem.js';
import { twoLayerModelText } from '../../src/families/model-writer.js';
import { standardNormal } from '../../src/random/mulberry32.js';
import { referenceLoss, rng } from './helpers.js';
import { expectExactAgreement } from './symbolic-reference.js';


type Dims = { d: number; h: number; c: number; n: number };
type BiasChoice = { b1: boolean; b2: boolean };

/** A random exact model with entries k/4, |k| ≤ 8, and the chosen biases. */
function exactModel(seed: number, dims: Dims, activation: ActivationName, bias: BiasChoice): TwoLayerModel<Rational> {
  const r = rng(seed);
  const entry = (): Rational => new Rational(BigInt(Math.floor(r() * 17) - 8), 4n);
  const m = (rows: number, cols: number): Matrix<Rational> => generate(rows, cols, entry);
  const vec = (k: number): Rational[] => Array.from({ length: k }, entry);
  const W1 = m(dims.h, dims.d);
  const W2 = m(dims.c, dims.h);
  const biases = { ...(bias.b1 ? { b1: vec(dims.h) } : {}), ...(bias.b2 ? { b2: vec(dims.c) } : {}) };
  return {
    kind: 'two-layer',
    activation,
    loss: 'squared',
    weights: [W1, W2],
    ...(bias.b1 || bias.b2 ? { biases } : {}),
    data: { inputs: m(dims.d, dims.n), targets: { kind: 'values', values: m(dims.c, dims.n) } },
    reduction: 'half',
  };
}





const BIAS_CHOICES: BiasChoice[] = [
  { b1: true, b2: true },
  { b1: true, b2: false },
  { b1: false, b2: true },
];

describe('exact Hessian with biases equals the symbolic Hessian (mathjs derivative, Fractions)', () => {
  test('hand example: f = v (u x + p) + q, d = h = c = n = 1', () => {
    // x = 2, y = 1, u = 1/2, p = 1, v = 3, q = −1: f = 3·2 − 1 = 5, e = 4. With g = ∂f/∂θ = (v x, v, u x + p, 1) = (6, 3, 2, 1):
    // H = g gᵀ + e ∂²f, ∂²f/∂u∂v = x = 2, ∂²f/∂p∂v = 1, others 0.
    const q = (s: string): Rational => Rational.parse(s);
    const model: TwoLayerModel<Rational> = {
      kind: 'two-layer',
      activation: 'identity',
      loss: 'squared',
      weights: [generate(1, 1, () => q('1/2')), generate(1, 1, () => q('3'))],
      biases: { b1: [q('1')], b2: [q('-1')] },
      data: { inputs: generate(1, 1, () => q('2')), targets: { kind: 'values', values: generate(1, 1, () => q('1')) } },
      reduction: 'half',
    };
    const pt = prepareTwoLayerPoint(Q, model);
    expect(twoLayerLoss(pt).toString()).toBe('8');
    expect(twoLayerGradientVector(pt).map(String)).toEqual(['24', '12', '8', '4']);
    const H = twoLayerHessian(pt);
    // θ = (u, p, v, q).
    expect(H.data.map(String)).toEqual(['36', '18', '20', '6', '18', '9', '10', '3', '20', '10', '4', '2', '6', '3', '2', '1']);
    expectExactAgreement(model);
  });

  for (const activation of ['identity', 'quadratic', 'relu'] as const)
    for (const bias of BIAS_CHOICES)
      test(`${activation}, biases b_1 ${bias.b1 ? 'yes' : 'no'}, b_2 ${bias.b2 ? 'yes' : 'no'}: random model d = 2, h = 3, c = 2, n = 3`, () => {
        let seed = 11;
        let model = exactModel(seed, { d: 2, h: 3, c: 2, n: 3 }, activation, bias);
        // Skip seeds whose point has a ReLU kink (pre-activation exactly 0).
        for (;;) {
          try {
            prepareTwoLayerPoint(Q, model);
            break;
          } catch {
            model = exactModel(++seed, { d: 2, h: 3, c: 2, n: 3 }, activation, bias);
          }
        }
        expectExactAgreement(model);
      });
});



function floatModel(seed: number, dims: Dims, activation: ActivationName, loss: TwoLayerLoss, bias: BiasChoice): TwoLayerModel<number> {
  const r = rng(seed);
  const g = (): number => standardNormal(r);
  const m = (rows: number, cols: number, s: number): Matrix<number> => generate(rows, cols, () => g() * s);
  const vec = (k: number): number[] => Array.from({ length: k }, () => 0.5 * g());
  const targets =
    loss === 'squared'
      ? { kind: 'values' as const, values: m(dims.c, dims.n, 1) }
      : { kind: 'labels' as const, labels: Array.from({ length: dims.n }, () => Math.floor(r() * dims.c)), format: 'indices' as const };
  return {
    kind: 'two-layer',
    activation,
    loss,
    weights: [m(dims.h, dims.d, 0.7), m(dims.c, dims.h, 0.7)],
    biases: { ...(bias.b1 ? { b1: vec(dims.h) } : {}), ...(bias.b2 ? { b2: vec(dims.c) } : {}) },
    data: { inputs: m(dims.d, dims.n, 1), targets },
    reduction: 'half',
  };
}

describe('binary64 gradient and Hessian with biases against finite differences of the definition', () => {
  const cases: [ActivationName, TwoLayerLoss][] = [
    ['tanh', 'squared'],
    ['sigmoid', 'squared'],
    ['tanh', 'cross-entropy'],
    ['quadratic', 'cross-entropy'],
  ];
  for (const [activation, loss] of cases)
    for (const bias of BIAS_CHOICES)
      test(`${activation}, ${loss}, b_1 ${bias.b1}, b_2 ${bias.b2}`, () => {
        const model = floatModel(5, { d: 3, h: 4, c: 3, n: 5 }, activation, loss, bias);
        const pt = prepareTwoLayerPoint(F64, model);
        const theta = twoLayerTheta(pt);
        const p = theta.length;
        expect(p).toBe(4 * 3 + 3 * 4 + (bias.b1 ? 4 : 0) + (bias.b2 ? 3 : 0));
        expect(twoLayerLoss(pt)).toBeCloseTo(referenceLoss(model, theta), 13);
        const at2 = (i: number, di: number, j: number, dj: number): number => {
          const t = theta.slice();
          t[i] = (t[i] as number) + di;
          t[j] = (t[j] as number) + dj;
          return referenceLoss(model, t);
        };
        const e = 1e-5;
        const g = twoLayerGradientVector(pt);
        for (let i = 0; i < p; i++) expect(Math.abs((g[i] as number) - (at2(i, e, i, 0) - at2(i, -e, i, 0)) / (2 * e))).toBeLessThan(1e-8);
        const H = twoLayerHessian(pt);
        const eh = 1e-4;
        for (let i = 0; i < p; i++)
          for (let j = 0; j < p; j++) {
            const fd = (at2(i, eh, j, eh) - at2(i, eh, j, -eh) - at2(i, -eh, j, eh) + at2(i, -eh, j, -eh)) / (4 * eh * eh);
            expect(Math.abs(at(H, i, j) - fd)).toBeLessThan(2e-6);
          }
        // Generic and fast HVPs equal H v.
        const r = rng(3);
        const v = Array.from({ length: p }, () => r() - 0.5);
        const Hv = Array.from({ length: p }, (_, i) => v.reduce((s, x, j) => s + at(H, i, j) * x, 0));
        const generic = twoLayerHessianVectorProduct(pt, v);
        const fast = fastTwoLayerHvp(pt)(v);
        for (let i = 0; i < p; i++) {
          expect(Math.abs((generic[i] as number) - (Hv[i] as number))).toBeLessThan(1e-12);
          expect(Math.abs((fast[i] as number) - (Hv[i] as number))).toBeLessThan(1e-12);
        }
        // The curvature problem: blocks tile θ in the documented order and loss(θ) is the definition.
        const prob = twoLayerCurvatureProblem(convertTwoLayerModel(model, (x) => Rational.parse(String(x))));
        expect(prob.blocks.map((b) => b.name)).toEqual(['W_1', ...(bias.b1 ? ['b_1'] : []), 'W_2', ...(bias.b2 ? ['b_2'] : [])]);
        expect(prob.blocks.reduce((s, b) => s + b.rows * b.cols, 0)).toBe(p);
        const t2 = theta.map((x, k) => x + 0.01 * Math.sin(k));
        expect(prob.loss(t2)).toBeCloseTo(referenceLoss(model, t2), 13);
      });
});

describe('layer blocks with biases: [W b] with the input augmented by a 1', () => {
  test('the two layer blocks equal the diagonal blocks of the dense Hessian over (vec W_l, b_l)', () => {
    const model = floatModel(9, { d: 3, h: 4, c: 2, n: 6 }, 'tanh', 'squared', { b1: true, b2: true });
    const pt = prepareTwoLayerPoint(F64, model);
    const H = twoLayerHessian(pt);
    const [l1, l2] = twoLayerLayerFactors(pt);
    expect(l1.name).toBe('[W_1 b_1]');
    expect(l1.cols).toBe(4);
    expect(l2.cols).toBe(5);
    const B1 = denseLayerBlock(l1);
    const B2 = denseLayerBlock(l2);
    const p1 = 4 * 4;
    for (let i = 0; i < p1; i++) for (let j = 0; j < p1; j++) expect(Math.abs(at(B1, i, j) - at(H, i, j))).toBeLessThan(1e-12);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) expect(Math.abs(at(B2, i, j) - at(H, p1 + i, p1 + j))).toBeLessThan(1e-12);
  });
});

describe('model files with biases', () => {
  const text = `{"kind": "two-layer", "activation": "relu", "loss": "squared",
    "weights": [[[1, -1], [0.5, 2]], [[1, 3]]], "biases": [[0.25, -1], null],
    "data": {"inputs": [[1, 2, -1], [0, 1, 1]], "targets": [[1, 0, 2]]}}`;

  test('reads b_1, leaves b_2 absent, writes and reads back the same model', () => {
    const m = parseTwoLayerModel(text);
    expect(m.biases?.b1?.map(String)).toEqual(['1/4', '-1']);
    expect(m.biases?.b2).toBeUndefined();
    expect(twoLayerDims(m).params).toBe(4 + 2 + 2);
    const again = parseTwoLayerModel(twoLayerModelText(m));
    expect(again.biases?.b1?.map(String)).toEqual(['1/4', '-1']);
    expect(again.biases?.b2).toBeUndefined();
    expect(twoLayerModelText(again)).toBe(twoLayerModelText(m));
  });

  test('a bias of the wrong length is refused with its place and the expected length', () => {
    expect(() => parseTwoLayerModel(text.replace('[[0.25, -1], null]', '[[0.25], null]'))).toThrow(/biases\[1\]: expected 2 entries \(b_1: one per hidden unit/);
    expect(() => parseTwoLayerModel(text.replace('[[0.25, -1], null]', '[null, [1, 2]]'))).toThrow(/biases\[2\]: expected 1 entry \(b_2/);
    expect(() => parseTwoLayerModel(text.replace('[[0.25, -1], null]', '[1]'))).toThrow(/biases: expected a list of two entries \[b_1, b_2\]/);
  });
});

test('a ReLU kink made by the bias is refused exactly, naming (W_1 x + b_1)', () => {
  const q = (s: string): Rational => Rational.parse(s);
  const model: TwoLayerModel<Rational> = {
    kind: 'two-layer',
    activation: 'relu',
    loss: 'squared',
    weights: [generate(1, 1, () => q('1')), generate(1, 1, () => q('1'))],
    biases: { b1: [q('-2')] },
    data: { inputs: generate(1, 2, (_i, s) => q(s === 0 ? '1' : '2')), targets: { kind: 'values', values: generate(1, 2, () => q('0')) } },
    reduction: 'half',
  };
  expect(() => prepareTwoLayerPoint(Q, model)).toThrow(/ReLU kink at sample 2, hidden unit 1: the pre-activation \(W_1 x \+ b_1\)_1 is exactly 0/);
});
