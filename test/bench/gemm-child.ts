/**
 * A child process of the `kernels` bench's side-by-side case: measures the active kernel's float64
 * product at SIZE³ for about SECONDS with the default thread count (or DLN_THREADS) and prints one
 * JSON line. Started as `node dist/test/bench/gemm-child.js SIZE SECONDS`.
 */
import { measureGemmGflops } from '../../src/kernels/measure.js';
import { activeKernel } from '../../src/kernels/registry.js';

const size = Number(process.argv[2] ?? 1024);
const seconds = Number(process.argv[3] ?? 3);
const t0 = Date.now();
const r = measureGemmGflops(activeKernel(), size, seconds, 10_000);
process.stdout.write(`${JSON.stringify({ ...r, wallSeconds: (Date.now() - t0) / 1000 })}\n`);
