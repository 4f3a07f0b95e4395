/**
 * Data files of the plots: `landscape --data FILE.json` and `spectrum --density --data FILE.json`
 * write the computed data once; the plot commands read it back (checked here, with placed messages)
 * and plot it as often as wanted without recomputing.
 */
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { readInputText } from '../io/input.js';
import { MAX_MODEL_FILE_BYTES } from '../models/reader.js';
import { CurvatureInputError } from './errors.js';
import type { LandscapeData } from './landscape.js';
import type { SpectrumReport } from './spectrum.js';

/** The spectrum data file: the report of `spectrum` (without eigenvectors) with a header. */
export interface SpectrumData extends SpectrumReport {
  readonly format: 'dln-hessian-spectrum';
  readonly version: 1;
  readonly model: string;
}

/** The plot data kinds, by their `format` field. */
export type PlotData = LandscapeData | SpectrumData;

/** Serialises plot data as JSON (numbers in shortest round-trip form; non-finite values as `null`). */
export function serializePlotData(data: PlotData): string {
  return `${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fail(source: string, path: string, message: string): never {
  throw new CurvatureInputError(message, { source, path });
}

function isObject(x: Json | undefined): x is { [k: string]: Json } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function numberAt(o: { [k: string]: Json }, key: string, source: string, where = key): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(source, where, `expected a finite number, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

function numbersAt(o: { [k: string]: Json }, key: string, source: string, length?: number, where = key): number[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(source, where, 'expected a list of numbers');
  if (length !== undefined && v.length !== length) fail(source, where, `expected ${length} entries, got ${v.length}`);
  return v.map((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(source, `${where}[${i + 1}]`, `expected a finite number, got ${JSON.stringify(x)}`);
    return x;
  });
}

/** Reads a data file written by `--data` (either kind); throws {@link CurvatureInputError} naming the place. */
export function readPlotData(path: string): PlotData {
  return parsePlotData(readInputText(path, { what: 'data file', maxBytes: MAX_MODEL_FILE_BYTES }), path);
}

/** {@link readPlotData} on text. */
export function parsePlotData(text: string, source = 'data'): PlotData {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    throw new CurvatureInputError(`not JSON: ${e instanceof Error ? e.message : String(e)}`, { source, kind: 'syntax' });
  }
  if (!isObject(root)) fail(source, '', 'expected a JSON object written by `landscape --data` or `spectrum --data`');
  const format = root.format;
  if (root.version !== 1) fail(source, 'version', `expected version 1, got ${JSON.stringify(root.version) ?? 'nothing'}`);
  if (format === 'dln-hessian-landscape') return checkLandscape(root, source);
  if (format === 'dln-hessian-spectrum') return checkSpectrum(root, source);
  return fail(source, 'format', `expected "dln-hessian-landscape" or "dln-hessian-spectrum", got ${JSON.stringify(format) ?? 'nothing'}`);
}

function checkLandscape(o: { [k: string]: Json }, source: string): LandscapeData {
  const grid = numberAt(o, 'grid', source);
  if (!Number.isInteger(grid) || grid < 2) fail(source, 'grid', `expected an integer ≥ 2, got ${grid}`);
  numberAt(o, 'span', source);
  numberAt(o, 'center', source);
  numbersAt(o, 'alpha', source, grid);
  numbersAt(o, 'beta', source, grid);
  const loss = o.loss;
  if (!Array.isArray(loss) || loss.length !== grid) fail(source, 'loss', `expected ${grid} rows`);
  loss.forEach((row, j) => {
    if (!Array.isArray(row) || row.length !== grid) fail(source, `loss row ${j + 1}`, `expected ${grid} entries`);
    row.forEach((x, i) => {
      if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) fail(source, `loss row ${j + 1} entry ${i + 1}`, `expected a number or null, got ${JSON.stringify(x)}`);
    });
  });
  const q = o.quadratic;
  if (!isObject(q)) fail(source, 'quadratic', 'expected an object with gradient and hessian');
  numbersAt(q, 'gradient', source, 2, 'quadratic.gradient');
  const h = q.hessian;
  if (!Array.isArray(h) || h.length !== 2 || !h.every((r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
    fail(source, 'quadratic.hessian', 'expected a 2×2 list of finite numbers');
  }
  if (typeof o.plane !== 'string' || !['random', 'hessian', 'file'].includes(o.plane)) fail(source, 'plane', 'expected "random", "hessian" or "file"');
  if (o.eigen !== undefined) {
    const e = o.eigen;
    if (!isObject(e)) fail(source, 'eigen', 'expected an object');
    numberAt(e, 'lambdaMax', source, 'eigen.lambdaMax');
    numberAt(e, 'lambdaMin', source, 'eigen.lambdaMin');
  }
  return o as unknown as LandscapeData;
}

function checkSpectrum(o: { [k: string]: Json }, source: string): SpectrumData {
  for (const key of ['top', 'bottom']) {
    const e = o[key];
    if (!isObject(e) || !Array.isArray(e.pairs)) fail(source, key, 'expected an object with a list of pairs');
    e.pairs.forEach((p, i) => {
      if (!isObject(p)) fail(source, `${key}.pairs[${i + 1}]`, 'expected an object');
      numberAt(p, 'eigenvalue', source, `${key}.pairs[${i + 1}].eigenvalue`);
    });
  }
  if (o.exactEigenvalues !== undefined) numbersAt(o, 'exactEigenvalues', source);
  if (o.density !== undefined) {
    const d = o.density;
    if (!isObject(d)) fail(source, 'density', 'expected an object');
    const g = numbersAt(d, 'grid', source, undefined, 'density.grid');
    numbersAt(d, 'density', source, g.length, 'density.density');
    if (d.exactDensity !== undefined) numbersAt(d, 'exactDensity', source, g.length, 'density.exactDensity');
    numberAt(d, 'sigma', source, 'density.sigma');
  }
  return o as unknown as SpectrumData;
}

/**
 * Whether `path` names a plot data file, by its first bytes (`{"format":"dln-hessian-…"` as
 * {@link serializePlotData} writes it); `undefined` for anything else (a model file, `example:ID`).
 */
export function sniffPlotData(path: string): 'dln-hessian-landscape' | 'dln-hessian-spectrum' | undefined {
  if (path.startsWith('example:')) return undefined;
  let head: string;
  try {
    // Only regular files are looked into (a FIFO would block); the reader refuses the others.
    if (!statSync(path).isFile()) return undefined;
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(256);
      const n = readSync(fd, buf, 0, 256, 0);
      head = buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const m = /^\s*\{\s*"format"\s*:\s*"(dln-hessian-landscape|dln-hessian-spectrum)"/.exec(head);
  return m === null ? undefined : (m[1] as 'dln-hessian-landscape' | 'dln-hessian-spectrum');
}
