import type { F64Kernel } from './kernel.js';
import { mulberry32 } from '../random/mulberry32.js';

/** A measured float64 matrix-product throughput. */
export interface GemmThroughput {
  readonly kernel: string;
  readonly threads: number;
  /** The product measured is `size × size` by `size × size`. */
  readonly size: number;
  /** Best of the timed runs: `2·size³ / seconds / 10⁹`. */
  readonly gflops: number;
  readonly seconds: number;
  readonly runs: number;
  /** All timed runs together: `runs · 2·size³ / total seconds / 10⁹` (what a busy machine leaves). */
  readonly meanGflops: number;
}

/**
 * Measures `kernel`'s float64 product on `size³` (random operands from a fixed seed): one untimed
 * run, then timed runs until `budgetSeconds` is spent (at least one, at most `maxRuns`); reports the
 * best and the mean.
 */
export function measureGemmGflops(kernel: F64Kernel, size = 512, budgetSeconds = 0.5, maxRuns = 20): GemmThroughput {
  const rng = mulberry32(512);
  const a = Float64Array.from({ length: size * size }, () => rng() * 2 - 1);
  const b = Float64Array.from({ length: size * size }, () => rng() * 2 - 1);
  const c = new Float64Array(size * size);
  kernel.gemm(false, false, size, size, size, 1, a, b, 0, c);
  let best = Infinity;
  let total = 0;
  let runs = 0;
  while (runs < maxRuns && (runs === 0 || total < budgetSeconds)) {
    const t0 = process.hrtime.bigint();
    kernel.gemm(false, false, size, size, size, 1, a, b, 0, c);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, s);
    total += s;
    runs++;
  }
  return { kernel: kernel.name, threads: kernel.threads(), size, gflops: (2 * size ** 3) / best / 1e9, seconds: best, runs, meanGflops: (runs * 2 * size ** 3) / total / 1e9 };
}
