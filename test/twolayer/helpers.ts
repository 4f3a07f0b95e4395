/**
 * Test support for two-layer networks: small models built from strings, seeded random float models,
 * and an independent reference implementation of the loss (written from the definition, sharing no
 * code with src/twolayer) for finite differences.
 */
import { Rational } from '../../src/field/rational.js';
import { at, fromRows, generate, type Matrix } from '../../src/linalg/matrix.js';
import { mulberry32, standardNormal } from '../../src/random/mulberry32.js';
import type { Reduction } from '../../src/models/reduction.js';
import { twoLayerDims, type ActivationName, type TwoLayerLoss, type TwoLayerModel } from '../../src/twolayer/model.js';

export const q = (s: string): Rational => Rational.parse(s);
export const mat = (rows: string[][]): Matrix<Rational> => fromRows(rows.map((row) => row.map(q)));

/** mulberry32 uniform [0, 1). */
export const rng: (seed: number) => () => number = mulberry32;

/** A random exact model with entries k/4, |k| ≤ 8 (so no ReLU kinks are likely but possible). */
export function randomExactModel(
  seed: number,
  dims: { d: number; h: number; c: number; n: number },
  activation: ActivationName,
  loss: TwoLayerLoss = 'squared',
  reduction: Reduction = 'half',
): TwoLayerModel<Rational> {
  const r = rng(seed);
  const entry = (): Rational => new Rational(BigInt(Math.floor(r() * 17) - 8), 4n);
  const m = (rows: number, cols: number): Matrix<Rational> => generate(rows, cols, entry);
  const targets =
    loss === 'squared'
      ? { kind: 'values' as const, values: m(dims.c, dims.n) }
      : { kind: 'labels' as const, labels: Array.from({ length: dims.n }, () => Math.floor(r() * dims.c)), format: 'indices' as const };
  return { kind: 'two-layer', activation, loss, weights: [m(dims.h, dims.d), m(dims.c, dims.h)], data: { inputs: m(dims.d, dims.n), targets }, reduction };
}

/** A random float model with Gaussian-ish entries scaled like an initialisation. */
export function randomFloatModel(
  seed: number,
  dims: { d: number; h: number; c: number; n: number },
  activation: ActivationName,
  loss: TwoLayerLoss,
): TwoLayerModel<number> {
  const r = rng(seed);
  const gauss = (): number => standardNormal(r);
  const m = (rows: number, cols: number, s: number): Matrix<number> => generate(rows, cols, () => gauss() * s);
  const targets =
    loss === 'squared'
      ? { kind: 'values' as const, values: m(dims.c, dims.n, 1) }
      : { kind: 'labels' as const, labels: Array.from({ length: dims.n }, () => Math.floor(r() * dims.c)), format: 'indices' as const };
  return {
    kind: 'two-layer',
    activation,
    loss,
    weights: [m(dims.h, dims.d, 1 / Math.sqrt(dims.d)), m(dims.c, dims.h, 1 / Math.sqrt(dims.h))],
    data: { inputs: m(dims.d, dims.n, 1), targets },
    reduction: 'half',
  };
}

/** σ written out from its definition (reference for finite differences). */
function sigma(name: ActivationName, z: number): number {
  switch (name) {
    case 'identity':
      return z;
    case 'relu':
      return Math.max(0, z);
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'quadratic':
      return z * z;
  }
}

/**
 * The loss at θ = (vec W_1, vec W_2), column-major, from the definition: squared
 * `(κ/2n) Σ ‖W_2 σ(W_1 x) − y‖²`, cross-entropy `(1/n) Σ −log softmax(f)_y`.
 */
export function referenceLoss(model: TwoLayerModel<number>, theta: readonly number[]): number {
  const { d, h, c, n, bias1, bias2 } = twoLayerDims(model);
  const X = model.data.inputs;
  // θ = (vec W_1, b_1, vec W_2, b_2), column-major, biases only when the model has them.
  const o1 = h * d;
  const o2 = o1 + (bias1 ? h : 0);
  const o3 = o2 + c * h;
  let total = 0;
  for (let s = 0; s < n; s++) {
    const act: number[] = [];
    for (let i = 0; i < h; i++) {
      let z = bias1 ? (theta[o1 + i] as number) : 0;
      for (let j = 0; j < d; j++) z += (theta[i + h * j] as number) * at(X, j, s);
      act.push(sigma(model.activation, z));
    }
    const f: number[] = [];
    for (let a = 0; a < c; a++) {
      let v = bias2 ? (theta[o3 + a] as number) : 0;
      for (let i = 0; i < h; i++) v += (theta[o2 + a + c * i] as number) * (act[i] as number);
      f.push(v);
    }
    const t = model.data.targets;
    if (t.kind === 'values') {
      let e = 0;
      for (let a = 0; a < c; a++) e += ((f[a] as number) - at(t.values, a, s)) ** 2;
      total += ((model.reduction === 'sample-mean' ? 2 : 1) / 2) * e;
    } else {
      const m = Math.max(...f);
      total += m + Math.log(f.reduce((acc, v) => acc + Math.exp(v - m), 0)) - (f[t.labels[s] as number] as number);
    }
  }
  return total / n;
}

/** θ of a float model. */
export function thetaOf(model: TwoLayerModel<number>): number[] {
  return [...model.weights[0].data, ...model.weights[1].data];
}
