/**
 * Writing model files: exact, readable JSON that `parseModel` reads back to the same model.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, chmodSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Rational } from '../field/rational.js';
import { toRows, type Matrix } from '../linalg/matrix.js';
import { FileWriteError } from './errors.js';
import type { DeepLinearModel } from './model.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One entry as a JSON token: integers of magnitude at most `2^53 − 1` as JSON numbers (every JSON
 * reader keeps them exact), everything else as an exact string `"p/q"` (or `"n"` for larger integers).
 */
export function formatEntry(q: Rational): string {
  if (q.isInteger() && q.num <= MAX_SAFE && -q.num <= MAX_SAFE) return q.num.toString();
  return `"${q.toString()}"`;
}

/**
 * A matrix as a list of rows, one row per line, entries right-aligned in columns.
 * `indent` is the column where the opening `[` stands (continuation rows align under it).
 */
function formatMatrix(A: Matrix<Rational>, indent: number): string {
  const cells = toRows(A).map((row) => row.map(formatEntry));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, c.length)));
  const lines = cells.map((row) => `[${row.map((c, j) => c.padStart(widths[j] ?? 0)).join(', ')}]`);
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

/**
 * Pretty JSON for a model, with exact entries (see {@link formatEntry}). Keys in this order:
 * `name`, `description` (when present), `kind`, `weights`, `target` or `data`, `reduction`.
 * `parseModel(serializeModel(m))` gives back a model equal to `m`. Ends with a newline.
 */
export function serializeModel(m: DeepLinearModel<Rational>): string {
  const parts: string[] = [];
  if (m.name !== undefined) parts.push(`  "name": ${JSON.stringify(m.name)}`);
  if (m.description !== undefined) parts.push(`  "description": ${JSON.stringify(m.description)}`);
  parts.push(`  "kind": "${m.kind}"`);
  const ws = m.weights.map((W) => `    ${formatMatrix(W, 4)}`);
  parts.push(`  "weights": [\n${ws.join(',\n')}\n  ]`);
  if (m.kind === 'dmf') {
    parts.push(`  "target": ${formatMatrix(m.target, '  "target": '.length)}`);
  } else {
    const inputs = `    "inputs": ${formatMatrix(m.data.inputs, '    "inputs": '.length)}`;
    const targets = `    "targets": ${formatMatrix(m.data.targets, '    "targets": '.length)}`;
    parts.push(`  "data": {\n${inputs},\n${targets}\n  }`);
  }
  parts.push(`  "reduction": "${m.reduction}"`);
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** The `code` of a system error, read structurally (errors may come from another realm). */
function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function errorMessage(e: unknown): string {
  return typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string' ? e.message : String(e);
}

/**
 * Writes `text` (UTF-8) to `path` atomically: into a temporary file in the same directory, flushed
 * to disk, then renamed over `path`. Readers see the old file or the whole new one, never a part;
 * on any error the temporary file is removed and a {@link FileWriteError} says why (directory
 * missing or not writable, `path` is a directory, disk full, …). An existing file's permissions are kept.
 */
export function writeFileAtomic(path: string, text: string): void {
  const target = resolve(path);
  const dir = dirname(target);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch (e) {
    throw new FileWriteError(path, `cannot write "${path}": directory "${dir}" does not exist`, errnoCode(e), e);
  }
  if (!dirStat.isDirectory()) throw new FileWriteError(path, `cannot write "${path}": "${dir}" is not a directory`, 'ENOTDIR');
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new FileWriteError(path, `cannot write "${path}": directory "${dir}" is not writable`, errnoCode(e), e);
  }
  let existingMode: number | undefined;
  try {
    const st = statSync(target);
    if (st.isDirectory()) throw new FileWriteError(path, `cannot write "${path}": it is a directory`, 'EISDIR');
    existingMode = st.mode & 0o7777;
  } catch (e) {
    if (e instanceof FileWriteError) throw e;
    // No existing file: fine.
  }
  // Hidden, unique, and short enough for any file-name limit even when the target's name is long.
  const tmp = join(dir, `.${basename(target).slice(0, 64)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o666);
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (existingMode !== undefined) chmodSync(tmp, existingMode);
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; keep the first error
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may not exist
    }
    const code = errnoCode(e);
    const why = errorMessage(e);
    throw new FileWriteError(path, `cannot write "${path}": ${why}`, code, e);
  }
}

/** {@link serializeModel} then {@link writeFileAtomic}. */
export function writeModelFile(path: string, m: DeepLinearModel<Rational>): void {
  writeFileAtomic(path, serializeModel(m));
}
