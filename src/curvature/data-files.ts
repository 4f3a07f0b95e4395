/**
 * Data files of the plots: `landscape --data FILE.json` and `spectrum --density --data FILE.json`
 * write the computed data once; the plot commands read it back (checked here, with placed messages)
 * and plot it as often as wanted without recomputing.
 */
import { DataFileChecks, isJsonObject, parseDataFileRoot, readDataFileText, sniffDataFileFormat, type DataFileFail, type JsonObject } from '../plots/json-data-file.js';
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

function failer(source: string): DataFileFail {
  return (path, message, kind) => {
    throw new CurvatureInputError(message, { source, ...(path !== '' ? { path } : {}), ...(kind !== undefined ? { kind } : {}) });
  };
}

/** Reads a data file written by `--data` (either kind); throws {@link CurvatureInputError} naming the place. */
export function readPlotData(path: string): PlotData {
  return parsePlotData(readDataFileText(path, failer(path)), path);
}

/** {@link readPlotData} on text. */
export function parsePlotData(text: string, source = 'data'): PlotData {
  const fail = failer(source);
  const root = parseDataFileRoot(text, fail, 'a JSON object written by `landscape --data` or `spectrum --data`');
  const check = new DataFileChecks(fail);
  const format = root.format;
  if (root.version !== 1) fail('version', `expected version 1, got ${JSON.stringify(root.version) ?? 'nothing'}`);
  if (format === 'dln-hessian-landscape') return checkLandscape(root, check);
  if (format === 'dln-hessian-spectrum') return checkSpectrum(root, check);
  return fail('format', `expected "dln-hessian-landscape" or "dln-hessian-spectrum", got ${JSON.stringify(format) ?? 'nothing'}`);
}

function checkLandscape(o: JsonObject, check: DataFileChecks): LandscapeData {
  const grid = check.number(o, 'grid');
  if (!Number.isInteger(grid) || grid < 2) check.error('grid', `expected an integer ≥ 2, got ${grid}`);
  check.number(o, 'span');
  check.number(o, 'center');
  check.numbers(o, 'alpha', 'alpha', grid);
  check.numbers(o, 'beta', 'beta', grid);
  const loss = o.loss;
  if (!Array.isArray(loss) || loss.length !== grid) check.error('loss', `expected ${grid} rows`);
  loss.forEach((row, j) => {
    if (!Array.isArray(row) || row.length !== grid) check.error(`loss row ${j + 1}`, `expected ${grid} entries`);
    row.forEach((x, i) => {
      if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) check.error(`loss row ${j + 1} entry ${i + 1}`, `expected a number or null, got ${JSON.stringify(x)}`);
    });
  });
  const q = o.quadratic;
  if (!isJsonObject(q)) check.error('quadratic', 'expected an object with gradient and hessian');
  check.numbers(q, 'gradient', 'quadratic.gradient', 2);
  const h = q.hessian;
  if (!Array.isArray(h) || h.length !== 2 || !h.every((r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
    check.error('quadratic.hessian', 'expected a 2×2 list of finite numbers');
  }
  if (typeof o.plane !== 'string' || !['random', 'hessian', 'file'].includes(o.plane)) check.error('plane', 'expected "random", "hessian" or "file"');
  if (o.eigen !== undefined) {
    const e = o.eigen;
    if (!isJsonObject(e)) check.error('eigen', 'expected an object');
    check.number(e, 'lambdaMax', 'eigen.lambdaMax');
    check.number(e, 'lambdaMin', 'eigen.lambdaMin');
  }
  return o as unknown as LandscapeData;
}

function checkSpectrum(o: JsonObject, check: DataFileChecks): SpectrumData {
  for (const key of ['top', 'bottom']) {
    const e = o[key];
    if (!isJsonObject(e) || !Array.isArray(e.pairs)) check.error(key, 'expected an object with a list of pairs');
    e.pairs.forEach((p, i) => {
      if (!isJsonObject(p)) check.error(`${key}.pairs[${i + 1}]`, 'expected an object');
      check.number(p, 'eigenvalue', `${key}.pairs[${i + 1}].eigenvalue`);
    });
  }
  if (o.exactEigenvalues !== undefined) check.numbers(o, 'exactEigenvalues');
  if (o.density !== undefined) {
    const d = o.density;
    if (!isJsonObject(d)) check.error('density', 'expected an object');
    const g = check.numbers(d, 'grid', 'density.grid');
    check.numbers(d, 'density', 'density.density', g.length);
    if (d.exactDensity !== undefined) check.numbers(d, 'exactDensity', 'density.exactDensity', g.length);
    check.number(d, 'sigma', 'density.sigma');
  }
  return o as unknown as SpectrumData;
}

/**
 * Whether `path` names a plot data file, by its first bytes (`{"format":"dln-hessian-…"` as
 * {@link serializePlotData} writes it); `undefined` for anything else (a model file, `example:ID`).
 */
export function sniffPlotData(path: string): 'dln-hessian-landscape' | 'dln-hessian-spectrum' | undefined {
  return sniffDataFileFormat(path, ['dln-hessian-landscape', 'dln-hessian-spectrum'] as const);
}
