export { lanczos } from './lanczos.js';
export type { LanczosOptions, LanczosResult } from './lanczos.js';
export { DEFAULT_DENSE_UP_TO, operatorResidual, topDenseEigenpairs, topEigenpairs } from './top-eigenpairs.js';
export type { EigenMethod, TopEigenpairs, TopEigenpairsOptions } from './top-eigenpairs.js';
export { blockTopEigenpairs } from './block-eigen.js';
export type { BlockEigenOptions, BlockEigenResult } from './block-eigen.js';
export { sturmCount, tridiagonalEigenvalues, tridiagonalEigenvector } from './tridiagonal.js';
export {
  primitiveIntegerPolynomial,
  squareFreeFactorization,
  squareFreePart,
  sturmSequence,
  countDistinctRootsIn,
  divideOutRoots,
  realRootCount,
  signAt,
  isRoot,
  rationalCandidates,
} from './polynomial-roots.js';
export type { IntegerPolynomial, SquareFreeFactor } from './polynomial-roots.js';
export {
  countEigenvaluesAbove,
  eigenvalueEnclosure,
  encloseEigenvalue,
  gershgorinBounds,
  inertiaCounter,
  integerSqrt,
  pencilEigenvaluesF64,
  shortMidpoint,
  singularValueEnclosure,
  spectralNormSquaredEnclosure,
} from './enclosure.js';
export type {
  CountWitness,
  CounterEnclosureOptions,
  EigenEnclosure,
  EigenvalueCount,
  EigenvalueCounter,
  EnclosureOptions,
  SingularValueEnclosure,
} from './enclosure.js';
export { certifyLambdaMax } from './certificate.js';
export type { CertificateBase, CertifyOptions, EnclosedLambdaMax, LambdaMaxCertificate, LambdaMaxProblem, RationalLambdaMax } from './certificate.js';
export { verifiedExtremeEigenvalue, rayleighLowerBound, positiveDefiniteShift, choleskyInPlace, choleskyFlops } from './verified-enclosure.js';
export type { VerifiedExtreme, VerificationFailure, VerifiedOutcome, VerifiedEnclosureOptions } from './verified-enclosure.js';
export { convergents } from './polynomial-roots.js';
