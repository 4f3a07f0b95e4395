import { writeFileAtomic } from '../io/output.js';
import { EXAMPLE_PREFIX, loadModelSource } from '../models/source.js';

export { EXAMPLE_PREFIX };

/** Loads `MODEL.json`, or a built-in example written `example:ID`. */
export const loadModelArgument = loadModelSource;

/** Prints to stdout, or writes the file atomically (the one output layer, src/io/output.ts) when `path` (given by `flag`) is given. */
export function emit(text: string, path: string | undefined, flag = '--out'): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (path === undefined) process.stdout.write(body);
  else writeFileAtomic(path, body, flag);
}
