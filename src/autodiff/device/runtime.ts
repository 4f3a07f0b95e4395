import * as tf from '@tensorflow/tfjs';
import { deviceLanczos, NonFiniteError } from './lanczos.js';
import { arrayShapes, parameterArrays, type DeviceAnswer, type DeviceFailure, type DeviceInfo, type DeviceModelHeader, type DeviceOutcome, type DeviceTask } from './protocol.js';
import { lossFunction, type LossFunction } from './network.js';
import { disposeVectors, dot, download, randomVector, readScalars, type DeviceVector } from './vectors.js';

/**
 * The device side of the autodiff path: everything here runs where TensorFlow.js runs (in this
 * process for the cpu and wasm backends, inside a Chromium page for WebGL) and talks to the host
 * only through plain JSON and float32 arrays. It shares no formula with `src/hessian`.
 */

/** A model held on the device: its parameter tensors, data and differentiated loss. */
class DeviceNetwork {
  readonly params: tf.Tensor[];
  readonly data: tf.Tensor[];
  readonly shapes: [number, number][];
  readonly dimension: number;
  private readonly loss: LossFunction;
  private readonly gradients: (params: tf.Tensor[]) => tf.Tensor[];

  constructor(header: DeviceModelHeader, arrays: readonly Float32Array[]) {
    const shapes = arrayShapes(header);
    const nParams = parameterArrays(header);
    this.shapes = shapes.slice(0, nParams);
    const tensors = arrays.map((a, i) => tf.tensor2d(a, shapes[i] as [number, number]));
    this.params = tensors.slice(0, nParams);
    this.data = tensors.slice(nParams);
    this.dimension = this.shapes.reduce((s, [r, c]) => s + r * c, 0);
    this.loss = lossFunction(header, this.data);
    this.gradients = tf.grads((...p: tf.Tensor[]) => this.loss(p)) as (params: tf.Tensor[]) => tf.Tensor[];
  }

  lossValue(): tf.Scalar {
    return tf.tidy(() => this.loss(this.params));
  }

  gradient(): DeviceVector {
    return tf.tidy(() => this.gradients(this.params));
  }

  /** `H v = ∇_θ ⟨∇L(θ), v⟩`: the gradient of the gradient's inner product with `v` (reverse over reverse). */
  hvp(v: DeviceVector): DeviceVector {
    return tf.tidy(() => {
      const inner = (...p: tf.Tensor[]): tf.Scalar => dot(this.gradients(p), v);
      return (tf.grads(inner) as (p: tf.Tensor[]) => tf.Tensor[])(this.params);
    });
  }

  dispose(): void {
    tf.dispose([...this.params, ...this.data]);
  }
}

function checkArrays(header: DeviceModelHeader, arrays: readonly Float32Array[], info: DeviceInfo): DeviceFailure | null {
  const shapes = arrayShapes(header);
  if (arrays.length !== shapes.length) return { kind: 'input', message: `expected ${shapes.length} arrays, got ${arrays.length}` };
  for (let i = 0; i < shapes.length; i++) {
    const [r, c] = shapes[i] as [number, number];
    const a = arrays[i] as Float32Array;
    if (a.length !== r * c) return { kind: 'input', message: `array ${i + 1}: expected ${r}×${c} = ${r * c} entries, got ${a.length}` };
    if (info.maxTextureSize !== undefined && Math.max(r, c) > info.maxTextureSize) {
      return {
        kind: 'limit',
        message: `a ${r}×${c} array exceeds the WebGL maximum texture size ${info.maxTextureSize} of this device (${info.renderer ?? 'unknown renderer'}); use --backend cpu or wasm`,
      };
    }
    for (let j = 0; j < a.length; j++) {
      if (!Number.isFinite(a[j] as number)) {
        return { kind: 'input', message: `array ${i + 1}: entry ${j + 1} is not finite in float32 (${a[j]}); float32 holds magnitudes up to 3.4e38` };
      }
    }
  }
  return null;
}

/** The part of a WebGL context read here (the DOM types are not in this project's `lib`). */
interface MinimalGl {
  readonly RENDERER: number;
  getExtension(name: 'WEBGL_debug_renderer_info'): { readonly UNMASKED_RENDERER_WEBGL: number } | null;
  getParameter(p: number): unknown;
}

/** The models loaded on this device, by id, and the tasks run on them. */
export class DeviceRuntime {
  private readonly networks = new Map<number, DeviceNetwork>();
  private nextId = 1;

  /** What runs: call after the backend has been set and is ready. */
  info(): DeviceInfo {
    const backend = tf.getBackend();
    if (backend !== 'webgl') return { backend, float32: true };
    const gl = (tf.backend() as unknown as { gpgpu: { gl: MinimalGl } }).gpgpu.gl;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(debug !== null ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    return {
      backend,
      float32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
      maxTextureSize: tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE'),
      renderer,
    };
  }

  load(header: DeviceModelHeader, arrays: readonly Float32Array[]): DeviceOutcome<number> {
    const problem = checkArrays(header, arrays, this.info());
    if (problem !== null) return { ok: false, failure: problem };
    const id = this.nextId++;
    this.networks.set(id, new DeviceNetwork(header, arrays));
    return { ok: true, value: id };
  }

  unload(id: number): void {
    this.networks.get(id)?.dispose();
    this.networks.delete(id);
  }

  /** Runs a task; `arrays` carries the vector of an `hvp` task. Answers with JSON and arrays. */
  async run(id: number, task: DeviceTask, arrays: readonly Float32Array[] = []): Promise<DeviceOutcome<{ answer: DeviceAnswer; arrays: Float32Array[] }>> {
    const net = this.networks.get(id);
    if (net === undefined) return { ok: false, failure: { kind: 'input', message: `no model ${id} is loaded on the device` } };
    const problem = task.op === 'hvp' ? this.checkVector(net, arrays) : task.op === 'time-hvp' && !(task.reps >= 1) ? { kind: 'input' as const, message: `time-hvp needs at least 1 repetition, got ${task.reps}` } : null;
    if (problem !== null) return { ok: false, failure: problem };
    try {
      return { ok: true, value: await this.runOn(net, task, arrays) };
    } catch (e) {
      if (e instanceof NonFiniteError) return { ok: false, failure: { kind: 'non-finite', message: e.message, step: e.step } };
      throw e;
    }
  }

  private async runOn(net: DeviceNetwork, task: DeviceTask, arrays: readonly Float32Array[]): Promise<{ answer: DeviceAnswer; arrays: Float32Array[] }> {
    switch (task.op) {
      case 'loss': {
        const [loss] = await readScalars(net.lossValue());
        if (!Number.isFinite(loss)) throw new NonFiniteError(0, 'the loss');
        return { answer: { loss: loss as number }, arrays: [] };
      }
      case 'gradient': {
        const g = net.gradient();
        const out = await download(g);
        disposeVectors(g);
        if (out.some((a) => a.some((x) => !Number.isFinite(x)))) throw new NonFiniteError(0, 'the gradient');
        return { answer: {}, arrays: out };
      }
      case 'hvp': {
        const v = net.shapes.map((shape, i) => tf.tensor2d(arrays[i] as Float32Array, shape));
        const Hv = net.hvp(v);
        const out = await download(Hv);
        disposeVectors(v, Hv);
        if (out.some((a) => a.some((x) => !Number.isFinite(x)))) throw new NonFiniteError(0, 'the Hessian–vector product');
        return { answer: {}, arrays: out };
      }
      case 'lanczos': {
        const r = await deviceLanczos((v) => net.hvp(v), (seed) => randomVector(net.shapes, seed), net.dimension, task);
        const out: Float32Array[] = [];
        for (const y of r.eigenvectors) {
          out.push(...(await download(y)));
          disposeVectors(y);
        }
        const { eigenvalues, residuals, iterations, matvecs, restarts, converged } = r;
        return { answer: { eigenvalues, residuals, iterations, matvecs, restarts, converged }, arrays: out };
      }
      case 'time-hvp': {
        const v = randomVector(net.shapes, 1);
        const once = async (): Promise<void> => {
          const Hv = net.hvp(v);
          await readScalars(dot(Hv, Hv));
          disposeVectors(Hv);
        };
        await once();
        const t0 = performance.now();
        for (let i = 0; i < task.reps; i++) await once();
        disposeVectors(v);
        return { answer: { seconds: (performance.now() - t0) / 1000 / task.reps }, arrays: [] };
      }
    }
  }

  /** An input failure when `arrays` is not a vector of the model's parameter shapes. */
  private checkVector(net: DeviceNetwork, arrays: readonly Float32Array[]): DeviceFailure | null {
    if (arrays.length !== net.shapes.length) return { kind: 'input', message: `a vector needs ${net.shapes.length} arrays (one per layer), got ${arrays.length}` };
    for (let i = 0; i < arrays.length; i++) {
      const [r, c] = net.shapes[i] as [number, number];
      if ((arrays[i] as Float32Array).length !== r * c) return { kind: 'input', message: `vector array ${i + 1}: expected ${r}×${c} = ${r * c} entries, got ${(arrays[i] as Float32Array).length}` };
    }
    return null;
  }
}

/** float32 matrix-product throughput of the running backend: GFLOP/s for each size (`2n³` flops). */
export async function matmulThroughput(sizes: readonly number[], seconds: number): Promise<number[]> {
  const out: number[] = [];
  for (const n of sizes) {
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
    // The product is reduced on the device and one number read back, so the figure is the product's, not the transfer's.
    const once = async (): Promise<void> => {
      const c = tf.tidy(() => tf.sum(tf.matMul(a, b)));
      await c.data();
      c.dispose();
    };
    await once();
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000 || reps < 2) {
      await once();
      reps++;
    }
    out.push((2 * n ** 3 * reps) / ((performance.now() - t0) / 1000) / 1e9);
    tf.dispose([a, b]);
  }
  return out;
}
