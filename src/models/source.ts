import type { Rational } from '../field/rational.js';
import type { TwoLayerModel } from '../twolayer/model.js';
import { getExample, loadExample } from './examples/index.js';
import { loadModelFile, modelFromJson } from './load.js';
import type { DeepLinearModel } from './model.js';
import { isTwoLayerJson, parseModelJson, readModelText, twoLayerModelFromJson } from './two-layer-load.js';

/** Prefix that names a built-in example instead of a file, e.g. `example:scalar-chain-2`. */
export const EXAMPLE_PREFIX = 'example:';

/** Loads a model file, or a built-in example written `example:ID`. */
export function loadModelSource(arg: string): DeepLinearModel<Rational> {
  if (arg.startsWith(EXAMPLE_PREFIX)) return loadExample(arg.slice(EXAMPLE_PREFIX.length));
  return loadModelFile(arg);
}

/** A model of either family, tagged. */
export type AnyModel =
  | { readonly family: 'deep-linear'; readonly model: DeepLinearModel<Rational> }
  | { readonly family: 'two-layer'; readonly model: TwoLayerModel<Rational> };

/** Parses model text of either family, by its `"kind"` (`"two-layer"`, else a deep linear network). */
export function parseAnyModel(text: string, source?: string): AnyModel {
  const root = parseModelJson(text, source);
  if (isTwoLayerJson(root)) return { family: 'two-layer', model: twoLayerModelFromJson(root, source) };
  return { family: 'deep-linear', model: modelFromJson(root, source) };
}

/**
 * Loads a model file (or `example:ID`) of either family: a two-layer network when the file says
 * `"kind": "two-layer"`, a deep linear network (DMF or with data) otherwise.
 */
export function loadAnySource(arg: string): AnyModel {
  if (arg.startsWith(EXAMPLE_PREFIX)) return parseAnyModel(getExample(arg.slice(EXAMPLE_PREFIX.length)).text, arg);
  return parseAnyModel(readModelText(arg), arg);
}
