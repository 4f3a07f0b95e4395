/**
 * `export`: a model's weights as a PyTorch-layout state_dict, and result vectors (Hessian–vector
 * products, eigenvectors, directions) as flat vectors and as per-layer tensors, in `.npz` or
 * `.safetensors`.
 *
 * Weights: tensor `layers.{i}.weight` (0-based `i`, shape (out, in) = `W_{i+1}`), or the names and
 * layouts the model was imported with (`stateDict`; a Flax `*.kernel` is written (in, out) again).
 * dtype: the recorded one, else float64, or as asked; each entry is rounded to nearest (ties to
 * even) from its exact rational value, and the result says how many entries that changed.
 *
 * Vectors are in `θ = (vec W_1, …, vec W_N)` order with column-major `vec` (this project's order).
 * Per-layer tensors `{vector}/{weight name}` have the weights' shapes, so
 * `model.load_state_dict({k.split('/', 1)[1]: v …})` takes them; the flat vector `{vector}` is in
 * `order` `'column'` (θ as is) or `'row'` (PyTorch's `parameters_to_vector` order: each weight
 * row-major, in state_dict order).
 */
import { Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';
import type { StateDictEntry } from '../models/model.js';
import type { AnyModel } from '../models/source.js';
import { FLOAT_DTYPES, roundRational, UnrepresentableError, type DType } from './dtypes.js';
import { ImportError } from './errors.js';
import type { OutputTensor } from './tensor-file.js';

/** One layer weight of a model as it appears in a state_dict. */
export interface StateDictSlot {
  /** 0-based layer (`W_{layer+1}`). */
  readonly layer: number;
  readonly name: string;
  /** `'torch'` (out, in) or `'flax'` (in, out, for `*.kernel`). */
  readonly layout: 'torch' | 'flax';
  /** Recorded dtype, if any. */
  readonly dtype: DType | undefined;
  readonly rows: number;
  readonly cols: number;
  /** Offset of `vec W_{layer+1}` in θ. */
  readonly offset: number;
}

function weightsOf(any: AnyModel): readonly Matrix<Rational>[] {
  return any.model.weights;
}

/**
 * The state_dict slots of a model, in state_dict order: the recorded `stateDict` entries first (in
 * their order), then any layer they do not name as `layers.{i}.weight`.
 */
export function stateDictSlots(any: AnyModel): StateDictSlot[] {
  const W = weightsOf(any);
  const offsets: number[] = [];
  let off = 0;
  for (const w of W) {
    offsets.push(off);
    off += w.rows * w.cols;
  }
  const recorded: readonly StateDictEntry[] = any.model.stateDict ?? [];
  const slots: StateDictSlot[] = [];
  const taken = new Set<number>();
  const make = (layer: number, name: string, dtype: string | undefined): StateDictSlot => {
    const w = W[layer] as Matrix<Rational>;
    return {
      layer,
      name,
      layout: name === 'kernel' || name.endsWith('.kernel') ? 'flax' : 'torch',
      dtype: FLOAT_DTYPES.find((d) => d === dtype),
      rows: w.rows,
      cols: w.cols,
      offset: offsets[layer] as number,
    };
  };
  for (const e of recorded) {
    const layer = Number(/^weights\[(\d+)\]$/.exec(e.of)?.[1]) - 1;
    if (!(layer >= 0 && layer < W.length) || taken.has(layer)) continue;
    taken.add(layer);
    slots.push(make(layer, e.name, e.dtype));
  }
  const names = new Set(slots.map((s) => s.name));
  W.forEach((_, layer) => {
    if (taken.has(layer)) return;
    let name = `layers.${layer}.weight`;
    while (names.has(name)) name = `_${name}`;
    names.add(name);
    slots.push(make(layer, name, undefined));
  });
  return slots;
}

/** How many entries an export rounded, and the largest relative change. */
export interface RoundingReport {
  readonly entries: number;
  readonly rounded: number;
  readonly maxRelativeChange: number;
}

class Rounder {
  entries = 0;
  rounded = 0;
  maxRelativeChange = 0;

  value(q: Rational, dtype: DType, tensor: string): number {
    this.entries++;
    let r: { value: number; exact: boolean };
    try {
      r = roundRational(q, dtype);
    } catch (e) {
      if (e instanceof UnrepresentableError) throw new ImportError(`tensor ${JSON.stringify(tensor)}: ${e.message}; choose a wider --dtype`);
      throw e;
    }
    if (!r.exact) {
      this.rounded++;
      const rel = q.isZero() ? Infinity : Math.abs(Rational.fromNumber(r.value).sub(q).toNumber() / q.toNumber());
      if (rel > this.maxRelativeChange) this.maxRelativeChange = rel;
    }
    return r.value;
  }

  report(): RoundingReport {
    return { entries: this.entries, rounded: this.rounded, maxRelativeChange: this.maxRelativeChange };
  }
}

/** `'auto'`: each tensor in its recorded dtype, float64 when none is recorded. */
export type ExportDType = DType | 'auto';

/** The weights of a model as state_dict tensors (see the module note). */
export function modelTensors(any: AnyModel, dtype: ExportDType = 'auto'): { tensors: OutputTensor[]; rounding: RoundingReport } {
  if (any.family === 'two-layer' && (any.model.biases?.b1 !== undefined || any.model.biases?.b2 !== undefined)) {
    throw new ImportError('export of two-layer models with biases is not supported yet (the weights alone would not reproduce the network); export result vectors instead, or a bias-free model');
  }
  const rounder = new Rounder();
  const W = weightsOf(any);
  const tensors = stateDictSlots(any).map((s) => {
    const dt: DType = dtype === 'auto' ? (s.dtype ?? 'float64') : dtype;
    const w = W[s.layer] as Matrix<Rational>;
    const values = new Float64Array(s.rows * s.cols);
    // torch: (out, in) row-major, element (i, j) at i·cols + j; flax: (in, out) row-major, (i, j) at j·rows + i.
    for (let j = 0; j < s.cols; j++) {
      for (let i = 0; i < s.rows; i++) {
        values[s.layout === 'torch' ? i * s.cols + j : j * s.rows + i] = rounder.value(w.data[i + s.rows * j] as Rational, dt, s.name);
      }
    }
    return { name: s.name, dtype: dt, shape: s.layout === 'torch' ? [s.rows, s.cols] : [s.cols, s.rows], values };
  });
  return { tensors, rounding: rounder.report() };
}

/** A named parameter-space vector found in a result file. */
export interface NamedVector {
  readonly name: string;
  readonly values: readonly number[];
}

const isNumbers = (x: unknown): x is number[] => Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * The parameter-space vectors of a result file (parsed JSON): `hessian-vector --out` (`product` →
 * `hvp`), `spectrum --json --eigenvectors` (`top.pairs[k].eigenvector` → `top.{k}`, same for
 * `bottom`), a directions file (`directions` → `directions.{k}`), `{"vector": […]}` or a bare list
 * (→ `vector`). Throws {@link ImportError} listing what was looked for when there is none.
 */
export function resultVectors(root: unknown, source: string): NamedVector[] {
  const out: NamedVector[] = [];
  if (isNumbers(root)) return [{ name: 'vector', values: root }];
  if (Array.isArray(root) && root.length > 0 && root.every(isNumbers)) return root.map((v, k) => ({ name: `directions.${k}`, values: v }));
  if (typeof root === 'object' && root !== null && !Array.isArray(root)) {
    const o = root as Record<string, unknown>;
    if (isNumbers(o.product)) out.push({ name: 'hvp', values: o.product });
    if (isNumbers(o.vector)) out.push({ name: 'vector', values: o.vector });
    if (isNumbers(o.directions)) out.push({ name: 'directions.0', values: o.directions });
    else if (Array.isArray(o.directions) && o.directions.every(isNumbers)) o.directions.forEach((v, k) => out.push({ name: `directions.${k}`, values: v as number[] }));
    for (const end of ['top', 'bottom']) {
      const pairs = (o[end] as { pairs?: unknown } | undefined)?.pairs;
      if (Array.isArray(pairs)) {
        pairs.forEach((p, k) => {
          const v = (p as { eigenvector?: unknown }).eigenvector;
          if (isNumbers(v)) out.push({ name: `${end}.${k}`, values: v });
        });
      }
    }
  }
  if (out.length === 0 && typeof root === 'object' && root !== null && 'topEigenvector' in root) {
    throw new ImportError(
      `${source}: this is a sharpness report; its topEigenvector is an eigenvector of K in the d_N × d_0 space of the product W_N ⋯ W_1, not of the Hessian in parameter space (for Hessian eigenvectors run spectrum --json --eigenvectors)`,
    );
  }
  if (out.length === 0) {
    throw new ImportError(
      `${source}: no parameter-space vectors found (looked for "product" of hessian-vector --out, top/bottom "pairs[k].eigenvector" of spectrum --json --eigenvectors, "directions", "vector", or a list of numbers)`,
    );
  }
  return out;
}

/** Which tensors a vector becomes: one flat vector, per-layer tensors, or both. */
export type VectorLayout = 'flat' | 'layers' | 'both';

/** The orders of a flat vector: θ as is (`column`) or PyTorch's `parameters_to_vector` (`row`). */
export type FlatOrder = 'column' | 'row';

/**
 * Tensors for result vectors of `any`'s parameter space (see the module note). Every vector must
 * have the model's parameter count. Values are float64 numbers, rounded when `dtype` is narrower.
 */
export function vectorTensors(
  vectors: readonly NamedVector[],
  any: AnyModel,
  options: { readonly layout?: VectorLayout; readonly order?: FlatOrder; readonly dtype?: DType } = {},
): { tensors: OutputTensor[]; rounding: RoundingReport } {
  const layout = options.layout ?? 'both';
  const order = options.order ?? 'column';
  const dtype = options.dtype ?? 'float64';
  const slots = stateDictSlots(any);
  const p = weightsOf(any).reduce((s, w) => s + w.rows * w.cols, 0);
  const rounder = new Rounder();
  const tensors: OutputTensor[] = [];
  for (const v of vectors) {
    if (v.values.length !== p) throw new ImportError(`vector ${JSON.stringify(v.name)} has ${v.values.length} entries, but the model has ${p} parameters`);
    const layer = (s: StateDictSlot): Float64Array => {
      const out = new Float64Array(s.rows * s.cols);
      for (let j = 0; j < s.cols; j++) {
        for (let i = 0; i < s.rows; i++) {
          const x = v.values[s.offset + i + s.rows * j] as number;
          out[s.layout === 'torch' ? i * s.cols + j : j * s.rows + i] = dtype === 'float64' ? x : rounder.value(Rational.fromNumber(x), dtype, v.name);
        }
      }
      return out;
    };
    const perLayer = slots.map((s) => ({ slot: s, values: layer(s) }));
    if (layout !== 'layers') {
      const flat = new Float64Array(p);
      if (order === 'row') {
        let k = 0;
        for (const l of perLayer) {
          flat.set(l.values, k);
          k += l.values.length;
        }
      } else {
        for (let k = 0; k < p; k++) flat[k] = dtype === 'float64' ? (v.values[k] as number) : rounder.value(Rational.fromNumber(v.values[k] as number), dtype, v.name);
      }
      tensors.push({ name: v.name, dtype, shape: [p], values: flat });
    }
    if (layout !== 'flat') {
      for (const l of perLayer) tensors.push({ name: `${v.name}/${l.slot.name}`, dtype, shape: l.slot.layout === 'torch' ? [l.slot.rows, l.slot.cols] : [l.slot.cols, l.slot.rows], values: l.values });
    }
  }
  return { tensors, rounding: rounder.report() };
}
