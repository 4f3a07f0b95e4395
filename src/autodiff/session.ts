import type { DeviceAnswer, DeviceInfo, DeviceOutcome, DeviceTask } from './device/protocol.js';
import { fromDeviceVector, modelSizes, toDeviceVector, type DeviceModel } from './device-model.js';
import { startWebglTransport } from './browser-transport.js';
import { precisionOf, relativeTolerance, roundingModel, type Precision } from './precision.js';
import { BackendUnavailableError, BACKENDS, DeviceError, type BackendName, type DeviceTransport } from './transport.js';

export { DeviceError };

/** Options of {@link startBackend}. */
export interface StartOptions {
  /** WebGL: Chromium's executable (default `$DLN_HESSIAN_CHROMIUM` or `/usr/bin/chromium`). */
  readonly executablePath?: string;
  /** WebGL: ANGLE's GL implementation (default `'gl-egl'`, the host's GL or Mesa llvmpipe; `'swiftshader'` is slower). */
  readonly angle?: 'gl-egl' | 'swiftshader';
}

/** Whether `name` is a backend of the autodiff path. */
export function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

/** Whether `e` says a package could not be found (an optional peer dependency that is not installed). */
function isMissingModule(e: unknown): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /@tensorflow\//.test(e.message);
}

/**
 * Starts an autodiff backend: tfjs's cpu or wasm kernels in this process, or WebGL in headless
 * Chromium. Throws {@link BackendUnavailableError} (saying what is missing) when it cannot start.
 */
export async function startBackend(name: BackendName, options: StartOptions = {}): Promise<AutodiffSession> {
  if (name === 'webgl') return new AutodiffSession(name, await startWebglTransport(options));
  // Loaded only here, so that importing the engine never loads TensorFlow.js (an optional peer dependency).
  let node: typeof import('./node-transport.js');
  try {
    node = await import('./node-transport.js');
  } catch (e) {
    if (isMissingModule(e)) {
      throw new BackendUnavailableError(name, `the ${name} backend runs TensorFlow.js, which is not installed: run \`npm install @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0\``);
    }
    throw e;
  }
  return new AutodiffSession(name, await node.startNodeTransport(name));
}

/** A started backend: its identity, its precision and the models loaded on it. */
export class AutodiffSession {
  readonly info: DeviceInfo;
  readonly precision: Precision;

  constructor(
    readonly backend: BackendName,
    private readonly transport: DeviceTransport,
  ) {
    this.info = transport.info;
    this.precision = precisionOf(transport.info);
  }

  /** One line naming the backend, its device and precision. */
  describe(): string {
    const where = this.info.renderer !== undefined ? ` on ${this.info.renderer}` : '';
    return `${this.backend} (tfjs ${this.info.backend}${where}, ${this.precision.name})`;
  }

  /** Puts a model on the device. */
  async load(model: DeviceModel): Promise<AutodiffModel> {
    const id = this.unwrap(await this.transport.load(model.header, model.arrays));
    return new AutodiffModel(this, this.transport, model, id);
  }

  /** float32 matrix-product throughput (GFLOP/s) at each size. */
  matmulThroughput(sizes: readonly number[], seconds = 1): Promise<number[]> {
    return this.transport.matmulThroughput(sizes, seconds);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /** The value of an outcome, or a {@link DeviceError}. */
  unwrap<T>(o: DeviceOutcome<T>): T {
    if (!o.ok) throw new DeviceError(this.backend, o.failure);
    return o.value;
  }
}

/** Options of {@link AutodiffModel.eigen}. */
export interface AutodiffEigenOptions {
  readonly k?: number;
  readonly which?: 'largest' | 'smallest';
  /** Relative eigenvalue tolerance (default: the backend's {@link relativeTolerance} for this model / 10). */
  readonly tolerance?: number;
  /** Cap on Lanczos steps (default 150, and at most what 4 GiB of basis vectors allow). */
  readonly maxIterations?: number;
  readonly seed?: number;
  /** Return the Ritz vectors (in `θ` order, binary64). */
  readonly eigenvectors?: boolean;
}

/** Eigenpairs of the autodiff Hessian from Lanczos on the device, with how they were obtained. */
export interface AutodiffEigenResult {
  readonly eigenvalues: number[];
  readonly residuals: number[];
  readonly eigenvectors?: Float64Array[];
  readonly iterations: number;
  readonly matvecs: number;
  readonly restarts: number;
  readonly converged: boolean;
  readonly seed: number;
  readonly tolerance: number;
  readonly seconds: number;
  readonly method: string;
}

/** Bytes of Lanczos basis the device may hold (float32 vectors of `dim θ` entries). */
const BASIS_BUDGET_BYTES = 4 * 2 ** 30;

/** A model on a backend: loss, gradient, Hessian–vector products and eigenpairs by automatic differentiation. */
export class AutodiffModel {
  constructor(
    readonly session: AutodiffSession,
    private readonly transport: DeviceTransport,
    readonly model: DeviceModel,
    private readonly id: number,
  ) {}

  /** The relative error bound of one evaluation in the backend's precision ({@link relativeTolerance}). */
  get tolerance(): number {
    const { widths, samples } = modelSizes(this.model);
    return relativeTolerance(this.session.precision, roundingModel(widths, samples));
  }

  private async run(task: DeviceTask, arrays?: readonly Float32Array[]): Promise<{ answer: DeviceAnswer; arrays: Float32Array[] }> {
    return this.session.unwrap(await this.transport.run(this.id, task, arrays));
  }

  async loss(): Promise<number> {
    return (await this.run({ op: 'loss' })).answer.loss as number;
  }

  /** `∇L` in `θ` order (binary64 copy of the float32 result). */
  async gradient(): Promise<Float64Array> {
    return fromDeviceVector(this.model, (await this.run({ op: 'gradient' })).arrays);
  }

  /** `H v` with `v` in `θ` order. */
  async hvp(v: ArrayLike<number>): Promise<Float64Array> {
    return fromDeviceVector(this.model, (await this.run({ op: 'hvp' }, toDeviceVector(this.model, v))).arrays);
  }

  /** Seconds per Hessian–vector product (after one warm-up product). */
  async timeHvp(reps: number): Promise<number> {
    return (await this.run({ op: 'time-hvp', reps })).answer.seconds as number;
  }

  /**
   * Extreme eigenpairs by Lanczos on the device with full reorthogonalisation; residuals are
   * true residuals from fresh products. The rounding floor of the acceptance test is the
   * backend's {@link tolerance}.
   */
  async eigen(options: AutodiffEigenOptions = {}): Promise<AutodiffEigenResult> {
    const k = options.k ?? 1;
    const seed = options.seed ?? 0;
    const floor = this.tolerance;
    const tolerance = options.tolerance ?? floor / 10;
    const byMemory = Math.max(k + 1, Math.floor(BASIS_BUDGET_BYTES / (4 * this.model.dimension)));
    const maxIterations = Math.min(options.maxIterations ?? 150, byMemory);
    const t0 = performance.now();
    const { answer, arrays } = await this.run({
      op: 'lanczos',
      k,
      which: options.which ?? 'largest',
      tolerance,
      residualFloor: floor,
      maxIterations,
      seed,
      eigenvectors: options.eigenvectors === true,
    });
    const perVector = this.model.parameterShapes.length;
    const eigenvectors: Float64Array[] = [];
    for (let i = 0; i < arrays.length; i += perVector) eigenvectors.push(fromDeviceVector(this.model, arrays.slice(i, i + perVector)));
    return {
      eigenvalues: answer.eigenvalues ?? [],
      residuals: answer.residuals ?? [],
      ...(options.eigenvectors === true ? { eigenvectors } : {}),
      iterations: answer.iterations ?? 0,
      matvecs: answer.matvecs ?? 0,
      restarts: answer.restarts ?? 0,
      converged: answer.converged ?? false,
      seed,
      tolerance,
      seconds: (performance.now() - t0) / 1000,
      method: `Lanczos on the device (${this.session.backend}, full reorthogonalisation) on reverse-over-reverse autodiff HVPs`,
    };
  }

  async dispose(): Promise<void> {
    await this.transport.unload(this.id);
  }
}
