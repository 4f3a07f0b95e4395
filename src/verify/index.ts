/** `dln-hessian verify`: formulas over the engine's quantities checked against the exact sharpness (docs/verify.md). */
/** Rigorous interval arithmetic with rational end points (namespaced: its `add`, `mul`, … act on intervals). */
export * as intervals from './interval.js';
export type { Interval, IntervalOrder } from './interval.js';
export {
  affineOf,
  caretLines,
  constantValue,
  formatAffine,
  formatDim,
  FORMULA_FUNCTIONS,
  FORMULA_SYMBOLS,
  FormulaError,
  isExactExpression,
  MAX_FORMULA_CHARS,
  parseFormula,
  RELATIONS,
} from './formula.js';
export type { AffineIndex, Dim, Formula, FormulaNode, FormulaType, LayerMatrix, LayerReduction, MatrixScalarFunction, Relation, Span } from './formula.js';
export { compareLambdaMax, evaluateFormula, FormulaEvaluationError, formulaContext, lambdaMaxEnclosure, PrecisionError } from './evaluate.js';
export { checkEvaluationSteps, evaluationStepsLimit, valueBitsLimit } from './evaluation-limits.js';
/** The limits of the formula language (docs/verify.md, "Limits"). */
export * as formulaLimits from './limits.js';
export { parseSyntax } from './syntax.js';
export type { BinaryOperator, SyntaxNode } from './syntax.js';
export type { EvaluateOptions, FormulaContext, LambdaEnclosure, ScalarValue } from './evaluate.js';
export { checkCase, decide, DEFAULT_MAX_BITS, enclosureReport, explain, precisionLevels, relationText } from './case-check.js';
export type { CaseOutcome, EnclosureReport } from './case-check.js';
export { verifyFormula } from './verifier.js';
export type { Counterexample, VerifyOptions, VerifyResult } from './verifier.js';
