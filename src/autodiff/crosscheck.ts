import { F64 } from '../field/field.js';
import { gradientVector, loss } from '../hessian/gradient.js';
import { hessianOperator } from '../hessian/hvp.js';
import { preparePoint, type NetworkPoint } from '../hessian/point.js';
import { reducedOperatorF64 } from '../hessian/reduced.js';
import { specFromModel } from '../hessian/from-model.js';
import { frobeniusSq, mul, type Matrix } from '../linalg/matrix.js';
import type { LinearOperator } from '../linop/linear-operator.js';
import { convertModel, type DeepLinearModel } from '../models/model.js';
import { Rational } from '../field/rational.js';
import { deepLinearMinimizerTest } from '../families/deep-linear-minimizer.js';
import { createRng, gaussianVector } from '../random/rng.js';
import { norm2 } from '../linalg/vectors.js';
import { topEigenpairs } from '../spectral/top-eigenpairs.js';
import { fastTwoLayerHessianOperator } from '../twolayer/hvp-f64.js';
import type { TwoLayerModel } from '../twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss, type TwoLayerPoint } from '../twolayer/point.js';
import type { DeviceModel } from './device-model.js';
import type { AutodiffEigenResult, AutodiffSession } from './session.js';

/**
 * The closed-form side of a cross-check, in binary64: values from `src/hessian` (deep linear) or
 * `src/twolayer`, plus the magnitudes that rounding errors are measured against.
 */
export interface ClosedReference {
  readonly family: 'deep-linear' | 'two-layer';
  readonly loss: number;
  readonly gradient: ArrayLike<number>;
  readonly hessian: LinearOperator<number>;
  /** `λ_max` and how it was computed. */
  lambdaMax(): { value: number; residual: number; method: string; seconds: number };
  /**
   * The loss's magnitude before cancellation: `c/(2n)·(‖ŷ‖_F + ‖y‖_F)²` for squared losses (`ŷ`
   * the network's outputs on the data, `y` the targets), `(1/n)Σ_s (log c + 2 max_i |f_is|)` for
   * cross-entropy. A float evaluation of the loss is off by at most `γ` times this.
   */
  readonly lossMagnitude: number;
}


function frobenius(A: Matrix<number>): number {
  return Math.sqrt(frobeniusSq(F64, A));
}

/**
 * `λ_max` by Lanczos to a relative RESIDUAL of 1e-10: `|θ − λ| ≤ ‖r‖` for some eigenvalue whatever the
 * gap, so two close top eigenvalues cannot stop it early at a value far from both (the gap-estimated
 * eigenvalue criterion could, with the gap taken from unconverged Ritz values).
 */
function topByLanczos(op: LinearOperator<number>, method: string): { value: number; residual: number; method: string; seconds: number } {
  const t0 = performance.now();
  const r = topEigenpairs(op, { k: 1, tolerance: 1e-10, accuracy: 'residual', seed: 0, denseUpTo: 0 });
  return { value: r.values[0] as number, residual: r.residuals[0] as number, method, seconds: (performance.now() - t0) / 1000 };
}

/** The closed-form reference of a deep linear network in binary64 (at the model's values as given: `crosscheck` passes the float32 values the device holds). */
export function deepLinearReference(model: DeepLinearModel<number>): ClosedReference {
  const pt: NetworkPoint<number> = preparePoint(F64, specFromModel(model));
  const outputs = pt.samples === 1 && pt.sigma === null ? pt.P : mul(F64, pt.P, (pt.spec.objective as { inputs: Matrix<number> }).inputs);
  const targets = pt.spec.objective.kind === 'dmf' ? pt.spec.objective.target : pt.spec.objective.targets;
  const targetNorm = frobenius(targets);
  // The one minimizer test (families/minimizer.ts), on these binary64 values taken exactly.
  const exactSpec = specFromModel(convertModel(model, (x) => Rational.fromNumber(x)));
  const isMinimizer = deepLinearMinimizerTest(exactSpec).isZeroLoss;
  const c = pt.c;
  const hessian = hessianOperator(pt);
  return {
    family: 'deep-linear',
    loss: loss(pt),
    gradient: gradientVector(pt),
    hessian,
    lambdaMax: () =>
      isMinimizer
        ? topByLanczos(reducedOperatorF64(pt), 'closed form: Lanczos on the reduced operator K (binary64, minimizer)')
        : topByLanczos(hessian, 'closed form: Lanczos on the closed-form HVP (binary64)'),
    lossMagnitude: (c / (2 * pt.samples)) * (frobenius(outputs) + targetNorm) ** 2,
  };
}

/** The closed-form reference of a two-layer network in binary64 (ReLU kinks take the convention σ'(0) = 0). */
export function twoLayerReference(model: TwoLayerModel<number>): ClosedReference {
  const pt: TwoLayerPoint<number> = prepareTwoLayerPoint(F64, model, { kinkPolicy: 'convention' });
  const hessian = fastTwoLayerHessianOperator(pt);
  const n = pt.dims.n;
  let lossMagnitude: number;
  if (pt.curvature.kind === 'squared') {
    const t = model.data.targets;
    const Y = t.kind === 'values' ? frobenius(t.values) : 0;
    lossMagnitude = (pt.curvature.kappa / (2 * n)) * (frobenius(pt.out) + Y) ** 2;
  } else {
    let sum = 0;
    for (let s = 0; s < n; s++) {
      let m = 0;
      for (let i = 0; i < pt.dims.c; i++) m = Math.max(m, Math.abs(pt.out.data[i + pt.dims.c * s] as number));
      sum += Math.log(pt.dims.c) + 2 * m;
    }
    lossMagnitude = sum / n;
  }
  return {
    family: 'two-layer',
    loss: twoLayerLoss(pt),
    gradient: twoLayerGradientVector(pt),
    hessian,
    lambdaMax: () => topByLanczos(hessian, 'closed form: Lanczos on the closed-form HVP (binary64)'),
    lossMagnitude,
  };
}

/** One compared quantity. */
export interface CrosscheckItem {
  readonly quantity: 'loss' | 'gradient' | 'hvp' | 'lambda_max';
  /** The closed-form value (for vectors: its 2-norm). */
  readonly closed: number;
  /** The autodiff value (for vectors: its 2-norm). */
  readonly autodiff: number;
  /** `|a − b|`, or `‖a − b‖₂` for vectors. */
  readonly difference: number;
  /** The magnitude the difference is measured against (see {@link crosscheck}). */
  readonly magnitude: number;
  /** `difference / magnitude`. */
  readonly relativeDifference: number;
  /** The tolerance the backend's precision allows. */
  readonly tolerance: number;
  readonly agrees: boolean;
}

/** The outcome of {@link crosscheck}. */
export interface CrosscheckReport {
  readonly backend: string;
  readonly device: string;
  readonly precision: string;
  readonly parameters: number;
  readonly items: CrosscheckItem[];
  readonly agrees: boolean;
  readonly closedMethod: string;
  readonly autodiffEigen: Omit<AutodiffEigenResult, 'eigenvectors'>;
  readonly seconds: { readonly closed: number; readonly autodiff: number };
}

/** Options of {@link crosscheck}. */
export interface CrosscheckOptions {
  /** Seed of the HVP test vector and of the Lanczos start vectors (default 0). */
  readonly seed?: number;
}


function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s);
}

function item(quantity: CrosscheckItem['quantity'], closed: number, autodiff: number, difference: number, magnitude: number, tolerance: number): CrosscheckItem {
  const relativeDifference = magnitude > 0 ? difference / magnitude : difference === 0 ? 0 : Infinity;
  return { quantity, closed, autodiff, difference, magnitude, relativeDifference, tolerance, agrees: relativeDifference <= tolerance };
}

/**
 * Runs the closed forms (binary64) and the autodiff path (the session's backend) side by side on
 * one model: loss, gradient, one Hessian–vector product on a seeded Gaussian vector, and `λ_max`.
 *
 * Each difference is divided by the magnitude the rounding error of the backend scales with, and
 * compared with `γ` = {@link AutodiffModel.tolerance} (a probabilistic bound from the unit
 * roundoff, the widths and the depth; `docs/autodiff.md`): loss against the loss magnitude; HVP
 * against `‖H‖‖v‖` (with `‖H‖ ≥ max(|λ_max|, ‖Hv‖/‖v‖)`); gradient against `√(2‖H‖·L_mag)` (a
 * bound on `‖Jᵀ r‖` for squared losses, where `λ_max(JᵀJ) ≤ ‖H‖`-sized curvature meets residuals
 * of the size of the loss magnitude); `λ_max` against `|λ_max|`, with the Lanczos tolerances of
 * both sides added.
 */
export async function crosscheck(
  session: AutodiffSession,
  inputs: { device: DeviceModel; reference: () => ClosedReference },
  options: CrosscheckOptions = {},
): Promise<CrosscheckReport> {
  const seed = options.seed ?? 0;
  const t0 = performance.now();
  const ref = inputs.reference();
  const rng = createRng(seed + 7919);
  const v = Array.from(gaussianVector(rng, inputs.device.dimension));
  const HvClosed = ref.hessian.matvec(v);
  const top = ref.lambdaMax();
  const closedSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const auto = await session.load(inputs.device);
  try {
    const gamma = auto.tolerance;
    const lossAuto = await auto.loss();
    const gradAuto = await auto.gradient();
    const HvAuto = await auto.hvp(v);
    const eig = await auto.eigen({ k: 1, seed });
    const autodiffSeconds = (performance.now() - t1) / 1000;
    const lambdaAuto = eig.eigenvalues[0] as number;
    const hNorm = Math.max(Math.abs(top.value), norm2(HvClosed) / norm2(v));
    const items = [
      item('loss', ref.loss, lossAuto, Math.abs(ref.loss - lossAuto), ref.lossMagnitude, gamma),
      item('gradient', norm2(ref.gradient), norm2(gradAuto), distance(ref.gradient, gradAuto), Math.max(norm2(ref.gradient), Math.sqrt(2 * hNorm * ref.lossMagnitude)), gamma),
      item('hvp', norm2(HvClosed), norm2(HvAuto), distance(HvClosed, HvAuto), hNorm * norm2(v), gamma),
      item('lambda_max', top.value, lambdaAuto, Math.abs(top.value - lambdaAuto), Math.abs(top.value), gamma + eig.tolerance + 1e-10),
    ];
    return {
      backend: session.backend,
      device: session.describe(),
      precision: session.precision.name,
      parameters: inputs.device.dimension,
      items,
      agrees: items.every((i) => i.agrees),
      closedMethod: top.method,
      autodiffEigen: eig,
      seconds: { closed: closedSeconds, autodiff: autodiffSeconds },
    };
  } finally {
    await auto.dispose();
  }
}
