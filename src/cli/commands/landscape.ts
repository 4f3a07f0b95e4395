import { readDirectionsFile } from '../../curvature/directions-file.js';
import { maxOf, minOf } from '../../linalg/extrema.js';
import { toColumnOrder } from '../../curvature/order.js';
import { jsonText } from '../json-output.js';
import { ORDER_FLAG, parseOrder } from '../order-flag.js';
import { readPlotData, serializePlotData, sniffPlotData } from '../../curvature/data-files.js';
import { computeLandscape, GRID_RANGE, SPAN_MAX, type LandscapeData, type PlaneKind } from '../../curvature/landscape.js';
import { loadNetwork } from '../../families/registry.js';
import { problemWarnings } from '../../curvature/warnings.js';
import { parseNumberOption } from '../../curvature/options.js';
import { terminalProgress } from '../../curvature/progress.js';
import { assertWritable, checkSvgOutputPath, writeFilesAtomic, type OutputFile } from '../../plots/files.js';
import { landscapeSpec } from '../../plots/landscape-plot.js';
import { renderVegaLiteSvg } from '../../plots/render.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { parseDistributions } from './projections.js';

/** `dln-hessian landscape`: the loss on a 2D slice as an SVG plot and a data file (docs/curvature.md). */
export const landscapeCommand: CommandSpec = {
  name: 'landscape',
  summary: 'Loss on a 2D slice (random, Hessian or given plane) on a grid, as an SVG contour/heatmap with the quadratic model, and as data.',
  positionals: ['MODEL.json|DATA.json'],
  flags: {
    plane: { kind: 'string', description: 'random (default), hessian (top and bottom eigenvectors), or a JSON file with two directions (in the order of --order)', valueName: 'P' },
    order: ORDER_FLAG,
    grid: { kind: 'integer', description: `points per axis, ${GRID_RANGE.min} to ${GRID_RANGE.max} (default 41)`, valueName: 'G' },
    span: { kind: 'string', description: `half-width of the square in units of the directions, 0 < span ≤ ${SPAN_MAX} (default 1)`, valueName: 'S' },
    distribution: { kind: 'string', description: 'random plane: gaussian, unit, rademacher, filter (default, Li et al. 2018) or layer', valueName: 'D' },
    seed: { kind: 'integer', min: 0, description: 'seed of the random plane and of Lanczos (default 0)' },
    out: { kind: 'string', description: 'the plot, an SVG file', valueName: 'FILE.svg' },
    data: { kind: 'string', description: 'also write the computed data (JSON); plot it later with `landscape DATA.json --out FILE.svg`', valueName: 'FILE.json' },
    json: { kind: 'boolean', description: 'print the summary as JSON' },
  },
};

const COMPUTE_FLAGS = ['plane', 'grid', 'span', 'distribution', 'seed', 'data'];

function summary(source: string, d: LandscapeData, written: readonly string[]): string {
  const vals = d.loss.flat().filter((v): v is number => v !== null);
  const f = (x: number | undefined, k = 8): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : formatNumber(x, k));
  const lines = [
    `source       ${source} (${d.model})`,
    `plane        ${d.plane}${d.distribution !== undefined ? ` (${d.distribution} directions, seed ${d.seed})` : ''}; norms ${f(d.directionNorms[0])}, ${f(d.directionNorms[1])}; cos ∠ = ${f(d.cosine, 4)}`,
    `grid         ${d.grid}×${d.grid} on [−${f(d.span)}, ${f(d.span)}]²; L(θ) = ${f(d.center, 12)}; min ${f(minOf(vals))}, max ${f(maxOf(vals))}${vals.length < d.grid * d.grid ? `; ${d.grid * d.grid - vals.length} points not finite` : ''}`,
    `model        slope g = (${f(d.quadratic.gradient[0])}, ${f(d.quadratic.gradient[1])}); slice Hessian H̃ = [[${d.quadratic.hessian.map((r) => r.map((x) => f(x)).join(', ')).join('], [')}]]`,
  ];
  if (d.eigen !== undefined) {
    lines.push(
      `eigen        λ_max = ${f(d.eigen.lambdaMax, 12)}, λ_min = ${f(d.eigen.lambdaMin, 12)} (residuals ${f(d.eigen.residuals[0], 2)}, ${f(d.eigen.residuals[1], 2)}; ${d.eigen.converged ? 'converged' : 'NOT converged'}); H̃ = diag(λ_max, λ_min): ${d.eigen.isDiagonal ? 'yes' : 'NO'}`,
    );
  }
  lines.push(`cost         ${d.lossEvaluations} loss evaluations, ${d.hvps} HVPs, ${d.seconds.toFixed(2)} s`);
  for (const w of written) lines.push(`wrote        ${w}`);
  return lines.join('\n');
}

/** Runs `landscape` on a model, or replots a landscape data file (`landscape DATA.json --out FILE.svg`). */
export function runLandscape(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const out = flagString(args, 'out');
  const dataPath = flagString(args, 'data');
  if (out !== undefined) checkSvgOutputPath(out);
  const kind = sniffPlotData(source);
  let data: LandscapeData;
  const files: OutputFile[] = [];
  if (kind !== undefined) {
    if (kind !== 'dln-hessian-landscape') throw new UsageError(`landscape: "${source}" is a spectrum data file; plot it with \`spectrum ${source} --out FILE.svg\``);
    const given = COMPUTE_FLAGS.filter((k) => args.flags.has(k));
    if (given.length > 0) throw new UsageError(`landscape: ${given.map((k) => `--${k}`).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only when computing from a model, not when plotting the data file "${source}"`);
    if (out === undefined) throw new UsageError('landscape: plotting a data file needs --out FILE.svg');
    assertWritable(out);
    const read = readPlotData(source);
    if (read.format !== 'dln-hessian-landscape') throw new UsageError(`landscape: "${source}" is not a landscape data file`);
    data = read;
  } else {
    if (out === undefined && dataPath === undefined) throw new UsageError('landscape: nothing to write: give --out FILE.svg and/or --data FILE.json');
    const grid = flagInt(args, 'grid', 41);
    const spanText = flagString(args, 'span');
    const span = spanText === undefined ? 1 : parseNumberOption(spanText, '--span', { min: 0, exclusiveMin: true, max: SPAN_MAX });
    const planeArg = flagString(args, 'plane') ?? 'random';
    const distText = flagString(args, 'distribution');
    if (planeArg !== 'random' && distText !== undefined) throw new UsageError('landscape: --distribution applies to --plane random only');
    const dists = distText === undefined ? ['filter' as const] : parseDistributions(distText, 'landscape');
    if (dists.length !== 1) throw new UsageError('landscape: --distribution takes one distribution');
    // Fail on bad paths and ranges before the (possibly long) computation.
    for (const p of [out, dataPath]) if (p !== undefined) assertWritable(p);
    if (!Number.isInteger(grid) || grid < GRID_RANGE.min || grid > GRID_RANGE.max) {
      throw new UsageError(`landscape: --grid: grid out of range: ${grid} points per axis (allowed: ${GRID_RANGE.min} to ${GRID_RANGE.max})`);
    }
    const problem = loadNetwork(source);
  for (const w of problemWarnings(problem)) process.stderr.write(`dln-hessian: warning: ${w}\n`);
    const plane: PlaneKind = planeArg === 'random' || planeArg === 'hessian' ? planeArg : 'file';
    const order = parseOrder(args);
    const directions = plane === 'file' ? readDirectionsFile(planeArg, problem.params).map((d) => Float64Array.from(toColumnOrder(problem, d, order))) : undefined;
    const progress = terminalProgress('landscape: loss evaluations');
    data = computeLandscape(problem, {
      plane,
      grid,
      span,
      seed: flagInt(args, 'seed', 0),
      distribution: dists[0] ?? 'filter',
      ...(directions !== undefined ? { directions } : {}),
      model: source,
      onProgress: progress.update,
    });
    progress.finish();
    if (dataPath !== undefined) files.push({ path: dataPath, flag: '--data', text: serializePlotData(data) });
  }
  if (out !== undefined) files.push({ path: out, flag: '--out', text: renderVegaLiteSvg(landscapeSpec(data)) });
  writeFilesAtomic(files);
  const written = files.map((x) => x.path);
  if (flagBool(args, 'json')) {
    // The grid itself is in the data file; the summary leaves it out.
    const rest = Object.fromEntries(Object.entries(data).filter(([key]) => !['loss', 'alpha', 'beta', 'cuts'].includes(key)));
    process.stdout.write(`${jsonText('landscape', { source, ...rest, written })}\n`);
  } else process.stdout.write(`${summary(source, data, written)}\n`);
  return 0;
}
