/**
 * Writing model files: exact, readable JSON that `parseModel` reads back to the same model.
 */
import type { Rational } from '../field/rational.js';
import { writeFileAtomic } from '../io/output.js';
import { toRows, type Matrix } from '../linalg/matrix.js';
import type { DeepLinearModel, StateDictEntry } from './model.js';

/** The atomic writer lives in the one output layer (src/io/output.ts); re-exported here for the model API. */
export { writeFileAtomic };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One entry as a JSON token: integers of magnitude at most `2^53 − 1` as JSON numbers (every JSON
 * reader keeps them exact), everything else as an exact string `"p/q"` (or `"n"` for larger integers).
 */
export function formatEntry(q: Rational): string {
  if (q.isInteger() && q.num <= MAX_SAFE && -q.num <= MAX_SAFE) return q.num.toString();
  return `"${q.toString()}"`;
}

/**
 * A matrix as a list of rows, one row per line, entries right-aligned in columns.
 * `indent` is the column where the opening `[` stands (continuation rows align under it).
 */
function formatMatrix(A: Matrix<Rational>, indent: number): string {
  const cells = toRows(A).map((row) => row.map(formatEntry));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, c.length)));
  const lines = cells.map((row) => `[${row.map((c, j) => c.padStart(widths[j] ?? 0)).join(', ')}]`);
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

/**
 * Pretty JSON for a model, with exact entries (see {@link formatEntry}). Keys in this order:
 * `name`, `description` (when present), `kind`, `weights`, `target` or `data`, `reduction`.
 * `parseModel(serializeModel(m))` gives back a model equal to `m`. Ends with a newline.
 */
export function serializeModel(m: DeepLinearModel<Rational>): string {
  const parts: string[] = [];
  if (m.name !== undefined) parts.push(`  "name": ${JSON.stringify(m.name)}`);
  if (m.description !== undefined) parts.push(`  "description": ${JSON.stringify(m.description)}`);
  parts.push(`  "kind": "${m.kind}"`);
  const ws = m.weights.map((W) => `    ${formatMatrix(W, 4)}`);
  parts.push(`  "weights": [\n${ws.join(',\n')}\n  ]`);
  if (m.kind === 'dmf') {
    parts.push(`  "target": ${formatMatrix(m.target, '  "target": '.length)}`);
  } else {
    const inputs = `    "inputs": ${formatMatrix(m.data.inputs, '    "inputs": '.length)}`;
    const targets = `    "targets": ${formatMatrix(m.data.targets, '    "targets": '.length)}`;
    parts.push(`  "data": {\n${inputs},\n${targets}\n  }`);
  }
  parts.push(`  "reduction": "${m.reduction}"`);
  if (m.stateDict !== undefined) parts.push(stateDictText(m.stateDict));
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** The `"stateDict"` member of a model file, one entry per line. */
export function stateDictText(entries: readonly StateDictEntry[]): string {
  const lines = entries.map((e) => `    ${JSON.stringify({ name: e.name, of: e.of, ...(e.dtype !== undefined ? { dtype: e.dtype } : {}) })}`);
  return `  "stateDict": [\n${lines.join(',\n')}\n  ]`;
}

/** {@link serializeModel} then {@link writeFileAtomic}. */
export function writeModelFile(path: string, m: DeepLinearModel<Rational>): void {
  writeFileAtomic(path, serializeModel(m));
}
