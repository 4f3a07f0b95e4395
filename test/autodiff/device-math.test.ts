import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { columnMaxConstant, exp, sigmoid, tanh } from '../../src/autodiff/device/activations.js';
import { tridiagonalEigen } from '../../src/autodiff/device/tridiagonal.js';
import { fromDeviceVector, toDeviceVector, deepLinearDeviceModel } from '../../src/autodiff/device-model.js';
import { FLOAT32, relativeTolerance, roundingModel } from '../../src/autodiff/precision.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { generate } from '../../src/linalg/matrix.js';
import { makeDmfModel } from '../../src/models/model.js';
import { checkProperty } from '../support/property.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

/** n-th derivative of a scalar function by nested tf.grad, at x. */
function derivative(f: (x: tf.Tensor) => tf.Tensor, order: number, x: number): number {
  let g: (x: tf.Tensor) => tf.Tensor = f;
  for (let k = 0; k < order; k++) g = tf.grad(g as (x: tf.Tensor) => tf.Scalar);
  return (g(tf.scalar(x)).dataSync()[0]) as number;
}

// float32 evaluation of an O(1) expression: a few units of u = 2^-24 relative; 64u leaves room for the ~10 ops involved.
const TOL = 64 * 2 ** -24;

describe('activations with input-based gradients (tfjs issue 3252)', () => {
  test('tfjs’s own tanh cannot be differentiated twice; ours can', () => {
    expect(() => derivative((x) => tf.tanh(x), 2, 0.5)).toThrow(/Cannot compute gradient/);
    expect(() => derivative(tanh, 2, 0.5)).not.toThrow();
  });

  test.each([-2, -0.3, 0, 0.7, 1.9])('tanh, σ and exp: first, second and third derivatives at %p match the hand formulas', (x) => {
    const t = Math.tanh(x);
    const s = 1 / (1 + Math.exp(-x));
    const cases: [(x: tf.Tensor) => tf.Tensor, number[]][] = [
      // tanh' = 1 − t², tanh'' = −2t(1 − t²), tanh''' = −2(1 − t²)(1 − 3t²)
      [tanh, [1 - t * t, -2 * t * (1 - t * t), -2 * (1 - t * t) * (1 - 3 * t * t)]],
      // σ' = σ(1−σ), σ'' = σ(1−σ)(1−2σ), σ''' = σ(1−σ)(1 − 6σ + 6σ²)
      [sigmoid, [s * (1 - s), s * (1 - s) * (1 - 2 * s), s * (1 - s) * (1 - 6 * s + 6 * s * s)]],
      [exp, [Math.exp(x), Math.exp(x), Math.exp(x)]],
    ];
    for (const [f, expected] of cases) {
      expected.forEach((value, k) => {
        expect(Math.abs(derivative(f, k + 1, x) - value)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(value)));
      });
    }
  });

  test('the log-sum-exp shift is a constant: value = column max, gradient 0', () => {
    const f = tf.tensor2d([
      [1, -2],
      [3, 0.5],
    ]);
    expect(Array.from(columnMaxConstant(f).dataSync())).toEqual([3, 0.5]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(columnMaxConstant(x)) as tf.Scalar)(f);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0]);
  });
});

describe('tridiagonal eigen-decomposition (device Lanczos)', () => {
  test('agrees with the dense symmetric eigen-decomposition and is orthonormal', () => {
    checkProperty(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.nat(), (alpha, seed) => {
        const m = alpha.length;
        const beta = Array.from({ length: m - 1 }, (_, i) => (seed % 3 === 0 && i % 4 === 1 ? 0 : Math.sin(seed + i) * 3));
        const T = generate(m, m, (i, j) => (i === j ? (alpha[i] as number) : Math.abs(i - j) === 1 ? (beta[Math.min(i, j)] as number) : 0));
        const { values, vectors } = tridiagonalEigen(alpha, beta);
        const dense = symmetricEigen(T).values;
        const scale = Math.max(1, ...dense.map(Math.abs));
        values.forEach((x, i) => expect(Math.abs(x - (dense[i] as number))).toBeLessThanOrEqual(1e-12 * scale * m));
        // T v = λ v and vᵀv = 1 (defining identities).
        vectors.forEach((v, k) => {
          let nrm = 0;
          for (let i = 0; i < m; i++) {
            let Tv = 0;
            for (let j = 0; j < m; j++) Tv += (T.data[i + m * j] as number) * (v[j] as number);
            expect(Math.abs(Tv - (values[k] as number) * (v[i] as number))).toBeLessThanOrEqual(1e-12 * scale * m);
            nrm += (v[i] as number) ** 2;
          }
          expect(Math.abs(nrm - 1)).toBeLessThanOrEqual(1e-12 * m);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('device model layout', () => {
  test('θ (column-major vec per layer) ↔ row-major device arrays round-trips, and W_i lands where tfjs expects it', () => {
    const W1 = generate(2, 3, (i, j) => 10 * i + j);
    const W2 = generate(1, 2, (_i, j) => 100 + j);
    const m = deepLinearDeviceModel(makeDmfModel([W1, W2], generate(1, 3, () => 0)), (x) => x);
    // row-major W_1: [[0, 1, 2], [10, 11, 12]]
    expect(Array.from(m.arrays[0] as Float32Array)).toEqual([0, 1, 2, 10, 11, 12]);
    const theta = [...W1.data, ...W2.data];
    const dev = toDeviceVector(m, theta);
    expect(Array.from(dev[0] as Float32Array)).toEqual([0, 1, 2, 10, 11, 12]);
    expect(Array.from(fromDeviceVector(m, dev))).toEqual(theta);
    expect(() => toDeviceVector(m, [1, 2])).toThrow(/length 8/);
  });
});

describe('precision and tolerances', () => {
  test('the float32 rounding bound is chainLength·λ·√n·u with λ = 6, chain 4N + 4 (hand computation)', () => {
    // depth 3, widths 256: chain 16, n 256: 16 · 6 · 16 · 2^-24
    expect(relativeTolerance(FLOAT32, roundingModel([256, 256, 256, 256], 1))).toBe((16 * 6 * 16) / 2 ** 24);
    // samples dominate the inner dimension when there are more of them than any width
    expect(roundingModel([3, 4], 100)).toEqual({ innerDimension: 100, chainLength: 8 });
  });
});
