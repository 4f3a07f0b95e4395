/**
 * Parameter order (docs/conventions.md, "Parameter order"). The engine's `θ` is `column` order: the
 * parameter blocks in order (`W_1, …, W_N`; two-layer `W_1, b_1, W_2, b_2`), each block's entries
 * column-major (`vec W`). `row` order is PyTorch's and JAX's: the same blocks in the same order (the
 * state_dict order; `torch.nn.utils.parameters_to_vector(model.parameters())` of
 * `nn.Sequential(nn.Linear(d, h), act, nn.Linear(h, c))`, `jax.flatten_util.ravel_pytree` of the same
 * weights stored as `(out, in)` arrays), each block row-major. A bias is a single column, so it reads the
 * same in both orders. The two orders differ by a permutation: a Hessian–vector product in row order is
 * the column-order product permuted, and an eigenvalue does not depend on the order.
 */
import { InputError } from '../errors/input-error.js';
import type { ParameterBlock } from './problem.js';

/** `column`: this engine's `θ` (column-major per block); `row`: torch's / JAX's (row-major per block). */
export type ParameterOrder = 'column' | 'row';

/** Every order, as `--order` lists them. */
export const PARAMETER_ORDERS: readonly ParameterOrder[] = ['column', 'row'];

/** What the conversions need: the parameter blocks of `θ` (a {@link CurvatureProblem} or a `Network` has them). */
export interface HasBlocks {
  readonly blocks: readonly ParameterBlock[];
}

function dimension(net: HasBlocks): number {
  return net.blocks.reduce((s, b) => s + b.rows * b.cols, 0);
}

function permute<T>(net: HasBlocks, v: ArrayLike<T>, toRow: boolean): T[] {
  const p = dimension(net);
  if (v.length !== p) throw new InputError(`parameter vector: expected ${p} entries (the parameter count), got ${v.length}`);
  const out = new Array<T>(p);
  for (const b of net.blocks) {
    for (let j = 0; j < b.cols; j++)
      for (let i = 0; i < b.rows; i++) {
        const col = b.offset + i + b.rows * j;
        const row = b.offset + j + b.cols * i;
        if (toRow) out[row] = v[col] as T;
        else out[col] = v[row] as T;
      }
  }
  return out;
}

/** `θ` (column order) to torch/JAX row order: each block's entries row-major, blocks in the same order. */
export function toRowOrder<T>(net: HasBlocks, theta: ArrayLike<T>): T[] {
  return permute(net, theta, true);
}

/** The inverse of {@link toRowOrder}: a torch/JAX-ordered vector to this engine's `θ` order. */
export function fromRowOrder<T>(net: HasBlocks, v: ArrayLike<T>): T[] {
  return permute(net, v, false);
}

/** A vector given in `order` to `θ` order (the identity for `column`). */
export function toColumnOrder<T>(net: HasBlocks, v: ArrayLike<T>, order: ParameterOrder): T[] {
  return order === 'row' ? fromRowOrder(net, v) : Array.from(v);
}

/** A `θ`-ordered vector in `order` (the identity for `column`). */
export function inOrder<T>(net: HasBlocks, theta: ArrayLike<T>, order: ParameterOrder): T[] {
  return order === 'row' ? toRowOrder(net, theta) : Array.from(theta);
}

/** A one-line description of an order for outputs: names the blocks and the layout. */
export function orderDescription(net: HasBlocks, order: ParameterOrder): string {
  const names = net.blocks.map((b) => (b.cols === 1 && /^b/.test(b.name) ? b.name : `${b.name} (${b.rows}×${b.cols})`)).join(', ');
  return order === 'row' ? `row order (torch/JAX: ${names}, each row-major)` : `column order (${names}, each column-major vec)`;
}
