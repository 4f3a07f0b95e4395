/**
 * Spreads the primes of the multi-modular characteristic polynomial over threads: the calling thread
 * and up to `threads − 1` worker threads claim prime indices from one atomic counter and write their
 * residues into one shared buffer, and the caller waits synchronously (`Atomics.wait`), so the
 * exact API stays synchronous. The pool is created on first use, never holds more threads than
 * {@link charpolyThreads} allows (environment `DLN_THREADS`, default the available cores, never more),
 * its workers do not keep the process alive (`unref`), and {@link shutdownCharpolyPool} ends them.
 * Results do not depend on the thread count: each prime's residues are computed by the same code.
 *
 * Worker threads run the compiled module `charpoly-worker.js`; where it is absent (sources run through
 * a TypeScript transform, e.g. in unit tests) everything runs on the calling thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors/input-error.js';
import { charpolyResidues, type CharpolyJob, type ResidueStats } from './charpoly-residues.js';

/** `DLN_THREADS` is not a positive integer. */
export class ThreadSettingError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadSettingError';
  }
}

/** A worker thread failed or stopped answering; the message says which and why. */
export class WorkerThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerThreadError';
  }
}

/** The message a worker receives (see `charpoly-worker.ts`). */
export interface PoolRequest {
  readonly job: CharpolyJob;
  readonly primes: readonly number[];
  /** `Float64Array` of `primes.length · (n + 1)` residues. */
  readonly out: SharedArrayBuffer;
  /** `Int32Array[1]`: the next prime index to claim. */
  readonly counter: SharedArrayBuffer;
  /** `Int32Array[workers]`: 0 running, 1 done, 2 failed. */
  readonly flags: SharedArrayBuffer;
  /** `Int32Array[2 · workers]`: Lanczos and Hessenberg counts per worker. */
  readonly stats: SharedArrayBuffer;
  /** `Uint8Array[512 · workers]`: error text of a failed worker. */
  readonly errors: SharedArrayBuffer;
  readonly slot: number;
}

const ERROR_BYTES = 512;
/** Work (`n³ · primes`) below which threads are not worth their start-up. */
const MIN_PARALLEL_WORK = 4e7;

/**
 * Threads the exact kernels may use: `DLN_THREADS` when set (a positive integer), else the available
 * cores; never more than the available cores.
 *
 * @throws ThreadSettingError when `DLN_THREADS` is set but not a positive integer.
 */
export function charpolyThreads(): number {
  const cores = Math.max(1, availableParallelism());
  const raw = process.env.DLN_THREADS;
  if (raw === undefined || raw.trim() === '') return cores;
  if (!/^\s*\d+\s*$/.test(raw) || Number(raw) < 1) {
    throw new ThreadSettingError(`DLN_THREADS must be a positive integer (threads, at most ${cores} here), got ${JSON.stringify(raw)}`);
  }
  return Math.min(Number(raw), cores);
}

const workers: Worker[] = [];

function workerFile(): string | null {
  const file = join(__dirname, 'charpoly-worker.js');
  return __filename.endsWith('.js') && existsSync(file) ? file : null;
}

/** Live workers, created as needed up to `count`; dead ones are replaced. */
function ensureWorkers(count: number, file: string): Worker[] {
  for (let i = workers.length - 1; i >= 0; i--) if ((workers[i] as Worker).threadId === -1) workers.splice(i, 1);
  while (workers.length < count) {
    const w = new Worker(file);
    w.unref();
    // Errors surface through the shared flags; keep an unhandled 'error' event from killing the process.
    w.on('error', () => undefined);
    workers.push(w);
  }
  return workers.slice(0, count);
}

/** Ends the pool's worker threads (a later call creates new ones). */
export async function shutdownCharpolyPool(): Promise<void> {
  const all = workers.splice(0, workers.length);
  await Promise.all(all.map((w) => w.terminate()));
}

/** How {@link computeResidues} ran. */
export interface ResidueRun extends ResidueStats {
  /** Threads that took part (the calling thread included). */
  readonly threads: number;
}

/**
 * `det(tI − Ã) mod p` for every prime, low → high, in `out[q(n + 1) + k]`; in parallel when the work
 * is large enough and worker threads are available.
 *
 * @throws ThreadSettingError on a bad `DLN_THREADS`; WorkerThreadError when a worker fails or exits.
 */
export function computeResidues(job: CharpolyJob, primes: readonly number[], threads = charpolyThreads()): { residues: Float64Array; run: ResidueRun } {
  const n = job.n;
  const size = primes.length * (n + 1);
  const file = workerFile();
  const work = n * n * n * primes.length;
  const helpers = file === null || work < MIN_PARALLEL_WORK ? 0 : Math.min(threads - 1, primes.length - 1);
  if (helpers <= 0) {
    const residues = new Float64Array(size);
    const s = charpolyResidues(job, primes, residues);
    return { residues, run: { ...s, threads: 1 } };
  }
  const out = new SharedArrayBuffer(8 * size);
  const counter = new SharedArrayBuffer(4);
  const flags = new SharedArrayBuffer(4 * helpers);
  const stats = new SharedArrayBuffer(8 * helpers);
  const errors = new SharedArrayBuffer(ERROR_BYTES * helpers);
  const pool = ensureWorkers(helpers, file as string);
  pool.forEach((w, slot) => {
    const msg: PoolRequest = { job, primes, out, counter, flags, stats, errors, slot };
    w.postMessage(msg);
  });
  const ctr = new Int32Array(counter);
  const residues = new Float64Array(out);
  const own = charpolyResidues(job, primes, residues, () => Atomics.add(ctr, 0, 1));
  const flagArr = new Int32Array(flags);
  const failures: string[] = [];
  pool.forEach((w, slot) => {
    for (;;) {
      Atomics.wait(flagArr, slot, 0, 250);
      if (Atomics.load(flagArr, slot) !== 0) break;
      if (w.threadId === -1) {
        failures.push(`worker ${slot + 1} exited before finishing`);
        return;
      }
    }
    if (Atomics.load(flagArr, slot) === 2) {
      const bytes = new Uint8Array(errors, slot * ERROR_BYTES, ERROR_BYTES);
      const end = bytes.indexOf(0);
      failures.push(`worker ${slot + 1}: ${new TextDecoder().decode(bytes.slice(0, end < 0 ? ERROR_BYTES : end))}`);
    }
  });
  if (failures.length > 0) {
    throw new WorkerThreadError(`characteristic polynomial: worker thread failed (${failures.join('; ')}); rerun with DLN_THREADS=1 to use the calling thread only`);
  }
  const st = new Int32Array(stats);
  let lanczos = own.lanczos;
  let hessenberg = own.hessenberg;
  for (let slot = 0; slot < helpers; slot++) {
    lanczos += st[2 * slot] as number;
    hessenberg += st[2 * slot + 1] as number;
  }
  return { residues: residues.slice(), run: { lanczos, hessenberg, threads: helpers + 1 } };
}
