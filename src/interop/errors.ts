/**
 * Errors of the tensor-file readers and writers (`.npy`, `.npz`, `.safetensors`) and of
 * `import` / `export`. Every one is an {@link InputError} (exit 2) whose message names the file and,
 * where there is one, the tensor.
 */
import { InputError } from '../errors/input-error.js';

/** A tensor file that cannot be read or used: corrupt, truncated, beyond a limit, or of an unsupported kind. */
export class TensorFileError extends InputError {
  /** The file (as given by the user). */
  readonly file: string;
  /** The tensor (array name inside the file) the problem is about, when there is one. */
  readonly tensor: string | undefined;

  constructor(file: string, message: string, tensor?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TensorFileError';
    this.file = file;
    this.tensor = tensor;
  }

  /** `weights.npz: tensor "fc1.weight": dtype <c8 (complex64) is not supported …`. */
  override describe(): string {
    return `${this.file}: ${this.tensor !== undefined ? `tensor ${JSON.stringify(this.tensor)}: ` : ''}${this.message}`;
  }
}

/** Tensors that do not form the requested model (shapes that do not chain, missing keys, a bias where none is supported). */
export class ImportError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}
