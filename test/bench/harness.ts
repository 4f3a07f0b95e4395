import { mulberry32 } from '../../src/random/mulberry32.js';
import { activeKernel, availableKernels, kernelNotices, useKernel } from '../../src/kernels/registry.js';
import type { KernelName } from '../../src/kernels/kernel.js';
/**
 * A small benchmark harness: cases are plain objects collected in exported lists (no global registry
 * filled by side effects); `run.ts` runs them and writes the report.
 */

/** A headline figure of a case, e.g. `{ name: 'throughput', value: 4.7, unit: 'GFLOP/s' }`. */
export interface BenchMetric {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** What one case measured. */
export interface BenchMeasurement {
  /** The representative time of one repetition (the best of the timed repetitions unless noted). */
  readonly seconds: number;
  readonly metric?: BenchMetric;
  /** A stated performance target and whether this run met it. */
  readonly target?: { readonly description: string; readonly met: boolean };
  readonly notes?: string;
  /**
   * Peak resident set size sampled while the case ran, in MiB. It is the whole process's RSS, which
   * rarely shrinks: it includes what earlier cases left behind (run one case with `--filter` to isolate).
   */
  readonly peakRssMiB?: number;
}

/** One benchmark case. */
export interface BenchCase {
  readonly name: string;
  readonly group: string;
  run(): BenchMeasurement | Promise<BenchMeasurement>;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Untimed runs first (JIT warm-up). Default 1. */
  readonly warmup?: number;
  /** Timed runs. Default 5. */
  readonly repetitions?: number;
  /** Stop repeating (after at least one timed run) once the timed runs have taken this long. Default 10 s. */
  readonly maxSeconds?: number;
}

/** The timings of {@link measure}. */
export interface Timing<T> {
  /** Fastest timed run, in seconds. */
  readonly best: number;
  /** Median timed run, in seconds. */
  readonly median: number;
  /** Every timed run, in seconds, in order. */
  readonly samples: readonly number[];
  /** Peak RSS sampled before and after every run, in MiB. */
  readonly peakRssMiB: number;
  /** The value the last run returned (keep it alive so the work cannot be optimised away; check it). */
  readonly result: T;
}

/** Monotonic clock in seconds (`process.hrtime.bigint`). */
export function nowSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Current resident set size in MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Runs `fn` `warmup` times untimed, then up to `repetitions` times timed with `process.hrtime.bigint()`,
 * sampling `process.memoryUsage().rss` around every run. Synchronous work only (a timer cannot fire
 * during it, so RSS is sampled between runs).
 */
export function measure<T>(fn: () => T, options: MeasureOptions = {}): Timing<T> {
  const warmup = options.warmup ?? 1;
  const repetitions = Math.max(1, options.repetitions ?? 5);
  const maxSeconds = options.maxSeconds ?? 10;
  let peak = rssMiB();
  let result: T | undefined;
  let haveResult = false;
  for (let w = 0; w < warmup; w++) {
    result = fn();
    haveResult = true;
    peak = Math.max(peak, rssMiB());
  }
  const samples: number[] = [];
  let total = 0;
  for (let r = 0; r < repetitions; r++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    haveResult = true;
    samples.push(s);
    total += s;
    peak = Math.max(peak, rssMiB());
    if (total >= maxSeconds) break;
  }
  if (!haveResult) throw new Error('measure: no run');
  return { best: Math.min(...samples), median: median(samples), samples, peakRssMiB: peak, result: result as T };
}

/** GFLOP/s of an `m×k` by `k×n` product (2mnk floating-point operations) taking `seconds`. */
export function gemmGflops(m: number, n: number, k: number, seconds: number): number {
  return (2 * m * n * k) / seconds / 1e9;
}

/** A deterministic uniform generator on [0, 1) (mulberry32), so every run benchmarks the same data. */
export const seededRandom = mulberry32;

/** A uniform integer in `[lo, hi]`. */
export function randomInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Human-readable duration: `812 µs`, `41.3 ms`, `2.51 s`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

/** A metric as table text: `4.71 GFLOP/s (throughput)`. */
export function formatMetric(m: BenchMetric | undefined): string {
  if (m === undefined) return '';
  if (m.unit === 's') return `${formatSeconds(m.value)} (${m.name})`;
  const v = Math.abs(m.value) >= 1000 || (Math.abs(m.value) < 0.01 && m.value !== 0) ? m.value.toExponential(2) : m.value.toPrecision(3);
  return `${v} ${m.unit} (${m.name})`;
}

/**
 * The same case on another float64 kernel (e.g. `'wasm'`, the kernel a browser gets): group and name
 * say which; the kernel active before is restored afterwards. When the kernel is not available the
 * case reports why instead of a time.
 */
export function onKernel(kernel: KernelName, c: BenchCase): BenchCase {
  return {
    group: c.group,
    name: `${c.name} [${kernel} kernel]`,
    async run(): Promise<BenchMeasurement> {
      const before = activeKernel().name;
      if (!availableKernels().some((k) => k.name === kernel)) return { seconds: NaN, notes: `skipped: the ${kernel} kernel is not available here (${kernelNotices().join('; ')})` };
      useKernel(kernel);
      try {
        const m = await c.run();
        // A target stated for the default kernel is not this variant's; keep it as information only.
        const { target, ...rest } = m;
        return { ...rest, notes: `${rest.notes ?? ''}${target !== undefined ? `${rest.notes !== undefined ? '; ' : ''}(default-kernel target ${target.description}: ${target.met ? 'would be met' : 'would not be met'})` : ''}` };
      } finally {
        useKernel(before);
      }
    },
  };
}
