import { InputError } from '../errors/input-error.js';

/**
 * Bad input to `train` or `escape`: a step size that is not positive and finite, a step count or size
 * beyond its stated limit, a model that is not a minimizer where one is required (the message states
 * the residual), an optimizer that does not apply to the model. The CLI exits with status 2.
 */
export class DynamicsInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'DynamicsInputError';
  }
}
