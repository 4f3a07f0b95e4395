/**
 * The WebAssembly SIMD (f64x2) float64 kernel, compiled from `src/kernels/wasm/gemm.as.ts` by
 * AssemblyScript during `npm run build` into `dist/src/kernels/wasm/gemm.wasm`. The module needs no
 * imports, so it runs in Node and in a browser alike: Node loads it from disk
 * (`loadWasmKernel` in `wasm-loader.ts`); a browser passes the bytes it fetched to {@link wasmKernelFromBytes}
 * (or {@link wasmKernelFromModule} after `WebAssembly.compileStreaming`).
 *
 * Operands are copied into the module's linear memory for each call (`O(mk + kn + mn)` against
 * `O(mnk)` work) and the result copied back. Single-threaded. This module imports nothing from
 * Node, so a browser bundle can include it.
 */
import type { F64Kernel } from './kernel.js';

/**
 * The part of the WebAssembly JavaScript API used here (the project's `lib` setting has no DOM and
 * `@types/node` 20 does not declare it; Node and browsers both provide it at run time).
 */
// A global the platform provides; a namespace is the only way to declare its classes and types together.
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Exports;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  type Exports = Record<string, unknown>;
  function validate(bytes: Uint8Array): boolean;
}

interface WasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  packBytes(): number;
  gemm(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, a: number, b: number, beta: number, c: number, work: number): void;
  gemv(t: boolean, m: number, n: number, alpha: number, a: number, x: number, beta: number, y: number): void;
}

const PAGE = 65536;
const align64 = (x: number): number => Math.ceil(x / 64) * 64;

/** The kernel over an instantiated module. */
function kernelOf(ex: WasmExports): F64Kernel {
  const base = align64(ex.heapBase());
  const work = ex.packBytes();
  /** Makes the memory at least `bytes` long; returns a fresh view (growing detaches old ones). */
  const ensure = (bytes: number): Float64Array => {
    const have = ex.memory.buffer.byteLength;
    if (have < bytes) {
      const pages = Math.ceil((bytes - have) / PAGE);
      try {
        ex.memory.grow(pages);
      } catch (e) {
        throw new RangeError(`WebAssembly kernel: cannot grow memory to ${(bytes / 2 ** 20).toFixed(0)} MiB (${e instanceof Error ? e.message : String(e)}); use a smaller problem or another kernel`);
      }
    }
    return new Float64Array(ex.memory.buffer);
  };
  return {
    name: 'wasm',
    description: 'WebAssembly SIMD f64x2 (AssemblyScript, packed 4×4 micro-kernel, single-threaded)',
    maxThreads: 1,
    setThreads: () => undefined,
    threads: () => 1,
    gemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
      const aOff = base + work;
      const bOff = align64(aOff + m * k * 8);
      const cOff = align64(bOff + k * n * 8);
      const mem = ensure(cOff + m * n * 8);
      mem.set(a.subarray(0, m * k), aOff / 8);
      mem.set(b.subarray(0, k * n), bOff / 8);
      if (beta !== 0) mem.set(c.subarray(0, m * n), cOff / 8);
      ex.gemm(ta, tb, m, n, k, alpha, aOff, bOff, beta, cOff, base);
      c.set(new Float64Array(ex.memory.buffer, cOff, m * n));
    },
    gemv(t, m, n, alpha, a, x, beta, y) {
      const lx = t ? m : n;
      const ly = t ? n : m;
      const aOff = base;
      const xOff = align64(aOff + m * n * 8);
      const yOff = align64(xOff + lx * 8);
      const mem = ensure(yOff + ly * 8);
      mem.set(a.subarray(0, m * n), aOff / 8);
      mem.set(x.subarray(0, lx), xOff / 8);
      if (beta !== 0) mem.set(y.subarray(0, ly), yOff / 8);
      ex.gemv(t, m, n, alpha, aOff, xOff, beta, yOff);
      y.set(new Float64Array(ex.memory.buffer, yOff, ly));
    },
  };
}

function checkExports(e: WebAssembly.Exports): WasmExports {
  for (const f of ['heapBase', 'packBytes', 'gemm', 'gemv']) {
    if (typeof e[f] !== 'function') throw new Error(`the WebAssembly module lacks ${f}() (a stale or foreign gemm.wasm?)`);
  }
  if (!(e.memory instanceof WebAssembly.Memory)) throw new Error('the WebAssembly module exports no memory');
  return e as unknown as WasmExports;
}

/** The kernel over a compiled module (e.g. from `WebAssembly.compileStreaming(fetch(url))` in a browser). */
export function wasmKernelFromModule(module: WebAssembly.Module): F64Kernel {
  return kernelOf(checkExports(new WebAssembly.Instance(module, {}).exports));
}

/**
 * The kernel from the bytes of `gemm.wasm`, compiled synchronously (in a browser's main thread,
 * prefer `WebAssembly.compile` and {@link wasmKernelFromModule}: browsers limit synchronous compiles there).
 */
export function wasmKernelFromBytes(bytes: ArrayBuffer | Uint8Array): F64Kernel {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (!WebAssembly.validate(view)) throw new Error('not a valid WebAssembly module (or this engine lacks SIMD)');
  return wasmKernelFromModule(new WebAssembly.Module(view));
}
