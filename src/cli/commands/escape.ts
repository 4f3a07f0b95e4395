import { parseNumberOption } from '../../curvature/options.js';
import { terminalProgress } from '../../curvature/progress.js';
import { escapeData, readDynamicsData, serializeDynamicsData, sniffDynamicsData, type EscapeData } from '../../dynamics/data-files.js';
import { escapeInSlices, escapePlane, ESCAPE_LIMITS, type EscapeReport } from '../../dynamics/escape.js';
import { networkOf } from '../../families/registry.js';
import { loadAnySource } from '../../models/source.js';
import { escapeSpec } from '../../plots/dynamics-plot.js';
import { assertWritable, checkSvgOutputPath, writeFilesAtomic, type OutputFile } from '../../plots/files.js';
import { renderVegaLiteSvg } from '../../plots/render.js';
import { onInterruptRequest } from '../../process/interrupt.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';

/** `dln-hessian escape`: gradient descent from next to a minimizer along its top eigenvector (docs/dynamics.md). */
export const escapeCommand: CommandSpec = {
  name: 'escape',
  summary: 'GD from w* + ε·v_1 at a minimizer with η = F·2/λ_max (several F): returns, escapes (and where it settles) or diverges, next to what linear stability predicts.',
  positionals: ['MODEL.json|DATA.json'],
  flags: {
    'eta-factor': { kind: 'string', description: `F, or several comma-separated (at most ${ESCAPE_LIMITS.maxFactors}): η = F·2/λ_max (required)`, valueName: 'F[,F…]' },
    steps: { kind: 'integer', min: 1, max: ESCAPE_LIMITS.maxSteps, description: 'GD steps per factor (default 20000)', valueName: 'T' },
    perturb: { kind: 'string', description: 'ε of the start w* + ε·v_1 (default 1e-9)', valueName: 'ε' },
    exact: { kind: 'boolean', description: 'require an exact certificate of λ_max (default: certified whenever the model is an exact minimizer with K of size ≤ 400)' },
    float: { kind: 'boolean', description: 'binary64 λ_max only (no certificate)' },
    seed: { kind: 'integer', min: 0, description: 'seed of Lanczos (default 0)' },
    grid: { kind: 'integer', min: 3, max: 401, description: 'points per axis of the loss on the eigenvector plane in --data (default 61)', valueName: 'G' },
    json: { kind: 'boolean', description: 'print the report as JSON (lambdaMax, eta, escaped, final {loss, lambdaMax, distance}, prediction, … per run)' },
    out: { kind: 'string', description: 'write the final weights of the run as a model file (one factor only)', valueName: 'FINAL.json' },
    data: { kind: 'string', description: 'write the runs and the loss on the (v_1, v_min) plane (the data the plot reads)', valueName: 'FILE.json' },
    plot: { kind: 'string', description: 'write the contour picture with the trajectories as SVG', valueName: 'FILE.svg' },
  },
};

const COMPUTE_FLAGS = ['eta-factor', 'steps', 'perturb', 'exact', 'float', 'seed', 'grid', 'out', 'data'];

const f = (x: number | null | undefined, k = 6): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : formatNumber(x, k));

function summary(source: string, r: Omit<EscapeReport, 'point'>, written: readonly string[]): string {
  const lines = [
    `model        ${source} (${r.model}, ${r.params} parameters)`,
    `minimizer    relative residual ${f(r.minimizerResidual, 3)}`,
    `λ_max        ${f(r.lambdaMax, 15)} (${r.lambdaMaxMethod})`,
  ];
  if (r.exact !== undefined) lines.push('value' in r.exact ? `exact        λ_max = ${r.exact.value}` : `exact        ${r.exact.lower} ≤ λ_max ≤ ${r.exact.upper}`);
  lines.push(
    `v_1          top Hessian eigenvector at w* (residual ‖Hv_1 − λ_max v_1‖ = ${f(r.eigenvectorResidual, 2)}); λ_min = ${f(r.lambdaMin, 4)}`,
    `start        w* + ${r.perturb}·v_1; ${r.steps} GD steps per η`,
    `neighbourhood ${r.neighbourhood.description}`,
  );
  if (r.flattestValue !== null) lines.push(`flattest     c·N·σ₁(M)^(2−2/N) = ${f(r.flattestValue, 10)}: if 2/η is below it, GD cannot converge to any minimizer of M`);
  for (const run of r.runs) {
    lines.push(
      '',
      `F = ${run.etaFactor}: η = ${f(run.eta, 10)}, 2/η = ${f(run.twoOverEta, 10)}${run.belowFlattest === true ? ' (below the flattest value)' : ''}`,
      `  verdict    ${run.verdict}${run.escaped && run.verdict !== 'diverged' ? (run.settled ? ', settled' : ', not settled') : ''}`,
      `  theory     ${run.prediction}`,
      `  outcome    ${run.outcome}`,
      `  agrees     ${run.agreesWithPrediction === null ? 'n/a (borderline)' : run.agreesWithPrediction ? 'yes' : 'NO'}`,
      `  final      loss ${f(run.final.loss, 4)}, λ_max ${f(run.final.lambdaMax)}${typeof run.final.lambdaMaxError === 'number' ? ` (± ${f(run.final.lambdaMaxError, 2)})` : ''}, ‖θ − w*‖ ${f(run.final.distance, 4)}, relative residual ${f(run.final.relativeResidual, 3)} (${run.seconds.toFixed(2)} s)`,
    );
  }
  for (const w of written) lines.push(`wrote        ${w}`);
  return lines.join('\n');
}

/** Parses `--eta-factor 0.9,1.1,2`. */
export function parseFactors(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > ESCAPE_LIMITS.maxFactors) throw new UsageError(`escape: --eta-factor: at most ${ESCAPE_LIMITS.maxFactors} factors, got ${parts.length}`);
  return parts.map((p) => parseNumberOption(p, '--eta-factor', { min: 0, exclusiveMin: true }));
}

/** Runs `escape` (in slices, so that Ctrl-C stops it with nothing written), or replots an escape data file. */
export async function runEscape(args: ParsedArgs): Promise<number> {
  const source = args.positionals[0] as string;
  const plot = flagString(args, 'plot');
  if (plot !== undefined) checkSvgOutputPath(plot);
  const files: OutputFile[] = [];
  let data: EscapeData | undefined;
  let report: Omit<EscapeReport, 'point'>;
  if (sniffDynamicsData(source) !== undefined) {
    const given = COMPUTE_FLAGS.filter((k) => args.flags.has(k));
    if (given.length > 0) throw new UsageError(`escape: ${given.map((k) => `--${k}`).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only when computing from a model, not when plotting "${source}"`);
    if (plot === undefined) throw new UsageError('escape: plotting a data file needs --plot FILE.svg');
    assertWritable(plot);
    const read = readDynamicsData(source);
    if (read.format !== 'dln-hessian-escape') throw new UsageError(`escape: "${source}" is a training series; plot it with \`train ${source} --plot FILE.svg\``);
    data = read;
    report = read;
  } else {
    const factorText = flagString(args, 'eta-factor');
    if (factorText === undefined) throw new UsageError('escape: --eta-factor F[,F…] is required');
    const factors = parseFactors(factorText);
    const perturbText = flagString(args, 'perturb');
    const perturb = perturbText === undefined ? 1e-9 : parseNumberOption(perturbText, '--perturb', { min: 0, exclusiveMin: true });
    if (flagBool(args, 'exact') && flagBool(args, 'float')) throw new UsageError('escape: --exact and --float exclude each other');
    const out = flagString(args, 'out');
    const dataPath = flagString(args, 'data');
    if (out !== undefined && factors.length !== 1) throw new UsageError(`escape: --out writes the final weights of one run; give one --eta-factor (got ${factors.length})`);
    for (const p of [out, dataPath, plot]) if (p !== undefined) assertWritable(p);
    const any = loadAnySource(source);
    const steps = flagInt(args, 'steps', 20000);
    const progress = terminalProgress('escape: steps (all factors)');
    const slices = escapeInSlices(any, {
      factors,
      steps,
      perturb,
      exact: flagBool(args, 'exact') ? 'always' : flagBool(args, 'float') ? 'never' : 'auto',
      seed: flagInt(args, 'seed', 0),
      trajectoryPoints: dataPath !== undefined || plot !== undefined ? 2000 : 0,
      keepFinal: out !== undefined,
      onProgress: (run, step, total) => progress.update(run * total + step, factors.length * total),
    });
    let interrupted = false;
    const onSigint = (): void => {
      interrupted = true;
    };
    const release = onInterruptRequest(onSigint);
    let result: EscapeReport | undefined;
    try {
      for (;;) {
        const next = slices.next();
        if (next.done === true) {
          result = next.value;
          break;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (interrupted) break;
      }
    } finally {
      release();
      progress.finish();
    }
    if (result === undefined) {
      process.stderr.write('dln-hessian: escape: interrupted; nothing written\n');
      return 130;
    }
    const full = result;
    if (dataPath !== undefined || plot !== undefined) data = escapeData(full, escapePlane(any, full, flagInt(args, 'grid', 61)), source);
    if (dataPath !== undefined && data !== undefined) files.push({ path: dataPath, text: serializeDynamicsData(data) });
    if (out !== undefined) {
      const run = full.runs[0];
      if (run === undefined || run.verdict === 'diverged') process.stderr.write(`dln-hessian: escape: --out ${out} not written: the run diverged\n`);
      else {
        const model = networkOf(any, 'model').trainable();
        files.push({ path: out, text: model.withTheta(finalTheta(full, model.params)) });
      }
    }
    report = Object.fromEntries(Object.entries(full).filter(([k]) => k !== 'point')) as unknown as Omit<EscapeReport, 'point'>;
  }
  if (plot !== undefined && data !== undefined) files.push({ path: plot, text: renderVegaLiteSvg(escapeSpec(data)) });
  writeFilesAtomic(files);
  const written = files.map((x) => x.path);
  if (flagBool(args, 'json')) {
    const lean = { source, ...report, runs: report.runs.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'trajectory' && k !== 'theta'))), written };
    const text = JSON.stringify(lean, (k, v: unknown) => (k === 'plane' ? undefined : typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
    process.stdout.write(`${text}\n`);
  } else process.stdout.write(`${summary(source, report, written)}\n`);
  return 0;
}

function finalTheta(report: EscapeReport, params: number): Float64Array {
  const t = report.runs[0]?.theta;
  if (t === undefined || t.length !== params) throw new Error('escape: the final weights were not kept');
  return Float64Array.from(t);
}
