import { PARAMETER_ORDERS, type ParameterOrder } from '../curvature/order.js';
import { UsageError, flagString, type FlagSpec, type ParsedArgs } from './args.js';

/** The `--order` flag of every command that reads or writes a parameter-space vector (docs/conventions.md). */
export const ORDER_FLAG: FlagSpec = {
  kind: 'string',
  description: 'parameter order of vectors read and written: column (default; θ = vec W_1, b_1, vec W_2, …, each column-major) or row (torch/JAX: the state_dict tensors in order, each row-major)',
  valueName: 'column|row',
};

/** The order named by `--order` (default `column`); an unknown name is a usage error listing both. */
export function parseOrder(args: ParsedArgs): ParameterOrder {
  const name = flagString(args, 'order') ?? 'column';
  const found = PARAMETER_ORDERS.find((o) => o === name);
  if (found === undefined) throw new UsageError(`--order: unknown order "${name}" (orders: ${PARAMETER_ORDERS.join(', ')})`);
  return found;
}
