import { parseNumberOption } from '../../curvature/options.js';
import { terminalProgress } from '../../curvature/progress.js';
import { readDynamicsData, serializeDynamicsData, sniffDynamicsData, trainData, type TrainData } from '../../dynamics/data-files.js';
import { DynamicsInputError } from '../../dynamics/errors.js';
import { OPTIMIZERS, startTraining, TRAIN_LIMITS, type Optimizer } from '../../dynamics/train.js';
import { loadNetwork } from '../../families/registry.js';
import { trainSpec } from '../../plots/dynamics-plot.js';
import { assertWritable, checkSvgOutputPath, writeFilesAtomic, type OutputFile } from '../../plots/files.js';
import { renderVegaLiteSvg } from '../../plots/render.js';
import { onInterruptRequest } from '../../process/interrupt.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';

/** `dln-hessian train`: gradient descent with sharpness tracking (docs/dynamics.md). */
export const trainCommand: CommandSpec = {
  name: 'train',
  summary: 'Gradient descent (or momentum, SGD) from the model\'s weights, tracking loss, λ_max, 2/η, the Jacobian norm, the ansatz bounds and balance every K steps.',
  positionals: ['MODEL.json|SERIES.json'],
  flags: {
    eta: { kind: 'string', description: 'step size η > 0 (required)', valueName: 'E' },
    steps: { kind: 'integer', min: 0, max: TRAIN_LIMITS.maxSteps, description: `number of steps, at most ${TRAIN_LIMITS.maxSteps} (required)`, valueName: 'T' },
    every: { kind: 'integer', min: 1, description: 'record (and compute λ_max) every K steps (default ⌊T/100⌋, at least 1)', valueName: 'K' },
    optimizer: { kind: 'string', description: 'gd (default), momentum (heavy ball) or sgd (minibatches)', valueName: 'O' },
    momentum: { kind: 'string', description: 'heavy-ball coefficient 0 ≤ β < 1 (default 0.9)', valueName: 'B' },
    batch: { kind: 'integer', min: 1, description: 'SGD minibatch size (default min(32, n))', valueName: 'B' },
    seed: { kind: 'integer', min: 0, description: 'seed of the minibatches and of Lanczos (default 0)' },
    'until-loss': { kind: 'string', description: 'stop once the loss is at most L', valueName: 'L' },
    'no-sharpness': { kind: 'boolean', description: 'do not compute λ_max (faster)' },
    json: { kind: 'boolean', description: 'print {"eta", "series": [{"step", "loss", "gradientNorm", "lambdaMax", "jacobianNorm", …}], …} as JSON' },
    out: { kind: 'string', description: 'write the final weights as a model file', valueName: 'FINAL.json' },
    series: { kind: 'string', description: 'write the recorded series (the data the plots read)', valueName: 'FILE.json' },
    plot: { kind: 'string', description: 'write the plots (λ_max(t) with 2/η and the bounds, loss(t), Jacobian norm vs λ_max) as SVG', valueName: 'FILE.svg' },
  },
};

const COMPUTE_FLAGS = ['eta', 'steps', 'every', 'optimizer', 'momentum', 'batch', 'seed', 'until-loss', 'no-sharpness', 'out', 'series'];

const f = (x: number | null | undefined, k = 6): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : formatNumber(x, k));

function summary(d: TrainData, written: readonly string[], notes: readonly string[]): string {
  const lines = [
    `model        ${d.source} (${d.model}, ${d.params} parameters)`,
    `optimizer    ${d.method}`,
    `step size    η = ${f(d.eta, 12)}, 2/η = ${f(d.twoOverEta, 12)}`,
    `run          ${d.stepsRun} of ${d.steps} steps, recorded every ${d.every}; ${d.verdict === 'diverged' ? `DIVERGED: the loss became non-finite at step ${d.divergedAt} (series kept up to there)` : d.verdict}`,
  ];
  if (d.flattestValue !== null) lines.push(`flattest     c·N·σ₁(M)^(2−2/N) = ${f(d.flattestValue, 10)} (smallest λ_max of any minimizer of the target)`);
  lines.push(`Jacobian     ${d.jacobianFormula}`);
  if (d.ansatzUnavailable !== null) lines.push(`ansatz       not available: ${d.ansatzUnavailable}`);
  lines.push('', `${'step'.padStart(9)} ${'loss'.padStart(12)} ${'‖∇L‖'.padStart(11)} ${'λ_max'.padStart(12)} ${'2/η'.padStart(10)} ${'‖J‖₂ max'.padStart(11)} ${'ansatz lower'.padStart(12)} ${'upper'.padStart(11)}`);
  const s = d.series;
  const stride = Math.max(1, Math.ceil(s.length / 24));
  s.forEach((p, i) => {
    if (i % stride !== 0 && i !== s.length - 1) return;
    lines.push(
      `${String(p.step).padStart(9)} ${f(p.loss).padStart(12)} ${f(p.gradientNorm, 4).padStart(11)} ${f(p.lambdaMax).padStart(12)} ${f(p.twoOverEta, 5).padStart(10)} ${f(p.jacobianNorm).padStart(11)} ${f(p.ansatz?.lower).padStart(12)} ${f(p.ansatz?.upper).padStart(11)}${p.ansatz?.holds === false ? '  bounds VIOLATED' : ''}`,
    );
  });
  const last = s[s.length - 1];
  if (last !== undefined) {
    lines.push('', `balance      ‖W_i‖₂ = ${last.balance.spectralNorms.map((x) => f(x, 4)).join(', ')}; ‖W_{i+1}ᵀW_{i+1} − W_iW_iᵀ‖_F = ${last.balance.imbalance.map((x) => f(x, 4)).join(', ') || '—'} (at step ${last.step})`);
  }
  lines.push(`time         ${d.seconds.toFixed(2)} s`);
  for (const n of notes) lines.push(`note         ${n}`);
  for (const w of written) lines.push(`wrote        ${w}`);
  return lines.join('\n');
}

function parseOptimizer(text: string | undefined): Optimizer {
  if (text === undefined) return 'gd';
  if (!(OPTIMIZERS as readonly string[]).includes(text)) throw new UsageError(`train: --optimizer: expected ${OPTIMIZERS.join(', ')}, got "${text}"`);
  return text as Optimizer;
}

/** Runs `train` (asynchronously, in slices, so that Ctrl-C stops it cleanly with nothing written). */
export async function runTrain(args: ParsedArgs): Promise<number> {
  const source = args.positionals[0] as string;
  const plot = flagString(args, 'plot');
  if (plot !== undefined) checkSvgOutputPath(plot);
  const files: OutputFile[] = [];
  const notes: string[] = [];
  let data: TrainData;
  if (sniffDynamicsData(source) !== undefined) {
    const given = COMPUTE_FLAGS.filter((k) => args.flags.has(k));
    if (given.length > 0) throw new UsageError(`train: ${given.map((k) => `--${k}`).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only when training a model, not when plotting the series file "${source}"`);
    if (plot === undefined) throw new UsageError('train: plotting a series file needs --plot FILE.svg');
    assertWritable(plot);
    const read = readDynamicsData(source);
    if (read.format !== 'dln-hessian-train') throw new UsageError(`train: "${source}" is an escape data file; plot it with \`escape ${source} --plot FILE.svg\``);
    data = read;
  } else {
    const etaText = flagString(args, 'eta');
    if (etaText === undefined) throw new UsageError('train: --eta E is required (the step size, a finite number > 0)');
    const eta = parseNumberOption(etaText, '--eta', { min: 0, exclusiveMin: true });
    if (!args.flags.has('steps')) throw new UsageError('train: --steps T is required');
    const momentumText = flagString(args, 'momentum');
    const untilText = flagString(args, 'until-loss');
    const out = flagString(args, 'out');
    const seriesPath = flagString(args, 'series');
    for (const p of [out, seriesPath, plot]) if (p !== undefined) assertWritable(p);
    const optimizer = parseOptimizer(flagString(args, 'optimizer'));
    if (momentumText !== undefined && optimizer !== 'momentum') throw new UsageError('train: --momentum applies to --optimizer momentum only');
    const model = loadNetwork(source).trainable();
    const steps = flagInt(args, 'steps', 0);
    const run = startTraining(model, {
      eta,
      steps,
      optimizer,
      seed: flagInt(args, 'seed', 0),
      trackSharpness: !flagBool(args, 'no-sharpness'),
      ...(args.flags.has('every') ? { every: flagInt(args, 'every', 1) } : {}),
      ...(momentumText !== undefined ? { momentum: parseNumberOption(momentumText, '--momentum', { min: 0, max: 1 }) } : {}),
      ...(args.flags.has('batch') ? { batch: flagInt(args, 'batch', 1) } : {}),
      ...(untilText !== undefined ? { untilLoss: parseNumberOption(untilText, '--until-loss', { min: 0 }) } : {}),
    });
    const progress = terminalProgress('train: steps');
    let interrupted = false;
    const onSigint = (): void => {
      interrupted = true;
    };
    const release = onInterruptRequest(onSigint);
    try {
      const slice = Math.max(1, Math.min(1000, Math.ceil(200_000 / Math.max(model.params, 1))));
      while (!run.advance(slice)) {
        progress.update(run.stepsDone, run.totalSteps);
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (interrupted) {
          run.interrupt();
          break;
        }
      }
    } finally {
      release();
      progress.finish();
    }
    const result = run.result();
    if (result.verdict === 'interrupted') {
      process.stderr.write(`dln-hessian: train: interrupted at step ${result.stepsRun} of ${steps}; nothing written\n`);
      return 130;
    }
    data = trainData(result, source);
    if (seriesPath !== undefined) files.push({ path: seriesPath, text: serializeDynamicsData(data) });
    if (out !== undefined) {
      if (result.verdict === 'diverged') notes.push(`--out ${out} not written: the weights are not finite after divergence`);
      else files.push({ path: out, text: model.withTheta(run.theta) });
    }
  }
  if (plot !== undefined) {
    if (data.series.length === 0) throw new DynamicsInputError('train: nothing to plot: the run diverged before its first recorded step');
    files.push({ path: plot, text: renderVegaLiteSvg(trainSpec(data)) });
  }
  writeFilesAtomic(files);
  const written = files.map((x) => x.path);
  for (const n of notes) process.stderr.write(`dln-hessian: train: ${n}\n`);
  if (flagBool(args, 'json')) process.stdout.write(`${JSON.stringify({ ...data, written }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  else process.stdout.write(`${summary(data, written, notes)}\n`);
  return 0;
}
