/**
 * The data files of the dynamics plots: `train --series FILE.json` and `escape --data FILE.json`
 * write what was computed once; `train FILE.json --plot FILE.svg` and `escape FILE.json --plot FILE.svg`
 * read it back (checked here, with the place of any problem) and plot it without recomputing.
 */
import { DataFileChecks, isJsonObject, parseDataFileRoot, readDataFileText, sniffDataFileFormat, type DataFileFail, type JsonObject } from '../plots/json-data-file.js';
import { DynamicsInputError } from './errors.js';
import type { EscapePlane, EscapeReport, EscapeVerdict } from './escape.js';
import { OPTIMIZERS, type TrainResult, type TrainVerdict } from './train.js';

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

/** The data-file formats of this module, by their `format` field. */
const FORMATS = ['dln-hessian-train', 'dln-hessian-escape'] as const;

function failer(source: string): DataFileFail {
  return (where, message) => {
    throw new DynamicsInputError(`${source}: ${where === '' ? '' : `${where}: `}${message}`);
  };
}

/** Reads a data file written by `train --series` or `escape --data`. */
export function readDynamicsData(path: string): DynamicsData {
  return parseDynamicsData(readDataFileText(path, failer(path)), path);
}

/**
 * {@link readDynamicsData} on text. Every field that the plots and the summaries read is checked
 * here (type, finiteness, list lengths), so a hand-edited file is refused with the field named
 * ({@link DynamicsInputError}, exit 2) instead of failing later.
 */
export function parseDynamicsData(text: string, source = 'data'): DynamicsData {
  const fail = failer(source);
  const root = parseDataFileRoot(text, fail, 'a JSON object written by `train --series` or `escape --data`');
  if (root.version !== 1) fail('version', `expected 1, got ${JSON.stringify(root.version) ?? 'nothing'}`);
  const check = new DataFileChecks(fail);
  if (root.format === 'dln-hessian-train') {
    checkTrain(root, check);
    return root as unknown as TrainData;
  }
  if (root.format === 'dln-hessian-escape') {
    checkEscape(root, check);
    return root as unknown as EscapeData;
  }
  return fail('format', `expected "dln-hessian-train" or "dln-hessian-escape", got ${JSON.stringify(root.format) ?? 'nothing'}`);
}

const TRAIN_VERDICTS: readonly TrainVerdict[] = ['completed', 'reached-loss', 'diverged', 'interrupted'];
const ESCAPE_VERDICTS: readonly EscapeVerdict[] = ['returned', 'escaped', 'diverged', 'undecided'];

function checkTrain(root: JsonObject, check: DataFileChecks): void {
  for (const key of ['source', 'model', 'method', 'jacobianFormula']) check.string(root, key);
  check.stringOrNull(root, 'ansatzUnavailable');
  check.oneOf(root, 'optimizer', OPTIMIZERS);
  check.oneOf(root, 'verdict', TRAIN_VERDICTS);
  for (const key of ['eta', 'twoOverEta', 'seconds']) check.number(root, key);
  check.numberOrNull(root, 'flattestValue');
  for (const key of ['params', 'steps', 'stepsRun']) check.integer(root, key);
  check.integer(root, 'every', 'every', 1);
  check.integerOrNull(root, 'divergedAt', 'divergedAt');
  const series = check.list(root, 'series');
  series.forEach((_p, i) => {
    const at = `series[${i + 1}]`;
    const p = check.entry(series, i, 'series');
    check.integer(p, 'step', `${at}.step`);
    for (const key of ['loss', 'gradientNorm', 'twoOverEta', 'jacobianNorm']) check.number(p, key, `${at}.${key}`);
    check.numberOrNull(p, 'lambdaMax', `${at}.lambdaMax`);
    if (p.ansatz !== null) {
      if (!isJsonObject(p.ansatz)) check.error(`${at}.ansatz`, `expected an object or null, got ${JSON.stringify(p.ansatz) ?? 'nothing'}`);
      const a = check.object(p, 'ansatz', `${at}.ansatz`);
      for (const key of ['lower', 'upper']) check.number(a, key, `${at}.ansatz.${key}`);
      check.booleanOrNull(a, 'holds', `${at}.ansatz.holds`);
    }
    const b = check.object(p, 'balance', `${at}.balance`);
    check.numbers(b, 'spectralNorms', `${at}.balance.spectralNorms`);
    check.numbers(b, 'imbalance', `${at}.balance.imbalance`);
  });
}

function checkEscape(root: JsonObject, check: DataFileChecks): void {
  const plane = check.object(root, 'plane');
  for (const key of ['source', 'model', 'lambdaMaxMethod']) check.string(root, key);
  check.boolean(root, 'certified');
  for (const key of ['lambdaMax', 'perturb', 'eigenvectorResidual', 'lambdaMin', 'minimizerResidual']) check.number(root, key);
  check.numberOrNull(root, 'flattestValue');
  check.integer(root, 'params');
  check.integer(root, 'steps', 'steps', 1);
  if (root.exact !== undefined) {
    const e = check.object(root, 'exact');
    if ('value' in e) check.string(e, 'value', 'exact.value');
    else for (const key of ['lower', 'upper']) check.string(e, key, `exact.${key}`);
  }
  check.string(check.object(root, 'neighbourhood'), 'description', 'neighbourhood.description');
  const alpha = check.numbers(plane, 'alpha', 'plane.alpha');
  const beta = check.numbers(plane, 'beta', 'plane.beta');
  if (alpha.length < 2 || beta.length < 2) check.error('plane', `expected at least 2 points on each axis, got ${alpha.length}×${beta.length}`);
  const span = check.number(plane, 'span', 'plane.span');
  if (!(span > 0)) check.error('plane.span', `expected a number > 0, got ${span}`);
  const loss = check.list(plane, 'loss', 'plane.loss', beta.length);
  let finite = 0;
  loss.forEach((row, j) => {
    if (!Array.isArray(row) || row.length !== alpha.length) return check.error(`plane.loss row ${j + 1}`, `expected ${alpha.length} numbers or nulls`);
    row.forEach((x, i) => {
      if (x === null) return;
      if (typeof x !== 'number' || !Number.isFinite(x)) check.error(`plane.loss row ${j + 1} entry ${i + 1}`, `expected a finite number or null, got ${JSON.stringify(x)}`);
      finite++;
    });
    return undefined;
  });
  if (finite === 0) check.error('plane.loss', 'expected at least one finite loss value');
  const runs = check.list(root, 'runs');
  runs.forEach((_r, i) => {
    const at = `runs[${i + 1}]`;
    const r = check.entry(runs, i, 'runs');
    for (const key of ['etaFactor', 'eta', 'twoOverEta', 'seconds']) check.number(r, key, `${at}.${key}`);
    check.oneOf(r, 'verdict', ESCAPE_VERDICTS, `${at}.verdict`);
    for (const key of ['escaped', 'settled']) check.boolean(r, key, `${at}.${key}`);
    for (const key of ['belowFlattest', 'agreesWithPrediction', 'finalBelowTwoOverEta']) check.booleanOrNull(r, key, `${at}.${key}`);
    for (const key of ['prediction', 'outcome']) check.string(r, key, `${at}.${key}`);
    const fin = check.object(r, 'final', `${at}.final`);
    for (const key of ['loss', 'lambdaMax', 'distance', 'relativeResidual', 'gradientNorm']) check.numberOrNull(fin, key, `${at}.final.${key}`);
    const trajectory = check.list(r, 'trajectory', `${at}.trajectory`);
    trajectory.forEach((_p, k) => {
      const p = check.entry(trajectory, k, `${at}.trajectory`);
      check.integer(p, 'step', `${at}.trajectory[${k + 1}].step`);
      for (const key of ['alpha', 'beta', 'loss']) check.number(p, key, `${at}.trajectory[${k + 1}].${key}`);
    });
  });
}

/** The kind of dynamics data file at `path` (by its first bytes), or `undefined` for anything else (a model file). */
export function sniffDynamicsData(path: string): 'dln-hessian-train' | 'dln-hessian-escape' | undefined {
  return sniffDataFileFormat(path, FORMATS);
}
