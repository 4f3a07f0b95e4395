/**
 * dln-hessian: exact and float64 closed-form Hessians of deep linear networks and two-layer
 * networks — the closed-form engine. Optional parts live under subpaths: `dln-hessian/autodiff`
 * (TensorFlow.js, an optional peer dependency), `dln-hessian/derivation` (documented derivations),
 * `dln-hessian/plots` (SVG plots; vega is an optional peer dependency), `dln-hessian/linalg` (the
 * dense matrices, exact linear algebra and operators, also here as the `linalg` namespace).
 *
 * Conventions (`docs/math.md §1`): `W_i` is `d_i × d_{i−1}`, applied first to last, `P = W_N ⋯ W_1`;
 * `L = ½‖P − M‖_F²` (DMF) or `(1/2n)‖PX − Y‖_F²` (DLN); column-major `vec`;
 * `θ = (vec W_1, …, vec W_N)`. Arrays are 0-based in code; layers are numbered from 1 in messages.
 *
 * @example
 * ```ts
 * import { loadNetwork } from 'dln-hessian';
 *
 * const net = loadNetwork('model.json');            // any family: DMF, DLN with data, two-layer
 * console.log(net.minimizerTest().verdict);          // 'exact-minimizer', 'minimizer-within-rounding', …
 * const s = net.sharpness({ exact: true });          // λ_max several ways, certified in exact arithmetic
 * console.log(s.lambdaMax, s.exact);
 * const Hv = net.hessian.matvec(v);                  // closed-form Hessian–vector product (binary64)
 * ```
 *
 * @packageDocumentation
 */
export * from './field/index.js';
export * as linalg from './linalg/index.js';
export type { Matrix } from './linalg/matrix.js';
export { fromRows, toRows, ShapeError } from './linalg/matrix.js';
export type { LinearOperator } from './linop/linear-operator.js';
export * from './families/index.js';
export * from './hessian/index.js';
export * from './models/index.js';
export * from './reports/index.js';
export * from './spectral/index.js';
export * from './sharpness/index.js';
export * from './generators/index.js';
export * from './verify/index.js';
export { networkCurvatureProblem } from './curvature/problem.js';
export type { CurvatureProblem, ParameterBlock } from './curvature/problem.js';
export { reducedProblem, reducedOperatorF64 } from './hessian/reduced.js';
export type { ReducedProblem } from './hessian/reduced.js';
export * from './twolayer/index.js';
export * from './structure/index.js';
export { loadAnySource, parseAnyModel } from './models/source.js';
export type { AnyModel } from './models/source.js';
export { EXIT_BAD_INPUT, EXIT_INTERNAL, InputError } from './errors/input-error.js';
export { MissingDependencyError } from './errors/optional-dependency.js';
export * from './interop/index.js';
// Training dynamics (train, escape; docs/dynamics.md)
export * from './dynamics/index.js';
// Exact characteristic polynomial: statistics, thread pool, refinement of a certified λ_max.
export { characteristicPolynomialWithStats, charpolyCoefficientBound } from './linalg/charpoly.js';
export type { CharpolyStats } from './linalg/charpoly.js';
export { charpolyThreads, shutdownCharpolyPool, ThreadSettingError, WorkerThreadError } from './linalg/charpoly-pool.js';
export { refineLambdaMax } from './spectral/certificate.js';
export type { LambdaMaxRefinement } from './spectral/certificate.js';
// Float64 kernel layer (native BLAS, WebAssembly SIMD, JavaScript reference), threads, and `info`.
export {
  gemm,
  gemv,
  activeKernel,
  activeThreads,
  availableCores,
  availableKernels,
  configuredThreads,
  KernelSettingError,
  kernelNotices,
  kernelStatuses,
  KERNEL_NAMES,
  measureGemmGflops,
  parseThreadCount,
  setThreads,
  useKernel,
  jsKernel,
  wasmKernelFromBytes,
  wasmKernelFromModule,
} from './kernels/index.js';
export type { F64Kernel, KernelName, KernelStatus, GemmThroughput } from './kernels/index.js';
export { infoReport, type InfoReport } from './kernels/info.js';
// Bad input and limits (docs/limits.md): the one output layer and input reader (src/io/), the binary64
// range of the float stages, the bit-based limits of exact work.
export { writeFileAtomic, writeFilesAtomic, checkOutputPath, assertDistinctOutputs, MAX_FILE_NAME_BYTES } from './io/output.js';
export type { OutputFile, CheckedOutput, NamedPath } from './io/output.js';
export { readInputBytes, readInputText, InputFileError } from './io/input.js';
export type { ReadOptions } from './io/input.js';
export { FloatRangeError, assertFloatStagesFit, floatStageBounds, scaledEigenvalues, scientificText, MAX_FLOAT_STAGE_LOG2 } from './hessian/float-range.js';
export type { FloatStageBounds } from './hessian/float-range.js';
export { commonDenominatorEntryBits, maxExactEntryBits, assertExactEntriesFit, MAX_DENSE_PARAMS_CEILING } from './hessian/limits.js';

// Loss conventions and parameter order (docs/conventions.md).
export { REDUCTIONS, lossCoefficient, lossConvention, reductionFromLossScale } from './models/reduction.js';
export type { LossConvention, Reduction, ResidualShape } from './models/reduction.js';
export { PARAMETER_ORDERS, fromRowOrder, inOrder, toColumnOrder, toRowOrder } from './curvature/order.js';
export type { HasBlocks, ParameterOrder } from './curvature/order.js';
export { COMMANDS_TAKING, FamilyNotSupportedError } from './families/support.js';

// Interrupts (src/process/interrupt.ts): cleanups before exiting on SIGINT/SIGTERM/SIGHUP.
export { onInterrupt, onInterruptRequest, interruptedBy, interruptStatus, InterruptedError, INTERRUPT_EXIT_STATUS, INTERRUPT_SIGNALS } from './process/interrupt.js';
export type { InterruptCleanup, InterruptSignal } from './process/interrupt.js';
// Verified binary64 interval arithmetic (sharpness certificates at points given in floating point).
export { F64I, mulEnclosed, symmetricEnclosure, encloseMatrix, floatAbove, floatBelow, nextUp, nextDown } from './verify/float-interval.js';
export type { Enclosed, SymmetricEnclosure } from './verify/float-interval.js';
// One name, one home (hallway): the model-file entry type is the models room's (was re-exported by interop/).
export type { StateDictEntry } from './models/model.js';
// Dense decompositions on the float64 kernel layer (LAPACK dsyevd/dgesdd on the native kernel, docs/performance.md).
export { kernelSymmetricEigen, kernelSvd, KernelConvergenceError } from './kernels/index.js';
export type { KernelEigen, KernelSvd } from './kernels/index.js';
