import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname, join } from 'node:path';
import { DeviceRuntime, matmulThroughput } from './device/runtime.js';
import { BackendUnavailableError, type DeviceTransport } from './transport.js';

/** Points tfjs's wasm backend (registered by the import above) at the `.wasm` files of the installed package. */
function locateWasmFiles(): void {
  // The package main is …/dist/tf-backend-wasm.node.js; the .wasm binaries sit beside it.
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
}

/**
 * The cpu or wasm backend in this process. tfjs keeps one global engine, so one in-process
 * backend is active at a time: starting one switches the engine to it.
 */
export async function startNodeTransport(backend: 'cpu' | 'wasm'): Promise<DeviceTransport> {
  // tfjs's "install tfjs-node" banner and its debug checks: off (non-finite values are checked here).
  tf.env().set('PROD', true);
  if (backend === 'wasm') locateWasmFiles();
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (e) {
    throw new BackendUnavailableError(backend, `the ${backend} backend of TensorFlow.js failed to start: ${(e as Error).message}`);
  }
  if (!ok || tf.getBackend() !== backend) {
    throw new BackendUnavailableError(backend, `the ${backend} backend of TensorFlow.js did not start (tfjs is running '${tf.getBackend()}')`);
  }
  const runtime = new DeviceRuntime();
  const info = runtime.info();
  return {
    info,
    load: async (header, arrays) => runtime.load(header, arrays),
    run: (id, task, arrays) => runtime.run(id, task, arrays),
    matmulThroughput: (sizes, seconds) => matmulThroughput(sizes, seconds),
    unload: async (id) => runtime.unload(id),
    close: async () => undefined,
  };
}
