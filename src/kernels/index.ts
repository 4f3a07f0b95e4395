/** The float64 kernel layer: one interface, three kernels (native BLAS, WebAssembly SIMD, JavaScript). */
export { KERNEL_NAMES, KernelConvergenceError, type F64Kernel, type KernelName } from './kernel.js';
export { gemm, gemv, kernelSvd, kernelSymmetricEigen, SMALL_DECOMPOSITION_WORK, SMALL_WORK, type KernelEigen, type KernelSvd } from './dispatch.js';
export {
  activeKernel,
  activeThreads,
  availableCores,
  availableKernels,
  configuredThreads,
  KernelSettingError,
  kernelNotices,
  kernelStatuses,
  parseThreadCount,
  setThreads,
  useKernel,
  type KernelStatus,
} from './registry.js';
export { jsKernel } from './js-kernel.js';
export { wasmKernelFromBytes, wasmKernelFromModule } from './wasm-kernel.js';
export { measureGemmGflops, type GemmThroughput } from './measure.js';
