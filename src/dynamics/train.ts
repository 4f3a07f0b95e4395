/**
 * Training runs with sharpness tracking (arXiv 2305.14683, progressive sharpening and the edge of
 * stability): full-batch gradient descent, heavy-ball momentum or minibatch SGD in binary64 on any
 * {@link TrainableModel}, recording every `K` steps the loss, the gradient norm, `λ_max` (Lanczos,
 * warm-started from the previous top eigenvector), `2/η`, the input–output Jacobian norm, the ansatz
 * bounds and the balance of the layers.
 */
import { norm2 } from '../linalg/vectors.js';
import { createRng } from '../random/rng.js';
import { DynamicsInputError } from './errors.js';
import { TRACKED_LANCZOS_TOLERANCE } from './tracked-sharpness.js';
import type { AnsatzBounds, BalanceMeasures, JacobianNorm, SharpnessEstimate, TrainableModel, WarmStart } from './trainable.js';

/** `'gd'`: `θ ← θ − η∇L`; `'momentum'`: heavy ball `v ← βv + ∇L`, `θ ← θ − ηv`; `'sgd'`: `θ ← θ − η∇L_batch`. */
export type Optimizer = 'gd' | 'momentum' | 'sgd';

export const OPTIMIZERS: readonly Optimizer[] = ['gd', 'momentum', 'sgd'];

/** Stated limits of a run (checked before any work). */
export const TRAIN_LIMITS = {
  /** Steps of one run. */
  maxSteps: 10_000_000,
  /** Recorded points of one series (`steps / every + 2`). */
  maxSeriesPoints: 100_000,
} as const;

export interface TrainOptions {
  /** Step size `η > 0`. */
  readonly eta: number;
  readonly steps: number;
  /** Record every this many steps (default `max(1, ⌊steps/100⌋)`); the first and last steps are always recorded. */
  readonly every?: number;
  readonly optimizer?: Optimizer;
  /** Heavy-ball coefficient `β ∈ [0, 1)` (default 0.9). */
  readonly momentum?: number;
  /** Minibatch size for `'sgd'` (default `min(32, n)`). */
  readonly batch?: number;
  /** Seed of the minibatches and of Lanczos (default 0). */
  readonly seed?: number;
  /** Stop once the full-batch loss is at most this. */
  readonly untilLoss?: number;
  /** Compute `λ_max` at the recorded steps (default true). */
  readonly trackSharpness?: boolean;
  /** Lanczos residual tolerance (relative, default {@link TRACKED_LANCZOS_TOLERANCE} = 1e-8: each λ_max is within 1e-8·λ_max of an eigenvalue). */
  readonly lanczosTolerance?: number;
  /** Called after each step with `(step, θ)`; `θ` is the live buffer (copy what you keep). */
  readonly onStep?: (step: number, theta: Float64Array, loss: number) => void;
}

/** The ansatz bounds at a recorded step, and whether `λ_max` lies within them up to `residualBound` plus the Lanczos residual of `λ_max`. */
export interface AnsatzAtStep extends AnsatzBounds {
  readonly holds: boolean | null;
}

/** One recorded step. */
export interface SeriesPoint {
  readonly step: number;
  readonly loss: number;
  readonly gradientNorm: number;
  /** `λ_max` at `θ_step` (`null` when not tracked). */
  readonly lambdaMax: number | null;
  /** How it was computed: the operator, the Lanczos residual and iterations. */
  readonly sharpness: { readonly operator: SharpnessEstimate['operator']; readonly residual: number; readonly iterations: number; readonly converged: boolean; readonly residualBound: number } | null;
  readonly twoOverEta: number;
  readonly jacobianNorm: number;
  /** The sample where the Jacobian norm is largest (0-based). */
  readonly jacobianSample: number;
  readonly relativeResidual: number;
  readonly ansatz: AnsatzAtStep | null;
  readonly balance: BalanceMeasures;
}

/** How a run ended. */
export type TrainVerdict = 'completed' | 'reached-loss' | 'diverged' | 'interrupted';

export interface TrainResult {
  readonly model: string;
  readonly family: TrainableModel['family'];
  readonly params: number;
  readonly optimizer: Optimizer;
  readonly eta: number;
  readonly twoOverEta: number;
  readonly momentum: number | null;
  readonly batch: number | null;
  readonly seed: number;
  readonly steps: number;
  readonly every: number;
  /** Steps actually taken. */
  readonly stepsRun: number;
  readonly verdict: TrainVerdict;
  /** The step at which the loss (or the gradient) became non-finite. */
  readonly divergedAt: number | null;
  readonly series: readonly SeriesPoint[];
  readonly jacobianFormula: string;
  /** Why the ansatz bounds are absent, when they are. */
  readonly ansatzUnavailable: string | null;
  readonly flattestValue: number | null;
  readonly method: string;
  readonly seconds: number;
}

/** A run that can be advanced in slices (so a caller can yield to the event loop, e.g. for Ctrl-C). */
export interface TrainRun {
  /** Takes up to `maxSteps` more steps; returns true when the run is over. */
  advance(maxSteps: number): boolean;
  /** Stops the run at the current step (`verdict: 'interrupted'`). */
  interrupt(): void;
  readonly stepsDone: number;
  readonly totalSteps: number;
  /** The result (the run must be over). */
  result(): TrainResult;
  /** The current parameters (live buffer). */
  readonly theta: Float64Array;
}

function checkOptions(model: TrainableModel, o: TrainOptions): { every: number; optimizer: Optimizer; momentum: number; batch: number } {
  if (typeof o.eta !== 'number' || !Number.isFinite(o.eta) || !(o.eta > 0)) throw new DynamicsInputError(`--eta: the step size must be a finite number > 0, got ${String(o.eta)}`);
  if (!Number.isInteger(o.steps) || o.steps < 0 || o.steps > TRAIN_LIMITS.maxSteps) {
    throw new DynamicsInputError(`--steps: expected an integer from 0 to ${TRAIN_LIMITS.maxSteps}, got ${String(o.steps)}`);
  }
  const every = o.every ?? Math.max(1, Math.floor(o.steps / 100));
  if (!Number.isInteger(every) || every < 1) throw new DynamicsInputError(`--every: expected a positive integer, got ${String(o.every)}`);
  const points = Math.floor(o.steps / every) + 2;
  if (points > TRAIN_LIMITS.maxSeriesPoints) {
    throw new DynamicsInputError(`--every: ${o.steps} steps recorded every ${every} make ${points} series points (limit ${TRAIN_LIMITS.maxSeriesPoints}); raise --every to at least ${Math.ceil(o.steps / (TRAIN_LIMITS.maxSeriesPoints - 2))}`);
  }
  const optimizer = o.optimizer ?? 'gd';
  if (!OPTIMIZERS.includes(optimizer)) throw new DynamicsInputError(`--optimizer: expected one of ${OPTIMIZERS.join(', ')}, got ${String(optimizer)}`);
  const momentum = o.momentum ?? 0.9;
  if (!(momentum >= 0 && momentum < 1)) throw new DynamicsInputError(`--momentum: expected 0 ≤ β < 1, got ${momentum}`);
  if (optimizer === 'sgd' && !model.hasSamples) {
    throw new DynamicsInputError('--optimizer sgd: minibatches need a loss that is a mean over samples (a deep linear network with data or a two-layer network); deep matrix factorization has one target, use gd or momentum');
  }
  const batch = o.batch ?? Math.min(32, model.samples);
  if (o.batch !== undefined && optimizer !== 'sgd') throw new DynamicsInputError('--batch applies to --optimizer sgd only');
  if (!Number.isInteger(batch) || batch < 1 || batch > model.samples) throw new DynamicsInputError(`--batch: expected an integer from 1 to the number of samples ${model.samples}, got ${String(o.batch)}`);
  if (o.untilLoss !== undefined && !(Number.isFinite(o.untilLoss) && o.untilLoss >= 0)) throw new DynamicsInputError(`--until-loss: expected a finite number ≥ 0, got ${String(o.untilLoss)}`);
  return { every, optimizer, momentum, batch };
}

function isFiniteArray(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i] as number)) return false;
  return true;
}

/** Starts a training run (see {@link train}); advance it with {@link TrainRun.advance}. */
export function startTraining(model: TrainableModel, options: TrainOptions, theta0: ArrayLike<number> = model.theta0): TrainRun {
  const { every, optimizer, momentum, batch } = checkOptions(model, options);
  if (theta0.length !== model.params) throw new DynamicsInputError(`the start point has ${theta0.length} parameters, the model ${model.params}`);
  const eta = options.eta;
  const seed = options.seed ?? 0;
  const track = options.trackSharpness !== false;
  const theta = Float64Array.from(theta0);
  const g = new Float64Array(model.params);
  const velocity = optimizer === 'momentum' ? new Float64Array(model.params) : null;
  const rng = createRng(seed, 'minibatch');
  const order = Array.from({ length: model.samples }, (_, i) => i);
  let cursor = model.samples;
  const nextBatch = (): number[] => {
    // Epochs of a seeded permutation (Fisher–Yates), consumed `batch` samples at a time.
    const out: number[] = [];
    while (out.length < batch) {
      if (cursor >= order.length) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rng.uniform() * (i + 1));
          const t = order[i] as number;
          order[i] = order[j] as number;
          order[j] = t;
        }
        cursor = 0;
      }
      out.push(order[cursor++] as number);
    }
    return out;
  };
  const series: SeriesPoint[] = [];
  let warm: WarmStart | undefined;
  let jacobianFormula = '';
  let ansatzUnavailable: string | null = null;
  const record = (step: number, loss: number, gradientNorm: number): void => {
    let sharp: SharpnessEstimate | null = null;
    if (track) {
      try {
        sharp = model.sharpness(theta, { ...(warm !== undefined ? { warm } : {}), tolerance: options.lanczosTolerance ?? TRACKED_LANCZOS_TOLERANCE, seed });
        warm = sharp.warm;
      } catch (e) {
        // Near divergence the Hessian–vector products can overflow before the loss does: no λ_max
        // at this point (recorded as null), the run goes on and ends as 'diverged' when the loss does.
        if (!(e instanceof RangeError)) throw e;
        warm = undefined;
      }
    }
    const jac: JacobianNorm = model.jacobianNorm(theta);
    jacobianFormula = jac.formula;
    const a = model.ansatz(theta);
    let ansatz: AnsatzAtStep | null = null;
    if ('unavailable' in a) ansatzUnavailable = a.unavailable;
    else {
      // The bounds hold for λ_max of the Hessian up to residualBound (Weyl); the computed value is
      // within its Ritz residual ‖Hv − λv‖ of an eigenvalue (a symmetric operator, ‖v‖ = 1).
      const lam = sharp?.lambdaMax;
      const slack = a.residualBound + (sharp?.residual ?? 0);
      ansatz = { ...a, holds: lam === undefined ? null : lam >= a.lower - slack && lam <= a.upper + slack };
    }
    series.push({
      step,
      loss,
      gradientNorm,
      lambdaMax: sharp?.lambdaMax ?? null,
      sharpness: sharp === null ? null : { operator: sharp.operator, residual: sharp.residual, iterations: sharp.iterations, converged: sharp.converged, residualBound: sharp.residualBound },
      twoOverEta: 2 / eta,
      jacobianNorm: jac.value,
      jacobianSample: jac.sample,
      relativeResidual: model.relativeResidual(theta),
      ansatz,
      balance: model.balance(theta),
    });
  };
  const t0 = performance.now();
  let step = 0;
  let done = false;
  let verdict: TrainVerdict = 'completed';
  let divergedAt: number | null = null;
  const fullLoss = (): number => model.lossAndGradient(theta, g);
  const finish = (v: TrainVerdict): boolean => {
    verdict = v;
    done = true;
    return true;
  };
  const run: TrainRun = {
    get stepsDone() {
      return step;
    },
    totalSteps: options.steps,
    theta,
    interrupt() {
      if (!done) finish('interrupted');
    },
    advance(maxSteps) {
      if (done) return true;
      const stop = Math.min(options.steps, step + maxSteps);
      for (;;) {
        // θ_step is current; evaluate it (full batch for gd/momentum, and at recorded steps for sgd).
        const recordNow = step % every === 0 || step === options.steps;
        let loss = Number.NaN;
        let finite = true;
        if (optimizer !== 'sgd' || recordNow || options.untilLoss !== undefined) {
          loss = fullLoss();
          finite = Number.isFinite(loss) && isFiniteArray(g);
          if (!finite) {
            divergedAt = step;
            return finish('diverged');
          }
          if (recordNow) record(step, loss, norm2(g));
          if (options.untilLoss !== undefined && loss <= options.untilLoss) {
            if (!recordNow) record(step, loss, norm2(g));
            return finish('reached-loss');
          }
        }
        options.onStep?.(step, theta, loss);
        if (step >= options.steps) return finish('completed');
        // The update θ_{step+1}.
        if (optimizer === 'sgd') {
          const bl = model.batchLossAndGradient(theta, nextBatch(), g);
          if (!Number.isFinite(bl) || !isFiniteArray(g)) {
            divergedAt = step;
            return finish('diverged');
          }
          for (let i = 0; i < theta.length; i++) theta[i] = (theta[i] as number) - eta * (g[i] as number);
        } else if (velocity !== null) {
          for (let i = 0; i < theta.length; i++) {
            const v = momentum * (velocity[i] as number) + (g[i] as number);
            velocity[i] = v;
            theta[i] = (theta[i] as number) - eta * v;
          }
        } else {
          for (let i = 0; i < theta.length; i++) theta[i] = (theta[i] as number) - eta * (g[i] as number);
        }
        step++;
        if (step >= stop && step < options.steps) return false;
      }
    },
    result(): TrainResult {
      if (!done) throw new Error('result(): the run is not over');
      return {
        model: model.label,
        family: model.family,
        params: model.params,
        optimizer,
        eta,
        twoOverEta: 2 / eta,
        momentum: optimizer === 'momentum' ? momentum : null,
        batch: optimizer === 'sgd' ? batch : null,
        seed,
        steps: options.steps,
        every,
        stepsRun: step,
        verdict,
        divergedAt,
        series,
        jacobianFormula,
        ansatzUnavailable,
        flattestValue: model.flattestValue,
        method:
          `binary64 ${optimizer === 'gd' ? 'full-batch gradient descent' : optimizer === 'momentum' ? `heavy-ball momentum (β = ${momentum})` : `minibatch SGD (batch ${batch}, seeded epochs)`} on the closed-form gradient; ` +
          (track
            ? `λ_max by Lanczos (relative residual ≤ ${options.lanczosTolerance ?? TRACKED_LANCZOS_TOLERANCE}, warm-started from the previous top eigenvector${model.family === 'deep-linear' ? '; the reduced operator K where the minimizer test finds a zero-loss minimizer within rounding' : ''})`
            : 'λ_max not tracked'),
        seconds: (performance.now() - t0) / 1000,
      };
    },
  };
  return run;
}

/**
 * Trains `model` from its weights (or from `theta0`) and returns the recorded series. Divergence is
 * a result, not an error: `verdict: 'diverged'`, `divergedAt` the step whose loss or gradient was not
 * finite, the series kept up to the last finite recorded step.
 */
export function train(model: TrainableModel, options: TrainOptions, theta0?: ArrayLike<number>): TrainResult & { readonly theta: Float64Array } {
  const run = startTraining(model, options, theta0);
  run.advance(Number.POSITIVE_INFINITY);
  return { ...run.result(), theta: run.theta };
}
