/**
 * Errors raised while reading and writing model files.
 *
 * Every problem with a model (malformed JSON, a missing key, a ragged row, a shape that does not
 * chain) is a {@link ModelError} whose message names the place, e.g.
 * `weights[2] row 3: expected 4 entries, got 3`. Layers, rows and columns are numbered from 1 in
 * messages (as people count, and as in `W_1, …, W_N`), never from 0.
 */
import { InputError } from '../errors/input-error.js';

export { EXIT_BAD_INPUT } from '../errors/input-error.js';

/**
 * What went wrong: `'syntax'` (the text is not JSON), `'schema'` (valid JSON that is not a valid
 * model), `'io'` (the file could not be read).
 */
export type ModelErrorKind = 'syntax' | 'schema' | 'io';

/** Where a {@link ModelError} happened, beyond its message. All fields are optional. */
export interface ModelErrorOptions {
  /** Defaults to `'schema'`. */
  readonly kind?: ModelErrorKind;
  /** The place in the model, e.g. `weights[2] row 3` (`''` for the whole document). */
  readonly path?: string;
  /** The file (or other source) the text came from. */
  readonly source?: string;
  /** 1-based line of the offending JSON value in the source text. */
  readonly line?: number;
  /** 1-based column (in characters) of the offending JSON value. */
  readonly column?: number;
  readonly cause?: unknown;
}

/**
 * An invalid model or model file. `message` is complete and starts with the place, e.g.
 * `weights[2] row 3: expected 4 entries, got 3` or, for JSON syntax,
 * `line 3, column 14: expected ',' or ']', got '}'`. Use {@link ModelError.describe} for a line
 * that also names the file and the source position.
 */
export class ModelError extends InputError {
  readonly kind: ModelErrorKind;
  /** The place in the model (`weights[2] row 3`, `data.inputs`, `target`, `''` for the document). */
  readonly path: string;
  readonly source: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, options: ModelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelError';
    this.kind = options.kind ?? 'schema';
    this.path = options.path ?? '';
    this.source = options.source;
    this.line = options.line;
    this.column = options.column;
  }

  /**
   * One line for a terminal: `model.json: line 5, column 7: weights[2] row 3: expected 4 entries, got 3`.
   * (Syntax errors already start with their line and column.)
   */
  override describe(): string {
    const parts: string[] = [];
    if (this.source !== undefined) parts.push(this.source);
    if (this.kind !== 'syntax' && this.line !== undefined && this.column !== undefined) {
      parts.push(`line ${this.line}, column ${this.column}`);
    }
    parts.push(this.message);
    return parts.join(': ');
  }
}

/** A file could not be written (see `writeFileAtomic`); no partial file is left behind. */
export class FileWriteError extends InputError {
  /** The path that was to be written. */
  readonly path: string;
  /** The system error code (`ENOENT`, `EACCES`, …) when there was one. */
  readonly code: string | undefined;

  constructor(path: string, message: string, code?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'FileWriteError';
    this.path = path;
    this.code = code;
  }
}
