/**
 * Reading two-layer model files (format: docs/two-layer.md):
 *
 * `{"kind": "two-layer", "activation": "relu", "loss": "cross-entropy", "weights": [W_1, W_2],
 *   "data": {"inputs": X, "targets": Y}}`
 *
 * with the same JSON reader ({@link parseJson}, exact number text), the same entry rules and the
 * same placed messages as deep-linear model files (src/models/load.ts, docs/model-format.md).
 * Every problem is a {@link ModelError} naming its place.
 */
import { Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';
import {
  ACTIVATIONS,
  TWO_LAYER_LOSSES,
  type ActivationName,
  type TwoLayerBiases,
  type TwoLayerLoss,
  type TwoLayerModel,
  type TwoLayerTargets,
} from '../twolayer/model.js';
import { describeJson, getMember, quoteShort, type JsonNode, type JsonObject } from './json.js';
import { plural, shapeProblem, type Reduction } from './model.js';
import { readReduction } from './reduction-key.js';
import { DATA_KEYS, ModelReader, parseModelJson, readModelText } from './reader.js';

export { parseModelJson, readModelText } from './reader.js';

/** The keys a two-layer model object may have. */
export const TWO_LAYER_KEYS: readonly string[] = ['kind', 'activation', 'loss', 'weights', 'biases', 'data', 'reduction', 'lossScale', 'name', 'description', 'stateDict'];

/** The value of `"kind"` that marks a two-layer model file. */
export const TWO_LAYER_KIND = 'two-layer';

/** {@link ModelReader} with the two-layer-only reads. */
class TwoLayerReader extends ModelReader {
  /** A required string member that must be one of `choices`. */
  choice<T extends string>(obj: JsonObject, key: string, choices: readonly T[], what: string): T {
    const list = choices.map((c) => `"${c}"`).join(', ');
    const m = getMember(obj, key);
    if (m === undefined) this.fail(`missing "${key}" (the ${what}: one of ${list})`, key, obj);
    const v = m.value;
    if (v.kind !== 'string') this.fail(`${key}: expected a string (one of ${list}), got ${describeJson(v)}`, key, v);
    const found = choices.find((c) => c === v.value);
    if (found === undefined) this.fail(`${key}: unknown ${what} ${quoteShort(v.value)} (supported: ${list})`, key, v);
    return found;
  }
}

/** Whether a parsed model file declares `"kind": "two-layer"`. */
export function isTwoLayerJson(root: JsonNode): boolean {
  if (root.kind !== 'object') return false;
  const k = getMember(root, 'kind');
  return k !== undefined && k.value.kind === 'string' && k.value.value === TWO_LAYER_KIND;
}

/**
 * Parses a two-layer model from JSON text (format: docs/two-layer.md). Entries are read exactly.
 * Throws {@link ModelError} naming the first problem.
 */
export function parseTwoLayerModel(text: string, source?: string): TwoLayerModel<Rational> {
  return twoLayerModelFromJson(parseModelJson(text, source), source);
}

/**
 * Builds a two-layer model from a parsed JSON tree. Checks, in order: top-level object, known keys,
 * `"kind": "two-layer"`, `name`/`description` strings, `activation`, `loss`, `reduction` (squared
 * loss only), `weights` (exactly two matrices that chain), `data` (inputs `d × n`; targets `c × n`
 * values for the squared loss; a `1 × n` row of 0-based class indices or `c × n` one-hot columns
 * for cross-entropy, which needs `c ≥ 2`).
 */
export function twoLayerModelFromJson(root: JsonNode, source?: string): TwoLayerModel<Rational> {
  const rd: TwoLayerReader = new TwoLayerReader(source);
  if (root.kind !== 'object') {
    rd.fail(`expected a JSON object at the top level (a two-layer model with "kind", "activation", "loss", "weights" and "data"), got ${describeJson(root)}`, '', root);
  }
  rd.checkKeys(root, TWO_LAYER_KEYS, '');
  const kindMember = getMember(root, 'kind');
  if (kindMember === undefined) rd.fail(`missing "kind": a two-layer model file declares "kind": "${TWO_LAYER_KIND}"`, 'kind', root);
  if (kindMember.value.kind !== 'string' || kindMember.value.value !== TWO_LAYER_KIND) {
    rd.fail(`kind: expected "${TWO_LAYER_KIND}", got ${describeJson(kindMember.value)}`, 'kind', kindMember.value);
  }
  const name = rd.optionalString(root, 'name');
  const description = rd.optionalString(root, 'description');
  const activation: ActivationName = rd.choice(root, 'activation', ACTIVATIONS, 'activation');
  const loss: TwoLayerLoss = rd.choice(root, 'loss', TWO_LAYER_LOSSES, 'loss');

  const reduction: Reduction = readReduction(rd, root, loss === 'cross-entropy');

  const weightsMember = getMember(root, 'weights');
  if (weightsMember === undefined) rd.fail('missing "weights" (the two layer matrices [W_1, W_2], W_1 is h × d, W_2 is c × h)', 'weights', root);
  const wn = weightsMember.value;
  if (wn.kind !== 'array') rd.fail(`weights: expected a list of two matrices [W_1, W_2], got ${describeJson(wn)}`, 'weights', wn);
  if (wn.items.length !== 2) rd.fail(`weights: a two-layer model needs exactly 2 matrices [W_1, W_2], got ${wn.items.length}`, 'weights', wn);
  const W1 = rd.matrix(wn.items[0] as JsonNode, 'weights[1]');
  const W2 = rd.matrix(wn.items[1] as JsonNode, 'weights[2]');
  if (W1.rows !== W2.cols) {
    rd.fail(`weights[2] has ${plural(W2.cols, 'column')} but weights[1] has ${plural(W1.rows, 'row')} (the hidden width h must agree)`, 'weights[2]', wn.items[1]);
  }
  const biases = readBiases(rd, root, W1.rows, W2.rows);
  const stateDict = rd.stateDict(root, 2);

  const dataMember = getMember(root, 'data');
  if (dataMember === undefined) rd.fail('missing "data" (an object {"inputs": X, "targets": Y}, one column per sample)', 'data', root);
  const dn = dataMember.value;
  if (dn.kind !== 'object') rd.fail(`data: expected an object {"inputs": X, "targets": Y}, got ${describeJson(dn)}`, 'data', dn);
  rd.checkKeys(dn, DATA_KEYS, 'data');
  const im = getMember(dn, 'inputs');
  if (im === undefined) rd.fail('data: missing "inputs" (X, d × n, one column per sample)', 'data', dn);
  const tm = getMember(dn, 'targets');
  if (tm === undefined) {
    rd.fail(
      loss === 'squared'
        ? 'data: missing "targets" (Y, c × n, one column per sample)'
        : 'data: missing "targets" (a row of class indices 0..c−1, or one-hot columns c × n)',
      'data',
      dn,
    );
  }
  const X = rd.matrix(im.value, 'data.inputs', true);
  const Ymat = rd.matrix(tm.value, 'data.targets', true);

  // Shapes: reuse the deep-linear checks for the chain W_1 → W_2 and the inputs.
  const n = X.cols;
  const c = W2.rows;
  const problem = shapeProblem([W1, W2], { data: { inputs: X, targets: { rows: c, cols: n } } });
  if (problem !== undefined) {
    const at = problem.at;
    const node = at.part === 'weights' ? wn.items[at.index] : at.part === 'inputs' ? im.value : tm.value;
    const message = problem.message.replace('(d_1 must agree)', '(the hidden width h must agree)');
    rd.fail(message, problem.path, node);
  }
  let targets: TwoLayerTargets<Rational>;
  if (loss === 'squared') {
    if (Ymat.rows !== c) rd.fail(`data.targets: expected c = ${plural(c, 'row')} (the rows of weights[2]), got ${Ymat.rows}`, 'data.targets', tm.value);
    if (Ymat.cols !== n) rd.fail(`data.targets: expected ${plural(n, 'column')} (one per sample, as in data.inputs), got ${Ymat.cols}`, 'data.targets', tm.value);
    targets = { kind: 'values', values: Ymat };
  } else {
    if (c < 2) rd.fail(`loss: cross-entropy needs at least 2 classes, but weights[2] has ${plural(c, 'row')}`, 'loss', getMember(root, 'loss')?.value);
    targets = readLabels(rd, Ymat, c, n, tm.value);
  }
  return {
    kind: 'two-layer',
    activation,
    loss,
    weights: [W1, W2],
    ...(biases !== undefined ? { biases } : {}),
    data: { inputs: X, targets },
    reduction,
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(stateDict !== undefined ? { stateDict } : {}),
  };
}

/**
 * `"biases": [b_1, b_2]`: `b_1` a list of `h` entries (added to `W_1 x`), `b_2` a list of `c` entries
 * (added to the output), either one `null` when the layer has no bias (docs/two-layer.md, "Biases").
 */
function readBiases(rd: TwoLayerReader, root: JsonObject, h: number, c: number): TwoLayerBiases<Rational> | undefined {
  const m = getMember(root, 'biases');
  if (m === undefined) return undefined;
  const bn = m.value;
  if (bn.kind !== 'array' || bn.items.length !== 2) {
    rd.fail(`biases: expected a list of two entries [b_1, b_2] (each a list of numbers, or null for no bias), got ${describeJson(bn)}`, 'biases', bn);
  }
  const one = (k: 0 | 1, len: number, what: string): Rational[] | undefined => {
    const node = bn.items[k] as JsonNode;
    const path = `biases[${k + 1}]`;
    if (node.kind === 'null') return undefined;
    if (node.kind !== 'array') rd.fail(`${path}: expected a list of ${len === 1 ? '1 entry' : `${len} entries`} (${what}) or null, got ${describeJson(node)}`, path, node);
    if (node.items.length !== len) {
      rd.fail(`${path}: expected ${len === 1 ? '1 entry' : `${len} entries`} (${what}), got ${node.items.length}`, path, node);
    }
    return node.items.map((e, i) => rd.entry(e, `${path} entry ${i + 1}`));
  };
  const b1 = one(0, h, 'b_1: one per hidden unit, the rows of weights[1]');
  const b2 = one(1, c, 'b_2: one per output, the rows of weights[2]');
  if (b1 === undefined && b2 === undefined) return undefined;
  return { ...(b1 !== undefined ? { b1 } : {}), ...(b2 !== undefined ? { b2 } : {}) };
}

/** Class labels from a `1 × n` row of 0-based indices or `c × n` one-hot columns. */
function readLabels(rd: TwoLayerReader, Y: Matrix<Rational>, c: number, n: number, node: JsonNode): TwoLayerTargets<Rational> {
  const rowNode = (r: number): JsonNode | undefined => (node.kind === 'array' ? node.items[r] : undefined);
  const entryNode = (r: number, s: number): JsonNode | undefined => {
    const row = rowNode(r);
    return row !== undefined && row.kind === 'array' ? row.items[s] : undefined;
  };
  if (Y.cols !== n) rd.fail(`data.targets: expected ${plural(n, 'column')} (one per sample, as in data.inputs), got ${Y.cols}`, 'data.targets', node);
  if (Y.rows === 1) {
    const labels: number[] = [];
    for (let s = 0; s < n; s++) {
      const q = Y.data[s] as Rational;
      const path = `data.targets row 1 column ${s + 1}`;
      if (!q.isInteger()) rd.fail(`${path}: a class index must be an integer, got ${q.toString()}`, path, entryNode(0, s));
      if (q.sign() < 0 || q.compare(Rational.fromBigInt(BigInt(c - 1))) > 0) {
        rd.fail(`${path}: labels out of range: class index ${q.toString()} is not in 0..${c - 1} (classes are numbered from 0; weights[2] has ${c} rows)`, path, entryNode(0, s));
      }
      labels.push(Number(q.num));
    }
    return { kind: 'labels', labels, format: 'indices' };
  }
  if (Y.rows !== c) {
    rd.fail(
      `data.targets: for cross-entropy give a row of class indices (1 × n) or one-hot columns (c = ${c} rows × n), got ${Y.rows} rows`,
      'data.targets',
      node,
    );
  }
  const labels: number[] = [];
  for (let s = 0; s < n; s++) {
    let label = -1;
    for (let a = 0; a < c; a++) {
      const q = Y.data[a + c * s] as Rational;
      const path = `data.targets row ${a + 1} column ${s + 1}`;
      if (q.isZero()) continue;
      if (!q.equals(Rational.ONE)) rd.fail(`${path}: one-hot targets have entries 0 and 1, got ${q.toString()}`, path, entryNode(a, s));
      if (label >= 0) rd.fail(`data.targets column ${s + 1}: a one-hot column has exactly one 1, got 1 in rows ${label + 1} and ${a + 1}`, `data.targets column ${s + 1}`, entryNode(a, s));
      label = a;
    }
    if (label < 0) rd.fail(`data.targets column ${s + 1}: a one-hot column has exactly one 1, got none`, `data.targets column ${s + 1}`, entryNode(0, s));
    labels.push(label);
  }
  return { kind: 'labels', labels, format: 'one-hot' };
}

/** Reads and parses a two-layer model file. */
export function loadTwoLayerModelFile(path: string): TwoLayerModel<Rational> {
  return parseTwoLayerModel(readModelText(path), path);
}
