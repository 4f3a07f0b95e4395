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
} from './polynomial-roots.js';
export type { IntegerPolynomial, SquareFreeFactor } from './polynomial-roots.js';
export {
  countEigenvaluesAbove,
  eigenvalueEnclosure,
  encloseEigenvalue,
  gershgorinBounds,
  inertiaCounter,
  pencilEigenvaluesF64,
  shortMidpoint,
} from './enclosure.js';
export { singularValueEnclosure, spectralNormSquaredEnclosure } from './singular-value-enclosure.js';
export type { SingularValueEnclosure } from './singular-value-enclosure.js';
export type {
  CountWitness,
  CounterEnclosureOptions,
  EigenEnclosure,
  EigenvalueCount,
  EigenvalueCounter,
  EnclosureOptions,
} from './enclosure.js';
export { certifyLambdaMax } from './certificate.js';
export type { CertificateBase, CertifyOptions, EnclosedLambdaMax, LambdaMaxCertificate, LambdaMaxProblem, RationalLambdaMax } from './certificate.js';
export { verifiedExtremeEigenvalue, rayleighLowerBound, positiveDefiniteShift, choleskyInPlace, choleskyFlops } from './verified-enclosure.js';
export type { VerifiedExtreme, VerificationFailure, VerifiedOutcome, VerifiedEnclosureOptions } from './verified-enclosure.js';
