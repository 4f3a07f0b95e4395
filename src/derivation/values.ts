/**
 * Exact values as a document shows and compares them: rationals, matrices of rationals, and real
 * numbers known by a rigorous rational enclosure (spectral norms and `λ_max` when irrational).
 */
import { Rational } from '../field/rational.js';
import type { Polynomial } from '../linalg/polynomial.js';
import { toRows, type Matrix } from '../linalg/matrix.js';
import type { LambdaMaxCertificate } from '../spectral/certificate.js';
import type { EigenEnclosure } from '../spectral/enclosure.js';
import { valueInline, type Formula, type Inline } from './document.js';
import type { Value } from './evaluate.js';

/** A real number known exactly (`exact`) or by a rigorous enclosure `lower ≤ x ≤ upper`. */
export interface ExactReal {
  readonly lower: Rational;
  readonly upper: Rational;
  readonly exact?: Rational;
}

/** The exact rational `q`. */
export function exactReal(q: Rational): ExactReal {
  return { lower: q, upper: q, exact: q };
}

/** `λ_max` from a certificate (exact, or its enclosure). */
export function realFromCertificate(c: LambdaMaxCertificate): ExactReal {
  return c.kind === 'rational' ? exactReal(c.value) : { lower: c.lower, upper: c.upper };
}

/** An eigenvalue from an enclosure. */
export function realFromEnclosure(e: EigenEnclosure): ExactReal {
  return e.exact !== undefined ? exactReal(e.exact) : { lower: e.lower, upper: e.upper };
}

/** `a · b` for non-negative reals. */
export function mulReals(a: ExactReal, b: ExactReal): ExactReal {
  if (a.exact !== undefined && b.exact !== undefined) return exactReal(a.exact.mul(b.exact));
  if (a.lower.sign() < 0 || b.lower.sign() < 0) throw new RangeError('mulReals: operands must be non-negative');
  return { lower: a.lower.mul(b.lower), upper: a.upper.mul(b.upper) };
}

/** `a · q` for a rational `q ≥ 0`. */
export function scaleReal(a: ExactReal, q: Rational): ExactReal {
  if (q.sign() < 0) throw new RangeError('scaleReal: factor must be non-negative');
  return a.exact !== undefined ? exactReal(a.exact.mul(q)) : { lower: a.lower.mul(q), upper: a.upper.mul(q) };
}

/** `a + b`. */
export function addReals(a: ExactReal, b: ExactReal): ExactReal {
  if (a.exact !== undefined && b.exact !== undefined) return exactReal(a.exact.add(b.exact));
  return { lower: a.lower.add(b.lower), upper: a.upper.add(b.upper) };
}

/** `max(a, b)`. */
export function maxReals(a: ExactReal, b: ExactReal): ExactReal {
  if (a.exact !== undefined && b.exact !== undefined) return exactReal(a.exact.compare(b.exact) >= 0 ? a.exact : b.exact);
  const pick = (x: Rational, y: Rational): Rational => (x.compare(y) >= 0 ? x : y);
  return { lower: pick(a.lower, b.lower), upper: pick(a.upper, b.upper) };
}

/** How two reals compare: proven `<`, `=`, `>`, or `overlap` (enclosures that intersect: equal to the digits computed). */
export type RealOrder = 'less' | 'equal' | 'greater' | 'overlap';

/** Compares two reals rigorously. */
export function compareReals(a: ExactReal, b: ExactReal): RealOrder {
  if (a.exact !== undefined && b.exact !== undefined) {
    const c = a.exact.compare(b.exact);
    return c < 0 ? 'less' : c > 0 ? 'greater' : 'equal';
  }
  if (a.upper.compare(b.lower) < 0) return 'less';
  if (a.lower.compare(b.upper) > 0) return 'greater';
  return 'overlap';
}

/** Whether two reals can be the same number: equal rationals, or intersecting enclosures. */
export function realsAgree(a: ExactReal, b: ExactReal): boolean {
  const o = compareReals(a, b);
  return o === 'equal' || o === 'overlap';
}

/** `⌊|q|·10^digits⌋` as a decimal string with the point placed, sign kept (truncation toward zero). */
export function truncatedDecimal(q: Rational, digits: number): string {
  const neg = q.sign() < 0;
  const a = q.abs();
  const scaled = (a.num * 10n ** BigInt(digits)) / a.den;
  const s = scaled.toString().padStart(digits + 1, '0');
  const int = s.slice(0, s.length - digits);
  const frac = s.slice(s.length - digits);
  return `${neg ? '-' : ''}${int}${digits > 0 ? `.${frac}` : ''}`;
}

/** The decimal digits common to both ends of an enclosure, followed by `…` (at least the integer part). */
export function enclosureDecimal(lower: Rational, upper: Rational, digits = 40): string {
  const a = truncatedDecimal(lower, digits);
  const b = truncatedDecimal(upper, digits);
  let k = 0;
  while (k < a.length && a[k] === b[k]) k++;
  let prefix = a.slice(0, k);
  if (!prefix.includes('.')) prefix = a.slice(0, a.indexOf('.') < 0 ? a.length : a.indexOf('.'));
  return `${prefix.replace(/\.$/, '')}…`;
}

/** A real as a formula: the rational when exact, otherwise its certain decimal digits. */
export function realFormula(x: ExactReal): Formula {
  if (x.exact !== undefined) return rationalFormula(x.exact);
  const d = enclosureDecimal(x.lower, x.upper);
  return { tex: d.replace('…', '\\ldots'), text: d };
}

/** A rational as a formula (`\frac{33}{2}`, `33/2`). */
export function rationalFormula(q: Rational): Formula {
  return { tex: q.toTex(), text: q.toString() };
}

/** Largest matrix shown entry by entry in a table. */
const MAX_SHOWN_ENTRIES = 16;

/** A matrix as a formula: `bmatrix` / `[[a, b], [c, d]]`; a summary (`8×8, tr = …, ‖·‖_F² = …`) when large. */
export function matrixFormula(M: Matrix<Rational>, full = false): Formula {
  if (M.rows * M.cols <= MAX_SHOWN_ENTRIES || full) {
    const rows = toRows(M);
    return {
      tex: `\\begin{bmatrix} ${rows.map((r) => r.map((x) => x.toTex()).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`,
      text: `[${rows.map((r) => `[${r.map((x) => x.toString()).join(', ')}]`).join(', ')}]`,
    };
  }
  let fro = Rational.ZERO;
  for (const x of M.data) fro = fro.add(x.mul(x));
  let sum = Rational.ZERO;
  for (const x of M.data) sum = sum.add(x);
  const square = M.rows === M.cols;
  let tr = Rational.ZERO;
  if (square) for (let k = 0; k < M.rows; k++) tr = tr.add(M.data[k + k * M.rows] as Rational);
  const parts = [`${M.rows}\\times ${M.cols}`, ...(square ? [`\\operatorname{tr} = ${tr.toTex()}`] : []), `\\textstyle\\sum_{ab} x_{ab} = ${sum.toTex()}`, `\\|\\cdot\\|_F^2 = ${fro.toTex()}`];
  const textParts = [`${M.rows}×${M.cols}`, ...(square ? [`tr = ${tr.toString()}`] : []), `Σ entries = ${sum.toString()}`, `‖·‖_F² = ${fro.toString()}`];
  return { tex: parts.join(',\\ '), text: textParts.join(', ') };
}

/** A value (scalar or matrix) as a formula. */
export function valueFormula(v: Value<Rational>): Formula {
  if (v.kind === 'scalar') return rationalFormula(v.value);
  if (v.value.rows === 1 && v.value.cols === 1) return rationalFormula(v.value.data[0] as Rational);
  return matrixFormula(v.value);
}

/** A polynomial as a formula, or a summary when it is long. */
export function polynomialFormula(p: Polynomial, variable = 't', maxChars = 160): Formula {
  const text = p.toString(variable);
  if (text.length <= maxChars) return { tex: p.toTex(variable), text };
  return { tex: `\\text{degree } ${p.degree},\\ \\text{constant term } ${p.coefficient(0).toTex()}`, text: `degree ${p.degree}, constant term ${p.coefficient(0).toString()}` };
}

/** A value as a table cell: its formula, with the entries of a small matrix for the HTML grid. */
export function valueCell(v: Value<Rational>): Inline {
  const f = valueFormula(v);
  if (v.kind === 'matrix' && !(v.value.rows === 1 && v.value.cols === 1) && v.value.rows * v.value.cols <= MAX_SHOWN_ENTRIES) {
    return valueInline(f, toRows(v.value).map((r) => r.map((x) => x.toString())));
  }
  return valueInline(f);
}

/** A real as a table cell. */
export function realCell(x: ExactReal): Inline {
  return valueInline(realFormula(x));
}

/** A polynomial as a table cell (a formula when short, a summary otherwise). */
export function polynomialCell(p: Polynomial): Inline {
  return { kind: 'math', formula: polynomialFormula(p) };
}
