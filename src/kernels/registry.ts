/**
 * Which float64 kernel runs, chosen once: the first that loads of native BLAS, WebAssembly SIMD and
 * the JavaScript reference — or the one named by the environment variable `DLN_KERNEL`
 * (`native | wasm | js`) or by {@link useKernel}. A kernel that fails to load is recorded with the
 * reason ({@link kernelStatuses}) and never fails a computation: the next one is used.
 *
 * Threads: {@link setThreads}, else `DLN_THREADS`, else the available cores
 * (`os.availableParallelism()`); never more than the available cores, so that threads are not
 * oversubscribed. Only the native kernel is multi-threaded (OpenBLAS threads); the WebAssembly and
 * JavaScript kernels use one thread.
 */
import { availableParallelism } from 'node:os';
import { InputError } from '../errors/input-error.js';
import { jsKernel } from './js-kernel.js';
import { KERNEL_NAMES, type F64Kernel, type KernelName } from './kernel.js';
import { loadNativeKernel } from './native-kernel.js';
import { loadWasmKernel } from './wasm-loader.js';

/** A kernel name or thread count that is not acceptable (bad `DLN_KERNEL`, `DLN_THREADS`, `--threads`). */
export class KernelSettingError extends InputError {}

/** Whether a kernel loaded, and why not. */
export interface KernelStatus {
  readonly name: KernelName;
  readonly available: boolean;
  /** What runs underneath, when available. */
  readonly description?: string;
  /** Why it did not load, when not available. */
  readonly reason?: string;
}

interface State {
  readonly kernels: ReadonlyMap<KernelName, F64Kernel>;
  readonly statuses: readonly KernelStatus[];
  readonly notices: string[];
  active: F64Kernel;
  threads: number;
}

let state: State | undefined;
let requestedThreads: number | undefined;

/** Cores this process may use (`os.availableParallelism()`). */
export function availableCores(): number {
  return Math.max(1, availableParallelism());
}

/** A thread count from text (`--threads`, `DLN_THREADS`), checked against the available cores. */
export function parseThreadCount(text: string, source: string): number {
  const cores = availableCores();
  if (!/^\s*\d+\s*$/.test(text)) throw new KernelSettingError(`${source} must be a whole number of threads from 1 to ${cores} (the available cores), got "${text}"`);
  return checkThreads(Number(text), source);
}

function checkThreads(n: number, source: string): number {
  const cores = availableCores();
  if (!Number.isSafeInteger(n) || n < 1 || n > cores) {
    throw new KernelSettingError(`${source} = ${n}: the thread count must be from 1 to ${cores} (the available cores; more would oversubscribe them)`);
  }
  return n;
}

function isKernelName(s: string): s is KernelName {
  return (KERNEL_NAMES as readonly string[]).includes(s);
}

function load(name: KernelName): F64Kernel {
  if (name === 'native') return loadNativeKernel(availableCores());
  if (name === 'wasm') return loadWasmKernel();
  return jsKernel;
}

function applyThreads(k: F64Kernel, n: number): void {
  try {
    k.setThreads(n);
  } catch (e) {
    throw new Error(`the ${k.name} kernel could not be set to ${n} thread${n === 1 ? '' : 's'}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function init(): State {
  if (state !== undefined) return state;
  const kernels = new Map<KernelName, F64Kernel>();
  const statuses: KernelStatus[] = [];
  for (const name of KERNEL_NAMES) {
    try {
      const k = load(name);
      kernels.set(name, k);
      statuses.push({ name, available: true, description: k.description });
    } catch (e) {
      statuses.push({ name, available: false, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  const notices: string[] = [];
  const env = process.env.DLN_KERNEL?.trim();
  let active: F64Kernel = kernels.get('native') ?? kernels.get('wasm') ?? jsKernel;
  if (env !== undefined && env !== '') {
    if (!isKernelName(env)) throw new KernelSettingError(`DLN_KERNEL="${env}" is not a kernel (use one of ${KERNEL_NAMES.join(', ')})`);
    const chosen = kernels.get(env);
    if (chosen !== undefined) active = chosen;
    else notices.push(`DLN_KERNEL=${env} asked for a kernel that did not load; using ${active.name}`);
  }
  const envThreads = process.env.DLN_THREADS;
  const threads = requestedThreads ?? (envThreads !== undefined && envThreads.trim() !== '' ? parseThreadCount(envThreads, 'DLN_THREADS') : availableCores());
  applyThreads(active, threads);
  state = { kernels, statuses, notices, active, threads };
  return state;
}

/** The kernel every float64 product runs on (chosen on first use). */
export function activeKernel(): F64Kernel {
  return (state ?? init()).active;
}

/** Every kernel that loaded, fastest first. */
export function availableKernels(): F64Kernel[] {
  const s = state ?? init();
  return KERNEL_NAMES.flatMap((n) => {
    const k = s.kernels.get(n);
    return k === undefined ? [] : [k];
  });
}

/** Whether each kernel loaded, with the reason when it did not. */
export function kernelStatuses(): readonly KernelStatus[] {
  return (state ?? init()).statuses;
}

/** Notices about the choice (e.g. `DLN_KERNEL` named a kernel that did not load). */
export function kernelNotices(): readonly string[] {
  return (state ?? init()).notices;
}

/**
 * Makes `name` the active kernel (with the configured thread count) and returns it. Throws
 * {@link KernelSettingError} when that kernel did not load (see {@link kernelStatuses} for why).
 */
export function useKernel(name: KernelName): F64Kernel {
  const s = state ?? init();
  if (!isKernelName(name)) throw new KernelSettingError(`"${String(name)}" is not a kernel (use one of ${KERNEL_NAMES.join(', ')})`);
  const k = s.kernels.get(name);
  if (k === undefined) {
    const why = s.statuses.find((t) => t.name === name)?.reason ?? 'not loaded';
    throw new KernelSettingError(`the ${name} kernel is not available: ${why}`);
  }
  applyThreads(k, s.threads);
  s.active = k;
  return k;
}

/**
 * Sets the thread count of the float64 kernels (1 to the available cores); takes precedence over
 * `DLN_THREADS`. Throws {@link KernelSettingError} outside that range.
 */
export function setThreads(n: number): void {
  const t = checkThreads(n, 'threads');
  requestedThreads = t;
  if (state !== undefined) {
    state.threads = t;
    applyThreads(state.active, t);
  }
}

/** The configured thread count (what `--threads`/`DLN_THREADS`/the cores gave). */
export function configuredThreads(): number {
  return (state ?? init()).threads;
}

/** Threads the active kernel actually uses (1 for the single-threaded kernels). */
export function activeThreads(): number {
  return activeKernel().threads();
}
