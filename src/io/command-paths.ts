/**
 * The up-front check of a command's file names, before any work: every output name is valid
 * (src/io/output.ts), no two outputs are one file, and no output is one of the command's inputs.
 * The CLI runs it on every command; the writers check again when they write.
 */
import { assertDistinctOutputs, type NamedPath } from './output.js';

/** Options that name a file the command writes. */
export const OUTPUT_FLAGS: readonly string[] = ['out', 'data'];

/** Options that may name a file the command reads (other values, such as `random`, match no output). */
export const INPUT_FLAGS: readonly string[] = ['vector', 'model', 'directions', 'plane', 'target'];

/** Prefix of built-in examples, which are not files. */
const EXAMPLE = 'example:';

/**
 * Checks the outputs named by `flags` against each other and against the inputs (`positionals` and
 * the input options). Throws `FileWriteError` (exit 2) naming the option and the file.
 */
export function checkCommandPaths(positionals: readonly string[], flags: ReadonlyMap<string, string | number | boolean>): void {
  const outputs: NamedPath[] = [];
  for (const f of OUTPUT_FLAGS) {
    const v = flags.get(f);
    if (typeof v === 'string') outputs.push({ path: v, flag: `--${f}` });
  }
  if (outputs.length === 0) return;
  const inputs: NamedPath[] = positionals.filter((p) => !p.startsWith(EXAMPLE) && p !== '' && !p.includes('\0')).map((p) => ({ path: p }));
  for (const f of INPUT_FLAGS) {
    const v = flags.get(f);
    if (typeof v === 'string' && !v.startsWith(EXAMPLE) && v !== '' && !v.includes('\0')) inputs.push({ path: v, flag: `--${f}` });
  }
  assertDistinctOutputs(outputs, inputs);
}
