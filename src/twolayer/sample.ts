/**
 * Random two-layer models (arXiv 2010.04261 studies them at random initialisation): seeded Gaussian
 * weights at LeCun scale (`W_1 ~ N(0, 1/d)`, `W_2 ~ N(0, 1/h)`), Gaussian inputs, targets from a
 * random teacher network of the same shape, and optional full-batch gradient descent.
 */
import { createRng } from '../random/rng.js';
import { InputError } from '../errors/input-error.js';
import { F64 } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { fromColumnMajor, type Matrix } from '../linalg/matrix.js';
import { parametersFromTheta, twoLayerTheta } from './hvp.js';
import { convertTwoLayerModel, type ActivationName, type TwoLayerLoss, type TwoLayerModel } from './model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from './point.js';
import { decimalOf } from '../field/decimal.js';

/** What to sample. */
export interface SampleSpec {
  readonly d: number;
  readonly h: number;
  readonly c: number;
  readonly n: number;
  readonly activation: ActivationName;
  readonly loss: TwoLayerLoss;
  /** Seed of the weights (default 1). */
  readonly seed?: number;
  /** Seed of the inputs and of the teacher (default 0): models with different `seed` and the same `dataSeed` share their data. */
  readonly dataSeed?: number;
  /** Mean of every input entry (default 0; e.g. 1 for inputs with a large common mean, like pixel intensities). */
  readonly inputMean?: number;
  /** Full-batch gradient-descent steps after sampling (default 0). */
  readonly trainSteps?: number;
  /** Gradient-descent step size (default 0.1). */
  readonly learningRate?: number;
}

/** A seeded standard normal generator: the Gaussian stream of `createRng(seed)` (`src/random/rng.ts`). */
export function gaussianGenerator(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.gaussian();
}

function gaussianMatrix(g: () => number, rows: number, cols: number, scale: number, mean = 0): Matrix<number> {
  return fromColumnMajor(rows, cols, Array.from({ length: rows * cols }, () => mean + scale * g()));
}

/** Samples a binary64 two-layer model (see the module comment); trains it when `trainSteps > 0`. */
export function sampleTwoLayerModel(spec: SampleSpec): TwoLayerModel<number> {
  const { d, h, c, n } = spec;
  for (const [k, v] of Object.entries({ d, h, c, n })) if (!Number.isInteger(v) || v < 1) throw new RangeError(`sampleTwoLayerModel: ${k} must be a positive integer, got ${v}`);
  if (spec.loss === 'cross-entropy' && c < 2) throw new RangeError('sampleTwoLayerModel: cross-entropy needs c ≥ 2 classes');
  const gw = gaussianGenerator(spec.seed ?? 1);
  const gd = gaussianGenerator(1_000_003 + (spec.dataSeed ?? 0));
  const X = gaussianMatrix(gd, d, n, 1, spec.inputMean ?? 0);
  // Teacher (from the data seed): targets W*_2 σ(W*_1 x) (squared) or their argmax (cross-entropy).
  const teacher: TwoLayerModel<number> = {
    kind: 'two-layer',
    activation: spec.activation,
    loss: 'squared',
    weights: [gaussianMatrix(gd, h, d, 1 / Math.sqrt(d)), gaussianMatrix(gd, c, h, 1 / Math.sqrt(h))],
    data: { inputs: X, targets: { kind: 'values', values: fromColumnMajor(c, n, new Array<number>(c * n).fill(0)) } },
    reduction: 'half',
  };
  const out = prepareTwoLayerPoint(F64, teacher).out;
  const targets =
    spec.loss === 'squared'
      ? { kind: 'values' as const, values: out }
      : {
          kind: 'labels' as const,
          format: 'indices' as const,
          labels: Array.from({ length: n }, (_, s) => {
            let best = 0;
            for (let a = 1; a < c; a++) if ((out.data[a + c * s] as number) > (out.data[best + c * s] as number)) best = a;
            return best;
          }),
        };
  let model: TwoLayerModel<number> = {
    kind: 'two-layer',
    activation: spec.activation,
    loss: spec.loss,
    weights: [gaussianMatrix(gw, h, d, 1 / Math.sqrt(d)), gaussianMatrix(gw, c, h, 1 / Math.sqrt(h))],
    data: { inputs: X, targets },
    reduction: 'half',
  };
  const steps = spec.trainSteps ?? 0;
  const eta = spec.learningRate ?? 0.1;
  for (let t = 0; t < steps; t++) {
    model = gradientStep(model, eta);
    const bad = largestWeight(model);
    if (!(bad <= MAX_TRAINED_WEIGHT)) throw new TrainingDivergedError(t + 1, steps, eta, bad);
  }
  return model;
}

/** Largest weight magnitude a trained model may reach before training counts as diverged (1e100). */
export const MAX_TRAINED_WEIGHT = 1e100;

/** Gradient descent diverged: a weight became infinite, NaN or above {@link MAX_TRAINED_WEIGHT}. Exit 2. */
export class TrainingDivergedError extends InputError {
  constructor(
    readonly step: number,
    readonly steps: number,
    readonly learningRate: number,
    readonly weight: number,
  ) {
    super(
      `training diverged at gradient-descent step ${step} of ${steps}: a weight became ${Number.isNaN(weight) ? 'NaN' : weight.toExponential(2)} ` +
        `(the limit is ${MAX_TRAINED_WEIGHT.toExponential(0)}); lower --learning-rate (now ${learningRate}) or --train-steps`,
    );
    this.name = 'TrainingDivergedError';
  }
}

/** Largest |w| over both layers (NaN when one is NaN). */
function largestWeight(model: TwoLayerModel<number>): number {
  let m = 0;
  for (const W of model.weights) {
    for (const w of W.data) {
      if (Number.isNaN(w)) return NaN;
      m = Math.max(m, Math.abs(w));
    }
  }
  return m;
}

/** One full-batch gradient-descent step `θ ← θ − η ∇L` (weights and biases). */
export function gradientStep(model: TwoLayerModel<number>, eta: number): TwoLayerModel<number> {
  const pt = prepareTwoLayerPoint(F64, model);
  const g = twoLayerGradientVector(pt);
  const theta = twoLayerTheta(pt).map((t, k) => t - eta * (g[k] as number));
  const { weights, biases } = parametersFromTheta(pt.dims, theta);
  return { ...model, weights, ...(biases !== undefined ? { biases } : {}) };
}

/** The loss of a binary64 model. */
export function sampledLoss(model: TwoLayerModel<number>): number {
  return twoLayerLoss(prepareTwoLayerPoint(F64, model));
}

/** The exact model a file written from a binary64 model holds (each entry its shortest round-trip decimal). */
export function toDecimalModel(model: TwoLayerModel<number>): TwoLayerModel<Rational> {
  return convertTwoLayerModel(model, decimalOf);
}
