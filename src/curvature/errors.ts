import { ModelError } from '../models/errors.js';

/** Where a {@link CurvatureInputError} happened. */
export interface CurvatureInputErrorOptions {
  /** The offending item, e.g. `directions[2]`, `--span`, `loss row 3`; the message starts with it. */
  readonly path?: string;
  /** The file it came from. */
  readonly source?: string;
  readonly line?: number;
  readonly column?: number;
  readonly kind?: 'syntax' | 'schema' | 'io';
}

/**
 * Bad input to a curvature tool: a zero or degenerate direction, a grid or span out of range, a
 * malformed directions or data file. A {@link ModelError} (so the CLI exits with code 2 and prints
 * the place): the message starts with the place, e.g. `--span: span out of range: 0 (allowed: 0 < span ≤ 1000000)`.
 */
export class CurvatureInputError extends ModelError {
  /** The message without the place. */
  readonly reason: string;

  constructor(reason: string, options: CurvatureInputErrorOptions = {}) {
    super(options.path !== undefined && options.path !== '' ? `${options.path}: ${reason}` : reason, options);
    this.name = 'CurvatureInputError';
    this.reason = reason;
  }
}
