import { arch, cpus, platform } from 'node:os';
import { measureGemmGflops, type GemmThroughput } from './measure.js';
import { activeKernel, availableCores, availableKernels, configuredThreads, kernelNotices, kernelStatuses, type KernelStatus } from './registry.js';

/** What `dln-hessian info` reports. */
export interface InfoReport {
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cores: number;
  readonly kernel: { readonly name: string; readonly description: string };
  /** `configured`: from --threads, DLN_THREADS or the cores; `active`: what the active kernel uses. */
  readonly threads: { readonly configured: number; readonly active: number };
  /**
   * Where the dense decompositions (symmetric eigen, SVD) run: the active kernel's LAPACK (e.g.
   * `dsyevd, dgesdd from OpenBLAS 0.3.21 (symmetric eigen, SVD)`), else the JavaScript solvers.
   */
  readonly decompositions: string;
  /** The active kernel's throughput first, then (with --all) the others'. */
  readonly measured: readonly GemmThroughput[];
  readonly kernels: readonly KernelStatus[];
  /** One line per kernel that failed to load and per notice about the choice. */
  readonly notices: readonly string[];
}

/** Gathers the report, measuring the float64 product at `size³` (about half a second per kernel). */
export function infoReport(size: number, all: boolean): InfoReport {
  const active = activeKernel();
  const measured = [measureGemmGflops(active, size)];
  if (all) {
    for (const k of availableKernels()) {
      if (k === active) continue;
      k.setThreads(configuredThreads());
      measured.push(measureGemmGflops(k, size));
    }
  }
  const notices = [
    ...kernelStatuses()
      .filter((s) => !s.available)
      .map((s) => `the ${s.name} kernel did not load: ${s.reason ?? 'unknown reason'}`),
    ...kernelNotices(),
  ];
  return {
    node: process.version,
    platform: `${platform()}/${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableCores(),
    kernel: { name: active.name, description: active.description },
    threads: { configured: configuredThreads(), active: active.threads() },
    decompositions:
      active.lapack !== undefined && active.symmetricEigen !== undefined && active.svd !== undefined
        ? `dsyevd, dgesdd from ${active.lapack} (symmetric eigen, SVD)`
        : `none in the ${active.name} kernel: symmetric eigen and SVD run in JavaScript`,
    measured,
    kernels: kernelStatuses(),
    notices,
  };
}
