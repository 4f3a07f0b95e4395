import { F64, Q, type Field } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { trace, type Matrix } from '../linalg/matrix.js';
import { finiteOrRefuse, scaledEigenvalues } from '../hessian/float-range.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { hessian, hessianBlocks } from '../hessian/dense.js';
import { gradientNormSq, loss } from '../hessian/gradient.js';
import {
  assertDenseFits,
  assertExactHessianFits,
  DEFAULT_DENSE_LIMITS,
  DEFAULT_EXACT_LIMITS,
  type DenseLimits,
  type ExactLimits,
} from '../hessian/limits.js';
import { preparePoint, type NetworkSpec } from '../hessian/point.js';
import { toFloatSpec } from '../hessian/from-model.js';

export interface HessianReportOptions {
  /** Build the Hessian in exact rational arithmetic (default: binary64). */
  readonly exact?: boolean;
  readonly exactLimits?: ExactLimits;
  readonly denseLimits?: DenseLimits;
  /** Also return the Hessian block by block (default false: only the assembled matrix). */
  readonly blocks?: boolean;
}

/** One Hessian block `∂²L/∂vec W_i ∂vec W_jᵀ` (layers numbered from 1). */
export interface HessianBlock<S> {
  readonly row: number;
  readonly col: number;
  readonly matrix: Matrix<S>;
}

/** The dense Hessian at a point with its spectrum; exact values carried as rationals when `field` is `'Q'`. */
export type HessianReport =
  | (HessianReportBase & { readonly field: 'Q'; readonly hessian: Matrix<Rational>; readonly blocks: HessianBlock<Rational>[]; readonly exact: ExactHessianValues })
  | (HessianReportBase & { readonly field: 'F64'; readonly hessian: Matrix<number>; readonly blocks: HessianBlock<number>[] });

export interface HessianReportBase {
  readonly params: number;
  readonly widths: readonly number[];
  readonly loss: number;
  readonly gradientNorm: number;
  /** All eigenvalues, ascending, in binary64 (from the exact Hessian rounded once when `field` is `'Q'`). */
  readonly eigenvalues: number[];
  readonly trace: number;
  /** How the spectrum was computed. */
  readonly eigenSolver: string;
  readonly seconds: { readonly hessian: number; readonly spectrum: number };
}

/** Exact values reported alongside an exact Hessian. */
export interface ExactHessianValues {
  readonly loss: string;
  readonly trace: string;
  readonly gradientNormSq: string;
}

function build<S>(F: Field<S>, spec: NetworkSpec<S>, withBlocks: boolean): { H: Matrix<S>; blocks: HessianBlock<S>[]; loss: S; g2: S; widths: readonly number[] } {
  const pt = preparePoint(F, spec);
  const list: HessianBlock<S>[] = [];
  if (withBlocks) hessianBlocks(pt, 'full').forEach((row, i) => row.forEach((matrix, j) => list.push({ row: i + 1, col: j + 1, matrix })));
  return { H: hessian(pt), blocks: list, loss: loss(pt), g2: gradientNormSq(pt), widths: pt.widths };
}

function timed(f: () => number[]): { values: number[]; seconds: number } {
  const t0 = performance.now();
  const values = f();
  return { values, seconds: (performance.now() - t0) / 1000 };
}

function spectrum(H: Matrix<number>): { values: number[]; seconds: number } {
  return timed(() => symmetricEigen(H).values);
}

/** What a family computes for {@link assembleHessianReport}: the Hessian, its blocks, loss and `‖∇L‖²` in one field. */
export interface HessianParts<S> {
  readonly H: Matrix<S>;
  readonly blocks: HessianBlock<S>[];
  readonly loss: S;
  readonly g2: S;
  /** The widths the report names (`d_0, …, d_N`; `d, h, c` for a two-layer net). */
  readonly widths: readonly number[];
}

/**
 * The report of a dense Hessian, whatever the family: the spectrum (ml-matrix, binary64; the exact
 * Hessian is rounded once), the trace, and exact values when the parts are rationals. `seconds` is
 * the time spent building the parts.
 */
export function assembleHessianReport(parts: { field: 'Q'; parts: HessianParts<Rational> } | { field: 'F64'; parts: HessianParts<number> }, seconds: number): HessianReport {
  if (parts.field === 'Q') {
    const r = parts.parts;
    const tr = trace(Q, r.H);
    // The eigen problem scaled by a power of two: no overflow or underflow of the rounded entries.
    const sp = timed(() => scaledEigenvalues(r.H, (M) => symmetricEigen(M).values, 'the eigenvalues of the Hessian'));
    return {
      field: 'Q',
      params: r.H.rows,
      widths: r.widths,
      loss: finiteOrRefuse(r.loss, 'the loss'),
      gradientNorm: Math.sqrt(finiteOrRefuse(r.g2, 'the squared gradient norm')),
      hessian: r.H,
      blocks: r.blocks,
      eigenvalues: sp.values,
      trace: finiteOrRefuse(tr, 'the trace of the Hessian'),
      exact: { loss: r.loss.toString(), trace: tr.toString(), gradientNormSq: r.g2.toString() },
      eigenSolver: 'ml-matrix symmetric eigen-decomposition of the exact Hessian rounded to binary64',
      seconds: { hessian: seconds, spectrum: sp.seconds },
    };
  }
  const r = parts.parts;
  const sp = spectrum(r.H);
  return {
    field: 'F64',
    params: r.H.rows,
    widths: r.widths,
    loss: r.loss,
    gradientNorm: Math.sqrt(r.g2),
    hessian: r.H,
    blocks: r.blocks,
    eigenvalues: sp.values,
    trace: trace(F64, r.H),
    eigenSolver: 'ml-matrix symmetric eigen-decomposition (binary64)',
    seconds: { hessian: seconds, spectrum: sp.seconds },
  };
}

/**
 * Loss, gradient norm, the dense Hessian (and its blocks when `options.blocks`; otherwise `blocks` is empty) and its spectrum at the point `spec`.
 * Refuses up front (with {@link LimitError}) when the exact or dense problem exceeds its limits.
 */
export function hessianReport(spec: NetworkSpec<Rational>, options: HessianReportOptions = {}): HessianReport {
  const params = spec.weights.reduce((s, W) => s + W.rows * W.cols, 0);
  assertDenseFits(params, options.denseLimits ?? DEFAULT_DENSE_LIMITS);
  const t0 = performance.now();
  if (options.exact === true) {
    assertExactHessianFits(spec, options.exactLimits ?? DEFAULT_EXACT_LIMITS);
    const parts = build(Q, spec, options.blocks === true);
    return assembleHessianReport({ field: 'Q', parts }, (performance.now() - t0) / 1000);
  }
  const parts = build(F64, toFloatSpec(spec), options.blocks === true);
  return assembleHessianReport({ field: 'F64', parts }, (performance.now() - t0) / 1000);
}
