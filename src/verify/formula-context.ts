/**
 * The quantities of one exact model that formulas refer to (`N`, `d_i`, `W_i`, `A_i`, `B_i`, `M`,
 * `P`), and the exact top Hessian eigenvalue `λ_max` there, from the reduced problem.
 */
import { Q } from '../field/field.js';
import { bitLength, Rational } from '../field/rational.js';
import { specFromModel } from '../hessian/from-model.js';
import { preparePoint } from '../hessian/point.js';
import { reducedProblem, type ReducedProblem } from '../hessian/reduced.js';
import type { Matrix } from '../linalg/matrix.js';
import type { DmfModel } from '../models/model.js';
import { eigenvalueEnclosure, inertiaCounter } from '../spectral/enclosure.js';
import * as I from './interval.js';
import type { Interval } from './interval.js';

/** The quantities of one model that formulas refer to (layers numbered from 1 in formulas). */
export interface FormulaContext {
  readonly model: DmfModel<Rational>;
  /** `N`. */
  readonly depth: number;
  /** `d_0, …, d_N`. */
  readonly widths: readonly number[];
  /** `W[i−1] = W_i`. */
  readonly W: readonly Matrix<Rational>[];
  /** `A[i−1] = A_i = W_N ⋯ W_{i+1}`. */
  readonly A: readonly Matrix<Rational>[];
  /** `B[i−1] = B_i = W_{i−1} ⋯ W_1`. */
  readonly B: readonly Matrix<Rational>[];
  readonly M: Matrix<Rational>;
  readonly P: Matrix<Rational>;
  /** Whether `P = M` exactly (a zero-loss point: the reduced problem gives `λ_max`). */
  readonly zeroLoss: boolean;
}

/** The partial products of a model, computed once. */
export function formulaContext(model: DmfModel<Rational>): FormulaContext {
  const pt = preparePoint(Q, specFromModel(model));
  const zeroLoss = pt.error.data.every((x) => x.isZero());
  return { model, depth: pt.depth, widths: pt.widths, W: pt.weights, A: pt.A, B: pt.B, M: model.target, P: pt.P, zeroLoss };
}

/** `2^−bits · scale`, as a positive dyadic rational at least `2^−bits`. */
export function relativeWidth(bits: number, scale: Rational): Rational {
  const mag = Math.max(0, bitLength(scale.num) - bitLength(scale.den));
  return new Rational(1n << BigInt(Math.max(0, mag)), 1n << BigInt(bits));
}

/** An enclosure of `λ_max` with the enclosure's exact value when rational. */
export interface LambdaEnclosure {
  readonly iv: Interval;
  readonly exact: boolean;
}

/**
 * `λ_max` of the Hessian at the model (a zero-loss point): the top eigenvalue of the reduced
 * problem `K` (docs/math.md §3), exact when rational, else an enclosure about `2^−bits` relative wide.
 * Throws when the model is not a zero-loss point.
 */
export function lambdaMaxEnclosure(ctx: FormulaContext, bits: number, hint?: number): LambdaEnclosure {
  const red = reduced(ctx);
  let tr = Rational.ZERO;
  for (let k = 0; k < red.K.rows; k++) tr = tr.add(red.K.data[k + k * red.K.rows] as Rational);
  const width = relativeWidth(bits, tr.abs());
  const e = eigenvalueEnclosure(red.K, red.metric, 1, hint === undefined ? { width } : { width, hint });
  if (e.exact !== undefined) return { iv: I.point(e.exact), exact: true };
  return { iv: I.interval(e.lower, e.upper), exact: false };
}

const reducedCache = new WeakMap<FormulaContext, ReducedProblem<Rational>>();

function reduced(ctx: FormulaContext): ReducedProblem<Rational> {
  if (!ctx.zeroLoss) throw new Error('λ_max from the reduced problem needs a zero-loss point (W_N ⋯ W_1 = M)');
  const cached = reducedCache.get(ctx);
  if (cached !== undefined) return cached;
  const red = reducedProblem(preparePoint(Q, specFromModel(ctx.model)));
  reducedCache.set(ctx, red);
  return red;
}

/**
 * Where `λ_max` lies relative to a rational `t`, decided exactly by one inertia count of `tS − K`
 * (`docs/math.md §4`): `'above'` (`λ_max > t`), `'equal'` (`λ_max = t`) or `'below'` (`λ_max < t`).
 */
export function compareLambdaMax(ctx: FormulaContext, t: Rational): 'above' | 'equal' | 'below' {
  const red = reduced(ctx);
  const c = inertiaCounter(red.K, red.metric).count(t);
  if (c.above > 0) return 'above';
  return c.at > 0 ? 'equal' : 'below';
}

