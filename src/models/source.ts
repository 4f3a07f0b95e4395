import type { Rational } from '../field/rational.js';
import { getExample } from './examples/index.js';
import { loadModelFile, parseModel } from './load.js';
import type { DeepLinearModel } from './model.js';

/** Prefix that names a built-in example instead of a file, e.g. `example:scalar-chain-2`. */
export const EXAMPLE_PREFIX = 'example:';

/** Loads a model file, or a built-in example written `example:ID`. */
export function loadModelSource(arg: string): DeepLinearModel<Rational> {
  if (arg.startsWith(EXAMPLE_PREFIX)) return parseModel(getExample(arg.slice(EXAMPLE_PREFIX.length)).text, arg);
  return loadModelFile(arg);
}
