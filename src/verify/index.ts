/** `dln-hessian verify`: formulas over the engine's quantities checked against the exact sharpness (docs/verify.md). */
/** Rigorous interval arithmetic with rational end points (namespaced: its `add`, `mul`, … act on intervals). */
export * as intervals from './interval.js';
export type { Interval, IntervalOrder } from './interval.js';
export { affineOf, constantValue, isExactExpression } from './formula-analysis.js';
export { caretLines, FormulaError, FormulaEvaluationError, PrecisionError } from './formula-error.js';
export type { Span } from './formula-error.js';
export { formatAffine, formatDim, FORMULA_FUNCTIONS, FORMULA_SYMBOLS } from './formula-tree.js';
export type { AffineIndex, Dim, Formula, FormulaNode, FormulaType, LayerMatrix, LayerReduction, MatrixScalarFunction } from './formula-tree.js';
export { MAX_FORMULA_CHARS } from './limits.js';
export { RELATIONS } from './relation.js';
export type { Relation } from './relation.js';
export { parseFormula } from './formula.js';
export { evaluateFormula } from './evaluate.js';
export { compareLambdaMax, formulaContext, lambdaMaxEnclosure } from './formula-context.js';
export type { FormulaContext, LambdaEnclosure } from './formula-context.js';
export { checkEvaluationSteps, evaluationStepsLimit, valueBitsLimit } from './evaluation-limits.js';
/** The limits of the formula language (docs/verify.md, "Limits"). */
export * as formulaLimits from './limits.js';
export { parseSyntax } from './syntax.js';
export type { BinaryOperator, SyntaxNode } from './syntax.js';
export type { EvaluateOptions, ScalarValue } from './evaluate.js';
export { checkCase, decide, DEFAULT_MAX_BITS, enclosureReport, explain, precisionLevels, relationText } from './case-check.js';
export type { CaseOutcome, EnclosureReport } from './case-check.js';
export { verifyFormula } from './verifier.js';
export type { Counterexample, VerifyOptions, VerifyResult } from './verifier.js';
