/**
 * Which commands take which model family, and the one error for a command asked to do what the
 * mathematics of a family does not give (docs/two-layer.md, "Commands").
 */
import { InputError } from '../errors/input-error.js';
import type { FamilyName } from './network.js';

/** The commands that read a model file of each family (both families: every analysis command). */
export const COMMANDS_TAKING: Readonly<Record<FamilyName, readonly string[]>> = {
  'deep-linear': ['check', 'hessian', 'hessian-vector', 'sharpness', 'sharpness --exact', 'spectrum', 'trace', 'projections', 'landscape', 'structure', 'overlap', 'crosscheck', 'derive', 'minimizer --target'],
  'two-layer': ['check', 'hessian', 'hessian-vector', 'sharpness', 'spectrum', 'trace', 'projections', 'landscape', 'structure', 'overlap', 'crosscheck', 'derive'],
};

const FAMILY_NAMES: Readonly<Record<FamilyName, string>> = {
  'deep-linear': 'deep linear network',
  'two-layer': 'two-layer network',
};

/**
 * A command (or one of its modes) that does not apply to a model family: the message names the
 * command, the family, why, and the commands that do take the family. Exit 2.
 */
export class FamilyNotSupportedError extends InputError {
  readonly command: string;
  readonly family: FamilyName;
  constructor(command: string, family: FamilyName, why: string) {
    super(`${command} does not take a ${FAMILY_NAMES[family]}: ${why}. Commands that take a ${FAMILY_NAMES[family]}: ${COMMANDS_TAKING[family].join(', ')}`);
    this.command = command;
    this.family = family;
  }
}
