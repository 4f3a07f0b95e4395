/**
 * Reading model files (format: docs/model-format.md).
 *
 * `{"weights": [W_1, …, W_N], "target": M}` (deep matrix factorization) or
 * `{"weights": [...], "data": {"inputs": X, "targets": Y}}` (deep linear network with data), each
 * matrix a list of rows, entries JSON numbers or exact strings (`"3/4"`, `"-0.125"`, `"1e-3"`),
 * all read exactly as rationals. Every problem is a {@link ModelError} naming its place.
 */
import type { Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';
import { readReduction } from './reduction-key.js';
import { describeJson, getMember, quoteShort, type JsonNode } from './json.js';
import { MODEL_KINDS, shapeProblem, widthsOf, type DeepLinearModel, type Reduction, type ModelKind } from './model.js';
import { DATA_KEYS, ModelReader, parseModelJson, readModelText } from './reader.js';

export { MAX_ENTRY_CHARS, MAX_MODEL_FILE_BYTES } from './reader.js';

/** The keys a model object may have. */
export const MODEL_KEYS: readonly string[] = ['weights', 'target', 'data', 'reduction', 'lossScale', 'kind', 'name', 'description', 'stateDict'];

const KIND_NAMES: Record<ModelKind, string> = { dmf: 'deep matrix factorization', dln: 'deep linear network with data' };

/**
 * Parses a model from JSON text (format: docs/model-format.md). Entries are read exactly.
 * `source` (a file name) is attached to errors. Throws {@link ModelError} naming the first problem.
 */
export function parseModel(text: string, source?: string): DeepLinearModel<Rational> {
  return modelFromJson(parseModelJson(text, source), source);
}

/** Builds a model from an already parsed JSON tree (see {@link parseModel}). */
export function modelFromJson(root: JsonNode, source?: string): DeepLinearModel<Rational> {
  const rd: ModelReader = new ModelReader(source);
  if (root.kind !== 'object') {
    rd.fail(`expected a JSON object at the top level (with "weights" and "target" or "data"), got ${describeJson(root)}`, '', root);
  }
  rd.checkKeys(root, MODEL_KEYS, '');

  // kind (reserved): if given, must be supported.
  const kindMember = getMember(root, 'kind');
  let declared: ModelKind | undefined;
  if (kindMember !== undefined) {
    const v = kindMember.value;
    const supported = `this version supports ${MODEL_KINDS.map((k) => `"${k}" (${KIND_NAMES[k]})`).join(' and ')}`;
    if (v.kind !== 'string') rd.fail(`kind: expected a string, got ${describeJson(v)}; ${supported}`, 'kind', v);
    const k = MODEL_KINDS.find((x) => x === v.value);
    if (k === undefined) rd.fail(`kind: unsupported kind ${quoteShort(v.value)}; ${supported}`, 'kind', v);
    declared = k;
  }

  const name = rd.optionalString(root, 'name');
  const description = rd.optionalString(root, 'description');

  const reduction: Reduction = readReduction(rd, root);

  const weightsMember = getMember(root, 'weights');
  if (weightsMember === undefined) rd.fail('missing "weights" (the list of layer matrices W_1, …, W_N)', 'weights', root);
  const targetMember = getMember(root, 'target');
  const dataMember = getMember(root, 'data');
  if (targetMember === undefined && dataMember === undefined) {
    rd.fail('neither "target" nor "data" given: a model needs one ("target" for deep matrix factorization, "data" for a deep linear network with data)', '', root);
  }
  if (targetMember !== undefined && dataMember !== undefined) {
    rd.fail('both "target" and "data" given: give exactly one', '', dataMember.keyNode);
  }
  const actual: ModelKind = targetMember !== undefined ? 'dmf' : 'dln';
  if (declared !== undefined && kindMember !== undefined && declared !== actual) {
    const needs = declared === 'dmf' ? '"target"' : '"data"';
    const gives = actual === 'dmf' ? '"target"' : '"data"';
    rd.fail(`kind: "${declared}" (${KIND_NAMES[declared]}) needs ${needs}, but the model gives ${gives}`, 'kind', kindMember.value);
  }

  // weights
  const wn = weightsMember.value;
  if (wn.kind !== 'array') rd.fail(`weights: expected a list of matrices (W_1 first), got ${describeJson(wn)}`, 'weights', wn);
  if (wn.items.length === 0) rd.fail('weights: expected at least one layer, got an empty list', 'weights', wn);
  const weights = wn.items.map((w, i) => rd.matrix(w, `weights[${i + 1}]`));
  const stateDict = rd.stateDict(root, weights.length);

  let target: Matrix<Rational> | undefined;
  let inputs: Matrix<Rational> | undefined;
  let targets: Matrix<Rational> | undefined;
  let inputsNode: JsonNode | undefined;
  let targetsNode: JsonNode | undefined;
  if (targetMember !== undefined) {
    target = rd.matrix(targetMember.value, 'target');
  } else if (dataMember !== undefined) {
    const dn = dataMember.value;
    if (dn.kind !== 'object') rd.fail(`data: expected an object {"inputs": X, "targets": Y}, got ${describeJson(dn)}`, 'data', dn);
    rd.checkKeys(dn, DATA_KEYS, 'data');
    const im = getMember(dn, 'inputs');
    if (im === undefined) rd.fail('data: missing "inputs" (X, d_0 × n, one column per sample)', 'data', dn);
    const tm = getMember(dn, 'targets');
    if (tm === undefined) rd.fail('data: missing "targets" (Y, d_N × n, one column per sample)', 'data', dn);
    inputsNode = im.value;
    targetsNode = tm.value;
    inputs = rd.matrix(im.value, 'data.inputs', true);
    targets = rd.matrix(tm.value, 'data.targets', true);
  }

  const objective =
    target !== undefined ? { target } : { data: { inputs: inputs ?? { rows: 0, cols: 0 }, targets: targets ?? { rows: 0, cols: 0 } } };
  const problem = shapeProblem(weights, objective);
  if (problem !== undefined) {
    const at = problem.at;
    const node =
      at.part === 'weights' ? wn.items[at.index] : at.part === 'target' ? targetMember?.value : at.part === 'inputs' ? inputsNode : targetsNode;
    rd.fail(problem.message, problem.path, node);
  }

  const extra = {
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(stateDict !== undefined ? { stateDict } : {}),
  };
  const widths = widthsOf(weights);
  if (target !== undefined) return { kind: 'dmf', weights, widths, target, reduction, ...extra };
  if (inputs === undefined || targets === undefined) throw new Error('unreachable: neither target nor data');
  return { kind: 'dln', weights, widths, data: { inputs, targets }, reduction, ...extra };
}

/**
 * Reads and parses a model file (UTF-8 JSON, at most {@link MAX_MODEL_FILE_BYTES}). Throws
 * {@link ModelError}: `kind: 'io'` when the file cannot be read, otherwise as {@link parseModel}
 * with `source` set to `path`.
 */
export function loadModelFile(path: string): DeepLinearModel<Rational> {
  return parseModel(readModelText(path), path);
}
