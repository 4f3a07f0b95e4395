/**
 * The one writer of model files (docs/model-format.md, docs/two-layer.md): exact, readable JSON that
 * `parseAnyModel` reads back to the same model, for either family, with every matrix written inline
 * (its exact entries) or as a reference to a tensor in a companion file ("Tensor references").
 *
 * One skeleton for both families, keys in this order: `name`, `description` (when present), `kind`,
 * then the family's members (deep linear: `weights`, `target` or `data`, `reduction`; two-layer:
 * `activation`, `loss`, `weights`, `biases` (when present), `data`, `reduction` for the squared loss
 * only), then `stateDict` (when present). Ends with a newline.
 *
 * Entries are exact. Two spellings exist, and each family's files keep theirs (the built-in examples
 * and docs/examples are written in them): deep linear files write integers of magnitude below `2^53`
 * as JSON numbers and everything else as an exact string `"p/q"`, in right-aligned columns
 * ({@link fractionEntryText}); two-layer files, which usually hold binary64 values, write terminating
 * decimals as plain JSON numbers (`0.125`) and fall back to `"p/q"` otherwise ({@link decimalEntryText}).
 */
import type { Rational } from '../field/rational.js';
import { writeFileAtomic } from '../io/output.js';
import { toRows, type Matrix } from '../linalg/matrix.js';
import type { DeepLinearModel, StateDictEntry } from '../models/model.js';
import type { AnyModel } from '../models/source.js';
import type { TwoLayerModel } from '../twolayer/model.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One entry as a JSON token: integers of magnitude at most `2^53 − 1` as JSON numbers (every JSON
 * reader keeps them exact), everything else as an exact string `"p/q"` (or `"n"` for larger integers).
 */
export function fractionEntryText(q: Rational): string {
  if (q.isInteger() && q.num <= MAX_SAFE && -q.num <= MAX_SAFE) return q.num.toString();
  return `"${q.toString()}"`;
}

/**
 * One exact entry as JSON text: a terminating decimal (denominator `2^a 5^b`) as a plain JSON number
 * (`0.125`, `-3`), anything else as {@link fractionEntryText} writes it (`"p/q"`).
 */
export function decimalEntryText(q: Rational): string {
  let den = q.den;
  let a = 0;
  let b = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    a++;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    b++;
  }
  if (den !== 1n || Math.max(a, b) > 400) return fractionEntryText(q);
  const k = Math.max(a, b);
  const scaled = (q.num * 10n ** BigInt(k)) / q.den; // exact
  const neg = scaled < 0n;
  let digits = (neg ? -scaled : scaled).toString();
  if (k === 0) return `${neg ? '-' : ''}${digits}`;
  digits = digits.padStart(k + 1, '0');
  const text = `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`.replace(/0+$/, '').replace(/\.$/, '');
  return `${neg ? '-' : ''}${text}`;
}

/** How a family spells its entries: `'fraction'` ({@link fractionEntryText}, aligned columns) or `'decimal'` ({@link decimalEntryText}). */
export type EntryStyle = 'fraction' | 'decimal';

/** A matrix member stored in a companion tensor file (docs/model-format.md, "Tensor references"). */
export interface TensorReference {
  /** The tensor file, relative to the model file's directory. */
  readonly file: string;
  readonly tensor: string;
  /** Whether the matrix is the transpose of the stored tensor. */
  readonly transpose?: boolean;
}

/**
 * The matrix members written as references instead of entries. Every matrix member of the model
 * must have one (`weights` one per layer; `target` for a DMF model, `inputs` and `targets` for a
 * model with data). Biases, which are lists rather than matrices, are always written inline.
 */
export interface ModelTensorReferences {
  readonly weights: readonly TensorReference[];
  readonly target?: TensorReference;
  readonly inputs?: TensorReference;
  readonly targets?: TensorReference;
}

const referenceText = (r: TensorReference): string => JSON.stringify({ file: r.file, tensor: r.tensor, ...(r.transpose === true ? { transpose: true } : {}) });

/**
 * A matrix as a list of rows, one row per line; `indent` is the column of the opening `[`
 * (continuation rows align under it). Fraction style right-aligns the entries in columns.
 */
function matrixText(A: Matrix<Rational>, indent: number, style: EntryStyle): string {
  const cells = toRows(A).map((row) => row.map(style === 'fraction' ? fractionEntryText : decimalEntryText));
  const widths: number[] = [];
  if (style === 'fraction') for (const row of cells) row.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, c.length)));
  const lines = cells.map((row) => `[${row.map((c, j) => c.padStart(widths[j] ?? 0)).join(', ')}]`);
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function required(r: TensorReference | undefined, member: string): TensorReference {
  if (r === undefined) throw new RangeError(`modelFileText: no tensor reference for ${member}`);
  return r;
}

/** The `"stateDict"` member of a model file, one entry per line. */
export function stateDictText(entries: readonly StateDictEntry[]): string {
  const lines = entries.map((e) => `    ${JSON.stringify({ name: e.name, of: e.of, ...(e.dtype !== undefined ? { dtype: e.dtype } : {}) })}`);
  return `  "stateDict": [\n${lines.join(',\n')}\n  ]`;
}

interface Common {
  readonly name?: string;
  readonly description?: string;
  readonly stateDict?: readonly StateDictEntry[];
}

/** The skeleton every model file shares: head, the family's members, `stateDict`. */
function fileText(m: Common, members: readonly string[]): string {
  const parts: string[] = [];
  if (m.name !== undefined) parts.push(`  "name": ${JSON.stringify(m.name)}`);
  if (m.description !== undefined) parts.push(`  "description": ${JSON.stringify(m.description)}`);
  parts.push(...members);
  if (m.stateDict !== undefined) parts.push(stateDictText(m.stateDict));
  return `{\n${parts.join(',\n')}\n}\n`;
}

const INPUTS = '    "inputs": ';
const TARGETS = '    "targets": ';
const TARGET = '  "target": ';

function weightsText(weights: readonly Matrix<Rational>[], style: EntryStyle, refs: ModelTensorReferences | undefined): string {
  const ws = weights.map((W, i) => `    ${refs === undefined ? matrixText(W, 4, style) : referenceText(required(refs.weights[i], `weights[${i + 1}]`))}`);
  return `  "weights": [\n${ws.join(',\n')}\n  ]`;
}

const dataText = (inputs: string, targets: string): string => `  "data": {\n${INPUTS}${inputs},\n${TARGETS}${targets}\n  }`;

/** A deep linear network's model file; with `refs`, its matrices as tensor references. */
export function deepLinearModelText(m: DeepLinearModel<Rational>, refs?: ModelTensorReferences): string {
  const style: EntryStyle = 'fraction';
  const members = [`  "kind": "${m.kind}"`, weightsText(m.weights, style, refs)];
  if (m.kind === 'dmf') {
    members.push(`${TARGET}${refs === undefined ? matrixText(m.target, TARGET.length, style) : referenceText(required(refs.target, 'target'))}`);
  } else if (refs === undefined) {
    members.push(dataText(matrixText(m.data.inputs, INPUTS.length, style), matrixText(m.data.targets, TARGETS.length, style)));
  } else {
    members.push(dataText(referenceText(required(refs.inputs, 'data.inputs')), referenceText(required(refs.targets, 'data.targets'))));
  }
  members.push(`  "reduction": "${m.reduction}"`);
  return fileText(m, members);
}

/**
 * A two-layer network's model file; with `refs`, its matrices as tensor references. Class labels are
 * written as a row of 0-based indices (or one-hot columns when the model read them so).
 */
export function twoLayerModelText(m: TwoLayerModel<Rational>, refs?: ModelTensorReferences): string {
  const style: EntryStyle = 'decimal';
  const members = ['  "kind": "two-layer"', `  "activation": "${m.activation}"`, `  "loss": "${m.loss}"`, weightsText(m.weights, style, refs)];
  if (m.biases !== undefined && (m.biases.b1 !== undefined || m.biases.b2 !== undefined)) {
    const b = (v: readonly Rational[] | undefined): string => (v === undefined ? 'null' : `[${v.map(decimalEntryText).join(', ')}]`);
    members.push(`  "biases": [${b(m.biases.b1)}, ${b(m.biases.b2)}]`);
  }
  if (refs !== undefined) {
    members.push(dataText(referenceText(required(refs.inputs, 'data.inputs')), referenceText(required(refs.targets, 'data.targets'))));
  } else {
    const t = m.data.targets;
    let targets: string;
    if (t.kind === 'values') targets = matrixText(t.values, TARGETS.length, style);
    else if (t.format === 'indices') targets = `[[${t.labels.join(', ')}]]`;
    else {
      const c = m.weights[1].rows;
      const rows = Array.from({ length: c }, (_, a) => `[${t.labels.map((y) => (y === a ? 1 : 0)).join(', ')}]`);
      targets = `[${rows.join(`,\n${' '.repeat(TARGETS.length + 1)}`)}]`;
    }
    members.push(dataText(matrixText(m.data.inputs, INPUTS.length, style), targets));
  }
  if (m.loss === 'squared') members.push(`  "reduction": "${m.reduction}"`);
  return fileText(m, members);
}

/**
 * The model file of a model of either family: `parseAnyModel(modelFileText(any))` gives back an
 * equal model. With `refs`, the matrices are written as references to tensors that the caller
 * writes beside it (e.g. `interop/model-files.ts`, `import --tensors file`).
 */
export function modelFileText(any: AnyModel, refs?: ModelTensorReferences): string {
  return any.family === 'two-layer' ? twoLayerModelText(any.model, refs) : deepLinearModelText(any.model, refs);
}

/** {@link modelFileText} then `writeFileAtomic` (src/io/output.ts). */
export function writeAnyModelFile(path: string, any: AnyModel): void {
  writeFileAtomic(path, modelFileText(any));
}
