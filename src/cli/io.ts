import { writeFileAtomic } from '../models/write.js';
import { getExample } from '../models/examples/index.js';
import { loadModelFile, parseModel } from '../models/load.js';
import type { DeepLinearModel } from '../models/model.js';
import type { Rational } from '../field/rational.js';

/** Prefix that names a built-in example instead of a file, e.g. `example:scalar-chain-2`. */
export const EXAMPLE_PREFIX = 'example:';

/** Loads `MODEL.json`, or a built-in example written `example:ID`. */
export function loadModelArgument(arg: string): DeepLinearModel<Rational> {
  if (arg.startsWith(EXAMPLE_PREFIX)) {
    const id = arg.slice(EXAMPLE_PREFIX.length);
    return parseModel(getExample(id).text, arg);
  }
  return loadModelFile(arg);
}

/** Where a command's output goes: standard output, or a file written whole (temp file + rename). */
export interface Output {
  write(text: string): void;
}

/** Prints to stdout, or writes the file atomically when `path` is given. */
export function emit(text: string, path: string | undefined): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (path === undefined) process.stdout.write(body);
  else writeFileAtomic(path, body);
}
