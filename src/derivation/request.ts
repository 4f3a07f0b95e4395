/**
 * What a derivation document is asked for, and the limits on it. Shared by every document builder
 * (deep linear networks now; other architectures register their own builder, see {@link ./registry.js}).
 */
import { Rational } from '../field/rational.js';
import { lossCoefficient, type Reduction, type ResidualShape } from '../models/reduction.js';
import { InputError } from '../errors/input-error.js';

/** A request for a derivation document (the `derive` command's options). */
export interface DeriveRequest {
  /** Architecture of the document builder (default `'deep-linear'`). */
  readonly architecture?: string;
  /** Depth `N` (number of layers). Required unless a model is given. */
  readonly depth?: number;
  /** Widths `d_0, …, d_N`. */
  readonly widths?: readonly number[];
  /** Deep linear network with data `(X, Y)` instead of deep matrix factorization. */
  readonly data?: boolean;
  /** A model file, or a built-in example `example:ID`, to use as the worked instance. */
  readonly modelSource?: string;
  /** The command line shown in the document as how it was generated. */
  readonly command?: string;
}

/** A request that cannot be served (inconsistent widths, unsupported combination); the CLI exits with code 2. */
export class DerivationInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'DerivationInputError';
  }
}

/**
 * Size limits of a derivation document: its worked instance is checked in exact arithmetic
 * (characteristic polynomials of the full Hessian, certified `λ_max`), and its tables list every block.
 */
export interface DeriveLimits {
  readonly maxDepth: number;
  readonly maxWidth: number;
  /** Parameters `p = Σ d_i d_{i−1}` (the exact Hessian is `p × p`). */
  readonly maxParams: number;
  /** Size of the reduced operator `K` (`d_N d_0`, or `d_N n` with data). */
  readonly maxReduced: number;
  /** Samples `n` of a model with data. */
  readonly maxSamples: number;
}

/** Default limits (a document then generates in well under a second or two). */
export const DERIVE_LIMITS: DeriveLimits = { maxDepth: 8, maxWidth: 6, maxParams: 64, maxReduced: 36, maxSamples: 16 };

/**
 * The loss coefficient `c` a derivation document writes out (`1`: the ½ convention, `2`: no ½):
 * the documents cover the reductions whose coefficient is 1 or 2 (`half`, `sample-mean`, and `sum` of a
 * factorization or of one sample); any other (`sum` over n > 1 samples, `mean`) is refused with the
 * coefficient it would need.
 */
export function derivationCoefficient(reduction: Reduction, shape: ResidualShape): 1 | 2 {
  const c = lossCoefficient(reduction, shape);
  if (c.equals(Rational.ONE)) return 1;
  if (c.equals(Rational.fromBigInt(2n))) return 2;
  throw new DerivationInputError(
    `derive: the documents write the loss with coefficient c = 1 (reduction "half") or c = 2 (no ½: "sample-mean", or "sum" of one sample); ` +
      `reduction "${reduction}" here is c = ${c.toString()} times the half loss. Derive the "half" model: every derivative and eigenvalue of this one is ${c.toString()} times its value (docs/conventions.md)`,
  );
}
