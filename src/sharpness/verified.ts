/**
 * The certificate of `--exact` at a point given in binary64 or decimals (weights taken as the exact
 * rationals they are): a proven enclosure of `λ_max` (and, where the route gives it, `λ_min`) of the
 * EXACT Hessian, in verified binary64 arithmetic (`spectral/verified-enclosure.ts`,
 * `docs/sharpness.md` "Certified sharpness at points given in floating point").
 *
 * Two routes, chosen up front by size:
 * - `'reduced-operator'` at minimizers and near-minimizers: `λ_max` of the Gauss–Newton part equals
 *   `λ_max(K)` (`K` of size `d_N d_0`, or `d_N n` with data), enclosed on the interval matrix `K`; the residual
 *   part moves `λ_max(H)` by at most `ρ ≥ ‖H_res‖₂` (Weyl; `residual-bound.ts`), so
 *   `λ_max(H) ∈ [lo_K − ρ, hi_K + ρ]` (`ρ = 0` when the exact loss is known to be 0);
 * - `'full-hessian'` elsewhere (or when `K` is larger than the Hessian): the interval Hessian itself,
 *   `λ_max` and `λ_min`.
 */
import { F64I, IntervalAccumulator, floatAbove, floatBelow, symmetricEnclosure, encloseMatrix, type Enclosed } from '../verify/float-interval.js';
import { Rational } from '../field/rational.js';
import { accumulateHessian } from '../hessian/dense.js';
import { LimitError } from '../hessian/limits.js';
import { parameterCountOfWidths, preparePoint, type NetworkSpec } from '../hessian/point.js';
import { reducedProblem } from '../hessian/reduced.js';
import type { MinimizerTest } from '../families/minimizer.js';
import { choleskyFlops, verifiedExtremeEigenvalue, type VerifiedOutcome } from '../spectral/verified-enclosure.js';
import { residualPartBound, type ResidualPartBound } from './residual-bound.js';

/** Default largest matrix (rows) certified by verified binary64 arithmetic. */
export const DEFAULT_MAX_VERIFIED = 3000;

/** Assumed binary64 speed for the up-front estimates (operations per second, one core). */
const ASSUMED_FLOPS = 1e9;

export type VerifiedRoute = 'reduced-operator' | 'full-hessian';

/** A proven enclosure as exact rational strings (binary64 end points). */
export interface RationalEnclosure {
  readonly lower: string;
  readonly upper: string;
}

/** What the verified certificate proved, how, and at what cost. */
export interface VerifiedCertificate {
  readonly route: VerifiedRoute;
  /** Rows of the matrix that was verified (`K` or `H`). */
  readonly size: number;
  /** `λ_max` of the exact Hessian, when proven. */
  readonly lambdaMax?: RationalEnclosure;
  /** `λ_min` of the exact Hessian (full-Hessian route only), when proven. */
  readonly lambdaMin?: RationalEnclosure;
  /** Reduced route: the enclosure of `λ_max(K) = λ_max` of the Gauss–Newton part. */
  readonly gaussNewton?: RationalEnclosure;
  /** Reduced route: the bound `ρ ≥ ‖H_res‖₂` and its terms. */
  readonly residualBound?: ResidualPartBound;
  /** What was certified and what was not, for people. */
  readonly certified: string;
  /** Why a part could not be certified (the float estimate stands, marked uncertified). */
  readonly failures: readonly string[];
  readonly evidence: readonly string[];
  /** Binary64 operations of the positive-definiteness tests and their count. */
  readonly cost: { readonly choleskyFactorizations: number; readonly flops: number; readonly seconds?: number };
}

export interface VerifiedOptions {
  readonly maxVerified?: number;
  /** The residual-part bound when the caller has already computed it at this point (not recomputed). */
  readonly residualBound?: ResidualPartBound;
  readonly seed?: number;
  readonly onStage?: (stage: string) => void;
}

/** The exact spec's entries enclosed in binary64 intervals. */
export function encloseSpec(spec: NetworkSpec<Rational>): NetworkSpec<Enclosed> {
  const obj = spec.objective;
  return {
    weights: spec.weights.map(encloseMatrix),
    objective: obj.kind === 'dmf' ? { kind: 'dmf', target: encloseMatrix(obj.target) } : { kind: 'dln', inputs: encloseMatrix(obj.inputs), targets: encloseMatrix(obj.targets) },
    reduction: spec.reduction,
  };
}

/** Rows of `K` in binary64 (`d_N d_0` for factorization, `d_N n` with data). */
export function reducedSize(spec: NetworkSpec<Rational>): number {
  const dN = (spec.weights[spec.weights.length - 1] as { rows: number }).rows;
  const obj = spec.objective;
  return dN * (obj.kind === 'dmf' ? obj.target.cols : obj.inputs.cols);
}

/** The route and matrix size for a point, refusing up front (with an estimate) beyond `maxVerified`. */
export function planVerified(spec: NetworkSpec<Rational>, minimizer: MinimizerTest, maxVerified = DEFAULT_MAX_VERIFIED): { route: VerifiedRoute; size: number } {
  const widths = [spec.weights[0]?.cols ?? 0, ...spec.weights.map((W) => W.rows)];
  const params = parameterCountOfWidths(widths);
  const k = reducedSize(spec);
  const nearZero = minimizer.verdict !== 'not-a-minimizer';
  const plan: { route: VerifiedRoute; size: number } = nearZero && k < params ? { route: 'reduced-operator', size: k } : { route: 'full-hessian', size: params };
  if (plan.size > maxVerified) {
    const n = plan.size;
    const flops = 2 * choleskyFlops(n);
    throw new LimitError(
      `verified certificate too large: it needs positive-definiteness tests of a ${n}×${n} matrix ` +
        `(${plan.route === 'reduced-operator' ? 'the reduced operator K' : 'the full Hessian'}; about ${flops.toExponential(1)} binary64 operations, ` +
        `~${Math.ceil(flops / ASSUMED_FLOPS)} s, and ${Math.ceil((24 * n * n) / 2 ** 20)} MiB); limit ${maxVerified} rows ` +
        `(raise it with --max-verified, or drop --exact for the float estimate)`,
    );
  }
  return plan;
}

const text = (q: Rational): string => q.toString();
const encl = (o: VerifiedOutcome & { certified: true }): RationalEnclosure => ({ lower: text(o.lower), upper: text(o.upper) });

/**
 * The verified certificate at the point (see the module comment). Never throws on a failed
 * verification: the failure is stated in `failures` and the caller keeps the float estimate.
 */
export function verifiedCertificate(spec: NetworkSpec<Rational>, minimizer: MinimizerTest, options: VerifiedOptions = {}): VerifiedCertificate {
  const plan = planVerified(spec, minimizer, options.maxVerified);
  const pt = preparePoint(F64I, encloseSpec(spec));
  const vopts = { seed: options.seed ?? 0, ...(options.onStage !== undefined ? { onStage: options.onStage } : {}) };
  const failures: string[] = [];
  const evidence: string[] = [];
  let factorizations = 0;
  const tally = (o: VerifiedOutcome): void => {
    if (o.certified) {
      factorizations += o.choleskyAttempts;
      evidence.push(...o.evidence);
    } else {
      factorizations += 6;
      failures.push(`λ_${o.which === 'largest' ? 'max' : 'min'}: ${o.reason}; the float estimate ${o.estimate} is NOT certified`);
    }
  };
  const cost = (): VerifiedCertificate['cost'] => ({ choleskyFactorizations: factorizations, flops: factorizations * choleskyFlops(plan.size) });
  if (plan.route === 'reduced-operator') {
    options.onStage?.(`verified certificate: interval K (${plan.size}×${plan.size})`);
    const K = symmetricEnclosure(reducedProblem(pt).K);
    const exactZero = minimizer.verdict === 'exact-minimizer';
    const rho = !exactZero && options.residualBound !== undefined ? options.residualBound : residualPartBound(pt, exactZero);
    const top = verifiedExtremeEigenvalue(K, 'largest', vopts);
    tally(top);
    for (let k = 0; k < evidence.length; k++) evidence[k] = `K: ${(evidence[k] as string).replace(/λ_max/g, 'λ_max(K)')}`;
    if (!top.certified) return { route: plan.route, size: plan.size, residualBound: rho, certified: 'nothing', failures, evidence, cost: cost() };
    const r = Rational.fromNumber(rho.norm);
    const lower = Rational.fromNumber(floatBelow(top.lower.sub(r)));
    const upper = Rational.fromNumber(floatAbove(top.upper.add(r)));
    evidence.unshift(`λ_max(Gauss–Newton part) = λ_max(K) ∈ [${top.lower.toNumber()}, ${top.upper.toNumber()}] on the interval matrix K (${plan.size}×${plan.size})`);
    evidence.push(
      rho.exactZero
        ? 'the exact loss is 0, so H equals its Gauss–Newton part: λ_max(H) = λ_max(K)'
        : `‖H_res‖₂ ≤ ρ = ${rho.norm.toExponential(3)} (‖R‖_F ≤ ${rho.residualNorm.toExponential(3)} times products of layer norms); Weyl: |λ_max(H) − λ_max(K)| ≤ ρ`,
    );
    return {
      route: plan.route,
      size: plan.size,
      lambdaMax: { lower: text(lower), upper: text(upper) },
      gaussNewton: encl(top),
      residualBound: rho,
      certified: rho.exactZero ? 'λ_max of the exact Hessian (via K; the point is an exact minimizer)' : 'λ_max of the exact Hessian (via K and the residual-part bound); λ_min not certified on this route',
      failures,
      evidence,
      cost: cost(),
    };
  }
  options.onStage?.(`verified certificate: interval Hessian (${plan.size}×${plan.size})`);
  const acc = new IntervalAccumulator(plan.size, 2);
  accumulateHessian(pt, 'full', (k, a, b) => acc.add(k, a, b));
  const H = acc.finish();
  const top = verifiedExtremeEigenvalue(H, 'largest', vopts);
  tally(top);
  const bottom = verifiedExtremeEigenvalue(H, 'smallest', vopts);
  tally(bottom);
  const parts = [top.certified ? 'λ_max' : null, bottom.certified ? 'λ_min' : null].filter((x) => x !== null);
  return {
    route: plan.route,
    size: plan.size,
    ...(top.certified ? { lambdaMax: encl(top) } : {}),
    ...(bottom.certified ? { lambdaMin: encl(bottom) } : {}),
    certified: parts.length === 0 ? 'nothing' : `${parts.join(' and ')} of the exact Hessian (interval Hessian ${plan.size}×${plan.size})`,
    failures,
    evidence,
    cost: cost(),
  };
}
