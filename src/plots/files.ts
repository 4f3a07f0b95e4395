/**
 * Writing several output files all or none: each is written whole to a temporary file in its
 * directory first; only when every one has been written are they renamed into place. An unwritable
 * path fails before anything is renamed, so no partial output is left.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileWriteError } from '../models/errors.js';
import { CurvatureInputError } from '../curvature/errors.js';

/** One output file. */
export interface OutputFile {
  readonly path: string;
  /** UTF-8 text, or bytes (tensor files). */
  readonly text: string | Uint8Array;
}

/**
 * Throws {@link FileWriteError} unless `path` can be written: its directory exists and is writable and
 * `path` is not a directory. Commands call it before long work so that a typo fails fast.
 */
export function assertWritable(path: string): void {
  const target = resolve(path);
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw new FileWriteError(path, `cannot write "${path}": "${dir}" is not a directory`, 'ENOTDIR');
  } catch (e) {
    if (e instanceof FileWriteError) throw e;
    throw new FileWriteError(path, `cannot write "${path}": directory "${dir}" does not exist`, 'ENOENT');
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new FileWriteError(path, `cannot write "${path}": directory "${dir}" is not writable`, 'EACCES');
  }
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    // does not exist yet: fine
  }
  if (isDir) throw new FileWriteError(path, `cannot write "${path}": it is a directory`, 'EISDIR');
}

/** Writes every file whole, or none of them (see the module note). Throws {@link FileWriteError}. */
export function writeFilesAtomic(files: readonly OutputFile[]): void {
  for (const f of files) assertWritable(f.path);
  const temps: { tmp: string; target: string; path: string }[] = [];
  let current = 0;
  try {
    for (const f of files) {
      const target = resolve(f.path);
      const tmp = join(dirname(target), `.${basename(target).slice(0, 64)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      const fd = openSync(tmp, 'wx', 0o666);
      temps.push({ tmp, target, path: f.path });
      try {
        const buf = typeof f.text === 'string' ? Buffer.from(f.text, 'utf8') : Buffer.from(f.text.buffer, f.text.byteOffset, f.text.byteLength);
        let off = 0;
        while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      current++;
    }
  } catch (e) {
    for (const t of temps) {
      try {
        unlinkSync(t.tmp);
      } catch {
        // already gone
      }
    }
    const path = files[current]?.path ?? '';
    throw new FileWriteError(path, `cannot write "${path}": ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const t of temps) renameSync(t.tmp, t.target);
}

/**
 * Checks a plot output path: SVG only (`.svg`). PNG needs a rasteriser that works without a browser
 * (none is installed), so `.png` is refused with that explanation.
 */
export function checkSvgOutputPath(path: string): void {
  const lower = path.toLowerCase();
  if (lower.endsWith('.svg')) return;
  if (lower.endsWith('.png')) {
    throw new CurvatureInputError('PNG output is not available: no rasteriser that works without a browser is installed; write an .svg file (any browser or converter turns it into PNG)', { path: '--out' });
  }
  throw new CurvatureInputError(`plots are written as SVG: expected a file name ending in .svg, got "${path}"`, { path: '--out' });
}
