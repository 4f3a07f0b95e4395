/**
 * Property-based verification of a formula against the exact sharpness `λ_max` of generated
 * minimizers (docs/verify.md).
 *
 * fast-check draws exact minimizers ({@link minimizerArbitrary}); on each the formula `F` and
 * `λ_max` are enclosed rigorously ({@link evaluateFormula}, {@link lambdaMaxEnclosure}) and the
 * relation is decided: *holds* (proven), *violated* (proven: the enclosures are disjoint, or exact
 * values differ) or *undecided* (the enclosures still overlap at the finest precision, e.g. equal
 * irrational values). Only a proven violation fails the property; fast-check then shrinks the
 * minimizer to a small counterexample.
 */
import fc from 'fast-check';
import type { Rational } from '../field/rational.js';
import { minimizerArbitrary } from '../generators/arbitraries.js';
import { MINIMIZER_KINDS, type MinimizerKind } from '../generators/minimizers.js';
import { Q } from '../field/field.js';
import { identity, type Matrix } from '../linalg/matrix.js';
import { makeDmfModel, parameterCount, type DmfModel } from '../models/model.js';
import {
  compareLambdaMax,
  evaluateFormula,
  FormulaEvaluationError,
  formulaContext,
  lambdaMaxEnclosure,
  PrecisionError,
  type FormulaContext,
  type LambdaEnclosure,
  type ScalarValue,
} from './evaluate.js';
import { parseFormula, type Formula, type Relation } from './formula.js';
import * as I from './interval.js';
import type { Interval } from './interval.js';

/** Options of {@link verifyFormula}. */
export interface VerifyOptions {
  readonly relation: Relation;
  /** Inclusive depth range `[min, max]`. */
  readonly depth: readonly [number, number];
  /** Inclusive range of every width `d_i`. */
  readonly width: readonly [number, number];
  /** Number of generated minimizers (fast-check `numRuns`). */
  readonly cases: number;
  /** fast-check seed: the same seed gives the same cases and the same counterexample. */
  readonly seed: number;
  /** Kinds of minimizers to draw (non-empty; shrinking moves towards the first). */
  readonly kinds: readonly MinimizerKind[];
  /** Finest precision tried before a case is declared undecided, in bits (default 200, about 60 digits). */
  readonly maxBits?: number;
}

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

/** A proven counterexample. */
export interface Counterexample {
  /** The (shrunk) minimizer, exact. */
  readonly model: DmfModel<Rational>;
  readonly formulaValue: EnclosureReport;
  readonly lambdaMax: EnclosureReport;
  /** Why the relation fails, in words, e.g. `F = 24 > λ_max = 33/2`. */
  readonly explanation: string;
  /** Number of parameters `Σ d_i d_{i−1}`. */
  readonly parameters: number;
}

/** What {@link verifyFormula} found. */
export interface VerifyResult {
  readonly formula: string;
  readonly relation: Relation;
  readonly verdict: 'holds' | 'counterexample';
  /** Cases generated before the verdict (all of them when it holds; up to the first failure otherwise). */
  readonly casesTried: number;
  readonly seed: number;
  /** Only for `'counterexample'`: the smallest failing minimizer fast-check found. */
  readonly counterexample?: Counterexample;
  /** Shrinking steps that led to the counterexample (0 when it holds). */
  readonly shrinks: number;
  /**
   * Further fast-check runs in smaller boxes (one width less, one layer less) that looked for a
   * counterexample with fewer parameters after shrinking (0 when it holds).
   */
  readonly smallerSearches: number;
  /** Cases where the relation was proven (exactly or by disjoint/ordered enclosures). */
  readonly proven: number;
  /**
   * Cases whose enclosures still overlapped at the finest precision: consistent with the relation
   * but not proven (typically equal irrational values). Never counted as failures.
   */
  readonly undecided: number;
  /** Fewest decimal digits on which `F` and `λ_max` agreed among undecided cases (`null` if none). */
  readonly undecidedMinDigits: number | null;
  /** Finest precision used, in bits. */
  readonly maxBits: number;
  readonly seconds: number;
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

/**
 * Evaluates the formula on the simplest minimizers of every depth in the range (`W_i = I`, all
 * widths the smallest and the largest), so that a formula that does not apply to some depth
 * (`W(3)` when `N = 2`, `1/(N − 2)`) is a usage error whatever the seed, not a counterexample.
 */
function preflight(f: Formula, depth: readonly [number, number], width: readonly [number, number]): void {
  for (let N = depth[0]; N <= depth[1]; N++) {
    for (const w of new Set([width[0], width[1]])) {
      const Id = identity(Q, w);
      const model = makeDmfModel(new Array<Matrix<Rational>>(N).fill(Id), Id);
      try {
        evaluateFormula(f, formulaContext(model), { bits: 40 });
      } catch (e) {
        if (e instanceof PrecisionError) continue;
        throw e;
      }
    }
  }
}

interface Found {
  readonly model: DmfModel<Rational>;
  readonly outcome: CaseOutcome;
  readonly shrinks: number;
}

interface SearchStats {
  tried: number;
  proven: number;
  undecided: number;
  minDigits: number | null;
}

/**
 * One fast-check run over minimizers in the given box: `null` when every case is consistent, else
 * the shrunk counterexample. Statistics of the cases before the first failure go to `stats`.
 */
function search(
  f: Formula,
  options: VerifyOptions,
  depth: readonly [number, number],
  width: readonly [number, number],
  maxBits: number,
  stats: SearchStats | null,
): Found | null {
  const arb = minimizerArbitrary({ depth, width, kinds: options.kinds });
  let shrinking = false;
  let fatal: FormulaEvaluationError | undefined;
  let failure: { model: DmfModel<Rational>; outcome: CaseOutcome } | undefined;
  const property = fc.property(arb, (model) => {
    if (fatal !== undefined) return true;
    let outcome: CaseOutcome;
    try {
      outcome = checkCase(f, model, options.relation, maxBits);
    } catch (e) {
      // While shrinking (or searching smaller boxes), a model the formula does not apply to is
      // simply not a counterexample; in the main search it is a usage error.
      if (e instanceof FormulaEvaluationError) {
        if (!shrinking && stats !== null) fatal = e;
        return true;
      }
      throw e;
    }
    if (!shrinking && stats !== null) {
      stats.tried++;
      if (outcome.status === 'holds') stats.proven++;
      else if (outcome.status === 'undecided') {
        stats.undecided++;
        const digits = outcome.lambdaMax === null ? Number.POSITIVE_INFINITY : I.agreeingDigits(outcome.value, outcome.lambdaMax);
        if (Number.isFinite(digits)) stats.minDigits = stats.minDigits === null ? digits : Math.min(stats.minDigits, digits);
      }
    }
    if (outcome.status === 'violated') {
      shrinking = true;
      failure = { model, outcome };
      return false;
    }
    return true;
  });
  const details = fc.check(property, { seed: options.seed, numRuns: options.cases });
  if (fatal !== undefined) throw fatal;
  if (details.errorInstance !== null && details.errorInstance !== undefined && failure === undefined) {
    throw details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
  }
  if (!details.failed || details.counterexample === null) return null;
  const model = details.counterexample[0];
  // fast-check's last failing value is the shrunk one; recompute its values if it is not.
  const outcome = failure !== undefined && failure.model === model ? failure.outcome : checkCase(f, model, options.relation, maxBits);
  return { model, outcome, shrinks: details.numShrinks };
}

/**
 * Checks `F relation λ_max` on `options.cases` generated minimizers (fast-check, with the seed)
 * and, on a proven violation, shrinks it to a small counterexample. Throws
 * {@link FormulaError} (with a position) when the formula does not parse, is ill-typed or does not
 * apply to a generated model (shapes, indices, division by zero).
 */
export function verifyFormula(formula: string | Formula, options: VerifyOptions): VerifyResult {
  const started = Date.now();
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  const maxBits = options.maxBits ?? DEFAULT_MAX_BITS;
  if (!Number.isInteger(maxBits) || maxBits < 8) throw new RangeError(`maxBits must be an integer ≥ 8, got ${maxBits}`);
  if (!Number.isInteger(options.cases) || options.cases < 1) throw new RangeError(`cases must be a positive integer, got ${options.cases}`);
  for (const k of options.kinds) if (!MINIMIZER_KINDS.includes(k)) throw new RangeError(`unknown minimizer kind "${String(k)}"`);
  preflight(f, options.depth, options.width);
  const stats = { tried: 0, proven: 0, undecided: 0, minDigits: null as number | null };
  const first = search(f, options, options.depth, options.width, maxBits, stats);
  const base = {
    formula: f.source,
    relation: options.relation,
    casesTried: stats.tried,
    seed: options.seed,
    proven: stats.proven,
    undecided: stats.undecided,
    undecidedMinDigits: stats.minDigits,
    maxBits,
  };
  if (first === null) {
    return { ...base, verdict: 'holds', shrinks: 0, smallerSearches: 0, seconds: (Date.now() - started) / 1000 };
  }
  // fast-check's shrinking is local; look again in smaller boxes (one width less, one layer less)
  // with the same seed, and keep the counterexample with the fewest parameters.
  let best = first;
  let shrinks = first.shrinks;
  let smallerSearches = 0;
  for (let improved = true; improved; ) {
    improved = false;
    const N = best.model.weights.length;
    const w = Math.max(...best.model.widths);
    const boxes: [readonly [number, number], readonly [number, number]][] = [];
    if (w - 1 >= options.width[0]) boxes.push([[options.depth[0], N], [options.width[0], w - 1]]);
    if (N - 1 >= options.depth[0]) boxes.push([[options.depth[0], N - 1], [options.width[0], w]]);
    for (const [depth, width] of boxes) {
      smallerSearches++;
      const found = search(f, options, depth, width, maxBits, null);
      if (found !== null && parameterCount(found.model) < parameterCount(best.model)) {
        best = found;
        shrinks += found.shrinks;
        improved = true;
        break;
      }
    }
  }
  const { model, outcome } = best;
  const lambdaMax = outcome.lambdaMax;
  if (lambdaMax === null) throw new Error('internal: a violated case without an enclosure of λ_max');
  const explanation = explain(options.relation, outcome.value, lambdaMax, outcome.side);
  const described: DmfModel<Rational> = {
    ...model,
    name: 'verify-counterexample',
    description: `counterexample to ${relationText(options.relation)} for F = ${f.source} (seed ${options.seed}): ${explanation}`,
  };
  return {
    ...base,
    verdict: 'counterexample',
    shrinks,
    smallerSearches,
    counterexample: {
      model: described,
      formulaValue: enclosureReport(outcome.value),
      lambdaMax: enclosureReport(lambdaMax),
      explanation,
      parameters: parameterCount(model),
    },
    seconds: (Date.now() - started) / 1000,
  };
}

/** `F = λ_max`, `F ≥ λ_max`, `F ≤ λ_max`. */
export function relationText(relation: Relation): string {
  return relation === 'equal' ? 'F = λ_max' : relation === 'upper' ? 'F ≥ λ_max (upper bound)' : 'F ≤ λ_max (lower bound)';
}

