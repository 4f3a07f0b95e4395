import { InputError } from '../errors/input-error.js';
import { bitLength, bigAbs, type Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';
import { chainWidths, parameterCountOfWidths, type NetworkSpec } from './point.js';

/** Limits on exact (rational) work, checked up front so a large problem is refused instead of running for hours. */
export interface ExactLimits {
  /** Largest parameter count for which an exact dense Hessian is built. */
  readonly maxParams: number;
  /** Largest estimated size of the exact dense Hessian, in bits of numerators and denominators. */
  readonly maxHessianBits: number;
}

/** Defaults: 1024 parameters (a 1024×1024 rational Hessian) and 2^32 bits (512 MiB of digits). */
export const DEFAULT_EXACT_LIMITS: ExactLimits = { maxParams: 1024, maxHessianBits: 2 ** 32 };

/** Limits on dense binary64 work (memory `8p²` bytes, symmetric eigen-decomposition `O(p³)`). */
export interface DenseLimits {
  /** Largest parameter count for which a dense float64 Hessian and its full spectrum are computed. */
  readonly maxParams: number;
}

/**
 * The most parameters any dense float64 Hessian may have, whatever the flags say
 * (`--max-dense-params`, `--dense-up-to` are refused above it): 10000 parameters are 800 MB per copy
 * of the matrix, and the eigen-decomposition holds about three copies (2.4 GB) and takes O(p³).
 */
export const MAX_DENSE_PARAMS_CEILING = 10000;

/** Bytes of dense float64 work for `params` parameters: three `params × params` matrices. */
export function denseWorkBytes(params: number): number {
  return 3 * 8 * params * params;
}

/** Default: 1500 parameters (18 MB of Hessian; about 30 s for the eigen-decomposition on one core). */
export const DEFAULT_DENSE_LIMITS: DenseLimits = { maxParams: 1500 };

/** Thrown when a problem exceeds a documented size limit; the message names the limit and the flag that raises it. */
export class LimitError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** The up-front estimate of an exact dense Hessian's size. */
export interface ExactEstimate {
  readonly params: number;
  /** Bits of the largest input entry (numerator plus denominator). */
  readonly inputBits: number;
  /** Estimated bits of one Hessian entry: `(2N + 2)·inputBits + 2N·log2(max width)`. */
  readonly entryBits: number;
  /** `params² · entryBits`. */
  readonly hessianBits: number;
}

function entryBits(M: Matrix<Rational>): number {
  let b = 0;
  for (const x of M.data) b = Math.max(b, bitLength(bigAbs(x.num)) + bitLength(x.den));
  return b;
}

/**
 * Estimates the size of the exact dense Hessian of `spec`. A Gauss–Newton entry is a product of up to
 * `2N − 2` weight entries and two data entries summed over at most `d^{2N}` terms, which bounds its size.
 */
export function estimateExactHessian(spec: NetworkSpec<Rational>): ExactEstimate {
  const widths = chainWidths(spec.weights);
  const params = parameterCountOfWidths(widths);
  const obj = spec.objective;
  const mats = [...spec.weights, ...(obj.kind === 'dmf' ? [obj.target] : [obj.inputs, obj.targets])];
  const inputBits = Math.max(1, ...mats.map(entryBits));
  const N = spec.weights.length;
  const logWidth = Math.log2(Math.max(2, ...widths));
  const entry = Math.ceil((2 * N + 2) * inputBits + 2 * N * logWidth);
  return { params, inputBits, entryBits: entry, hessianBits: params * params * entry };
}

/** Throws {@link LimitError} when the exact dense Hessian of `spec` exceeds `limits`. */
export function assertExactHessianFits(spec: NetworkSpec<Rational>, limits: ExactLimits = DEFAULT_EXACT_LIMITS): ExactEstimate {
  const e = estimateExactHessian(spec);
  if (e.params > limits.maxParams) {
    throw new LimitError(
      `exact Hessian too large: ${e.params} parameters (limit ${limits.maxParams}; raise it with --max-exact-params, or drop --exact for float64)`,
    );
  }
  if (e.hessianBits > limits.maxHessianBits) {
    throw new LimitError(
      `exact Hessian too large: about ${(e.hessianBits / 8 / 2 ** 20).toFixed(0)} MiB of digits for ${e.params} parameters with ` +
        `${e.inputBits}-bit entries (limit ${(limits.maxHessianBits / 8 / 2 ** 20).toFixed(0)} MiB; raise it with --max-exact-bits, or drop --exact)`,
    );
  }
  return e;
}

/** Throws {@link LimitError} when a dense float64 Hessian with `params` parameters exceeds `limits`. */
export function assertDenseFits(params: number, limits: DenseLimits = DEFAULT_DENSE_LIMITS): void {
  if (params > MAX_DENSE_PARAMS_CEILING && params <= limits.maxParams) {
    throw new LimitError(
      `dense Hessian too large: ${params} parameters need about ${(denseWorkBytes(params) / 2 ** 30).toFixed(1)} GiB of float64 work (three ${params}×${params} matrices); ` +
        `the most any dense Hessian may have is ${MAX_DENSE_PARAMS_CEILING} parameters (--max-dense-params cannot raise it)`,
    );
  }
  if (params > limits.maxParams) {
    throw new LimitError(
      `dense Hessian too large: ${params} parameters (limit ${limits.maxParams}: ${(8 * params * params / 2 ** 20).toFixed(0)} MiB and an O(p³) ` +
        `eigen-decomposition; raise it with --max-dense-params)`,
    );
  }
}
