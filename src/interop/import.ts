/**
 * `import`: a PyTorch-layout state_dict (an `.npz` or `.safetensors` file) plus a data file become a
 * model of this project, with every stored value read exactly.
 *
 * Data flow: {@link classifyTensors} sorts the weights file's tensors into layer weights (in file
 * order, or the order given by `layers`), biases and anything else; {@link checkChain} names the
 * tensors whose shapes do not chain; the data file gives `inputs` (n × d_0, samples as rows, as
 * in PyTorch) and `targets` (n × d_N, or n class indices), or `target` (d_N × d_0) for DMF; the
 * result is a {@link DeepLinearModel} or a {@link TwoLayerModel} over the rationals with a
 * `stateDict` record of where each weight came from (name, dtype), so that `export` writes the same
 * tensors back.
 *
 * Layouts: `*.weight` is PyTorch's `nn.Linear.weight`, shape (out, in) = our `W_i` (`d_i × d_{i−1}`)
 * with no transpose; `*.kernel` is Flax's `nn.Dense` kernel, shape (in, out), transposed on import.
 *
 * Biases: a `*.bias` tensor is classified (with the weight it belongs to) and then refused by
 * {@link importBiases}, the one place biases are read (two-layer) or refused (deep linear).
 */
import { Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';
import { makeDlnModel, makeDmfModel, type DeepLinearModel, type Reduction, type StateDictEntry } from '../models/model.js';
import type { AnyModel } from '../models/source.js';
import { ACTIVATIONS, type ActivationName, type TwoLayerBiases, type TwoLayerLoss, type TwoLayerModel } from '../twolayer/model.js';
import { isFloatDType } from './dtypes.js';
import { ImportError } from './errors.js';
import { formatShape, type Tensor, type TensorFile } from './tensor.js';

/** What to build: deep matrix factorization, deep linear network with data, or a two-layer network. */
export type ImportKind = 'dmf' | 'dln' | 'two-layer';

/** The import kinds, in the order messages list them. */
export const IMPORT_KINDS: readonly ImportKind[] = ['dmf', 'dln', 'two-layer'];

/** Options of {@link importModel}. */
export interface ImportOptions {
  readonly kind: ImportKind;
  /** The data file: `inputs` and `targets`, or `target` for DMF. */
  readonly data: TensorFile;
  /** Two-layer only (required there). */
  readonly activation?: ActivationName;
  /** Two-layer only: `'squared'` (default) or `'cross-entropy'`. */
  readonly loss?: TwoLayerLoss;
  /**
   * The loss convention of the squared loss (default `'half'`). Extension point: a `--reduction`
   * option maps onto the model's loss convention here.
   */
  readonly reduction?: Reduction;
  /** The weight tensors in layer order (`W_1` first), instead of the file's order. */
  readonly layers?: readonly string[];
  readonly name?: string;
}

/** A weight tensor in its layer position. */
export interface LayerTensor {
  readonly tensor: Tensor;
  /** `'torch'`: shape (out, in); `'flax'`: shape (in, out), transposed on import. */
  readonly layout: 'torch' | 'flax';
}

/** A bias tensor and the layer (0-based) whose weight it follows. */
export interface BiasTensor {
  readonly tensor: Tensor;
  readonly layer: number;
}

/** The tensors of a weights file, sorted. */
export interface ClassifiedTensors {
  readonly weights: readonly LayerTensor[];
  readonly biases: readonly BiasTensor[];
}

/** An imported model and where its pieces came from. */
export interface ImportedModel {
  readonly model: AnyModel;
  /** The weight tensors, `W_1` first. */
  readonly layers: readonly LayerTensor[];
  /** The data tensors used, by role. */
  readonly data: Readonly<Record<string, Tensor>>;
}

const list = (names: readonly string[]): string => (names.length === 0 ? 'none' : names.map((n) => JSON.stringify(n)).join(', '));

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(0, dot);
}

function suffix(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * Sorts a weights file's tensors. Weights: `weight`/`*.weight` (PyTorch) and `kernel`/`*.kernel`
 * (Flax), in file order, or exactly the tensors named in `layers`, in that order. Biases:
 * `*.bias`, attached to the weight with the same prefix. Anything else is refused, by name.
 */
export function classifyTensors(file: TensorFile, layers?: readonly string[]): ClassifiedTensors {
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  let weightTensors: Tensor[];
  if (layers !== undefined) {
    const missing = layers.filter((n) => !byName.has(n));
    if (missing.length > 0) throw new ImportError(`${file.path}: --layers names ${list(missing)}, which the file does not have (it has ${list(file.tensors.map((t) => t.name))})`);
    const twice = layers.filter((n, k) => layers.indexOf(n) !== k);
    if (twice.length > 0) throw new ImportError(`--layers names ${list(twice)} more than once`);
    weightTensors = layers.map((n) => byName.get(n) as Tensor);
  } else {
    weightTensors = file.tensors.filter((t) => suffix(t.name) === 'weight' || suffix(t.name) === 'kernel');
  }
  const weightStems = weightTensors.map((t) => stem(t.name));
  const biases: BiasTensor[] = [];
  const others: string[] = [];
  for (const t of file.tensors) {
    if (weightTensors.includes(t)) continue;
    if (suffix(t.name) === 'bias') {
      const layer = weightStems.indexOf(stem(t.name));
      if (layer >= 0) {
        biases.push({ tensor: t, layer });
        continue;
      }
    }
    others.push(t.name);
  }
  if (others.length > 0) {
    throw new ImportError(
      `${file.path}: tensors ${list(others)} are neither layer weights (NAME.weight, shape (out, in); NAME.kernel, shape (in, out)) nor their biases; ` +
        'save only the linear layers, or name the weight tensors in order with --layers',
    );
  }
  if (weightTensors.length === 0) throw new ImportError(`${file.path}: no layer weights found (expected tensors named NAME.weight, shape (out, in)); the file has ${list(file.tensors.map((t) => t.name))}`);
  const weights = weightTensors.map((tensor) => {
    if (tensor.shape.length !== 2) throw new ImportError(`${file.path}: tensor ${JSON.stringify(tensor.name)} has shape ${formatShape(tensor.shape)}; a layer weight is 2-D (out, in)`);
    if (!isFloatDType(tensor.dtype)) throw new ImportError(`${file.path}: tensor ${JSON.stringify(tensor.name)} has dtype ${tensor.dtype}; layer weights are float16, bfloat16, float32 or float64`);
    return { tensor, layout: suffix(tensor.name) === 'kernel' ? ('flax' as const) : ('torch' as const) };
  });
  return { weights, biases };
}

/** `(rows, cols)` of a layer weight as `W_i` (out × in). */
function outIn(l: LayerTensor): [number, number] {
  const [a, b] = l.tensor.shape as [number, number];
  return l.layout === 'torch' ? [a, b] : [b, a];
}

/** Refuses layers whose shapes do not chain, naming both tensors and the width that disagrees. */
export function checkChain(file: TensorFile, layers: readonly LayerTensor[], ordered = false): number[] {
  const widths = [outIn(layers[0] as LayerTensor)[1]];
  layers.forEach((l, i) => {
    const [out, inp] = outIn(l);
    if (out === 0 || inp === 0) throw new ImportError(`${file.path}: tensor ${JSON.stringify(l.tensor.name)} is empty (shape ${formatShape(l.tensor.shape)})`);
    if (i > 0 && inp !== widths[i]) {
      const prev = layers[i - 1] as LayerTensor;
      throw new ImportError(
        `${file.path}: tensor ${JSON.stringify(l.tensor.name)} (shape ${formatShape(l.tensor.shape)}, layer ${i + 1}) takes ${inp} inputs, but ${JSON.stringify(prev.tensor.name)} ` +
          `(shape ${formatShape(prev.tensor.shape)}, layer ${i}) has ${widths[i] as number} outputs: d_${i} must agree (${ordered ? 'layers are taken in the order of --layers' : "layers are taken in the file's order; give the order with --layers"})`,
      );
    }
    widths.push(out);
  });
  return widths;
}

/**
 * The one place biases are handled. Deep linear networks are bias-free by design: a bias is refused
 * with the reason. A two-layer network takes `0.bias` as `b_1` and `2.bias` as `b_2` (each of shape
 * (out,), read exactly), `f(x) = W_2 σ(W_1 x + b_1) + b_2`.
 */
export function importBiases(file: TensorFile, kind: ImportKind, biases: readonly BiasTensor[], W: readonly Matrix<Rational>[]): TwoLayerBiases<Rational> | undefined {
  const first = biases[0];
  if (first === undefined) return undefined;
  if (kind !== 'two-layer') {
    throw new ImportError(
      `${file.path}: tensor ${JSON.stringify(first.tensor.name)} (shape ${formatShape(first.tensor.shape)}) is a bias of layer ${first.layer + 1}: ` +
        'deep linear networks are bias-free by design (the Hessian closed forms are for f(x) = W_N ⋯ W_1 x); ' +
        'build the layers with nn.Linear(..., bias=False), or drop the bias tensors when saving (see docs/pytorch.md)',
    );
  }
  const out: { b1?: Rational[]; b2?: Rational[] } = {};
  for (const b of biases) {
    const rows = W[b.layer]?.rows;
    if (b.tensor.shape.length !== 1 || b.tensor.shape[0] !== rows) {
      throw new ImportError(`${file.path}: bias ${JSON.stringify(b.tensor.name)} has shape ${formatShape(b.tensor.shape)}; layer ${b.layer + 1} has ${rows} outputs, so its bias must have shape (${rows},)`);
    }
    const values = Array.from({ length: rows as number }, (_, i) => exact(file, b.tensor, i));
    if (b.layer === 0) out.b1 = values;
    else out.b2 = values;
  }
  return out;
}

/** A finite tensor value as a rational, naming the tensor and element otherwise. */
function exact(file: TensorFile, t: Tensor, k: number): Rational {
  const x = t.values[k] as number;
  if (!Number.isFinite(x)) {
    const idx = t.shape.length === 2 ? `[${Math.floor(k / (t.shape[1] as number))}, ${k % (t.shape[1] as number)}]` : `[${k}]`;
    const what = Number.isNaN(x) && !isFloatDType(t.dtype) ? 'an integer beyond ±2^53' : String(x);
    throw new ImportError(`${file.path}: tensor ${JSON.stringify(t.name)}, element ${idx} is ${what}; entries must be finite numbers`);
  }
  return Rational.fromNumber(x);
}

/** A 2-D tensor (r, c) as the r×c matrix, or transposed as the c×r matrix; exact. */
export function tensorToMatrix(file: TensorFile, t: Tensor, transpose: boolean): Matrix<Rational> {
  const [r, c] = t.shape as [number, number];
  const data = new Array<Rational>(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[transpose ? j + c * i : i + r * j] = exact(file, t, i * c + j);
  return transpose ? { rows: c, cols: r, data } : { rows: r, cols: c, data };
}

/** The data tensors a kind needs, refusing missing and unexpected ones with both lists. */
function dataTensors(data: TensorFile, kind: ImportKind): Record<string, Tensor> {
  const expected = kind === 'dmf' ? ['target'] : ['inputs', 'targets'];
  const found = data.tensors.map((t) => t.name);
  const missing = expected.filter((n) => !found.includes(n));
  const extra = found.filter((n) => !expected.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    const what = kind === 'dmf' ? '"target" (d_N × d_0)' : `"inputs" (n × d_0, one row per sample) and "targets" (${kind === 'two-layer' ? 'n × c values, or n class indices' : 'n × d_N'})`;
    throw new ImportError(
      `${data.path}: a ${kind} model needs the array${expected.length > 1 ? 's' : ''} ${what}; ${missing.length > 0 ? `missing ${list(missing)}` : `unexpected ${list(extra)}`} (found ${list(found)})`,
    );
  }
  return Object.fromEntries(data.tensors.map((t) => [t.name, t]));
}

function shapeIs(data: TensorFile, t: Tensor, want: readonly (number | undefined)[], what: string): void {
  const ok = t.shape.length === want.length && want.every((w, k) => w === undefined || t.shape[k] === w);
  if (!ok) {
    const wanted = `(${want.map((w, k) => (w === undefined ? 'n' : String(w)) + (want.length === 1 && k === 0 ? ',' : '')).join(', ')})`;
    throw new ImportError(`${data.path}: tensor ${JSON.stringify(t.name)} has shape ${formatShape(t.shape)}; expected ${wanted}: ${what}`);
  }
}

/**
 * Builds a model from a weights file and a data file (see the module note). Throws
 * {@link ImportError} (or a `TensorFileError` from reading) naming the file, the tensors and the
 * dimension that disagree.
 */
export function importModel(weights: TensorFile, options: ImportOptions): ImportedModel {
  const { kind, data } = options;
  const classified = classifyTensors(weights, options.layers);
  const layers = classified.weights;
  const widths = checkChain(weights, layers, options.layers !== undefined);
  const W = layers.map((l) => tensorToMatrix(weights, l.tensor, l.layout === 'flax'));
  const biases = importBiases(weights, kind, classified.biases, W);
  const stateDict: StateDictEntry[] = layers.map((l, i) => ({ name: l.tensor.name, of: `weights[${i + 1}]`, dtype: l.tensor.dtype }));
  const d0 = widths[0] as number;
  const dN = widths[widths.length - 1] as number;
  const named = { ...(options.name !== undefined ? { name: options.name } : {}), stateDict };
  const dt = dataTensors(data, kind);
  const float = (t: Tensor): void => {
    if (!isFloatDType(t.dtype)) throw new ImportError(`${data.path}: tensor ${JSON.stringify(t.name)} has dtype ${t.dtype}; expected a float array`);
  };
  if (kind === 'dmf') {
    const M = dt.target as Tensor;
    float(M);
    shapeIs(data, M, [dN, d0], `the target M is d_N × d_0 (d_N = ${dN} outputs of ${JSON.stringify(layers[layers.length - 1]?.tensor.name)}, d_0 = ${d0} inputs of ${JSON.stringify(layers[0]?.tensor.name)})`);
    const model: DeepLinearModel<Rational> = makeDmfModel(W, tensorToMatrix(data, M, false), { reduction: options.reduction ?? 'half', ...named });
    return { model: { family: 'deep-linear', model }, layers, data: dt };
  }
  const X = dt.inputs as Tensor;
  const targets = dt.targets as Tensor;
  // One output and float targets of shape (n,): the (n, 1) column PyTorch regression code often keeps flat.
  const Y: Tensor = dN === 1 && targets.shape.length === 1 && isFloatDType(targets.dtype) ? { ...targets, shape: [targets.shape[0] as number, 1] } : targets;
  float(X);
  shapeIs(data, X, [undefined, d0], `inputs are n × d_0, one row per sample, d_0 = ${d0} (the inputs of ${JSON.stringify(layers[0]?.tensor.name)})`);
  const n = X.shape[0] as number;
  if (n === 0) throw new ImportError(`${data.path}: tensor "inputs" has no samples (shape ${formatShape(X.shape)})`);
  const inputs = tensorToMatrix(data, X, true);
  const last = JSON.stringify(layers[layers.length - 1]?.tensor.name);
  if (kind === 'dln') {
    if (options.activation !== undefined || options.loss !== undefined) throw new ImportError('--activation and --loss are for --kind two-layer (a deep linear network has no activation and the squared loss)');
    float(Y);
    shapeIs(data, Y, [n, dN], `targets are n × d_N, one row per sample (n = ${n} as in "inputs", d_N = ${dN} outputs of ${last})`);
    const model = makeDlnModel(W, { inputs, targets: tensorToMatrix(data, Y, true) }, { reduction: options.reduction ?? 'half', ...named });
    return { model: { family: 'deep-linear', model }, layers, data: dt };
  }
  if (layers.length !== 2) throw new ImportError(`${weights.path}: a two-layer model needs exactly 2 layer weights, found ${layers.length} (${list(layers.map((l) => l.tensor.name))})`);
  if (options.activation === undefined) throw new ImportError(`--kind two-layer needs --activation (${ACTIVATIONS.join(', ')})`);
  const loss = options.loss ?? 'squared';
  let model: TwoLayerModel<Rational>;
  const base = { kind: 'two-layer' as const, activation: options.activation, loss, weights: [W[0], W[1]] as [Matrix<Rational>, Matrix<Rational>], ...(biases !== undefined ? { biases } : {}), ...named };
  if (loss === 'squared') {
    float(Y);
    shapeIs(data, Y, [n, dN], `targets are n × c, one row per sample (n = ${n} as in "inputs", c = ${dN} outputs of ${last})`);
    model = { ...base, data: { inputs, targets: { kind: 'values', values: tensorToMatrix(data, Y, true) } }, reduction: options.reduction ?? 'half' };
  } else {
    if (dN < 2) throw new ImportError(`${weights.path}: cross-entropy needs at least 2 classes, but ${last} has 1 output`);
    let labels: number[];
    let format: 'indices' | 'one-hot';
    if (isFloatDType(Y.dtype) && Y.shape.length === 2) {
      // One-hot rows (n × c), the probability targets nn.CrossEntropyLoss also takes, restricted to 0/1.
      shapeIs(data, Y, [n, dN], `one-hot targets are n × c, one row per sample (n = ${n} as in "inputs", c = ${dN} outputs of ${last})`);
      format = 'one-hot';
      labels = Array.from({ length: n }, (_, s) => {
        const row = Array.from(Y.values.subarray(s * dN, (s + 1) * dN));
        const ones = row.flatMap((y, a) => (y === 1 ? [a] : []));
        if (ones.length !== 1 || row.some((y) => y !== 0 && y !== 1)) {
          throw new ImportError(`${data.path}: tensor "targets", row [${s}] is not one-hot (${row.join(', ')}): give one 1 and zeros per row, or n int64 class indices (soft labels are not supported)`);
        }
        return ones[0] as number;
      });
    } else {
      if (isFloatDType(Y.dtype) || Y.shape.length !== 1) {
        throw new ImportError(`${data.path}: tensor "targets" has dtype ${Y.dtype} and shape ${formatShape(Y.shape)}; cross-entropy takes n class indices (an int64 array of shape (${n},), as nn.CrossEntropyLoss does) or one-hot rows (n × c floats)`);
      }
      shapeIs(data, Y, [n], `one class index per sample (n = ${n} as in "inputs")`);
      format = 'indices';
      labels = Array.from(Y.values, (y, s) => {
        if (!Number.isInteger(y) || y < 0 || y >= dN) throw new ImportError(`${data.path}: tensor "targets", element [${s}] is ${Number.isNaN(y) ? 'beyond ±2^53' : y}: class indices are 0..${dN - 1} (${last} has ${dN} outputs)`);
        return y;
      });
    }
    if (options.reduction !== undefined && options.reduction !== 'mean') throw new ImportError('cross-entropy is torch\'s mean of −log p_y over the samples: --reduction takes only "mean" for it');
    model = { ...base, data: { inputs, targets: { kind: 'labels', labels, format } }, reduction: 'mean' };
  }
  return { model: { family: 'two-layer', model }, layers, data: dt };
}
