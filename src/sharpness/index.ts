export { analyzeSharpness, NotAMinimizerError } from './sharpness.js';
export type { SharpnessOptions, SharpnessReport, MethodResult, ExactLambda } from './sharpness.js';
export { compareKnownFormulas, KNOWN_FORMULAS } from './formulas.js';
export type { KnownFormula, FormulaComparison, FormulaRelation } from './formulas.js';
export { rankOneMaximum, kroneckerFactors } from './rank-one.js';
export type { RankOneMaximum } from './rank-one.js';
