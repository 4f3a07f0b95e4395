/**
 * Writing two-layer model files (docs/two-layer.md): exact, readable JSON that
 * `parseTwoLayerModel` reads back to the same model.
 */
import { Rational } from '../field/rational.js';
import { toRows, type Matrix } from '../linalg/matrix.js';
import { formatEntry, stateDictText } from '../models/write.js';
import type { TwoLayerModel } from './model.js';

/**
 * One exact entry as JSON text: a terminating decimal (denominator `2^a 5^b`) as a plain JSON number
 * (`0.125`, `-3`), anything else as an exact string `"p/q"`.
 */
export function exactEntryText(q: Rational): string {
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
  if (den !== 1n || Math.max(a, b) > 400) return formatEntry(q);
  const k = Math.max(a, b);
  const scaled = (q.num * 10n ** BigInt(k)) / q.den; // exact
  const neg = scaled < 0n;
  let digits = (neg ? -scaled : scaled).toString();
  if (k === 0) return `${neg ? '-' : ''}${digits}`;
  digits = digits.padStart(k + 1, '0');
  const text = `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`.replace(/0+$/, '').replace(/\.$/, '');
  return `${neg ? '-' : ''}${text}`;
}

function matrixText(A: Matrix<Rational>, indent: number): string {
  const cells = toRows(A).map((row) => row.map(exactEntryText));
  const lines = cells.map((row) => `[${row.join(', ')}]`);
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

/**
 * Pretty JSON for a two-layer model with exact entries. Keys in the order `name`, `description`,
 * `kind`, `activation`, `loss`, `weights`, `biases` (when present), `data`, `reduction` (squared loss only). Class labels are
 * written as a row of 0-based indices (or one-hot columns when the model read them so). Ends with a newline.
 */
export function serializeTwoLayerModel(m: TwoLayerModel<Rational>): string {
  const parts: string[] = [];
  if (m.name !== undefined) parts.push(`  "name": ${JSON.stringify(m.name)}`);
  if (m.description !== undefined) parts.push(`  "description": ${JSON.stringify(m.description)}`);
  parts.push('  "kind": "two-layer"', `  "activation": "${m.activation}"`, `  "loss": "${m.loss}"`);
  parts.push(`  "weights": [\n    ${matrixText(m.weights[0], 4)},\n    ${matrixText(m.weights[1], 4)}\n  ]`);
  if (m.biases !== undefined && (m.biases.b1 !== undefined || m.biases.b2 !== undefined)) {
    const b = (v: readonly Rational[] | undefined): string => (v === undefined ? 'null' : `[${v.map(exactEntryText).join(', ')}]`);
    parts.push(`  "biases": [${b(m.biases.b1)}, ${b(m.biases.b2)}]`);
  }
  const t = m.data.targets;
  let targets: string;
  if (t.kind === 'values') targets = matrixText(t.values, '    "targets": '.length);
  else if (t.format === 'indices') targets = `[[${t.labels.join(', ')}]]`;
  else {
    const c = m.weights[1].rows;
    const rows = Array.from({ length: c }, (_, a) => `[${t.labels.map((y) => (y === a ? 1 : 0)).join(', ')}]`);
    targets = `[${rows.join(`,\n${' '.repeat('    "targets": '.length + 1)}`)}]`;
  }
  parts.push(`  "data": {\n    "inputs": ${matrixText(m.data.inputs, '    "inputs": '.length)},\n    "targets": ${targets}\n  }`);
  if (m.loss === 'squared') parts.push(`  "reduction": "${m.reduction}"`);
  if (m.stateDict !== undefined) parts.push(stateDictText(m.stateDict));
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** A binary64 value as the exact rational of its shortest round-trip decimal (what a file written with it holds). */
export function decimalOf(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`decimalOf: ${x} is not finite`);
  return Rational.parse(String(x));
}
