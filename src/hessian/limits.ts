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
  /** Bits of the input entries over a common denominator (see {@link commonDenominatorEntryBits}). */
  readonly inputBits: number;
  /** Estimated bits of one Hessian entry: `(2N + 2)·inputBits + 2N·log2(max width)`. */
  readonly entryBits: number;
  /** `params² · entryBits`. */
  readonly hessianBits: number;
}

/** `[v, rest]` with `n = p^v · rest` and `p ∤ rest` (`n > 0`), by repeated squaring: O(log v) big divisions. */
function valuation(n: bigint, p: bigint): [number, bigint] {
  if (n % p !== 0n) return [0, n];
  const powers: bigint[] = [p];
  while (n % ((powers[powers.length - 1] as bigint) ** 2n) === 0n) powers.push((powers[powers.length - 1] as bigint) ** 2n);
  let v = 0;
  let rest = n;
  for (let j = powers.length - 1; j >= 0; j--) {
    const q = powers[j] as bigint;
    while (rest % q === 0n) {
      rest /= q;
      v += 2 ** j;
    }
  }
  return [v, rest];
}

/**
 * Bits of the entries of `mats` written over one common denominator: every entry `n_i/q_i` becomes
 * `a_i/L` with `L` a common multiple of the `q_i`, and any polynomial of degree `g` in the entries
 * has a denominator dividing `L^g` and a numerator of about `g` times these bits. `L` is bounded
 * without computing it (a gcd of huge numbers is itself slow): the powers of 2 and 5 of all
 * denominators (binary and decimal entries) by their largest exponents, the other factors by the
 * sum of the distinct cofactors' bits. So a model with few entries but huge, unrelated denominators
 * (`1/p_1`, …, `1/p_12` with 10000-digit `p_i`) is counted at its real cost, not at one entry's size.
 */
export function commonDenominatorEntryBits(mats: readonly Matrix<Rational>[]): number {
  let max2 = 0;
  let max5 = 0;
  const cofactors = new Set<bigint>();
  let cofactorBits = 0;
  let excess = 0;
  for (const M of mats) {
    for (const x of M.data) {
      if (x.isZero()) continue;
      const nb = bitLength(bigAbs(x.num));
      if (x.den === 1n) {
        excess = Math.max(excess, nb);
        continue;
      }
      const db = bitLength(x.den);
      excess = Math.max(excess, nb - db + 1);
      const twos = bitLength(x.den & -x.den) - 1;
      max2 = Math.max(max2, twos);
      const [fives, rest] = valuation(x.den >> BigInt(twos), 5n);
      max5 = Math.max(max5, fives);
      if (rest !== 1n && !cofactors.has(rest)) {
        cofactors.add(rest);
        cofactorBits += bitLength(rest);
      }
    }
  }
  const common = max2 + Math.ceil(max5 * Math.log2(5)) + cofactorBits;
  return Math.max(1, common + excess);
}

/** The bit limit of one exact entry's estimate that goes with `limits`: `maxHessianBits / 2^18` (16384 bits by default), at least 4096. */
export function maxExactEntryBits(limits: ExactLimits): number {
  return Math.max(4096, Math.floor(limits.maxHessianBits / 2 ** 18));
}

/**
 * Refuses (with {@link LimitError}) exact work whose entries would have more than
 * {@link maxExactEntryBits} bits: every rational operation on `b`-bit numbers costs a gcd, about
 * `4e-10·b²` seconds (0.1 s at 16384 bits, 2 s at 65536), so such a computation runs for minutes even
 * on a model of a few entries.
 */
export function assertExactEntriesFit(
  what: string,
  inputBits: number,
  entryBits: number,
  limits: ExactLimits,
  advice = 'raise it with --max-exact-bits (it also bounds the whole Hessian), or drop --exact / set --max-exact-params 0 for float64',
): void {
  const max = maxExactEntryBits(limits);
  if (entryBits > max) {
    const seconds = 4e-10 * entryBits * entryBits;
    throw new LimitError(
      `${what} is too costly in exact arithmetic: the model's entries over a common denominator have ${inputBits} bits, so intermediate values reach about ` +
        `${entryBits} bits (limit ${max} bits; each operation on them takes about ${seconds < 1 ? seconds.toPrecision(1) : seconds.toFixed(0)} s); ${advice}`,
    );
  }
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
  const inputBits = commonDenominatorEntryBits(mats);
  const N = spec.weights.length;
  const logWidth = Math.log2(Math.max(2, ...widths));
  const entry = Math.ceil((2 * N + 2) * inputBits + 2 * N * logWidth);
  return { params, inputBits, entryBits: entry, hessianBits: params * params * entry };
}

/** Throws {@link LimitError} when the exact dense Hessian of `spec` exceeds `limits`. */
export function assertExactHessianFits(spec: NetworkSpec<Rational>, limits: ExactLimits = DEFAULT_EXACT_LIMITS): ExactEstimate {
  return assertEstimateFits(estimateExactHessian(spec), limits);
}

/**
 * Throws {@link LimitError} when an estimated exact dense Hessian (of any family) exceeds `limits`:
 * too many parameters, too many digits in all, or entries too long to compute with; else returns it.
 */
export function assertEstimateFits(e: ExactEstimate, limits: ExactLimits = DEFAULT_EXACT_LIMITS): ExactEstimate {
  if (e.params > limits.maxParams) {
    throw new LimitError(`exact Hessian too large: ${e.params} parameters (limit ${limits.maxParams}; raise it with --max-exact-params, or drop --exact for float64)`);
  }
  if (e.hessianBits > limits.maxHessianBits) {
    throw new LimitError(
      `exact Hessian too large: about ${(e.hessianBits / 8 / 2 ** 20).toFixed(0)} MiB of digits for ${e.params} parameters with ` +
        `${e.inputBits}-bit entries (limit ${(limits.maxHessianBits / 8 / 2 ** 20).toFixed(0)} MiB; raise it with --max-exact-bits, or drop --exact)`,
    );
  }
  assertExactEntriesFit('the exact Hessian', e.inputBits, e.entryBits, limits);
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
