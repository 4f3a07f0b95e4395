/**
 * Property-based verification of a formula against the exact sharpness `λ_max` of generated
 * minimizers (docs/verify.md).
 *
 * fast-check draws exact minimizers ({@link minimizerArbitrary}); on each the formula `F` and
 * `λ_max` are enclosed rigorously and the relation is decided ({@link checkCase}, case-check.ts): *holds* (proven), *violated* (proven: the enclosures are disjoint, or exact
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
import { checkCase, DEFAULT_MAX_BITS, enclosureReport, explain, relationText, type CaseOutcome, type EnclosureReport } from './case-check.js';
import { evaluateFormula } from './evaluate.js';
import { formulaContext } from './formula-context.js';
import { FormulaEvaluationError, PrecisionError } from './formula-error.js';
import { parseFormula } from './formula.js';
import type { Formula } from './formula-tree.js';
import type { Relation } from './relation.js';
import * as I from './interval.js';

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
