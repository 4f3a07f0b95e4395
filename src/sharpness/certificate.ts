import { Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { LimitError } from '../hessian/limits.js';
import { preparePoint, type NetworkSpec } from '../hessian/point.js';
import { reducedProblem } from '../hessian/reduced.js';
import { certifyLambdaMax, type LambdaMaxCertificate } from '../spectral/certificate.js';
import { eigenvalueEnclosure } from '../spectral/enclosure.js';
import * as I from '../verify/interval.js';
import type { ExactLambda } from './report.js';

/** The exact certificate of an exact rational minimizer, with what the formulas compare against. */
export interface ExactCertificateResult {
  readonly exact: ExactLambda;
  /** The certified value rounded (or the midpoint of the enclosure). */
  readonly value: number;
  /** A rigorous enclosure of `λ_max` at about `2^−bits` relative width. */
  readonly lambdaInterval: (bits: number) => I.Interval;
  readonly reduced: { readonly form: string; readonly size: number };
}

function exactLambda(cert: LambdaMaxCertificate): ExactLambda {
  if (cert.kind === 'rational') return { method: 'exact', value: cert.value.toString(), evidence: cert.evidence };
  return { method: 'exact', lower: cert.lower.toString(), upper: cert.upper.toString(), polynomial: cert.polynomial.toString('t'), evidence: cert.evidence };
}

/** Thrown by {@link exactCertificate} when the reduced problem exceeds `maxExactReduced`. */
export class ExactTooLargeError extends LimitError {
  constructor(readonly size: number, limit: number) {
    super(`exact certificate too large: the reduced problem is ${size}×${size} (limit ${limit}; raise it with --max-exact-reduced, or drop --exact)`);
    this.name = 'ExactTooLargeError';
  }
}

/**
 * `λ_max` of an exact rational minimizer in rational arithmetic (`docs/math.md §4`): the exact
 * characteristic polynomial of the reduced problem, its rational roots proven by inertia, an
 * irrational `λ_max` enclosed to `10^−digits` by Sturm counts.
 */
export function exactCertificate(spec: NetworkSpec<Rational>, options: { digits: number; estimate: number; maxExactReduced: number; onStage?: (stage: string) => void }): ExactCertificateResult {
  // Factorization: K is d_N d_0 square, known before any exact work; with data the rank of Σ decides.
  const obj = spec.objective;
  const dN = (spec.weights[spec.weights.length - 1] as { rows: number }).rows;
  if (obj.kind === 'dmf' && dN * obj.target.cols > options.maxExactReduced) throw new ExactTooLargeError(dN * obj.target.cols, options.maxExactReduced);
  const red = reducedProblem(preparePoint(Q, spec));
  if (red.K.rows > options.maxExactReduced) throw new ExactTooLargeError(red.K.rows, options.maxExactReduced);
  options.onStage?.(`exact certificate (${red.K.rows}×${red.K.rows} reduced problem)`);
  const cert = certifyLambdaMax({ K: red.K, metric: red.metric }, { digits: options.digits, estimate: options.estimate });
  const value = cert.kind === 'rational' ? cert.value.toNumber() : I.toNumber(I.interval(cert.lower, cert.upper));
  const lambdaInterval =
    cert.kind === 'rational'
      ? (): I.Interval => I.point(cert.value)
      : (bits: number): I.Interval => {
          const width = new Rational(1n, 1n << BigInt(bits)).mul(cert.upper.abs().add(Rational.ONE));
          const e = eigenvalueEnclosure(red.K, red.metric, 1, { width, hint: value });
          return e.exact !== undefined ? I.point(e.exact) : I.interval(e.lower, e.upper);
        };
  return { exact: exactLambda(cert), value, lambdaInterval, reduced: { form: red.form, size: red.K.rows } };
}
