/** Generators of exact minimizers and targets (docs/minimizers.md), and fast-check arbitraries of them. */
export {
  exactNullspace,
  exactRank,
  exactSvd,
  generateMinimizer,
  isBalanced,
  MINIMIZER_KINDS,
  MinimizerError,
  ordinal,
  productOf,
  pseudoInverse,
  randomTarget,
  rationalRoot,
} from './minimizers.js';
export type {
  ExactSvd,
  ExactSvdResult,
  GeneratedMinimizer,
  GenerateMinimizerOptions,
  MinimizerErrorCode,
  MinimizerKind,
  RandomTargetOptions,
} from './minimizers.js';
export {
  cayley,
  exactInverse,
  hasOrthonormalColumns,
  isOrthogonal,
  isSignedPermutation,
  isSkewSymmetric,
  randomOrthogonal,
  randomSignedPermutation,
  seededRandom,
  signedPermutation,
  SingularMatrixError,
  skewFromUpper,
} from './orthogonal.js';
export type { RandomOrthogonalOptions, SeededRandom } from './orthogonal.js';
export { minimizerArbitrary, minimizerCaseArbitrary } from './arbitraries.js';
export type { MinimizerArbitraryOptions, MinimizerCase } from './arbitraries.js';
export { wideRandomPoint, wideSignMinimizer } from './wide.js';
export type { WideOptions } from './wide.js';
