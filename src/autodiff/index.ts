/** The autodiff path on TensorFlow.js (docs/autodiff.md): backends, sessions, precisions, cross-checks. */
export { startBackend, isBackendName, AutodiffSession, AutodiffModel, DeviceError } from './session.js';
export type { StartOptions, AutodiffEigenOptions, AutodiffEigenResult } from './session.js';
export { BACKENDS, BackendUnavailableError } from './transport.js';
export type { BackendName, DeviceTransport } from './transport.js';
export { FLOAT16, FLOAT32, FLOAT64, ROUNDING_CONFIDENCE, precisionOf, relativeTolerance, roundingModel } from './precision.js';
export type { Precision, RoundingModel } from './precision.js';
export { deepLinearDeviceModel, twoLayerDeviceModel, toDeviceVector, fromDeviceVector } from './device-model.js';
export type { DeviceModel } from './device-model.js';
export { crosscheck, deepLinearReference, twoLayerReference } from './crosscheck.js';
export type { ClosedReference, CrosscheckItem, CrosscheckOptions, CrosscheckReport } from './crosscheck.js';
export type { DeviceAnswer, DeviceFailure, DeviceInfo, DeviceOutcome, DeviceTask } from './device/protocol.js';
export { arrayShapes } from './device/protocol.js';
export type { DeviceModelHeader } from './device/protocol.js';
