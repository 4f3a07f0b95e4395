/** Training dynamics: `train` (GD, momentum, SGD with sharpness tracking), `escape`, their data files and the family interface they run on. */
export { train, startTraining, OPTIMIZERS, TRAIN_LIMITS } from './train.js';
export type { Optimizer, TrainOptions, TrainResult, TrainRun, TrainVerdict, SeriesPoint, AnsatzAtStep } from './train.js';
export { escape, escapeInSlices, escapePlane, ESCAPE_LIMITS } from './escape.js';
export type { EscapeOptions, EscapeReport, EscapeRun, EscapeVerdict, EscapePlane } from './escape.js';
export { balanceOf } from './trainable.js';
export type { TrainableModel, SharpnessEstimate, WarmStart, AnsatzBounds, BalanceMeasures, JacobianNorm, TrackedSharpnessOptions } from './trainable.js';
export { deepLinearTrainable, whitening } from './deep-linear-trainable.js';
export type { Whitening } from './deep-linear-trainable.js';
export { twoLayerTrainable } from './two-layer-trainable.js';
export { deepLinearGradientKernel } from './gradient-f64.js';
export type { DeepLinearGradientKernel } from './gradient-f64.js';
export { trainData, escapeData, serializeDynamicsData, parseDynamicsData, readDynamicsData, sniffDynamicsData } from './data-files.js';
export type { TrainData, EscapeData, DynamicsData } from './data-files.js';
export { DynamicsInputError } from './errors.js';
