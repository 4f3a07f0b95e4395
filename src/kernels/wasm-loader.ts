/** Loading the WebAssembly kernel from disk in Node (the browser path is `wasm-kernel.ts` alone). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { F64Kernel } from './kernel.js';
import { packageRoot } from './package-root.js';
import { wasmKernelFromBytes } from './wasm-kernel.js';

/** Where Node looks for `gemm.wasm`: `DLN_WASM_KERNEL`, next to this module, then the package's dist folder. */
export function wasmBinaryCandidates(): string[] {
  const out: string[] = [];
  const env = process.env.DLN_WASM_KERNEL;
  if (env !== undefined && env !== '') out.push(env);
  if (typeof __dirname === 'string') out.push(join(__dirname, 'wasm', 'gemm.wasm'));
  const root = packageRoot();
  if (root !== undefined) out.push(join(root, 'dist', 'src', 'kernels', 'wasm', 'gemm.wasm'));
  return out;
}

/** Loads the WebAssembly kernel in Node; throws an `Error` saying why when it is not built or does not load. */
export function loadWasmKernel(): F64Kernel {
  const candidates = wasmBinaryCandidates();
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) throw new Error(`gemm.wasm not built (looked in ${candidates.join(', ')}; \`npm run build\` compiles it)`);
  try {
    return wasmKernelFromBytes(readFileSync(path));
  } catch (e) {
    throw new Error(`${path} does not load: ${e instanceof Error ? e.message : String(e)}`);
  }
}
