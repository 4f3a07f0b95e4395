import { randomBytes } from 'node:crypto';
import { arrayShapes, parameterArrays, type DeviceFailure, type DeviceModelHeader, type DeviceTask } from './device/protocol.js';

/**
 * What the WebGL page may load, and how arrays cross into it, without any listening socket: every
 * request of the browser context is answered by {@link answerRequest} through Playwright's request
 * routing (nothing reaches a network stack), and results come back through `page.evaluate` (see
 * `browser-transport.ts`).
 *
 * The page lives at {@link PAGE_ORIGIN}, a name under `.invalid` (RFC 2606), which never resolves:
 * it exists only inside the routed browser context. Requests to any other origin are aborted, so
 * the page can reach nothing else either.
 */

/** The page's origin (https, so the page is a secure context). */
export const PAGE_ORIGIN = 'https://dln-hessian.invalid';

/** The page itself. */
export const PAGE_URL = `${PAGE_ORIGIN}/`;

/**
 * Bytes of one transfer chunk: a host array is served to the page in responses of at most this
 * size, and a result array is read back in pieces of at most this size (Playwright carries both as
 * base64 inside DevTools protocol messages, whose size is best kept far below the 256 MiB where
 * Chromium starts refusing them).
 */
export const CHUNK_BYTES = 16 * 2 ** 20;

/** The static files of the page. */
export interface PageFiles {
  readonly html: string;
  /** `@tensorflow/tfjs/dist/tf.min.js`. */
  readonly tfjs: Buffer;
  /** The device modules as one script (`buildPageBundle`). */
  readonly bundle: string;
}

/** How to answer one request of the page. */
export type RouteAnswer =
  | { readonly action: 'fulfill'; readonly status: number; readonly contentType: string; readonly body: string | Buffer }
  | { readonly action: 'abort' };

/** A staged host array as the page sees it: an unguessable id and its length in float32 entries. */
export interface StagedArray {
  readonly id: string;
  readonly length: number;
}

/** Number of chunks of an array of `bytes` bytes (an empty array still has one, empty, chunk). */
export function chunkCount(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / CHUNK_BYTES));
}

/**
 * Host arrays waiting for the page: each under a fresh random id (128 bits), each chunk served
 * once; an array is dropped when its last chunk has been served, or by {@link drop} when the call
 * that staged it ends, whichever comes first. Nothing is kept after it is taken.
 */
export class StagedArrays {
  private readonly arrays = new Map<string, { readonly bytes: Buffer; readonly unserved: Set<number> }>();

  stage(arrays: readonly Float32Array[]): StagedArray[] {
    return arrays.map((a) => {
      const id = randomBytes(16).toString('hex');
      const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      this.arrays.set(id, { bytes, unserved: new Set(Array.from({ length: chunkCount(bytes.byteLength) }, (_, k) => k)) });
      return { id, length: a.length };
    });
  }

  /** Chunk `k` of array `id`, or null when there is no such array or the chunk was served already. */
  take(id: string, k: number): Buffer | null {
    const entry = this.arrays.get(id);
    if (entry === undefined || !entry.unserved.delete(k)) return null;
    if (entry.unserved.size === 0) this.arrays.delete(id);
    return entry.bytes.subarray(k * CHUNK_BYTES, Math.min((k + 1) * CHUNK_BYTES, entry.bytes.byteLength));
  }

  drop(ids: readonly string[]): void {
    for (const id of ids) this.arrays.delete(id);
  }

  /** Number of arrays held. */
  get size(): number {
    return this.arrays.size;
  }
}

const ARRAY_PATH = /^\/array\/([0-9a-f]{32})\/(0|[1-9][0-9]{0,8})$/;

/**
 * The answer to a request of the page: the page, `tf.min.js`, the device bundle and the staged
 * arrays' chunks (GET only) on {@link PAGE_ORIGIN}; 404 or 405 for anything else there; abort for
 * every other origin.
 */
export function answerRequest(method: string, url: string, files: PageFiles, staged: StagedArrays): RouteAnswer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'abort' };
  }
  if (parsed.origin !== PAGE_ORIGIN) return { action: 'abort' };
  const text = (status: number, body: string): RouteAnswer => ({ action: 'fulfill', status, contentType: 'text/plain; charset=utf-8', body });
  if (method !== 'GET') return text(405, `${method} is not served`);
  if (parsed.search !== '') return text(404, 'not found');
  const path = parsed.pathname;
  if (path === '/') return { action: 'fulfill', status: 200, contentType: 'text/html; charset=utf-8', body: files.html };
  if (path === '/tf.min.js') return { action: 'fulfill', status: 200, contentType: 'text/javascript', body: files.tfjs };
  if (path === '/device.js') return { action: 'fulfill', status: 200, contentType: 'text/javascript; charset=utf-8', body: files.bundle };
  const m = ARRAY_PATH.exec(path);
  if (m !== null) {
    const chunk = staged.take(m[1] as string, Number(m[2]));
    return chunk === null ? text(404, 'no such staged array chunk') : { action: 'fulfill', status: 200, contentType: 'application/octet-stream', body: chunk };
  }
  return text(404, 'not found');
}

/** How many parameter-shaped vectors a task returns at most (gradient and HVP: exactly one). */
function resultVectors(task: DeviceTask): number {
  switch (task.op) {
    case 'gradient':
    case 'hvp':
      return 1;
    case 'lanczos':
      return task.eigenvectors === true ? task.k : 0;
    case 'loss':
    case 'time-hvp':
      return 0;
  }
}

/**
 * Checks the result arrays the page announces for `task` (their lengths in float32 entries) before
 * any is read: results are vectors in the model's parameter shapes, one per gradient or HVP and at
 * most `k` for Lanczos eigenvectors. Anything else is refused with the limit it broke.
 */
export function checkResultLengths(header: DeviceModelHeader, task: DeviceTask, lengths: readonly number[]): DeviceFailure | null {
  const shapes = arrayShapes(header).slice(0, parameterArrays(header));
  const dimension = shapes.reduce((s, [r, c]) => s + r * c, 0);
  const vectors = resultVectors(task);
  const exact = task.op === 'gradient' || task.op === 'hvp';
  const total = lengths.reduce((s, n) => s + n, 0);
  const fits =
    lengths.length % shapes.length === 0 &&
    (exact ? lengths.length === shapes.length : lengths.length <= vectors * shapes.length) &&
    lengths.every((n, i) => {
      const [r, c] = shapes[i % shapes.length] as [number, number];
      return n === r * c;
    });
  if (fits) return null;
  const limit = `${exact ? 'exactly' : 'at most'} ${vectors} vector${vectors === 1 ? '' : 's'} of the model's ${dimension} parameters (${vectors * dimension} float32 entries, ${4 * vectors * dimension} bytes) in ${shapes.length} arrays of the parameter shapes`;
  return {
    kind: 'limit',
    message: `the WebGL page announced ${lengths.length} result arrays of ${total} float32 entries (${4 * total} bytes) for the '${task.op}' task; its results are ${limit}; nothing was read`,
  };
}
