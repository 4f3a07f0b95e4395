import { F64 } from '../field/field.js';
import { Rational } from '../field/rational.js';
import type { NetworkPoint } from '../hessian/point.js';
import { symmetricEigenvalues } from '../linalg/eigenvalues-f64.js';
import { frobeniusSq, mul, transpose, type Matrix } from '../linalg/matrix.js';
import type { DmfModel } from '../models/model.js';
import { evaluateFormula } from '../verify/evaluate.js';
import { formulaContext, type FormulaContext } from '../verify/formula-context.js';
import { parseFormula } from '../verify/formula.js';
import * as I from '../verify/interval.js';
import { gammaUp } from '../verify/float-interval.js';

/** A binary64 value with a stated bound on its rounding error (absolute). */
export interface FloatEstimate {
  readonly value: number;
  readonly bound: number;
}

/** What the binary64 evaluation of a formula reads: the partial products at the float point. */
export interface FloatFormulaContext {
  readonly depth: number;
  readonly widths: readonly number[];
  /** `‖A_i‖₂²` and `‖B_i‖₂²`, with bounds (computed once). */
  readonly normA: readonly FloatEstimate[];
  readonly normB: readonly FloatEstimate[];
  readonly froA: readonly FloatEstimate[];
  readonly froB: readonly FloatEstimate[];
  /** `‖W_i‖₂²`. */
  readonly normW: readonly FloatEstimate[];
  /** `σ₁(M)²`. */
  readonly normM: FloatEstimate;
}

/** A published or folklore expression for `λ_max` at a minimizer of deep matrix factorization (`docs/math.md §3`). */
export interface KnownFormula {
  readonly name: string;
  /** The expression in the `verify` formula language (docs/verify.md), evaluated rigorously under `--exact`. */
  readonly expression: string;
  /** Whether it applies to a model of these widths. */
  readonly applies: (widths: readonly number[]) => boolean;
  /** The same expression in binary64 with a stated rounding bound (float mode: no exact work). */
  readonly float: (c: FloatFormulaContext) => FloatEstimate;
}

const depth = (w: readonly number[]): number => w.length - 1;
const u = F64.unitRoundoff;

function product(a: FloatEstimate, b: FloatEstimate): FloatEstimate {
  const value = a.value * b.value;
  return { value, bound: a.bound * Math.abs(b.value) + Math.abs(a.value) * b.bound + a.bound * b.bound + 2 * u * Math.abs(value) };
}

function sum(xs: readonly FloatEstimate[]): FloatEstimate {
  const value = xs.reduce((s, x) => s + x.value, 0);
  return { value, bound: xs.reduce((s, x) => s + x.bound, 0) + gammaUp(xs.length) * xs.reduce((s, x) => s + Math.abs(x.value), 0) };
}

/** The expressions `sharpness` evaluates on every DMF minimizer. */
export const KNOWN_FORMULAS: readonly KnownFormula[] = [
  {
    name: 'spectral-norm sum Σ_i ‖A_i‖²‖B_i‖² (upper bound; exact for N = 2 and d_0 = d_N = 1)',
    expression: 'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)',
    applies: () => true,
    float: (c) => sum(c.normA.map((a, i) => product(a, c.normB[i] as FloatEstimate))),
  },
  {
    name: 'largest term max_i ‖A_i‖²‖B_i‖² (lower bound)',
    expression: 'maxLayers(i, norm2(A(i))^2 * norm2(B(i))^2)',
    applies: () => true,
    float: (c) => c.normA.map((a, i) => product(a, c.normB[i] as FloatEstimate)).reduce((best, x) => (x.value > best.value ? x : best)),
  },
  {
    name: 'flattest value N·σ₁(M)^(2−2/N) (lower bound over all minimizers of M)',
    expression: 'N * norm2(M)^(2 - 2/N)',
    applies: () => true,
    float: (c) => {
      // N·(σ₁²)^(1 − 1/N): relative error of the power ≤ (1 − 1/N)·relative error of σ₁² (first order, doubled) + 4u.
      const e = 1 - 1 / c.depth;
      const value = c.depth * c.normM.value ** e;
      const rel = c.normM.value > 0 ? c.normM.bound / c.normM.value : 0;
      return { value, bound: Math.abs(value) * (2 * e * rel + 4 * u) };
    },
  },
  {
    name: 'scalar closed form Σ_i Π_{j≠i} w_j² (all widths 1)',
    expression: 'sumLayers(i, fro(A(i))^2 * fro(B(i))^2)',
    applies: (w) => w.every((d) => d === 1),
    float: (c) => sum(c.froA.map((a, i) => product(a, c.froB[i] as FloatEstimate))),
  },
  {
    name: 'depth-2 closed form ‖W_1‖² + ‖W_2‖²',
    expression: 'norm2(W(1))^2 + norm2(W(2))^2',
    applies: (w) => depth(w) === 2,
    float: (c) => sum(c.normW),
  },
];

/** How a formula's value relates to `λ_max`. */
export type FormulaRelation = 'equal' | 'equal to the digits computed' | 'equal within rounding' | 'strict upper bound' | 'strict lower bound';

export interface FormulaComparison {
  readonly name: string;
  readonly expression: string;
  /** The formula's value in the model's loss convention (midpoint of its enclosure). */
  readonly value: number;
  /** Its enclosure in the model's loss convention: exact rational strings under `--exact`, binary64 numbers ± the stated rounding bound otherwise. */
  readonly enclosure: { readonly lower: string; readonly upper: string };
  readonly relation: FormulaRelation;
  /** `'exact'` (rigorous interval arithmetic in rationals) or `'float64'` (binary64 with a stated rounding bound). */
  readonly method: 'exact' | 'float64';
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
 * The formulas are stated in the ½ convention; `scale` (the loss coefficient c, docs/conventions.md) puts them in the
 * model's own convention, the one `λ_max` is in.
 */
export function compareKnownFormulas(model: DmfModel<Rational>, lambda: (bits: number) => I.Interval, scale: Rational = Rational.ONE): FormulaComparison[] {
  const ctx: FormulaContext = formulaContext(model);
  const out: FormulaComparison[] = [];
  const factor = I.point(scale);
  for (const f of KNOWN_FORMULAS) {
    if (!f.applies(ctx.widths)) continue;
    const formula = parseFormula(f.expression);
    let value: I.Interval | undefined;
    let lam: I.Interval | undefined;
    let relation: FormulaRelation | undefined;
    for (const bits of PRECISIONS) {
      value = I.mul(evaluateFormula(formula, ctx, { bits }).iv, factor);
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
      method: 'exact' as const,
    };
    out.push(
      relation === undefined
        ? { ...base, relation: 'equal to the digits computed', agreeingDigits: I.agreeingDigits(value, lam) }
        : { ...base, relation },
    );
  }
  return out;
}

/** Whether `X` is exactly the identity (its spectral norm is then exactly 1, no eigenvalue problem needed). */
function isIdentity(X: Matrix<number>): boolean {
  if (X.rows !== X.cols) return false;
  const n = X.rows;
  return X.data.every((x, k) => x === (k % (n + 1) === 0 ? 1 : 0));
}

/** `‖X‖₂²` as the largest eigenvalue of the smaller Gram matrix, with a stated bound (exactly 1 for the identity). */
function norm2Sq(X: Matrix<number>): FloatEstimate {
  if (isIdentity(X)) return { value: 1, bound: 0 };
  const G = X.rows <= X.cols ? mul(F64, X, transpose(X)) : mul(F64, transpose(X), X);
  const inner = Math.max(X.rows, X.cols);
  const fro = frobeniusSq(F64, X);
  const values = symmetricEigenvalues(G);
  const value = Math.max(0, values[values.length - 1] ?? 0);
  // Forming G: ‖fl(G) − G‖₂ ≤ γ_k ‖X‖_F² (proven). The eigensolver (LAPACK dsyevd or tred2/tql2) is backward stable;
  // its error is taken as c·n·u·‖G‖ with c = 8, the observed constant checked in test/kernels (the proven one is O(n²)):
  // a stated bound, not a certificate (docs/sharpness.md).
  return { value, bound: gammaUp(inner) * fro + 8 * G.rows * u * value };
}

function froSq(X: Matrix<number>): FloatEstimate {
  const value = frobeniusSq(F64, X);
  return { value, bound: gammaUp(X.data.length + 1) * value };
}

/**
 * The float context of {@link KnownFormula.float} at a binary64 point. Each field is computed on first
 * use and kept: a formula that does not apply (e.g. the depth-2 one, the only reader of `normW`) costs
 * nothing.
 */
export function floatFormulaContext(pt: NetworkPoint<number>, target: Matrix<number>): FloatFormulaContext {
  const ctx = { depth: pt.depth, widths: pt.widths } as FloatFormulaContext;
  const lazy = <K extends keyof FloatFormulaContext>(key: K, f: () => FloatFormulaContext[K]): void => {
    let value: FloatFormulaContext[K] | undefined;
    Object.defineProperty(ctx, key, { enumerable: true, get: () => (value ??= f()) });
  };
  lazy('normA', () => pt.A.map(norm2Sq));
  lazy('normB', () => pt.B.map(norm2Sq));
  lazy('froA', () => pt.A.map(froSq));
  lazy('froB', () => pt.B.map(froSq));
  lazy('normW', () => pt.weights.map(norm2Sq));
  lazy('normM', () => norm2Sq(target));
  return ctx;
}

/**
 * Float mode: every applicable formula in binary64 with its stated rounding bound, put in the model's
 * loss convention (`scale`), and classified against the float enclosure `[lambdaLow, lambdaHigh]` of
 * `λ_max`: strict bounds only when the two intervals are separated, else "equal within rounding".
 * No exact arithmetic.
 */
export function compareKnownFormulasFloat(ctx: FloatFormulaContext, lambdaLow: number, lambdaHigh: number, scale = 1): FormulaComparison[] {
  const out: FormulaComparison[] = [];
  for (const f of KNOWN_FORMULAS) {
    if (!f.applies(ctx.widths)) continue;
    const e = f.float(ctx);
    const value = scale * e.value;
    const bound = scale * e.bound;
    const relation: FormulaRelation = value - bound > lambdaHigh ? 'strict upper bound' : value + bound < lambdaLow ? 'strict lower bound' : 'equal within rounding';
    out.push({ name: f.name, expression: f.expression, value, enclosure: { lower: String(value - bound), upper: String(value + bound) }, relation, method: 'float64' });
  }
  return out;
}
