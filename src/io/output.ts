/**
 * The one output layer of the CLI and the library: every file dln-hessian writes goes through
 * {@link writeFilesAtomic} (or {@link writeFileAtomic} for one file).
 *
 * - Names are checked before anything is written ({@link checkOutputPath}): empty, NUL bytes, a
 *   trailing `/`, a directory, a special file, a missing or unwritable parent, a name longer than
 *   the file system allows: each refused with a {@link FileWriteError} in words, never Node's text.
 * - An output that is the same file as an input read in this run (same device and inode, or same
 *   real path), or as another output of the same command, is refused ({@link assertDistinctOutputs}).
 * - Each file is written whole into a hidden temporary file in its own directory, flushed, then
 *   renamed over the target. While temporary files exist, the removal of them is registered with
 *   the one interrupt handler (src/process/interrupt.ts): SIGINT, SIGTERM or SIGHUP removes them and
 *   exits with 128 + the signal's number, so an interrupted run leaves no `.tmp` file. Every error
 *   path removes them too.
 * - Several files are all or none: every temporary file is written before the first rename; if a
 *   rename fails, the files already renamed are put back as they were (the old contents are kept by
 *   a hard link until the end).
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileWriteError } from '../models/errors.js';
import { onInterrupt } from '../process/interrupt.js';
import { inputsReadThisRun } from './registry.js';

/** One output file: its path as the user gave it, its contents, and the flag that named it (for messages). */
export interface OutputFile {
  readonly path: string;
  readonly text: string | Uint8Array;
  /** The option that named the file, e.g. `--out`; used in messages. */
  readonly flag?: string;
}

/** Longest file name (one path component) accepted, in bytes: the limit of every common file system. */
export const MAX_FILE_NAME_BYTES = 255;

/** The `code` of a system error, read structurally (errors may come from another realm). */
export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'the file exists',
  EXDEV: 'the temporary file and the target are on different file systems',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
};

/** A system error in words, without Node's internal text (no syscall names, no temporary file names). */
export function describeSystemError(e: unknown): string {
  const code = errnoCode(e);
  if (code !== undefined && SYSTEM_ERRORS[code] !== undefined) return SYSTEM_ERRORS[code];
  return code !== undefined ? `system error ${code}` : 'unexpected error';
}

/** Quotes a user-given path for a message: control characters (NUL included) shown escaped. */
export function quotePath(path: string): string {
  return JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path);
}

function label(file: { path: string; flag?: string | undefined }): string {
  return `${file.flag !== undefined ? `${file.flag} ` : ''}${quotePath(file.path)}`;
}

function refuse(file: { path: string; flag?: string | undefined }, why: string, code?: string, cause?: unknown): never {
  throw new FileWriteError(file.path, `cannot write ${label(file)}: ${why}`, code, cause);
}

/** The identity of an existing file: device and inode. */
function identity(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Names the first part of `target`'s path that exists and is not a directory. */
function notADirectory(target: string): string {
  for (let d = dirname(target); dirname(d) !== d; d = dirname(d)) {
    try {
      // The lowest part that exists: below a file, stat fails with ENOTDIR.
      if (!statSync(d).isDirectory()) return `${quotePath(d)} is not a directory`;
    } catch {
      // not there or a file below a file: go up
    }
  }
  return 'a part of the path is not a directory';
}

/** What {@link checkOutputPath} found out about a target. */
export interface CheckedOutput {
  /** The path to write: the target itself, or the file a symbolic link points to. */
  readonly target: string;
  /** Device and inode of the existing target, if it exists. */
  readonly identity: string | undefined;
  /** Permission bits of the existing target, kept by the write. */
  readonly mode: number | undefined;
}

/**
 * Checks that `path` can be written (see the module note) and returns where to write it. Throws
 * {@link FileWriteError} with a message naming the flag and the path otherwise. Commands call it
 * (through {@link assertWritable}) before long work, so a typo fails fast.
 */
export function checkOutputPath(path: string, flag?: string): CheckedOutput {
  const file = { path, flag };
  if (path === '') refuse(file, 'the file name is empty', 'ENOENT');
  if (path.includes('\0')) refuse(file, 'the file name contains a NUL byte', 'EINVAL');
  if (path.endsWith('/') || path.endsWith('/.') || path.endsWith('/..') || path === '.' || path === '..') {
    refuse(file, 'the name ends with "/" (or "." or ".."), so it names a directory, not a file', 'EISDIR');
  }
  if (Buffer.byteLength(basename(path), 'utf8') > MAX_FILE_NAME_BYTES) {
    refuse(file, `the file name has ${Buffer.byteLength(basename(path), 'utf8')} bytes; the limit is ${MAX_FILE_NAME_BYTES}`, 'ENAMETOOLONG');
  }
  let target = resolve(path);
  let existing: Stats | undefined;
  try {
    const l = lstatSync(target);
    if (l.isSymbolicLink()) {
      try {
        target = realpathSync(target);
      } catch (e) {
        refuse(file, `it is a symbolic link that cannot be followed (${describeSystemError(e)})`, errnoCode(e), e);
      }
    }
    existing = statSync(target);
  } catch (e) {
    if (e instanceof FileWriteError) throw e;
    const code = errnoCode(e);
    if (code !== 'ENOENT') {
      if (code === 'ENOTDIR') refuse(file, notADirectory(target), code, e);
      if (code === 'EACCES') refuse(file, `a directory on the way is not searchable (${describeSystemError(e)})`, code, e);
      refuse(file, describeSystemError(e), code, e);
    }
  }
  if (existing !== undefined) {
    if (existing.isDirectory()) refuse(file, 'it is a directory', 'EISDIR');
    if (!existing.isFile()) refuse(file, 'it exists and is not a regular file (a device, FIFO or socket); name a regular file, or leave the option out to print to standard output', 'EINVAL');
  }
  const dir = dirname(target);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') refuse(file, `directory ${quotePath(dir)} does not exist`, code, e);
    if (code === 'ENOTDIR') refuse(file, `${quotePath(dir)} is not a directory`, code, e);
    refuse(file, `the directory ${quotePath(dir)} cannot be reached (${describeSystemError(e)})`, code, e);
  }
  if (!dirStat.isDirectory()) refuse(file, `${quotePath(dir)} is not a directory`, 'ENOTDIR');
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    refuse(file, `directory ${quotePath(dir)} is not writable`, errnoCode(e), e);
  }
  return { target, identity: existing !== undefined ? identity(existing) : undefined, mode: existing !== undefined ? existing.mode & 0o7777 : undefined };
}

/** Throws {@link FileWriteError} unless `path` can be written (see {@link checkOutputPath}) and is not an input read so far. */
export function assertWritable(path: string, flag?: string): void {
  assertDistinctOutputs([{ path, ...(flag !== undefined ? { flag } : {}) }]);
}

/** An input of a command, for {@link assertDistinctOutputs}. */
export interface NamedPath {
  readonly path: string;
  readonly flag?: string;
}

/** Device:inode (or the resolved path when the file does not exist) of an input, if it can be found. */
function inputKeys(path: string): string[] {
  const keys = [`path:${resolve(path)}`];
  try {
    const st = statSync(path);
    keys.push(identity(st));
    keys.push(`path:${realpathSync(path)}`);
  } catch {
    // not there (yet): only the resolved path
  }
  return keys;
}

/**
 * Checks every output's name ({@link checkOutputPath}) and refuses two outputs that are one file,
 * or an output that is one of `inputs` or a file this run has already read. Call it before any
 * work; {@link writeFilesAtomic} calls it again.
 */
export function assertDistinctOutputs(outputs: readonly NamedPath[], inputs: readonly NamedPath[] = []): CheckedOutput[] {
  const checked = outputs.map((o) => checkOutputPath(o.path, o.flag));
  const inputIds = new Map<string, string>();
  for (const i of inputs) for (const k of inputKeys(i.path)) inputIds.set(k, label(i));
  for (const [k, name] of inputsReadThisRun()) if (!inputIds.has(k)) inputIds.set(k, name);
  const seen = new Map<string, NamedPath>();
  outputs.forEach((o, n) => {
    const c = checked[n] as CheckedOutput;
    const keys = [`path:${c.target}`, ...(c.identity !== undefined ? [c.identity] : [])];
    for (const k of keys) {
      const input = inputIds.get(k);
      if (input !== undefined) refuse(o, `it is the input ${input}; choose another output file (the input is left untouched)`, 'EEXIST');
      const other = seen.get(k);
      if (other !== undefined && other !== o) refuse(o, `it is the same file as ${label(other)}; give each output its own file`, 'EEXIST');
    }
    for (const k of keys) seen.set(k, o);
  });
  return checked;
}

// ---------------------------------------------------------------------------------------------
// Temporary files and signals

const liveTemps = new Set<string>();
let guardDepth = 0;
let unregister: (() => void) | undefined;

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** The interrupt cleanup of the output layer: removes the temporary files that exist now. */
function removeTemporaryFiles(): string {
  const n = liveTemps.size;
  for (const t of liveTemps) removeQuietly(t);
  liveTemps.clear();
  guardDepth = 0;
  unregister = undefined;
  return n === 0 ? '' : `removed ${n === 1 ? 'a partial output file' : `${n} partial output files`}`;
}

/**
 * Holds an interrupt cleanup (src/process/interrupt.ts) while temporary files exist: a signal then
 * ends the process only after the (synchronous) write, with the temporary files removed and exit
 * status 128 + the signal's number. The cleanup stays one turn of the event loop after the write,
 * so a signal that arrived during the write is handled rather than lost.
 */
function guardSignals(): () => void {
  if (guardDepth === 0) unregister = onInterrupt(removeTemporaryFiles);
  guardDepth++;
  return () => {
    setImmediate(() => {
      if (guardDepth === 0) return;
      guardDepth--;
      if (guardDepth === 0) {
        unregister?.();
        unregister = undefined;
      }
    }).unref();
  };
}

function tempName(target: string, kind: string): string {
  // Hidden, unique, and short enough for any file-name limit even when the target's name is long.
  return join(dirname(target), `.${basename(target).slice(0, 64)}.${process.pid}.${randomBytes(6).toString('hex')}.${kind}`);
}

function writeWhole(tmp: string, text: string | Uint8Array, mode: number | undefined): void {
  const fd = openSync(tmp, 'wx', 0o666);
  try {
    const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (mode !== undefined) chmodSync(tmp, mode);
}

/**
 * Writes every file whole, or none of them (see the module note). Throws {@link FileWriteError};
 * when it throws, no target has changed and no temporary file is left.
 */
export function writeFilesAtomic(files: readonly OutputFile[]): void {
  if (files.length === 0) return;
  const checked = assertDistinctOutputs(files);
  const release = guardSignals();
  const staged: { tmp: string; backup: string | undefined; target: string; renamed: boolean }[] = [];
  let current: OutputFile = files[0] as OutputFile;
  try {
    files.forEach((f, n) => {
      current = f;
      const c = checked[n] as CheckedOutput;
      const tmp = tempName(c.target, 'tmp');
      liveTemps.add(tmp);
      const entry = { tmp, backup: undefined as string | undefined, target: c.target, renamed: false };
      staged.push(entry);
      writeWhole(tmp, f.text, c.mode);
      if (c.identity !== undefined && files.length > 1) {
        // Keep the old contents until every rename has succeeded.
        const backup = tempName(c.target, 'old');
        liveTemps.add(backup);
        linkSync(c.target, backup);
        entry.backup = backup;
      }
    });
    staged.forEach((s, n) => {
      current = files[n] as OutputFile;
      renameSync(s.tmp, s.target);
      liveTemps.delete(s.tmp);
      s.renamed = true;
    });
  } catch (e) {
    for (const s of staged) {
      if (s.renamed) {
        // Undo: the old file back, or no file where there was none.
        if (s.backup !== undefined) {
          try {
            renameSync(s.backup, s.target);
            liveTemps.delete(s.backup);
          } catch {
            // keep going: remove what can be removed
          }
        } else removeQuietly(s.target);
      }
      removeQuietly(s.tmp);
      liveTemps.delete(s.tmp);
      if (s.backup !== undefined) {
        removeQuietly(s.backup);
        liveTemps.delete(s.backup);
      }
    }
    release();
    if (e instanceof FileWriteError) throw e;
    refuse(current, describeSystemError(e), errnoCode(e), e);
  }
  for (const s of staged) {
    if (s.backup !== undefined) {
      removeQuietly(s.backup);
      liveTemps.delete(s.backup);
    }
  }
  release();
}

/** Writes `text` to `path` atomically (see {@link writeFilesAtomic}): readers see the old file or the whole new one. */
export function writeFileAtomic(path: string, text: string | Uint8Array, flag?: string): void {
  writeFilesAtomic([{ path, text, ...(flag !== undefined ? { flag } : {}) }]);
}

/** The temporary files being written now (for tests of the signal handling). */
export function liveTemporaryFiles(): readonly string[] {
  return [...liveTemps];
}
