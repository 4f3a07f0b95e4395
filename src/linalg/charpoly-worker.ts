/**
 * Worker-thread entry of the characteristic-polynomial pool (`charpoly-pool.ts`): each request names
 * an integer matrix, the primes, and shared buffers; the worker claims prime indices from the shared
 * counter, writes the residues into the shared output, then raises its flag (1 done, 2 failed, with
 * the message in the shared error buffer).
 */
import { parentPort } from 'node:worker_threads';
import { charpolyResidues } from './charpoly-residues.js';
import type { PoolRequest } from './charpoly-pool.js';

const port = parentPort;
if (port === null) throw new Error('charpoly-worker must run in a worker thread');

port.on('message', (msg: PoolRequest) => {
  const flags = new Int32Array(msg.flags);
  const stats = new Int32Array(msg.stats);
  const counter = new Int32Array(msg.counter);
  let code = 1;
  try {
    const s = charpolyResidues(msg.job, msg.primes, new Float64Array(msg.out), () => Atomics.add(counter, 0, 1));
    stats[2 * msg.slot] = s.lanczos;
    stats[2 * msg.slot + 1] = s.hessenberg;
  } catch (e) {
    code = 2;
    const text = new TextEncoder().encode(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    const errors = new Uint8Array(msg.errors, msg.slot * ERROR_BYTES, ERROR_BYTES);
    errors.set(text.subarray(0, ERROR_BYTES));
  }
  Atomics.store(flags, msg.slot, code);
  Atomics.notify(flags, msg.slot);
});

/** Bytes of error text per worker (kept equal to the pool's constant). */
const ERROR_BYTES = 512;
