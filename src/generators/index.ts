/** Generators of exact minimizers and targets (docs/minimizers.md), and fast-check arbitraries of them. */
export {
  generateMinimizer,
  isBalanced,
  MINIMIZER_KINDS,
  MinimizerError,
  ordinal,
  productOf,
} from './minimizers.js';
export { randomTarget } from './random-target.js';
export type { RandomTargetOptions } from './random-target.js';
export type {
  GeneratedMinimizer,
  GenerateMinimizerOptions,
  MinimizerErrorCode,
  MinimizerKind,
} from './minimizers.js';
export {
  cayley,
  hasOrthonormalColumns,
  isOrthogonal,
  isSignedPermutation,
  isSkewSymmetric,
  randomOrthogonal,
  randomSignedPermutation,
  seededRandom,
  signedPermutation,
  skewFromUpper,
} from './orthogonal.js';
export type { RandomOrthogonalOptions, SeededRandom } from './orthogonal.js';
export { minimizerArbitrary, minimizerCaseArbitrary } from './arbitraries.js';
export type { MinimizerArbitraryOptions, MinimizerCase } from './arbitraries.js';
export { wideRandomPoint, wideSignMinimizer } from './wide.js';
export type { WideOptions } from './wide.js';
