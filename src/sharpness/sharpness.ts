/**
 * `λ_max(∇²L)` of a deep linear network at a point (`docs/math.md §3`), several independent ways, and
 * the certificate under `--exact`. The pieces live in their own modules: the float methods
 * (`methods.ts`), the exact certificate of exact minimizers (`certificate.ts`), the verified binary64
 * certificate of any other point (`verified.ts`, `residual-bound.ts`), the known formulas
 * (`formulas.ts`) and the report's types (`report.ts`).
 */
import { F64, Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { assertExactEntriesFit, estimateExactHessian } from '../hessian/limits.js';
import { specLossCoefficient } from '../hessian/point.js';
import { deepLinearMinimizerTest } from '../families/deep-linear-minimizer.js';
import type { MinimizerTest } from '../families/minimizer.js';
import { toFloatSpec } from '../hessian/from-model.js';
import { hessianOperator } from '../hessian/hvp.js';
import { DEFAULT_DENSE_LIMITS, DEFAULT_EXACT_LIMITS } from '../hessian/limits.js';
import { parameterCountOfWidths, preparePoint, type NetworkSpec } from '../hessian/point.js';
import { reducedOperatorF64 } from '../hessian/reduced.js';
import { fromColumnMajor, map, type Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd-f64.js';
import type { DeepLinearModel } from '../models/model.js';
import { F64I } from '../verify/float-interval.js';
import * as I from '../verify/interval.js';
import { ExactTooLargeError, exactCertificate } from './certificate.js';
import { compareKnownFormulas, compareKnownFormulasFloat, floatFormulaContext, type FormulaComparison } from './formulas.js';
import { fullHessianMethod, liftToParameters, timing, topEigenpair } from './methods.js';
import { kroneckerFactors, rankOneMaximum } from './rank-one.js';
import { NotAMinimizerError, type ExactLambda, type GaussNewtonPart, type MethodResult, type SharpnessOptions, type SharpnessReport } from './report.js';
import { residualPartBound, type ResidualPartBound } from './residual-bound.js';
import { encloseSpec, planVerified, verifiedCertificate, type RationalEnclosure } from './verified.js';

export { NotAMinimizerError, topEigenpair };
export type { ExactLambda, MethodResult, SharpnessOptions, SharpnessReport };

/** The one minimizer test; exactly (rational loss) only under `--exact` and only when binary64 cannot tell. */
function minimizerOf(spec: NetworkSpec<Rational>, exact: boolean, exactPossible: boolean): MinimizerTest {
  const float = deepLinearMinimizerTest(spec);
  if (!exact || float.verdict !== 'minimizer-within-rounding') return float;
  // The exact loss decides the rational certificate; it is computed when that certificate could follow
  // (the reduced problem fits its limit) or the model is small, never for a large float point.
  const maxParams = exactPossible ? Number.POSITIVE_INFINITY : DEFAULT_EXACT_LIMITS.maxParams;
  return deepLinearMinimizerTest(spec, { exact: true, limits: { ...DEFAULT_EXACT_LIMITS, maxParams } });
}

function refusal(check: MinimizerTest, exact: boolean): NotAMinimizerError {
  return new NotAMinimizerError(
    `not a minimizer: relative residual ${check.relativeResidual.toExponential(3)} (${check.explanation}); ` +
      `pass --allow-nonminimizer for λ_max and λ_min of the full Hessian${exact ? ' (certified under --exact)' : ''}`,
  );
}

/** The verified certificate as the report's `exact` field, plus what it leaves uncertified. */
type VerifiedLambda = Extract<ExactLambda, { method: 'verified-binary64' }>;

function verifiedExact(spec: NetworkSpec<Rational>, check: MinimizerTest, options: SharpnessOptions, residual?: ResidualPartBound): { exact?: VerifiedLambda; lambdaMin?: RationalEnclosure; notes: string[] } {
  const t0 = performance.now();
  let cert: ReturnType<typeof verifiedCertificate>;
  try {
    cert = verifiedCertificate(spec, check, {
      ...(options.maxVerified !== undefined ? { maxVerified: options.maxVerified } : {}),
      ...(residual !== undefined ? { residualBound: residual } : {}),
      seed: options.seed ?? 0,
      ...(options.onStage !== undefined ? { onStage: options.onStage } : {}),
    });
  } catch (e) {
    // Entries or products beyond binary64: the certificate cannot be formed; the float values stand, uncertified.
    if (!(e instanceof RangeError)) throw e;
    return { notes: [`verification impossible (${e.message}): λ_max is NOT certified`] };
  }
  const { lambdaMax, lambdaMin, ...rest } = cert;
  const withTime = { ...rest, cost: { ...rest.cost, ...timing(options, t0) } };
  const notes = cert.failures.map((f) => `verification failed: ${f}`);
  if (lambdaMax === undefined) return { notes };
  return { exact: { method: 'verified-binary64', lower: lambdaMax.lower, upper: lambdaMax.upper, ...withTime }, ...(lambdaMin !== undefined ? { lambdaMin } : {}), notes };
}

/** A float value put inside a proven enclosure (the midpoint when it lies outside). */
function within(value: number, e: { lower: string; upper: string } | undefined): number {
  if (e === undefined) return value;
  const lo = Rational.parse(e.lower).toNumber();
  const hi = Rational.parse(e.upper).toNumber();
  return value >= lo && value <= hi ? value : (lo + hi) / 2;
}

/** `K`'s top eigenvector as a `rows × cols` matrix, its singular values and numerical rank. */
function topEigenvectorOf(rows: number, cols: number, entries: readonly number[]): NonNullable<SharpnessReport['topEigenvector']> {
  const s = singularValues(fromColumnMajor(rows, cols, entries.slice(0, rows * cols)));
  const tol = Math.max(rows, cols) * Number.EPSILON * (s[0] ?? 0);
  return { rows, cols, entries, singularValues: s, numericalRank: s.filter((x) => x > tol).length };
}

/**
 * Sharpness `λ_max(∇²L)` at a point (`docs/math.md §3`), several independent ways: the reduced operator `K`
 * (dense or Lanczos), the full Hessian (dense or Lanczos on the closed-form HVP) and, with `exact`, a
 * certificate; plus the known formulas and how each relates to `λ_max`, the top eigenvector of `K` as
 * a `d_N × d_0` matrix, and `2/λ_max`. Near-minimizers are analysed (full-Hessian `λ_max`, with the
 * Gauss–Newton value and the residual-part bound beside it); other points need `allowNonMinimizer`.
 */
export function analyzeSharpness(model: DeepLinearModel<Rational>, spec: NetworkSpec<Rational>, options: SharpnessOptions = {}): SharpnessReport {
  const exact = options.exact === true;
  const fspec = toFloatSpec(spec);
  const widths = [spec.weights[0]?.cols ?? 0, ...spec.weights.map((W) => W.rows)];
  const params = parameterCountOfWidths(widths);
  const maxDenseHessian = options.maxDenseHessian ?? DEFAULT_DENSE_LIMITS.maxParams;
  if (exact) {
    const est = estimateExactHessian(spec);
    assertExactEntriesFit('the exact certificate', est.inputBits, est.entryBits, DEFAULT_EXACT_LIMITS, 'drop --exact for the float64 values');
  }
  const maxExactReduced = options.maxExactReduced ?? 400;
  const dmfK = (widths[widths.length - 1] as number) * (widths[0] as number);
  const check = minimizerOf(spec, exact, model.kind !== 'dmf' || dmfK <= maxExactReduced);
  const verdict = check.verdict;
  if (verdict === 'not-a-minimizer' && options.allowNonMinimizer !== true) throw refusal(check, exact);
  // Every certificate's size is checked before any float work.
  const notes: string[] = [];
  const exactRoute = exact && verdict === 'exact-minimizer' && (model.kind !== 'dmf' || dmfK <= maxExactReduced);
  if (exact && !exactRoute) planVerified(spec, check, options.maxVerified);
  if (exact && verdict === 'exact-minimizer' && !exactRoute) {
    notes.push(`exact certificate too large: the reduced problem is ${dmfK}×${dmfK} (limit ${maxExactReduced}, --max-exact-reduced): certified by verified binary64 arithmetic instead`);
  }
  const ptF = preparePoint(F64, fspec);
  const base = { kind: spec.objective.kind, widths: ptF.widths, params, reduction: spec.reduction, isMinimizer: check.isZeroLoss, minimizerCheck: check };

  if (verdict === 'not-a-minimizer') {
    const H = hessianOperator(ptF);
    const top = topEigenpair(H, 'full Hessian', maxDenseHessian, 'largest', options);
    const bottom = topEigenpair(H, 'full Hessian, smallest', maxDenseHessian, 'smallest', options);
    const v = exact ? verifiedExact(spec, check, options) : { notes: [] as string[] };
    notes.push(...v.notes);
    const lambdaMax = within(top.result.value, v.exact);
    const lambdaMin = within(bottom.result.value, v.lambdaMin);
    return {
      ...base,
      lambdaMax,
      lambdaMin,
      ...(v.exact !== undefined ? { exact: v.exact } : {}),
      ...(v.lambdaMin !== undefined ? { exactLambdaMin: v.lambdaMin } : {}),
      methods: [top.result, bottom.result],
      formulas: [],
      maxStableStep: 2 / lambdaMax,
      ...(notes.length > 0 ? { notes } : {}),
    };
  }

  const methods: MethodResult[] = [];
  const dN = ptF.widths[ptF.depth] as number;
  const d0 = ptF.widths[0] as number;
  const viaK = topEigenpair(reducedOperatorF64(ptF), 'reduced operator K', options.maxDenseReduced ?? 1200, 'largest', options);
  methods.push(viaK.result);
  // Warm start from K's eigenvector lifted to parameter space (factorization: K's vector is d_N × d_0).
  const warm = spec.objective.kind === 'dmf' && params > maxDenseHessian ? liftToParameters(ptF, viaK.vector) : undefined;
  const viaH = fullHessianMethod(ptF, params, maxDenseHessian, options, warm);
  methods.push(viaH);
  const near = verdict === 'near-minimizer';
  let gaussNewton: GaussNewtonPart | undefined;
  if (near) {
    options.onStage?.('residual-part bound (verified binary64)');
    try {
      const bound = residualPartBound(preparePoint(F64I, encloseSpec(spec)), false);
      gaussNewton = { lambdaMax: viaK.result.value, residualBound: bound.norm, bound };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      notes.push(`the residual-part bound could not be formed in binary64 (${e.message})`);
    }
  }

  let exactResult: ExactLambda | undefined;
  let lambdaMax = near ? viaH.value : viaK.result.value;
  let lambdaInterval: ((bits: number) => I.Interval) | undefined;
  let reducedInfo: SharpnessReport['reduced'] = { form: spec.objective.kind === 'dmf' ? 'dmf' : 'dln (Σ^½ form)', size: viaK.vector.length };
  if (exactRoute) {
    const t0 = performance.now();
    try {
      const c = exactCertificate(spec, {
        digits: options.digits ?? 12,
        estimate: viaK.result.value,
        maxExactReduced,
        ...(options.onStage !== undefined ? { onStage: options.onStage } : {}),
      });
      exactResult = c.exact;
      lambdaMax = c.value;
      lambdaInterval = c.lambdaInterval;
      reducedInfo = c.reduced;
      methods.push({ name: 'exact certificate (rational arithmetic)', value: c.value, iterations: 1, residual: 0, ...timing(options, t0) });
    } catch (e) {
      if (!(e instanceof ExactTooLargeError)) throw e;
      planVerified(spec, check, options.maxVerified);
      notes.push(`${e.message}: certified by verified binary64 arithmetic instead`);
    }
  }
  if (exact && exactResult === undefined) {
    const v = verifiedExact(spec, check, options, gaussNewton?.bound);
    notes.push(...v.notes);
    if (v.exact !== undefined) {
      exactResult = v.exact;
      lambdaMax = within(lambdaMax, v.exact);
      const lo = v.exact.lower;
      const hi = v.exact.upper;
      lambdaInterval = () => I.interval(Rational.parse(lo), Rational.parse(hi));
    }
  }

  // Known formulas (deep matrix factorization at minimizers: they assume whitened data, X = I), in the
  // model's loss convention; exactly only under --exact and only up to the width limit.
  let formulas: FormulaComparison[] = [];
  const scaleExact = specLossCoefficient(Q, spec);
  const scale = scaleExact.toNumber();
  if (model.kind === 'dmf' && !near) {
    const maxWidth = Math.max(...widths);
    // Exact formula relations need the rational certificate (an exact minimizer); at points given in
    // binary64 their rational entries are too long for it to pay, so the verified enclosure is used.
    const exactFormulas = exactResult?.method === 'exact' && lambdaInterval !== undefined && maxWidth <= (options.maxExactFormulaWidth ?? 64);
    if (exactFormulas && lambdaInterval !== undefined) {
      options.onStage?.('known formulas (rational interval arithmetic)');
      formulas = compareKnownFormulas(model, lambdaInterval, scaleExact);
    } else {
      if (exact) {
        notes.push(
          exactResult?.method === 'exact'
            ? `known formulas compared in binary64: width ${maxWidth} is above the exact formula limit ${options.maxExactFormulaWidth ?? 64} (--max-exact-formula-width)`
            : 'known formulas compared in binary64 (with their stated rounding bounds) against the certified enclosure: exact formula relations need an exact rational minimizer',
        );
      }
      options.onStage?.('known formulas (binary64)');
      const slack = Math.max(...methods.map((m) => m.residual), Math.abs(viaK.result.value - viaH.value), 64 * Number.EPSILON * Math.abs(lambdaMax));
      const lo = exactResult !== undefined && 'lower' in exactResult ? Rational.parse(exactResult.lower).toNumber() : lambdaMax - slack;
      const hi = exactResult !== undefined && 'upper' in exactResult ? Rational.parse(exactResult.upper).toNumber() : lambdaMax + slack;
      formulas = compareKnownFormulasFloat(floatFormulaContext(ptF, (fspec.objective as { target: Matrix<number> }).target), lo, hi, scale);
    }
  }
  let rankOne: number | undefined;
  if (model.kind === 'dmf' && !near) {
    const { L, R } = kroneckerFactors(ptF.A, ptF.B);
    rankOne = rankOneMaximum(L.map((x) => map(x, (y) => y * ptF.c)), R, ptF.P).value;
  }
  return {
    ...base,
    lambdaMax,
    ...(exactResult !== undefined ? { exact: exactResult } : {}),
    ...(gaussNewton !== undefined ? { gaussNewton } : {}),
    methods,
    formulas,
    ...(rankOne !== undefined ? { rankOneMaximum: rankOne } : {}),
    ...(viaK.vector.length === dN * d0 ? { topEigenvector: topEigenvectorOf(dN, d0, viaK.vector) } : {}),
    reduced: reducedInfo,
    maxStableStep: 2 / lambdaMax,
    ...(notes.length > 0 ? { notes } : {}),
  };
}
