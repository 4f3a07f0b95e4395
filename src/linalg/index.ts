/**
 * Dense matrices over a field, exact linear algebra (LDLᵀ inertia, determinants, characteristic
 * polynomials), float64 eigen/SVD and the matrix-product kernel, and linear operators
 * (`dln-hessian/linalg`, also the `linalg` namespace of the root entry).
 *
 * @packageDocumentation
 */
export * from './matrix.js';
export { gemmF64 } from './gemm-f64.js';
export { symmetricEigen } from './eigen-f64.js';
export { symmetricEigenvalues } from './eigenvalues-f64.js';
export type { SymmetricEigenOptions, SymmetricEigenResult } from './eigen-f64.js';
export * from './svd-f64.js';
export { determinant, integerDeterminant } from './determinant.js';
export { ldlt, inertia, isPositiveSemidefinite, isPositiveDefinite, NotSymmetricError } from './ldlt.js';
export type { Inertia, InertiaResult, LdltBlock, LdltResult } from './ldlt.js';
export { characteristicPolynomial, characteristicPolynomialBerkowitz } from './charpoly.js';
export { Polynomial } from './polynomial.js';
export { toIntegerMatrix } from './integer-matrix.js';
export type { IntegerMatrix } from './integer-matrix.js';
export * from '../linop/linear-operator.js';
export { exactInverse, exactNullspace, exactRank, exactSvd, pseudoInverse, rationalRoot, rref, SingularMatrixError } from './exact.js';
export type { ExactSvd, ExactSvdResult, Rref } from './exact.js';
