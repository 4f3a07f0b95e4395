/**
 * What the structure says about the kernel of the Hessian, without computing it: at a zero-loss
 * point of a deep linear network `H = cJᵀΣ̃J`, so `rank H = rank K ≤ rows of K` (`d_N d_0`, or `d_N n` with
 * data; `docs/math.md §3`) and the kernel has dimension at least `p − rows of K`. Iterative methods
 * cannot resolve a kernel that large; the bound tells the reader that `λ_min = 0` there.
 */
import type { Network } from '../families/network.js';

/** A lower bound of `dim ker H` and why it holds. */
export interface KernelBound {
  readonly atLeast: number;
  readonly reason: string;
}

/** The bound for a network at its point, when the structure gives one (deep linear, zero loss). */
export function hessianKernelBound(network: Network): KernelBound | undefined {
  if (network.model.family !== 'deep-linear') return undefined;
  if (!network.minimizerTest().isZeroLoss) return undefined;
  const m = network.model.model;
  const dN = m.widths[m.widths.length - 1] as number;
  const cols = m.kind === 'dmf' ? (m.widths[0] as number) : m.data.inputs.cols;
  const atLeast = network.params - dN * cols;
  if (atLeast <= 0) return undefined;
  return {
    atLeast,
    reason: `zero-loss point: H = cJᵀΣ̃J has rank = rank K ≤ ${dN}·${cols} = ${dN * cols} (K is ${dN * cols}×${dN * cols}), so λ_min = 0 with multiplicity ≥ ${atLeast}`,
  };
}
