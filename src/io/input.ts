/**
 * The one input reader: every file dln-hessian reads (model files, data files, `--vector` and
 * `--directions` files, plot data) goes through {@link readInputBytes} / {@link readInputText}.
 *
 * - Only regular files are read: directories, FIFOs, devices (`/dev/zero`, `/dev/urandom`) and
 *   sockets are refused up front, before anything could block.
 * - The size limit is enforced on the bytes actually read, not on the size the file system reports
 *   (a file that grows while it is read, or a `/proc` file that reports 0, cannot get past it).
 * - Problems are {@link InputFileError}s (exit 2) in words: a missing file, a directory on the way
 *   that cannot be searched, a file that is not readable, not UTF-8, too large.
 * - Every file read is recorded (src/io/registry.ts) so that no output of the run overwrites it.
 */
import { accessSync, closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors/input-error.js';
import { describeSystemError, errnoCode, quotePath } from './output.js';
import { noteInputRead } from './registry.js';

/** An input file that cannot be read: missing, unreadable, special, too large or not UTF-8. */
export class InputFileError extends InputError {
  constructor(
    readonly path: string,
    message: string,
    readonly code?: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'InputFileError';
  }
}

/** How to read one input. */
export interface ReadOptions {
  /** What the file is, for messages: `model file`, `vector file`, … */
  readonly what: string;
  /** Largest number of bytes read; more is refused. */
  readonly maxBytes: number;
  /** The flag that raises {@link ReadOptions.maxBytes}, when there is one. */
  readonly limitFlag?: string;
}

/** `n` bytes in words: `268435456 bytes (256 MiB)`. */
export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${n} bytes (${(n / 2 ** 30).toFixed(n % 2 ** 30 === 0 ? 0 : 1)} GiB)`;
  if (n >= 2 ** 20) return `${n} bytes (${(n / 2 ** 20).toFixed(n % 2 ** 20 === 0 ? 0 : 1)} MiB)`;
  if (n >= 2 ** 10) return `${n} bytes (${(n / 2 ** 10).toFixed(n % 2 ** 10 === 0 ? 0 : 1)} KiB)`;
  return `${n} bytes`;
}

function kindOf(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'it is a directory';
  if (st.isFIFO()) return 'it is a FIFO (named pipe); save the data to a regular file first';
  if (st.isCharacterDevice()) return 'it is a character device; give a regular file';
  if (st.isBlockDevice()) return 'it is a block device; give a regular file';
  if (st.isSocket()) return 'it is a socket; give a regular file';
  return 'it is not a regular file';
}

/** The first directory above `path` that cannot be searched (no execute permission), if any. */
function unsearchableAncestor(path: string): string | undefined {
  const chain: string[] = [];
  for (let d = dirname(resolve(path)); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    try {
      accessSync(d, constants.X_OK);
    } catch {
      return d;
    }
  }
  return undefined;
}

function whyNotFound(path: string, e: unknown): string {
  const code = errnoCode(e);
  if (code === 'ENOENT') {
    const parent = dirname(resolve(path));
    try {
      if (!statSync(parent).isDirectory()) return `${quotePath(parent)} is not a directory`;
    } catch {
      return `no such file (the directory ${quotePath(parent)} does not exist)`;
    }
    return 'no such file';
  }
  if (code === 'EACCES') {
    const d = unsearchableAncestor(path);
    if (d !== undefined) return `the directory ${quotePath(d)} cannot be searched (permission denied); the file may exist`;
    return 'permission denied';
  }
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return describeSystemError(e);
}

/**
 * The bytes of the regular file `path`, at most `options.maxBytes` of them (see the module note).
 * Throws {@link InputFileError}.
 */
export function readInputBytes(path: string, options: ReadOptions): Buffer {
  const what = options.what;
  const fail = (why: string, code?: string, cause?: unknown): never => {
    throw new InputFileError(path, `cannot read ${what} ${quotePath(path)}: ${why}`, code, cause);
  };
  if (path === '') fail('the file name is empty', 'ENOENT');
  if (path.includes('\0')) fail('the file name contains a NUL byte', 'EINVAL');
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    return fail(whyNotFound(path, e), errnoCode(e), e);
  }
  const special = kindOf(st);
  if (special !== undefined) fail(special, st.isDirectory() ? 'EISDIR' : 'EINVAL');
  let fd: number;
  try {
    // Non-blocking, so that a file swapped for a FIFO after the check cannot block the open.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail(errnoCode(e) === 'EACCES' ? 'permission denied (the file is not readable)' : describeSystemError(e), errnoCode(e), e);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const fst = fstatSync(fd);
    const again = kindOf(fst);
    if (again !== undefined) fail(again, 'EINVAL');
    const limit = options.maxBytes;
    const tooLarge = (): never =>
      fail(`it has more than ${formatBytes(limit)}, the limit${options.limitFlag !== undefined ? ` (raise it with ${options.limitFlag})` : ''}`, 'EFBIG');
    if (fst.size > limit) tooLarge();
    const chunkSize = Math.max(1, Math.min(1 << 22, fst.size > 0 ? fst.size + 1 : 1 << 16));
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(chunkSize, limit + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if (errnoCode(e) === 'EAGAIN') fail('it would block (not a regular file)', 'EAGAIN', e);
        throw e;
      }
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > limit) tooLarge();
    }
    noteInputRead(path, fst, `${what} ${quotePath(path)}`);
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    return fail(describeSystemError(e), errnoCode(e), e);
  } finally {
    closeSync(fd);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** The UTF-8 text of the regular file `path` (see {@link readInputBytes}); a leading byte-order mark is dropped by the decoder. */
export function readInputText(path: string, options: ReadOptions): string {
  const bytes = readInputBytes(path, options);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new InputFileError(path, `${options.what} ${quotePath(path)} is not valid UTF-8 text`, 'EILSEQ', e);
  }
}
