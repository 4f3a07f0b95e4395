/**
 * One case of `verify` (docs/verify.md): the formula `F` and `λ_max` of one exact minimizer enclosed
 * at increasing precision until the relation is decided: *holds* (proven), *violated* (proven: the
 * enclosures are disjoint, exact values differ, or one exact inertia count at a rational `F`) or
 * *undecided* (the enclosures still overlap at the finest precision). Also the words and JSON of
 * enclosures and failed relations.
 */
import type { Rational } from '../field/rational.js';
import type { DmfModel } from '../models/model.js';
import { evaluateFormula, type ScalarValue } from './evaluate.js';
import { compareLambdaMax, formulaContext, lambdaMaxEnclosure, type FormulaContext, type LambdaEnclosure } from './formula-context.js';
import { FormulaEvaluationError, PrecisionError } from './formula-error.js';
import type { Formula } from './formula-tree.js';
import type { Relation } from './relation.js';
import * as I from './interval.js';
import type { Interval } from './interval.js';

/** An enclosure for people and JSON: exact endpoints as fraction strings. */
export interface EnclosureReport {
  /** Lower bound, exact (`"p/q"`). */
  readonly lo: string;
  /** Upper bound, exact. */
  readonly hi: string;
  /** The exact value when it is known (then `lo = hi = exact`). */
  readonly exact?: string;
  /** A binary64 approximation (display). */
  readonly approx: number;
  /** Short text: the exact value, or `[lo, hi]` in decimals rounded outward. */
  readonly text: string;
}

/** Default finest precision (bits): about 60 decimal digits. */
export const DEFAULT_MAX_BITS = 200;

/** Precisions tried in turn (bits): about 12, 30 and 60 digits, capped at `maxBits`. */
export function precisionLevels(maxBits: number): number[] {
  const levels = [40, 100, 200, 400, 800, 1600, 3200].filter((b) => b < maxBits);
  levels.push(maxBits);
  return levels;
}

/** The outcome of one case. */
export interface CaseOutcome {
  readonly status: 'holds' | 'violated' | 'undecided';
  /** Enclosure of `F` (a point when exact). */
  readonly value: Interval;
  /**
   * Enclosure of `λ_max`; `null` when a rational `F` was decided to hold by an exact count alone
   * (always present for violated and undecided cases).
   */
  readonly lambdaMax: Interval | null;
  readonly lambdaExact: boolean;
  /** Precision of the last level used (bits; 0 when no enclosure was needed). */
  readonly bits: number;
  /** Whether the decision came from one exact inertia count at the rational value of `F`. */
  readonly exactCount: boolean;
  /** With an exact count: where `λ_max` lies relative to `F`. */
  readonly side?: 'above' | 'equal' | 'below';
}

/** Decides the relation on two enclosures (see the module comment). */
export function decide(relation: Relation, F: Interval, lambda: Interval): CaseOutcome['status'] {
  switch (relation) {
    case 'equal':
      if (I.isPoint(F) && I.isPoint(lambda)) return F.lo.equals(lambda.lo) ? 'holds' : 'violated';
      return I.compare(F, lambda) === 'overlap' ? 'undecided' : 'violated';
    case 'upper':
      if (F.lo.compare(lambda.hi) >= 0) return 'holds';
      if (F.hi.compare(lambda.lo) < 0) return 'violated';
      return 'undecided';
    case 'lower':
      if (F.hi.compare(lambda.lo) <= 0) return 'holds';
      if (F.lo.compare(lambda.hi) > 0) return 'violated';
      return 'undecided';
  }
}

/**
 * Evaluates `F` and `λ_max` on one model at increasing precision until the relation is decided or
 * the finest level is reached. Throws {@link FormulaEvaluationError} when the formula does not apply.
 */
export function checkCase(formula: Formula, model: DmfModel<Rational>, relation: Relation, maxBits = DEFAULT_MAX_BITS): CaseOutcome {
  const ctx = formulaContext(model);
  if (!ctx.zeroLoss) throw new Error('internal: a generated model is not a zero-loss minimizer');
  const levels = precisionLevels(maxBits);
  let F: ScalarValue | undefined;
  let lambda: LambdaEnclosure | undefined;
  let last: CaseOutcome | undefined;
  for (const [k, bits] of levels.entries()) {
    const finest = k === levels.length - 1;
    if (F === undefined || !I.isPoint(F.iv)) {
      try {
        F = evaluateFormula(formula, ctx, { bits });
      } catch (e) {
        if (e instanceof PrecisionError) {
          if (finest) {
            throw new FormulaEvaluationError(`${e.reason} even with ${bits} bits (the value is probably exactly 0)`, formula.source, e.span);
          }
          continue;
        }
        throw e;
      }
      if (I.isPoint(F.iv)) return decideExactly(ctx, relation, F.iv.lo, levels);
    }
    if (lambda === undefined || !lambda.exact) lambda = lambdaMaxEnclosure(ctx, bits, lambdaHint(lambda));
    const status = decide(relation, F.iv, lambda.iv);
    last = { status, value: F.iv, lambdaMax: lambda.iv, lambdaExact: lambda.exact, bits, exactCount: false };
    if (status !== 'undecided') return last;
  }
  if (last === undefined) throw new Error('internal: no precision level');
  return last;
}

/**
 * A rational `F` against `λ_max`, decided by one exact inertia count (`docs/math.md §4`). An enclosure of
 * `λ_max` is computed only for a violation (for the report), tightened until it excludes `F`.
 */
function decideExactly(ctx: FormulaContext, relation: Relation, F: Rational, levels: readonly number[]): CaseOutcome {
  const where = compareLambdaMax(ctx, F);
  const holds = relation === 'equal' ? where === 'equal' : relation === 'upper' ? where !== 'above' : where !== 'below';
  const value = I.point(F);
  if (holds) {
    const lam = where === 'equal' ? value : null;
    return { status: 'holds', value, lambdaMax: lam, lambdaExact: where === 'equal', bits: 0, exactCount: true, side: where };
  }
  let lambda: LambdaEnclosure | undefined;
  let bits = 0;
  for (const b of levels) {
    bits = b;
    lambda = lambdaMaxEnclosure(ctx, b, lambdaHint(lambda));
    if (lambda.exact || I.compare(value, lambda.iv) !== 'overlap') break;
  }
  if (lambda === undefined) throw new Error('internal: no precision level');
  return { status: 'violated', value, lambdaMax: lambda.iv, lambdaExact: lambda.exact, bits, exactCount: true, side: where };
}

function lambdaHint(previous: LambdaEnclosure | undefined): number | undefined {
  return previous === undefined ? undefined : I.toNumber(previous.iv);
}

/** An enclosure as an {@link EnclosureReport}. */
export function enclosureReport(iv: Interval): EnclosureReport {
  const exact = I.isPoint(iv) ? { exact: iv.lo.toString() } : {};
  return { lo: iv.lo.toString(), hi: iv.hi.toString(), ...exact, approx: I.toNumber(iv), text: I.formatInterval(iv, 15) };
}

function show(name: string, iv: Interval): string {
  return I.isPoint(iv) ? `${name} = ${iv.lo.toString()}` : `${name} ∈ ${I.formatInterval(iv, 15)}`;
}

/** Why a violated relation fails, in words. */
export function explain(relation: Relation, F: Interval, lambda: Interval, side?: 'above' | 'equal' | 'below'): string {
  const f = show('F', F);
  const l = show('λ_max', lambda);
  const order = I.compare(F, lambda);
  const claim = relation === 'equal' ? 'F = λ_max' : relation === 'upper' ? 'F ≥ λ_max' : 'F ≤ λ_max';
  if (order === 'overlap' && side !== undefined && side !== 'equal') {
    // Decided by an exact count at the rational F, finer than the printed enclosure.
    const rel = side === 'above' ? '<' : '>';
    return `${claim} fails: ${f} ${rel} λ_max (exact inertia count of F·I − K; λ_max ∈ ${I.formatInterval(lambda, 15)})`;
  }
  const rel = order === 'less' ? '<' : order === 'greater' ? '>' : '≠';
  return `${claim} fails: ${f} ${rel} ${l}`;
}

/** `F = λ_max`, `F ≥ λ_max`, `F ≤ λ_max`. */
export function relationText(relation: Relation): string {
  return relation === 'equal' ? 'F = λ_max' : relation === 'upper' ? 'F ≥ λ_max (upper bound)' : 'F ≤ λ_max (lower bound)';
}

