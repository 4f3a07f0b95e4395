/**
 * Two-layer closed forms against independent references: central finite differences of a loss
 * written from the definition (every activation, both losses), the dense Hessian against the
 * matrix-free HVP (exactly over Q, within rounding over F64), and the deep-linear-network Hessian of
 * src/hessian for the identity activation with squared loss (an independent cross-check).
 */
import fc from 'fast-check';
import { F64, Q } from '../../src/field/field.js';
import type { Rational } from '../../src/field/rational.js';
import { gradientVector, hessian, loss, preparePoint, type NetworkSpec } from '../../src/hessian/index.js';
import { at } from '../../src/linalg/matrix.js';
import { toDense } from '../../src/linop/linear-operator.js';
import { twoLayerHessian, twoLayerHessianBlocks } from '../../src/twolayer/dense.js';
import { twoLayerHessianOperator, twoLayerHessianVectorProduct } from '../../src/twolayer/hvp.js';
import { fastTwoLayerHvp } from '../../src/twolayer/hvp-f64.js';
import { ACTIVATIONS, toFloat64TwoLayer, type TwoLayerLoss, type TwoLayerModel } from '../../src/twolayer/model.js';
import { KinkError, NotExactError, prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from '../../src/twolayer/point.js';
import { checkProperty } from '../support/property.js';
import { mat, randomExactModel, randomFloatModel, referenceLoss, thetaOf } from './helpers.js';

const dims = { d: 3, h: 4, c: 3, n: 5 };

function maxAbs(xs: readonly number[]): number {
  return xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

describe('float64 closed forms against central finite differences of the loss', () => {
  const cases: [(typeof ACTIVATIONS)[number], TwoLayerLoss][] = [];
  for (const a of ACTIVATIONS) for (const l of ['squared', 'cross-entropy'] as const) cases.push([a, l]);
  test.each(cases)('%s activation, %s loss', (activation, lossName) => {
    const model = randomFloatModel(7, dims, activation, lossName);
    const pt = prepareTwoLayerPoint(F64, model);
    // ReLU: finite differences are valid only if no pre-activation is within the step of a kink.
    const theta = thetaOf(model);
    const L = (t: readonly number[]): number => referenceLoss(model, t);
    expect(twoLayerLoss(pt)).toBeCloseTo(L(theta), 12);
    // Gradient: central differences, step 1e-5: truncation O(h²·L‴) ≈ 1e-10, rounding O(u L / h) ≈ 1e-11.
    const g = twoLayerGradientVector(pt);
    const step = 1e-5;
    const fd = theta.map((_, i) => {
      const p = theta.slice();
      const m = theta.slice();
      p[i] = (p[i] as number) + step;
      m[i] = (m[i] as number) - step;
      return (L(p) - L(m)) / (2 * step);
    });
    expect(maxAbs(g.map((x, i) => x - (fd[i] as number)))).toBeLessThan(1e-8 * (1 + maxAbs(g)));
    // Hessian: the four-point formula with step 1e-3: truncation O(h²) ≈ 1e-6 of the fourth derivatives,
    // rounding O(u L / h²) ≈ 1e-10.
    const H = twoLayerHessian(pt);
    const e = 1e-3;
    const P = theta.length;
    let worst = 0;
    for (let i = 0; i < P; i++)
      for (let j = i; j < P; j++) {
        const shifted = (si: number, sj: number): number => {
          const t = theta.slice();
          t[i] = (t[i] as number) + si * e;
          t[j] = (t[j] as number) + sj * e;
          return L(t);
        };
        const fdH = (shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) / (4 * e * e);
        worst = Math.max(worst, Math.abs(at(H, i, j) - fdH));
      }
    expect(worst).toBeLessThan(2e-5 * (1 + maxAbs([...H.data])));
  });
});

describe('matrix-free HVP equals the dense Hessian', () => {
  test('exactly over Q (identity, quadratic, ReLU; random rational points)', () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('identity', 'quadratic', 'relu' as const), (seed, activation) => {
        const model = randomExactModel(seed, { d: 2, h: 3, c: 2, n: 3 }, activation);
        let pt;
        try {
          pt = prepareTwoLayerPoint(Q, model);
        } catch (e) {
          if (e instanceof KinkError) return true; // no Hessian at a kink
          throw e;
        }
        const H = twoLayerHessian(pt);
        const dense = toDense(twoLayerHessianOperator(pt));
        return H.data.every((x, k) => x.equals(dense.data[k] as Rational));
      }),
      { numRuns: 30 },
    );
  });

  test.each(['tanh', 'sigmoid', 'relu'] as const)('over F64 within rounding (%s, cross-entropy)', (activation) => {
    const model = randomFloatModel(3, dims, activation, 'cross-entropy');
    const pt = prepareTwoLayerPoint(F64, model);
    const H = twoLayerHessian(pt);
    const P = H.rows;
    const v = Array.from({ length: P }, (_, i) => Math.sin(i + 1));
    const Hv = twoLayerHessianVectorProduct(pt, v);
    const ref = Array.from({ length: P }, (_, i) => v.reduce((s, x, j) => s + at(H, i, j) * x, 0));
    // Both are sums of O(n·(d + h + c)) products of O(1) terms: agreement to 1e-12 relative.
    expect(maxAbs(Hv.map((x, i) => x - (ref[i] as number)))).toBeLessThan(1e-12 * (1 + maxAbs(ref)) * P);
  });

  test('the Hessian is symmetric and H_12 enters both off-diagonal blocks', () => {
    const pt = prepareTwoLayerPoint(F64, randomFloatModel(5, dims, 'tanh', 'squared'));
    const H = twoLayerHessian(pt);
    const { H12 } = twoLayerHessianBlocks(pt);
    for (let i = 0; i < H.rows; i++) for (let j = 0; j < i; j++) expect(at(H, i, j)).toBe(at(H, j, i));
    expect(at(H, 0, dims.h * dims.d)).toBe(at(H12, 0, 0));
  });
});

describe('identity activation with squared loss is a deep linear network of depth 2', () => {
  test('loss, gradient and Hessian equal those of src/hessian exactly (both loss scales)', () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('half' as const, 'sample-mean' as const), (seed, reduction) => {
        const model = randomExactModel(seed, { d: 2, h: 3, c: 2, n: 4 }, 'identity', 'squared', reduction);
        const t = model.data.targets;
        if (t.kind !== 'values') return false;
        const spec: NetworkSpec<Rational> = {
          weights: [model.weights[0], model.weights[1]],
          objective: { kind: 'dln', inputs: model.data.inputs, targets: t.values },
          reduction,
        };
        const dln = preparePoint(Q, spec);
        const two = prepareTwoLayerPoint(Q, model);
        const H1 = hessian(dln);
        const H2 = twoLayerHessian(two);
        return (
          loss(dln).equals(twoLayerLoss(two)) &&
          gradientVector(dln).every((x, k) => x.equals(twoLayerGradientVector(two)[k] as Rational)) &&
          H1.data.every((x, k) => x.equals(H2.data[k] as Rational))
        );
      }),
      { numRuns: 20 },
    );
  });
});

describe('ReLU kinks and exactness', () => {
  const kinked: TwoLayerModel<Rational> = {
    kind: 'two-layer',
    activation: 'relu',
    loss: 'squared',
    // Sample 2 = (1, 1): unit 2 has pre-activation 1 − 1 = 0.
    weights: [mat([['1', '1'], ['1', '-1']]), mat([['1', '2']])],
    data: { inputs: mat([['1', '1'], ['0', '1']]), targets: { kind: 'values', values: mat([['0', '1']]) } },
    reduction: 'half',
  };

  test('exact arithmetic refuses a kink, naming the sample and the unit', () => {
    expect(() => prepareTwoLayerPoint(Q, kinked)).toThrow(KinkError);
    expect(() => prepareTwoLayerPoint(Q, kinked)).toThrow(/sample 2, hidden unit 2/);
  });

  test("float64 uses σ'(0) = σ''(0) = 0 and records the kink", () => {
    const pt = prepareTwoLayerPoint(F64, toFloat64TwoLayer(kinked));
    expect(pt.kinks).toEqual([{ sample: 1, unit: 1 }]);
    expect(at(pt.D1, 1, 1)).toBe(0);
    expect(at(pt.D2, 1, 1)).toBe(0);
  });

  test('cross-entropy, tanh and sigmoid have no exact form', () => {
    expect(() => prepareTwoLayerPoint(Q, randomExactModel(1, dims, 'relu', 'cross-entropy'))).toThrow(NotExactError);
    expect(() => prepareTwoLayerPoint(Q, randomExactModel(1, dims, 'tanh'))).toThrow(/no exact closed form/);
  });
});

describe('cross-entropy shift invariance (docs/math.md §5)', () => {
  test('H annihilates (0, vec(1_c vᵀ)) for every v', () => {
    const pt = prepareTwoLayerPoint(F64, randomFloatModel(11, dims, 'relu', 'cross-entropy'));
    const { d, h, c } = dims;
    const v = Array.from({ length: h }, (_, i) => Math.cos(3 * i + 1));
    const u = new Array<number>(h * d).fill(0);
    for (let i = 0; i < h; i++) for (let a = 0; a < c; a++) u.push(v[i] as number); // vec(1_c vᵀ) = v ⊗ 1_c
    const Hu = twoLayerHessianVectorProduct(pt, u);
    expect(maxAbs(Hu)).toBeLessThan(1e-14 * h * c);
  });
});

describe('binary64 kernel HVP equals the generic closed-form HVP', () => {
  const cases = ACTIVATIONS.flatMap((a) => (['squared', 'cross-entropy'] as const).map((l) => [a, l] as const));
  test.each(cases)('%s, %s', (activation, lossName) => {
    const pt = prepareTwoLayerPoint(F64, randomFloatModel(21, dims, activation, lossName));
    const hvp = fastTwoLayerHvp(pt);
    const P = pt.dims.params;
    for (let t = 0; t < 3; t++) {
      const v = Array.from({ length: P }, (_, i) => Math.sin(i * (t + 1) + 0.3));
      const a = twoLayerHessianVectorProduct(pt, v);
      const b = hvp(v);
      expect(maxAbs(a.map((x, i) => x - (b[i] as number)))).toBeLessThan(1e-13 * (1 + maxAbs(a)));
    }
  });
});
