/**
 * Formulas over the engine's quantities, for `dln-hessian verify` (docs/verify.md): the entry
 * point from text to a checked {@link Formula}.
 *
 * The language: numbers (read exactly from their text: `0.5` is 1/2), `+ − * / ^`, unary minus,
 * parentheses, implicit multiplication, the symbols `N`, `M`, `P` and bound layer variables, and
 * the functions `d(i)`, `W(i)`, `A(i)`, `B(i)`, `norm2`, `fro`, `sigma(X, k)`, `trace`,
 * `transpose` (or `X'`), `abs`, `sqrt`, `max`, `min`, `sumLayers(i, E)`, `maxLayers(i, E)`,
 * `minLayers(i, E)`. The pieces, one idea each: {@link ./lexer.js} (tokens), {@link ./syntax.js}
 * (iterative parser), {@link ./checker.js} (types and shapes), {@link ./formula-tree.js} (the checked
 * tree), {@link ./formula-analysis.js} (constants, exactness, affine indices), {@link ./limits.js}.
 *
 * Every problem is a {@link FormulaError} that points at a position in the text.
 */
import { checkSyntax } from './checker.js';
import { FormulaError } from './formula-error.js';
import { formatType, type Formula } from './formula-tree.js';
import { MAX_FORMULA_CHARS } from './limits.js';
import { parseSyntax } from './syntax.js';


/** Parses and checks a formula; throws {@link FormulaError} with the position of the first problem. */
export function parseFormula(text: string): Formula {
  if (text.length > MAX_FORMULA_CHARS) {
    throw new FormulaError(`the formula has ${text.length} characters; the limit is ${MAX_FORMULA_CHARS}`, text, { start: MAX_FORMULA_CHARS, end: MAX_FORMULA_CHARS + 1 });
  }
  if (text.trim() === '') throw new FormulaError('the formula is empty', text, { start: 0, end: 1 });
  const root = checkSyntax(text, parseSyntax(text));
  if (root.type.kind !== 'scalar') {
    throw new FormulaError(
      `the formula must be a scalar, but it is ${formatType(root.type)} (take norm2(...), fro(...), trace(...) or sigma(..., k) of it)`,
      text,
      root.span,
    );
  }
  return { source: text, root };
}
