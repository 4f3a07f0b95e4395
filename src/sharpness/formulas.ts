import type { Rational } from '../field/rational.js';
import type { DmfModel } from '../models/model.js';
import { evaluateFormula, formulaContext, type FormulaContext } from '../verify/evaluate.js';
import { parseFormula } from '../verify/formula.js';
import * as I from '../verify/interval.js';

/** A published or folklore expression for `λ_max` at a minimizer of deep matrix factorization (`docs/math.md §3`). */
export interface KnownFormula {
  readonly name: string;
  /** The expression in the `verify` formula language (docs/verify.md). */
  readonly expression: string;
  /** Whether it applies to a model of these widths. */
  readonly applies: (widths: readonly number[]) => boolean;
}

const depth = (w: readonly number[]): number => w.length - 1;

/** The expressions `sharpness` evaluates on every DMF minimizer. */
export const KNOWN_FORMULAS: readonly KnownFormula[] = [
  {
    name: 'spectral-norm sum Σ_i ‖A_i‖²‖B_i‖² (upper bound; exact for N = 2 and d_0 = d_N = 1)',
    expression: 'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)',
    applies: () => true,
  },
  {
    name: 'largest term max_i ‖A_i‖²‖B_i‖² (lower bound)',
    expression: 'maxLayers(i, norm2(A(i))^2 * norm2(B(i))^2)',
    applies: () => true,
  },
  {
    name: 'flattest value N·σ₁(M)^(2−2/N) (lower bound over all minimizers of M)',
    expression: 'N * norm2(M)^(2 - 2/N)',
    applies: () => true,
  },
  {
    name: 'scalar closed form Σ_i Π_{j≠i} w_j² (all widths 1)',
    expression: 'sumLayers(i, fro(A(i))^2 * fro(B(i))^2)',
    applies: (w) => w.every((d) => d === 1),
  },
  {
    name: 'depth-2 closed form ‖W_1‖² + ‖W_2‖²',
    expression: 'norm2(W(1))^2 + norm2(W(2))^2',
    applies: (w) => depth(w) === 2,
  },
];

/** How a formula's value relates to the exact `λ_max`. */
export type FormulaRelation = 'equal' | 'equal to the digits computed' | 'strict upper bound' | 'strict lower bound';

export interface FormulaComparison {
  readonly name: string;
  readonly expression: string;
  /** The formula's value (midpoint of its enclosure). */
  readonly value: number;
  /** Its rigorous enclosure, as exact rational strings (`lower = upper` when exact). */
  readonly enclosure: { readonly lower: string; readonly upper: string };
  readonly relation: FormulaRelation;
  /** Decimal digits on which formula and `λ_max` agree when they could not be separated. */
  readonly agreeingDigits?: number;
}

/** Precisions (bits) tried in turn to separate a formula's value from `λ_max`. */
const PRECISIONS = [64, 160, 400] as const;

/**
 * Evaluates each applicable {@link KNOWN_FORMULAS} entry rigorously (interval arithmetic with
 * rational end points) and classifies it against `lambda(bits)`, a rigorous enclosure of `λ_max`
 * at the requested precision. Equality is proven only when both sides are the same rational; two
 * irrational values that agree to every digit computed are reported as such, never as proven equal.
 */
export function compareKnownFormulas(model: DmfModel<Rational>, lambda: (bits: number) => I.Interval): FormulaComparison[] {
  const ctx: FormulaContext = formulaContext(model);
  const out: FormulaComparison[] = [];
  for (const f of KNOWN_FORMULAS) {
    if (!f.applies(ctx.widths)) continue;
    const formula = parseFormula(f.expression);
    let value: I.Interval | undefined;
    let lam: I.Interval | undefined;
    let relation: FormulaRelation | undefined;
    for (const bits of PRECISIONS) {
      value = evaluateFormula(formula, ctx, { bits }).iv;
      lam = lambda(bits);
      const order = I.compare(value, lam);
      if (order === 'greater') relation = 'strict upper bound';
      else if (order === 'less') relation = 'strict lower bound';
      else if (I.isPoint(value) && I.isPoint(lam) && value.lo.equals(lam.lo)) relation = 'equal';
      if (relation !== undefined) break;
    }
    if (value === undefined || lam === undefined) continue;
    const base = {
      name: f.name,
      expression: f.expression,
      value: I.toNumber(value),
      enclosure: { lower: value.lo.toString(), upper: value.hi.toString() },
    };
    out.push(
      relation === undefined
        ? { ...base, relation: 'equal to the digits computed', agreeingDigits: I.agreeingDigits(value, lam) }
        : { ...base, relation },
    );
  }
  return out;
}
