/**
 * Built-in example models (the same files as docs/examples/*.json). Each is a small model with
 * exact entries and hand-derived facts (`docs/math.md §2–3`): use them as `example:<id>` on the command line.
 */
import type { Rational } from '../../field/rational.js';
import { ModelError } from '../errors.js';
import { parseModel } from '../load.js';
import type { DeepLinearModel } from '../model.js';
import { dlnDataDepth2 } from './dln-data-depth2.js';
import { dmfBalancedDepth3 } from './dmf-balanced-depth3.js';
import { dmfDiagonalDepth3 } from './dmf-diagonal-depth3.js';
import { dmfNonminimizerDepth2 } from './dmf-nonminimizer-depth2.js';
import { scalarChain2 } from './scalar-chain-2.js';
import { scalarChain3 } from './scalar-chain-3.js';
import { twoLayerIdentitySquared } from './two-layer-identity-squared.js';
import { twoLayerQuadraticSquared } from './two-layer-quadratic-squared.js';
import { twoLayerReluCe } from './two-layer-relu-ce.js';
import type { BuiltinExample } from './types.js';

export type { BuiltinExample } from './types.js';
export { dlnDataDepth2, dmfBalancedDepth3, dmfDiagonalDepth3, dmfNonminimizerDepth2, scalarChain2, scalarChain3, twoLayerIdentitySquared, twoLayerQuadraticSquared, twoLayerReluCe };

/** All built-in examples, in a fixed order (simplest first). */
export const builtinExamples: ReadonlyArray<BuiltinExample> = [
  scalarChain2,
  scalarChain3,
  dmfDiagonalDepth3,
  dmfBalancedDepth3,
  dmfNonminimizerDepth2,
  dlnDataDepth2,
  twoLayerIdentitySquared,
  twoLayerQuadraticSquared,
  twoLayerReluCe,
];

/** The ids of the built-in examples. */
export function exampleIds(): string[] {
  return builtinExamples.map((e) => e.id);
}

/** The built-in example `id`; throws {@link ModelError} listing the available ids when there is none. */
export function getExample(id: string): BuiltinExample {
  const ex = builtinExamples.find((e) => e.id === id);
  if (ex === undefined) {
    throw new ModelError(`unknown example ${JSON.stringify(id)} (available: ${exampleIds().join(', ')})`, { kind: 'io' });
  }
  return ex;
}

/** The built-in deep linear example `id`, parsed (errors name the source `example:<id>`); two-layer examples load through `loadAnySource`. */
export function loadExample(id: string): DeepLinearModel<Rational> {
  const ex = getExample(id);
  if (ex.family !== 'deep-linear') throw new ModelError(`example ${JSON.stringify(id)} is a two-layer network, not a deep linear network`, { kind: 'io' });
  return parseModel(ex.text, `example:${id}`);
}
