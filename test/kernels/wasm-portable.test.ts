/**
 * The WebAssembly kernel's module is browser-safe: it imports nothing from Node, and a kernel made
 * from the bytes alone (`wasmKernelFromBytes`, what a page does after fetching gemm.wasm) computes a
 * product checked by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wasmBinaryCandidates } from '../../src/kernels/wasm-loader.js';
import { wasmKernelFromBytes } from '../../src/kernels/wasm-kernel.js';

describe('WebAssembly kernel outside Node', () => {
  it('wasm-kernel.ts imports only the kernel interface (no node: modules)', () => {
    const src = readFileSync(join(__dirname, '..', '..', 'src', 'kernels', 'wasm-kernel.ts'), 'utf8');
    const imports = [...src.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['./kernel.js']);
  });

  const path = wasmBinaryCandidates().find((p) => existsSync(p));
  (path === undefined ? it.skip : it)('a kernel from the bytes of gemm.wasm computes Aᵀ B for A = [[1,3],[2,4]], B = [[5,7],[6,8]] (hand-computed)', () => {
    const k = wasmKernelFromBytes(new Uint8Array(readFileSync(path as string)));
    // A = [[1,3],[2,4]] column-major [1,2,3,4]; Aᵀ = [[1,2],[3,4]]; B = [[5,7],[6,8]] column-major [5,6,7,8].
    // Aᵀ B = [[1·5+2·6, 1·7+2·8], [3·5+4·6, 3·7+4·8]] = [[17, 23], [39, 53]] → column-major [17, 39, 23, 53].
    const c = new Float64Array(4);
    k.gemm(true, false, 2, 2, 2, 1, Float64Array.from([1, 2, 3, 4]), Float64Array.from([5, 6, 7, 8]), 0, c);
    expect(Array.from(c)).toEqual([17, 39, 23, 53]);
  });
});
