import { InputError } from '../errors/input-error.js';
import type { DeviceAnswer, DeviceFailure, DeviceInfo, DeviceModelHeader, DeviceOutcome, DeviceTask } from './device/protocol.js';

/** The autodiff backends: tfjs's cpu and wasm kernels in this process, WebGL in headless Chromium. */
export type BackendName = 'cpu' | 'wasm' | 'webgl';

/** Every backend name, in the order the CLI lists them. */
export const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgl'];

/**
 * How the host reaches a `DeviceRuntime` (src/autodiff/device/runtime.ts): directly in this process (cpu, wasm) or across
 * the page boundary of a headless Chromium (WebGL). Every call is asynchronous; arrays are
 * row-major float32; failures the user can fix come back as {@link DeviceOutcome} values.
 */
export interface DeviceTransport {
  readonly info: DeviceInfo;
  load(header: DeviceModelHeader, arrays: readonly Float32Array[]): Promise<DeviceOutcome<number>>;
  run(id: number, task: DeviceTask, arrays?: readonly Float32Array[]): Promise<DeviceOutcome<{ answer: DeviceAnswer; arrays: Float32Array[] }>>;
  /** float32 matrix-product throughput (GFLOP/s) at each size, each timed for about `seconds`. */
  matmulThroughput(sizes: readonly number[], seconds: number): Promise<number[]>;
  unload(id: number): Promise<void>;
  close(): Promise<void>;
}

/** Raised when a backend cannot start; the message says what is missing and how to install it. */
export class BackendUnavailableError extends InputError {
  constructor(
    readonly backend: BackendName,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** A failure on the device the user can act on: non-finite values, a size beyond the device's limits, bad input. */
export class DeviceError extends InputError {
  readonly kind: DeviceFailure['kind'];
  readonly step: number | undefined;
  constructor(
    readonly backend: BackendName,
    failure: DeviceFailure,
  ) {
    super(`${backend} backend: ${failure.message}`);
    this.name = 'DeviceError';
    this.kind = failure.kind;
    this.step = failure.step;
  }
}
