/** Errors of the formula language: a reason, the formula, and where in it the problem is. */
import { InputError } from '../errors/input-error.js';

/** A half-open character range `[start, end)` of the formula text (0-based). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A problem with a formula: where it is (0-based span in {@link FormulaError.formula}) and what. */
export class FormulaError extends InputError {
  /** The formula text. */
  readonly formula: string;
  /** Where the problem is (0-based, end exclusive). */
  readonly span: Span;
  /** The message without the position, e.g. `unknown quantity "Q"`. */
  readonly reason: string;

  constructor(reason: string, formula: string, span: Span) {
    super(`formula: ${reason} at position ${span.start + 1}`);
    this.name = 'FormulaError';
    this.formula = formula;
    this.span = span;
    this.reason = reason;
  }

  /** The message, the formula and a caret line under the offending part. */
  override describe(): string {
    return `${this.message}\n${caretLines(this.formula, this.span)}`;
  }
}

/** Characters of context shown on each side of the caret in a long formula. */
const CONTEXT = 60;

/**
 * Two lines: the formula indented, and `^~~~` under `span`. A formula longer than 160 characters
 * is shown as a window of about 60 characters either side of the place, cut ends marked `…`.
 */
export function caretLines(formula: string, span: Span): string {
  let oneLine = formula.replace(/[\r\n\t]/g, ' ');
  let start = Math.max(0, Math.min(span.start, oneLine.length));
  let end = Math.min(span.end, oneLine.length);
  if (oneLine.length > 160) {
    const from = Math.max(0, start - CONTEXT);
    const to = Math.min(oneLine.length, Math.max(end, start + 1) + CONTEXT);
    const head = from > 0 ? '…' : '';
    oneLine = `${head}${oneLine.slice(from, to)}${to < oneLine.length ? '…' : ''}`;
    start = start - from + head.length;
    end = Math.min(end - from + head.length, oneLine.length);
  }
  const len = Math.max(1, end - start);
  return `  ${oneLine}\n  ${' '.repeat(start)}^${'~'.repeat(len - 1)}`;
}

/** A problem that shows only on a model: shapes that do not chain, an index out of range, a division by zero, … */
export class FormulaEvaluationError extends FormulaError {
  constructor(reason: string, formula: string, span: Span) {
    super(reason, formula, span);
    this.name = 'FormulaEvaluationError';
  }
}

/**
 * The enclosures were too wide to decide something the evaluation needs (the sign of a divisor,
 * of a base under a fractional power); evaluating again with more bits may succeed.
 */
export class PrecisionError extends Error {
  readonly span: Span;
  readonly reason: string;
  constructor(reason: string, span: Span) {
    super(reason);
    this.name = 'PrecisionError';
    this.span = span;
    this.reason = reason;
  }
}

