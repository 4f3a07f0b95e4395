/**
 * `dln-hessian minimizer`: writes a model file holding a global minimizer (`W_N ⋯ W_1 = M`) of a
 * target, built by `generateMinimizer` (docs/minimizers.md).
 */
import { LimitError } from '../../hessian/limits.js';
import { FamilyNotSupportedError } from '../../families/support.js';
import { isTwoLayerJson } from '../../models/two-layer-load.js';
import { loadAnySource } from '../../models/source.js';
import { Q } from '../../field/field.js';
import { Rational, RationalParseError } from '../../field/rational.js';
import { MINIMIZER_KINDS, MinimizerError, generateMinimizer, type GeneratedMinimizer, type MinimizerKind } from '../../generators/minimizers.js';
import { loss } from '../../hessian/gradient.js';
import { specFromModel } from '../../hessian/from-model.js';
import { preparePoint } from '../../hessian/point.js';
import { fromRows, type Matrix } from '../../linalg/matrix.js';
import { ModelError } from '../../models/errors.js';
import { describeJson, JsonSyntaxError, parseJson, quoteShort, type JsonNode } from '../../models/json.js';
import { MAX_ENTRY_CHARS, modelFromJson } from '../../models/load.js';
import { readModelText } from '../../models/reader.js';
import { writeAnyModelFile } from '../../families/model-writer.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { EXAMPLE_PREFIX, loadModelArgument } from '../io.js';

/** Deepest minimizer written (each layer is an exact rational matrix whose entries grow with the depth). */
export const MAX_MINIMIZER_DEPTH = 200;

/** Most parameters of a written minimizer (its file must stay readable under the model-file limit). */
export const MAX_MINIMIZER_PARAMS = 1_000_000;

export const minimizerCommand: CommandSpec = {
  name: 'minimizer',
  summary: 'Write a model file holding a global minimizer (W_N⋯W_1 = M, exact by default) of a target matrix.',
  positionals: [],
  flags: {
    target: {
      kind: 'string',
      valueName: 'M.json',
      description: 'the target M: a JSON list of rows (numbers or exact strings like "3/4"), or a model file (its target), or example:ID',
    },
    depth: { kind: 'integer', valueName: 'N', min: 1, max: MAX_MINIMIZER_DEPTH, description: `number of layers N, 1 ≤ N ≤ ${MAX_MINIMIZER_DEPTH}` },
    widths: { kind: 'string', valueName: 'd0,...,dN', description: 'all widths, comma-separated (default: hidden widths max(d_0, d_N))' },
    kind: { kind: 'string', valueName: 'KIND', description: `how to build it: ${MINIMIZER_KINDS.join(', ')}` },
    seed: { kind: 'integer', valueName: 'S', description: 'seed of the random choices (default 1)' },
    float: { kind: 'boolean', description: 'balanced: accept a float64 minimizer when the exact one is not rational' },
    out: { kind: 'string', valueName: 'FILE', description: 'the model file to write (whole, or not at all)' },
  },
};

function required(args: ParsedArgs, name: string, what: string): string {
  const v = flagString(args, name);
  if (v === undefined) throw new UsageError(`minimizer: missing --${name} ${what}`);
  return v;
}

function fail(message: string, path: string, source: string, at?: JsonNode): never {
  throw new ModelError(message, { kind: 'schema', path, source, ...(at !== undefined ? { line: at.line, column: at.column } : {}) });
}

function readEntry(node: JsonNode, path: string, source: string): Rational {
  if (node.kind !== 'number' && node.kind !== 'string') fail(`${path}: expected a number or an exact string like "3/4", got ${describeJson(node)}`, path, source, node);
  const text = node.kind === 'number' ? node.text : node.value;
  if (text.length > MAX_ENTRY_CHARS) fail(`${path}: entry has ${text.length} characters; the limit is ${MAX_ENTRY_CHARS}`, path, source, node);
  try {
    return Rational.parse(text);
  } catch (e) {
    if (e instanceof RationalParseError) {
      fail(`${path}: cannot read ${node.kind === 'string' ? quoteShort(text) : text} as an exact number (write e.g. 3, "3/4", "-0.125" or "1e-3")`, path, source, node);
    }
    throw e;
  }
}

/** A matrix written as a list of rows, read exactly, with positioned errors. */
function readMatrix(node: JsonNode, source: string): Matrix<Rational> {
  if (node.kind !== 'array' || node.items.length === 0) fail(`target: expected a matrix (a non-empty list of rows), got ${describeJson(node)}`, 'target', source, node);
  const rows: Rational[][] = [];
  let cols = -1;
  node.items.forEach((rowNode, r) => {
    const rp = `target row ${r + 1}`;
    if (rowNode.kind !== 'array' || rowNode.items.length === 0) fail(`${rp}: expected a non-empty list of entries, got ${describeJson(rowNode)}`, rp, source, rowNode);
    if (cols < 0) cols = rowNode.items.length;
    else if (rowNode.items.length !== cols) fail(`${rp}: expected ${cols === 1 ? '1 entry' : `${cols} entries`}, got ${rowNode.items.length}`, rp, source, rowNode);
    rows.push(rowNode.items.map((e, c) => readEntry(e, `${rp} column ${c + 1}`, source)));
  });
  return fromRows(rows);
}

function readText(path: string): string {
  return readModelText(path, 'target file');
}

const MINIMIZER_WHY = 'it builds a deep linear network whose product W_N⋯W_1 equals a target matrix M, and a two-layer network has no target matrix';

/** The target `M` from a matrix file, a model file (its target) or `example:ID`. */
export function readTarget(arg: string): Matrix<Rational> {
  if (arg.startsWith(EXAMPLE_PREFIX)) {
    if (loadAnySource(arg).family === 'two-layer') throw new FamilyNotSupportedError('minimizer --target', 'two-layer', MINIMIZER_WHY);
    const m = loadModelArgument(arg);
    if (m.kind !== 'dmf') throw new ModelError(`${arg} is a deep linear network with data, not a target matrix`, { kind: 'schema', source: arg });
    return m.target;
  }
  const text = readText(arg);
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ModelError(e.message, { kind: 'syntax', line: e.line, column: e.column, source: arg, cause: e });
    throw e;
  }
  if (root.kind === 'object') {
    if (isTwoLayerJson(root)) throw new FamilyNotSupportedError('minimizer --target', 'two-layer', MINIMIZER_WHY);
    const m = modelFromJson(root, arg);
    if (m.kind !== 'dmf') fail('the model file has "data", not a "target": give a matrix or a deep matrix factorization model', 'data', arg, root);
    return m.target;
  }
  if (root.kind !== 'array') fail(`expected a matrix (a list of rows) or a model file (an object), got ${describeJson(root)}`, '', arg, root);
  return readMatrix(root, arg);
}

function parseWidths(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > MAX_MINIMIZER_DEPTH + 1) throw new UsageError(`minimizer: --widths lists ${parts.length} widths; at most ${MAX_MINIMIZER_DEPTH + 1} (depth ${MAX_MINIMIZER_DEPTH})`);
  return parts.map((p, i) => {
    if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > MAX_MINIMIZER_PARAMS) throw new UsageError(`minimizer: --widths: d_${i} must be an integer from 1 to ${MAX_MINIMIZER_PARAMS}, got ${JSON.stringify(p.length > 30 ? `${p.slice(0, 30)}…` : p)}`);
    return Number(p);
  });
}

function summary(out: string, targetArg: string, kind: MinimizerKind, seed: number, g: GeneratedMinimizer): string {
  const m = g.model;
  const N = m.weights.length;
  const L = loss(preparePoint(Q, specFromModel(m)));
  const shape = `${m.target.rows}×${m.target.cols}`;
  const exactness = g.exact
    ? `It is exact: W_${N}⋯W_1 = M holds exactly and the loss is exactly 0.`
    : `It is NOT exact (float64 factors stored as the exact values of the doubles): loss ${L.toString().length <= 40 ? L.toString() : `≈ ${formatNumber(L.toNumber())}`}.`;
  const notes = g.notes.map((n) => `${n.charAt(0).toUpperCase()}${n.slice(1)}.`).join(' ');
  return `Wrote ${out}: a ${kind} minimizer of the ${shape} target from ${targetArg}, depth N = ${N}, widths d_0..d_N = ${m.widths.join(', ')}, seed ${seed}. ${exactness} ${notes}`;
}

export function runMinimizer(args: ParsedArgs): number {
  const targetArg = required(args, 'target', 'M.json (the target matrix)');
  const depthValue = args.flags.get('depth');
  if (typeof depthValue !== 'number') throw new UsageError('minimizer: missing --depth N (the number of layers)');
  if (depthValue < 1) throw new UsageError(`minimizer: --depth must be at least 1, got ${depthValue}`);
  const kindText = required(args, 'kind', `KIND (${MINIMIZER_KINDS.join(', ')})`);
  const kind = MINIMIZER_KINDS.find((k) => k === kindText);
  if (kind === undefined) throw new UsageError(`minimizer: unknown --kind ${JSON.stringify(kindText)} (kinds: ${MINIMIZER_KINDS.join(', ')})`);
  const out = required(args, 'out', 'FILE (where to write the model)');
  const widthsText = flagString(args, 'widths');
  const widths = widthsText === undefined ? undefined : parseWidths(widthsText);
  const seed = flagInt(args, 'seed', 1);
  const target = readTarget(targetArg);
  const all = widths ?? [target.cols, ...Array.from({ length: depthValue - 1 }, () => Math.max(target.cols, target.rows)), target.rows];
  const params = all.slice(1).reduce((s, d, i) => s + d * (all[i] as number), 0);
  if (params > MAX_MINIMIZER_PARAMS) {
    throw new LimitError(`minimizer: widths ${all.length > 12 ? `${all.slice(0, 12).join(',')},…` : all.join(',')} give ${params} parameters; the limit is ${MAX_MINIMIZER_PARAMS} (a larger model file could not be read back)`);
  }
  let g: GeneratedMinimizer;
  try {
    g = generateMinimizer({
      target,
      depth: depthValue,
      kind,
      seed,
      ...(widths !== undefined ? { widths } : {}),
      // Exact unless --float: then exact when possible, float64 otherwise.
      ...(flagBool(args, 'float') ? {} : { exact: true }),
    });
  } catch (e) {
    if (e instanceof MinimizerError) {
      const hint =
        e.code === 'not-rational'
          ? '; use --kind gl-orbit or --kind random (always exact), --float to accept a float64 balanced minimizer, or an exact target'
          : '';
      throw new UsageError(`minimizer: ${e.reason}${hint}`);
    }
    throw e;
  }
  writeAnyModelFile(out, { family: 'deep-linear', model: g.model });
  process.stdout.write(`${summary(out, targetArg, kind, seed, g)}\n`);
  return 0;
}
