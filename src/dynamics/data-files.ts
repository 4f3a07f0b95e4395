/**
 * The data files of the dynamics plots: `train --series FILE.json` and `escape --data FILE.json`
 * write what was computed once; `train FILE.json --plot FILE.svg` and `escape FILE.json --plot FILE.svg`
 * read it back (checked here, with the place of any problem) and plot it without recomputing.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { DynamicsInputError } from './errors.js';
import type { EscapePlane, EscapeReport } from './escape.js';
import type { TrainResult } from './train.js';

/** The series file of `train`. */
export interface TrainData extends TrainResult {
  readonly format: 'dln-hessian-train';
  readonly version: 1;
  readonly source: string;
}

/** The data file of `escape`: the report (without `w*` and the eigenvectors) and the loss on the plane. */
export interface EscapeData extends Omit<EscapeReport, 'point'> {
  readonly format: 'dln-hessian-escape';
  readonly version: 1;
  readonly source: string;
  readonly plane: EscapePlane;
}

export type DynamicsData = TrainData | EscapeData;

/** The series file of a training result. */
export function trainData(result: TrainResult, source: string): TrainData {
  const clean = Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'theta')) as unknown as TrainResult;
  return { format: 'dln-hessian-train', version: 1, source, ...clean };
}

/** The data file of an escape report and its plane. */
export function escapeData(report: EscapeReport, plane: EscapePlane, source: string): EscapeData {
  const rest = Object.fromEntries(Object.entries(report).filter(([k]) => k !== 'point')) as unknown as Omit<EscapeReport, 'point'>;
  const runs = rest.runs.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'theta')) as unknown as EscapeReport['runs'][number]);
  return { format: 'dln-hessian-escape', version: 1, source, ...rest, runs, plane };
}

/** JSON with non-finite numbers as `null` (a diverged run's loss). */
export function serializeDynamicsData(data: DynamicsData): string {
  return `${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fail(source: string, path: string, message: string): never {
  throw new DynamicsInputError(`${source}: ${path === '' ? '' : `${path}: `}${message}`);
}

function isObject(x: Json | undefined): x is { [k: string]: Json } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function finiteAt(o: { [k: string]: Json }, key: string, source: string, where: string, nullable = false): void {
  const v = o[key];
  if (nullable && v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(source, where, `expected a finite number${nullable ? ' or null' : ''}, got ${JSON.stringify(v) ?? 'nothing'}`);
}

/** Reads a data file written by `train --series` or `escape --data`. */
export function readDynamicsData(path: string): DynamicsData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DynamicsInputError(`cannot read the data file "${path}": ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseDynamicsData(text, path);
}

/** {@link readDynamicsData} on text. */
export function parseDynamicsData(text: string, source = 'data'): DynamicsData {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    return fail(source, '', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(root)) return fail(source, '', 'expected a JSON object written by `train --series` or `escape --data`');
  if (root.version !== 1) fail(source, 'version', `expected 1, got ${JSON.stringify(root.version) ?? 'nothing'}`);
  if (root.format === 'dln-hessian-train') {
    finiteAt(root, 'eta', source, 'eta');
    const s = root.series;
    if (!Array.isArray(s)) fail(source, 'series', 'expected a list of recorded steps');
    s.forEach((p, i) => {
      const at = `series[${i + 1}]`;
      if (!isObject(p)) fail(source, at, 'expected an object');
      finiteAt(p, 'step', source, `${at}.step`);
      finiteAt(p, 'loss', source, `${at}.loss`);
      finiteAt(p, 'gradientNorm', source, `${at}.gradientNorm`);
      finiteAt(p, 'lambdaMax', source, `${at}.lambdaMax`, true);
      finiteAt(p, 'jacobianNorm', source, `${at}.jacobianNorm`);
      const a = p.ansatz;
      if (a !== null && a !== undefined) {
        if (!isObject(a)) fail(source, `${at}.ansatz`, 'expected an object or null');
        finiteAt(a, 'lower', source, `${at}.ansatz.lower`);
        finiteAt(a, 'upper', source, `${at}.ansatz.upper`);
      }
    });
    return root as unknown as TrainData;
  }
  if (root.format === 'dln-hessian-escape') {
    finiteAt(root, 'lambdaMax', source, 'lambdaMax');
    const plane = root.plane;
    if (!isObject(plane)) return fail(source, 'plane', 'expected an object with alpha, beta and loss');
    const alpha = plane.alpha;
    const beta = plane.beta;
    const loss = plane.loss;
    if (!Array.isArray(alpha) || !alpha.every((x) => typeof x === 'number')) fail(source, 'plane.alpha', 'expected a list of numbers');
    if (!Array.isArray(beta) || !beta.every((x) => typeof x === 'number')) fail(source, 'plane.beta', 'expected a list of numbers');
    if (!Array.isArray(loss) || loss.length !== beta.length) fail(source, 'plane.loss', `expected ${beta.length} rows`);
    loss.forEach((row, j) => {
      if (!Array.isArray(row) || row.length !== alpha.length || !row.every((x) => x === null || typeof x === 'number')) fail(source, `plane.loss row ${j + 1}`, `expected ${alpha.length} numbers or nulls`);
    });
    const runs = root.runs;
    if (!Array.isArray(runs)) fail(source, 'runs', 'expected a list of runs');
    runs.forEach((r, i) => {
      if (!isObject(r)) fail(source, `runs[${i + 1}]`, 'expected an object');
      finiteAt(r, 'eta', source, `runs[${i + 1}].eta`);
      if (!Array.isArray(r.trajectory)) fail(source, `runs[${i + 1}].trajectory`, 'expected a list');
    });
    return root as unknown as EscapeData;
  }
  return fail(source, 'format', `expected "dln-hessian-train" or "dln-hessian-escape", got ${JSON.stringify(root.format) ?? 'nothing'}`);
}

/** The kind of dynamics data file at `path` (by its first bytes), or `undefined` for anything else (a model file). */
export function sniffDynamicsData(path: string): 'dln-hessian-train' | 'dln-hessian-escape' | undefined {
  if (path.startsWith('example:')) return undefined;
  let head: string;
  try {
    const fd = openSync(path, 'r');
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
  const m = /^\s*\{\s*"format"\s*:\s*"(dln-hessian-train|dln-hessian-escape)"/.exec(head);
  return m === null ? undefined : (m[1] as 'dln-hessian-train' | 'dln-hessian-escape');
}
