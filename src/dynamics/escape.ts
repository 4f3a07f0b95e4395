/**
 * The escape experiment (arXiv 2509.25783, Kamber & Parhi): gradient descent started at
 * `w* + ε v_1`, `v_1` the top Hessian eigenvector at a minimizer `w*`, with `η = F · 2/λ_max`.
 * Linear stability predicts a return for `F < 1` and an escape for `F > 1`; an escaped run can only
 * settle at a minimizer with `λ_max ≤ 2/η`, so when `2/η` is below the flattest value
 * `c N σ₁(M)^{2−2/N}` (the smallest `λ_max` of any minimizer of `M`), it cannot converge at all.
 */
import { toNumberArray } from '../kernels/arrays.js';
import { isSettled } from '../families/minimizer.js';
import { networkOf } from '../families/registry.js';
import { LimitError } from '../hessian/limits.js';
import { distance, dot, norm2, offset, scaled } from '../linalg/vectors.js';
import type { AnyModel } from '../models/source.js';
import { NotAMinimizerError, topEigenpair, type ExactLambda, type SharpnessReport } from '../sharpness/sharpness.js';
import { NotExactError } from '../twolayer/point.js';
import { DynamicsInputError } from './errors.js';
import { startTraining } from './train.js';

export interface EscapeOptions {
  /** The factors `F` of `η = F · 2/λ_max` (one run each). */
  readonly factors: readonly number[];
  /** Gradient-descent steps per run (default 20000). */
  readonly steps?: number;
  /** `ε` of the start `w* + ε v_1` (default 1e-9). */
  readonly perturb?: number;
  /** `'auto'` (default): certify `λ_max` exactly when the model is an exact minimizer of a deep linear net with a reduced problem of size ≤ 400; `'always'`: require it; `'never'`: binary64 only. */
  readonly exact?: 'auto' | 'always' | 'never';
  /** When set, a run's end point counts as settled at a minimizer when its relative residual is at most this; by default, when the one minimizer test (`families/minimizer.ts`) says it is a zero-loss minimizer, or a near-minimizer within `SETTLED_RESIDUAL` = 10⁻⁶ (`isSettled`). */
  readonly settleTolerance?: number;
  /** Record at most about this many trajectory points per run (default 2000; 0: none). */
  readonly trajectoryPoints?: number;
  readonly seed?: number;
  /** Keep each run's final weights in `theta` (default false). */
  readonly keepFinal?: boolean;
  /** Called as runs progress: `(runIndex, step, stepsPerRun)`. */
  readonly onProgress?: (run: number, step: number, steps: number) => void;
}

/** Largest reduced problem `K` certified exactly (as `sharpness --exact` by default). */
const EXACT_REDUCED_LIMIT = 400;

/**
 * The escape neighbourhood is `‖θ − w*‖₂ ≤ ESCAPE_RADIUS·max(1, ‖w*‖₂)`: six orders of magnitude
 * above the default start offset `ε = 10⁻⁹`, small enough for the quadratic model (docs/dynamics.md).
 */
const ESCAPE_RADIUS = 1e-3;

/**
 * Lanczos tolerances (relative residual) of the eigenvectors at `w*` and of the final `λ_max`: `v_1`
 * is the direction of the start and of the plot's axis, so it is computed close to binary64 accuracy;
 * `v_min` only spans the plot's second axis; the final `λ_max` is compared with `2/η` up to its own
 * residual, so its tolerance only needs to be well below the gaps between the factors' `2/η`.
 */
const TOP_TOLERANCE = 1e-12;
/** `v_1` and `v_min` densely up to this many parameters (two eigen-decompositions, milliseconds), by Lanczos above. */
const DENSE_EIGENVECTORS_UP_TO = 200;
const BOTTOM_TOLERANCE = 1e-10;
const FINAL_TOLERANCE = 1e-10;

/** Stated limits of {@link escape}. */
export const ESCAPE_LIMITS = { maxSteps: 10_000_000, maxFactors: 32, maxTrajectoryPoints: 100_000 } as const;

/** How a run ended. */
export type EscapeVerdict = 'returned' | 'escaped' | 'diverged' | 'undecided';

export interface EscapeRun {
  readonly etaFactor: number;
  readonly eta: number;
  readonly twoOverEta: number;
  /** Whether `‖θ_t − w*‖` exceeded the neighbourhood radius at some step. */
  readonly escaped: boolean;
  /** The first step at which it did. */
  readonly escapedAt: number | null;
  readonly verdict: EscapeVerdict;
  readonly divergedAt: number | null;
  readonly stepsRun: number;
  /** Whether the end point is a zero-loss minimizer (the one minimizer test, or relative residual ≤ settleTolerance when set). */
  readonly settled: boolean;
  readonly final: {
    readonly loss: number;
    readonly lambdaMax: number | null;
    /** A bound on the error of `lambdaMax` as `λ_max` of the Hessian: the Lanczos residual, plus `residualBound` when `K` was used. */
    readonly lambdaMaxError: number | null;
    readonly distance: number;
    readonly relativeResidual: number;
    readonly gradientNorm: number;
  };
  /** Whether `λ_max` at the end is at most `2/η` up to its error bound `final.lambdaMaxError` (`null` when not settled or diverged). */
  readonly finalBelowTwoOverEta: boolean | null;
  /** Whether `2/η` is below the flattest value (`null` when there is none to compare with). */
  readonly belowFlattest: boolean | null;
  readonly prediction: string;
  /** What happened, in words, next to the prediction. */
  readonly outcome: string;
  readonly agreesWithPrediction: boolean | null;
  /** `(step, α, β, loss)` with `α = ⟨θ − w*, v_1⟩`, `β = ⟨θ − w*, v_min⟩`. */
  readonly trajectory: readonly { readonly step: number; readonly alpha: number; readonly beta: number; readonly loss: number }[];
  /** The final weights (with `keepFinal`). */
  readonly theta?: readonly number[];
  readonly seconds: number;
}

export interface EscapeReport {
  readonly model: string;
  readonly params: number;
  readonly lambdaMax: number;
  /** How `λ_max` was obtained: `'exact certificate'` or `'binary64'` with the method. */
  readonly lambdaMaxMethod: string;
  readonly certified: boolean;
  readonly exact?: ExactLambda;
  /** `‖H v_1 − λ_max v_1‖` of the eigenvector used (binary64 Lanczos at `w*`). */
  readonly eigenvectorResidual: number;
  readonly lambdaMin: number;
  readonly perturb: number;
  readonly minimizerResidual: number;
  readonly neighbourhood: { readonly radius: number; readonly description: string };
  readonly flattestValue: number | null;
  readonly steps: number;
  readonly runs: readonly EscapeRun[];
  /** `w*`, `v_1`, `v_min` (for the contour plane). */
  readonly point: { readonly theta: readonly number[]; readonly top: readonly number[]; readonly bottom: readonly number[] };
}


function predictionFor(F: number, twoOverEta: number, flattest: number | null): { text: string; belowFlattest: boolean | null } {
  const belowFlattest = flattest === null ? null : twoOverEta < flattest;
  if (F < 1) return { text: 'η < 2/λ_max: w* is linearly stable, GD returns to it', belowFlattest };
  if (F === 1) return { text: 'η = 2/λ_max: the borderline, where linear stability decides nothing', belowFlattest };
  if (belowFlattest === true) {
    return { text: `η > 2/λ_max: GD escapes; 2/η is below the flattest value ${flattest}, so no minimizer of M is stable at this η and GD cannot converge to any`, belowFlattest };
  }
  return { text: 'η > 2/λ_max: GD escapes and can settle only at a flatter minimizer, λ_max ≤ 2/η', belowFlattest };
}

/**
 * Runs the escape experiment at a minimizer for each factor (see the module note). Throws
 * {@link NotAMinimizerError} (with the residual) when the model is not a minimizer.
 */
export function escape(any: AnyModel, options: EscapeOptions): EscapeReport {
  const steps = escapeInSlices(any, options);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/**
 * {@link escape} as a generator that yields between slices of gradient-descent steps (about 2¹⁶ steps
 * or 2²⁴ parameter-steps each), so that a caller can give the event loop a turn (to notice Ctrl-C)
 * and stop by not resuming it. The setup (λ_max, eigenvectors) happens on the first `next()`.
 */
export function* escapeInSlices(any: AnyModel, options: EscapeOptions): Generator<{ readonly run: number; readonly step: number }, EscapeReport, void> {
  const steps = options.steps ?? 20000;
  const perturb = options.perturb ?? 1e-9;
  const factors = options.factors;
  if (factors.length === 0 || factors.length > ESCAPE_LIMITS.maxFactors) throw new DynamicsInputError(`--eta-factor: expected 1 to ${ESCAPE_LIMITS.maxFactors} factors, got ${factors.length}`);
  for (const F of factors) if (!(Number.isFinite(F) && F > 0)) throw new DynamicsInputError(`--eta-factor: each factor must be a finite number > 0, got ${F}`);
  if (!Number.isInteger(steps) || steps < 1 || steps > ESCAPE_LIMITS.maxSteps) throw new DynamicsInputError(`--steps: expected an integer from 1 to ${ESCAPE_LIMITS.maxSteps}, got ${steps}`);
  if (!(Number.isFinite(perturb) && perturb > 0)) throw new DynamicsInputError(`--perturb: expected a finite number > 0, got ${perturb}`);
  const trajectoryPoints = options.trajectoryPoints ?? 2000;
  if (!Number.isInteger(trajectoryPoints) || trajectoryPoints < 0 || trajectoryPoints > ESCAPE_LIMITS.maxTrajectoryPoints) {
    throw new DynamicsInputError(`trajectory points: expected an integer from 0 to ${ESCAPE_LIMITS.maxTrajectoryPoints}, got ${trajectoryPoints}`);
  }
  const settleTol = options.settleTolerance;
  const seed = options.seed ?? 0;
  const mode = options.exact ?? 'auto';
  const net = networkOf(any, 'model');
  const model = net.trainable();
  // The one minimizer test (families/minimizer.ts), in exact arithmetic where a certificate may be used.
  const test = net.minimizerTest({ exact: mode !== 'never' });
  if (mode === 'always' && test.verdict !== 'exact-minimizer') {
    throw new DynamicsInputError(`--exact: the model is not an exact minimizer (the loss is not exactly 0: ${test.explanation})`);
  }
  if (!test.isZeroLoss) {
    throw new NotAMinimizerError(`not a zero-loss minimizer: ${test.explanation}; escape starts next to a minimizer (W_N⋯W_1 = M, PX = Y with data, f(X) = Y for a two-layer net)`);
  }
  // λ_max at w*: certified exactly where the family can (an exact minimizer of a deep linear net with
  // a reduced problem K of size ≤ EXACT_REDUCED_LIMIT), else the family's binary64 sharpness.
  const sharpnessOptions = { seed, maxExactReduced: EXACT_REDUCED_LIMIT };
  let sharp: SharpnessReport | undefined;
  if (mode !== 'never' && test.verdict === 'exact-minimizer') {
    try {
      sharp = net.sharpness({ ...sharpnessOptions, exact: true });
    } catch (e) {
      if (!(e instanceof LimitError || e instanceof NotExactError)) throw e;
      if (mode === 'always') throw new DynamicsInputError(`--exact: ${e.message}`);
    }
  }
  sharp ??= net.sharpness(sharpnessOptions);
  const lambdaMax = sharp.lambdaMax;
  const exact: ExactLambda | undefined = sharp.exact;
  const certified = exact !== undefined;
  const first = sharp.methods[0];
  const lambdaMaxMethod = certified
    ? 'exact certificate (rational arithmetic, the reduced problem K)'
    : `binary64, ${first?.name ?? 'Lanczos'}${first !== undefined ? ` (residual ${first.residual.toExponential(2)})` : ''}`;
  if (!(lambdaMax > 0)) throw new DynamicsInputError(`λ_max at the minimizer is ${lambdaMax}; η = F·2/λ_max needs λ_max > 0`);
  const wStar = Float64Array.from(model.theta0);
  const H = model.hessianOperator(wStar);
  const top = topEigenpair(H, 'Hessian at w*', DENSE_EIGENVECTORS_UP_TO, 'largest', { lanczosTolerance: TOP_TOLERANCE, seed });
  const bottom = topEigenpair(H, 'Hessian at w*, smallest', DENSE_EIGENVECTORS_UP_TO, 'smallest', { lanczosTolerance: BOTTOM_TOLERANCE, seed: seed + 1 });
  const v1 = Float64Array.from(top.vector);
  const vMin = Float64Array.from(bottom.vector);
  // The eigenvector's residual against the engine's λ_max (exact where certified).
  const eigenvectorResidual = distance(H.matvec(toNumberArray(v1)), scaled(v1, lambdaMax));
  // The neighbourhood of w* whose exit counts as an escape (docs/dynamics.md): 10⁻³ of the scale of w*.
  const radius = ESCAPE_RADIUS * Math.max(1, norm2(wStar));
  const neighbourhood = { radius, description: `‖θ − w*‖₂ ≤ ${radius.toPrecision(4)} (10⁻³·max(1, ‖w*‖₂)); "escaped" means θ_t left it at some step` };
  const flattest = model.flattestValue;
  const runs: EscapeRun[] = [];
  for (let runIndex = 0; runIndex < factors.length; runIndex++) {
    const F = factors[runIndex] as number;
    const t0 = performance.now();
    const eta = (F * 2) / lambdaMax;
    const start = offset(wStar, perturb, v1);
    let escapedAt: number | null = null;
    const stride = trajectoryPoints === 0 ? Infinity : Math.max(1, Math.ceil(steps / trajectoryPoints));
    const trajectory: { step: number; alpha: number; beta: number; loss: number }[] = [];
    const d = new Float64Array(wStar.length);
    const run = startTraining(model, {
      eta,
      steps,
      every: steps,
      trackSharpness: false,
      onStep: (step, theta, loss) => {
        for (let i = 0; i < theta.length; i++) d[i] = (theta[i] as number) - (wStar[i] as number);
        if (escapedAt === null && norm2(d) > radius) escapedAt = step;
        if (trajectoryPoints > 0 && (step % stride === 0 || step < Math.min(200, trajectoryPoints / 4)) && Number.isFinite(loss)) {
          trajectory.push({ step, alpha: dot(d, v1), beta: dot(d, vMin), loss });
        }
        if (options.onProgress !== undefined && step % 4096 === 0) options.onProgress(runIndex, step, steps);
      },
    }, start);
    const slice = Math.max(1, Math.min(1 << 16, Math.floor((1 << 24) / Math.max(1, model.params))));
    while (!run.advance(slice)) yield { run: runIndex, step: run.stepsDone };
    const res = run.result();
    const theta = run.theta;
    const diverged = res.verdict === 'diverged';
    const last = res.series[res.series.length - 1];
    const finalLoss = diverged ? Number.NaN : (last?.loss ?? model.loss(theta));
    const gradNorm = diverged ? Number.NaN : (last?.gradientNorm ?? Number.NaN);
    const finalDistance = distance(theta, wStar);
    const relRes = diverged ? Number.NaN : model.relativeResidual(theta);
    // Settled: by the one minimizer test, a zero-loss minimizer or a near-minimizer within
    // SETTLED_RESIDUAL (families/minimizer.ts), or, when the caller sets settleTolerance, a relative
    // residual of at most that.
    const settled = !diverged && (settleTol !== undefined ? relRes <= settleTol : isSettled(model.minimizerTest(theta)));
    let finalLambda: number | null = null;
    let finalLambdaError: number | null = null;
    if (!diverged && Number.isFinite(finalDistance)) {
      try {
        const s = model.sharpness(theta, { tolerance: FINAL_TOLERANCE, seed });
        finalLambda = s.lambdaMax;
        // For a symmetric operator an eigenvalue lies within the Lanczos residual ‖Hv − λv‖ of λ; with
        // K, λ_max(H) differs from λ_max(K) by at most residualBound (Weyl).
        finalLambdaError = s.residual + s.residualBound;
      } catch {
        finalLambda = null;
      }
    }
    const twoOverEta = 2 / eta;
    const escaped = escapedAt !== null || diverged;
    let verdict: EscapeVerdict;
    if (diverged) verdict = 'diverged';
    else if (escaped) verdict = 'escaped';
    else if (finalDistance <= perturb) verdict = 'returned';
    else verdict = 'undecided';
    const finalBelow = settled && finalLambda !== null ? finalLambda <= twoOverEta + (finalLambdaError ?? 0) : null;
    const pred = predictionFor(F, twoOverEta, flattest);
    let agrees: boolean | null;
    if (F < 1) agrees = verdict === 'returned';
    else if (F === 1) agrees = null;
    else if (pred.belowFlattest === true) agrees = escaped && !settled;
    else agrees = escaped && (!settled || finalBelow === true);
    const outcome =
      verdict === 'diverged'
        ? `escaped and diverged: the loss became non-finite at step ${res.divergedAt}`
        : verdict === 'returned'
          ? `returned: ‖θ_T − w*‖ = ${finalDistance.toExponential(3)} ≤ ε = ${perturb}`
          : verdict === 'undecided'
            ? `undecided after ${steps} steps: stayed in the neighbourhood, ‖θ_T − w*‖ = ${finalDistance.toExponential(3)}`
            : settled
              ? `escaped at step ${escapedAt} and settled at a minimizer ${finalDistance.toPrecision(4)} away with λ_max = ${finalLambda?.toPrecision(6)} ${finalBelow === true ? '≤' : '>'} 2/η = ${twoOverEta.toPrecision(6)}`
              : `escaped at step ${escapedAt} and did not converge in ${steps} steps (relative residual ${relRes.toExponential(3)}, loss ${finalLoss.toExponential(3)})`;
    runs.push({
      etaFactor: F,
      eta,
      twoOverEta,
      escaped,
      escapedAt,
      verdict,
      divergedAt: res.divergedAt,
      stepsRun: res.stepsRun,
      settled,
      final: { loss: finalLoss, lambdaMax: finalLambda, lambdaMaxError: finalLambdaError, distance: finalDistance, relativeResidual: relRes, gradientNorm: gradNorm },
      finalBelowTwoOverEta: finalBelow,
      belowFlattest: pred.belowFlattest,
      prediction: pred.text,
      outcome,
      agreesWithPrediction: agrees,
      trajectory,
      ...(options.keepFinal === true ? { theta: Array.from(theta) } : {}),
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return {
    model: model.label,
    params: model.params,
    lambdaMax,
    lambdaMaxMethod,
    certified,
    ...(exact !== undefined ? { exact } : {}),
    eigenvectorResidual,
    lambdaMin: bottom.result.value,
    perturb,
    minimizerResidual: model.relativeResidual(wStar),
    neighbourhood,
    flattestValue: flattest,
    steps,
    runs,
    point: { theta: Array.from(wStar), top: Array.from(v1), bottom: Array.from(vMin) },
  };
}

/** The loss on the plane `w* + α v_1 + β v_min` on a square grid covering the runs' trajectories (the contour picture). */
export interface EscapePlane {
  readonly alpha: readonly number[];
  readonly beta: readonly number[];
  /** `loss[j][i]` at `(alpha[i], beta[j])`; `null` where not finite. */
  readonly loss: readonly (readonly (number | null)[])[];
  readonly span: number;
}

/** Samples the loss on the plane of `v_1` and `v_min` at `w*` (grid points per axis `grid`). */
export function escapePlane(any: AnyModel, report: EscapeReport, grid = 61): EscapePlane {
  if (!Number.isInteger(grid) || grid < 3 || grid > 401) throw new DynamicsInputError(`grid: expected an integer from 3 to 401, got ${grid}`);
  const model = networkOf(any, 'model').trainable();
  let span = 0;
  for (const r of report.runs) {
    if (r.verdict === 'diverged') continue;
    for (const p of r.trajectory) span = Math.max(span, Math.abs(p.alpha), Math.abs(p.beta));
  }
  span = Math.max(1.15 * span, 10 * report.perturb);
  const axis = Array.from({ length: grid }, (_, i) => -span + (2 * span * i) / (grid - 1));
  const { theta, top, bottom } = report.point;
  const loss = axis.map((b) =>
    axis.map((a) => {
      const v = model.loss(offset(theta, a, top, b, bottom));
      return Number.isFinite(v) ? v : null;
    }),
  );
  return { alpha: axis, beta: axis, loss, span };
}

