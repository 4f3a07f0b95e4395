/**
 * The one base class of errors a user can cause: a bad file, flag, formula or point, or a problem
 * beyond a stated limit. The CLI maps every `InputError` to exit status 2 and prints
 * {@link InputError.describe}; any other error is a bug (exit 70).
 *
 * Subclasses keep their own names and fields (`ModelError` has a path and a source position,
 * `FormulaError` a position in the formula); they only promise that `describe()` is a complete,
 * one-paragraph message that names the input and, where there is one, the limit.
 */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  /** The message the CLI prints after `dln-hessian: `. */
  describe(): string {
    return this.message;
  }
}

/** Process exit status for an {@link InputError}: bad input or usage. */
export const EXIT_BAD_INPUT = 2;

/** Process exit status for anything else: an internal error (a bug: please report it). */
export const EXIT_INTERNAL = 70;
