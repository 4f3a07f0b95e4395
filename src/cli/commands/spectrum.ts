import { readPlotData, serializePlotData, sniffPlotData, type SpectrumData } from '../../curvature/data-files.js';
import { loadNetwork } from '../../families/registry.js';
import { MAX_DENSE_PARAMS_CEILING } from '../../hessian/limits.js';
import { problemWarnings } from '../../curvature/warnings.js';
import { parseNumberOption } from '../../curvature/options.js';
import { terminalProgress } from '../../curvature/progress.js';
import { curvatureReference, referenceEigenvalues } from '../../curvature/reference.js';
import { REORTHOGONALIZATIONS, type Reorthogonalization } from '../../curvature/slq.js';
import { spectrumReport, type SpectrumEnd, type SpectrumReport } from '../../curvature/spectrum.js';
import { assertWritable, checkSvgOutputPath, writeFilesAtomic, type OutputFile } from '../../plots/files.js';
import { renderVegaLiteSvg } from '../../plots/render.js';
import { spectrumSpec } from '../../plots/spectrum-plot.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { parseProbes } from './trace.js';
import { BACKEND_FLAG, parseBackend } from '../backend.js';
import { spectrumOnBackend } from './on-backend.js';
import { inOrder } from '../../curvature/order.js';
import { jsonText } from '../json-output.js';
import { ORDER_FLAG, parseOrder } from '../order-flag.js';
import { TIMINGS_FLAG } from '../timings.js';
import { hessianKernelBound, type KernelBound } from '../../curvature/kernel.js';

/** `dln-hessian spectrum`: top/bottom-k eigenpairs and the SLQ density, with the plot and its data file (docs/curvature.md). */
export const spectrumCommand: CommandSpec = {
  name: 'spectrum',
  summary: 'Top-k and bottom-k Hessian eigenpairs (Lanczos) and the spectral density (stochastic Lanczos quadrature), next to the exact eigenvalues.',
  positionals: ['MODEL.json|DATA.json'],
  flags: {
    top: { kind: 'integer', min: 1, max: 10000, description: 'eigenpairs at each end (default 3)', valueName: 'K' },
    block: { kind: 'integer', min: 1, max: 10000, description: 'Lanczos block size (default K): finds up to that many copies of a repeated eigenvalue', valueName: 'B' },
    tolerance: { kind: 'string', description: 'Lanczos relative residual tolerance (default 1e-10)', valueName: 'T' },
    density: { kind: 'boolean', description: 'estimate the spectral density by stochastic Lanczos quadrature' },
    steps: { kind: 'integer', min: 1, max: 5000, description: 'SLQ: Lanczos steps per vector (default 80; was --order M)', valueName: 'M' },
    order: { ...ORDER_FLAG, description: `${ORDER_FLAG.description}, for --eigenvectors (an integer M here is the old spelling of --steps M)` },
    vectors: { kind: 'integer', min: 1, max: 100000, description: 'SLQ: probe vectors (default 10)', valueName: 'V' },
    sigma: { kind: 'string', description: 'SLQ: Gaussian kernel width (default 1% of the spectral range)', valueName: 'S' },
    points: { kind: 'integer', min: 10, max: 100000, description: 'SLQ: grid points of the density (default 400)', valueName: 'P' },
    probes: { kind: 'string', description: 'SLQ probes: rademacher (default) or gaussian', valueName: 'KIND' },
    reorth: { kind: 'string', description: 'SLQ basis orthogonality: partial (default: Simon\'s ω-recurrence, whole-basis passes only when needed), full (every step), none' },
    'no-reorth': { kind: 'boolean', description: 'the same as --reorth none (cheaper, may show ghost copies of extreme nodes)' },
    seed: { kind: 'integer', min: 0, description: 'seed of the Lanczos start vectors and SLQ probes (default 0)' },
    eigenvectors: { kind: 'boolean', description: 'include the eigenvectors in --json output' },
    json: { kind: 'boolean', description: 'print one JSON object' },
    out: { kind: 'string', description: 'the density plot, an SVG file (needs --density, or a data file)', valueName: 'FILE.svg' },
    data: { kind: 'string', description: 'write the computed data (JSON); plot it later with `spectrum DATA.json --out FILE.svg`', valueName: 'FILE.json' },
    'max-dense-params': { kind: 'integer', min: 0, max: MAX_DENSE_PARAMS_CEILING, description: 'largest Hessian diagonalised densely for the exact eigenvalues (default 1500)' },
    backend: BACKEND_FLAG,
    timings: TIMINGS_FLAG,
  },
};

const COMPUTE_FLAGS = ['top', 'block', 'tolerance', 'density', 'steps', 'order', 'vectors', 'sigma', 'points', 'probes', 'reorth', 'no-reorth', 'seed', 'eigenvectors', 'data', 'max-dense-params'];
const f = (x: number | undefined, d = 12): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : formatNumber(x, d));

/** `--reorth partial|full|none` (`--no-reorth` is `none`). */
function parseReorthogonalization(args: ParsedArgs): Reorthogonalization {
  const text = flagString(args, 'reorth');
  if (flagBool(args, 'no-reorth')) {
    if (text !== undefined && text !== 'none') throw new UsageError(`--no-reorth contradicts --reorth ${text}`);
    return 'none';
  }
  if (text === undefined) return 'partial';
  const mode = REORTHOGONALIZATIONS.find((m) => m === text);
  if (mode === undefined) throw new UsageError(`--reorth must be one of ${REORTHOGONALIZATIONS.join(', ')}, got "${text}"`);
  return mode;
}

function endLines(e: SpectrumEnd): string[] {
  const lines = [
    `${e.which === 'largest' ? 'top' : 'bottom'} ${e.pairs.length} (Lanczos, block ${e.blockSize}: ${e.iterations} iterations, ${e.matvecs} HVPs, ${e.restarts} restarts; ${e.converged ? 'converged' : 'NOT all converged'})`,
    `  ${'#'.padStart(3)} ${'eigenvalue'.padStart(22)} ${'residual'.padStart(10)} ${'conv.'.padStart(5)} ${'exact (dense)'.padStart(22)} ${'|difference|'.padStart(12)}`,
  ];
  e.pairs.forEach((p, i) => {
    lines.push(
      `  ${String(i + 1).padStart(3)} ${f(p.eigenvalue, 15).padStart(22)} ${f(p.residual, 2).padStart(10)} ${(p.converged ? 'yes' : 'NO').padStart(5)} ${f(p.exact, 15).padStart(22)} ${(p.exact !== undefined ? f(Math.abs(p.exact - p.eigenvalue), 2) : '').padStart(12)}`,
    );
  });
  for (const c of e.clusters) {
    if (c.multiplicity > 1) lines.push(`  repeated eigenvalue ${f(c.value, 12)} × ${c.multiplicity}${c.atLeast ? ' (at least: it reaches the last pair computed; raise --top and --block to see all copies)' : ''}`);
  }
  return lines;
}

function reportLines(source: string, r: SpectrumReport, params: number, note: string, convention: string, timings: boolean, kernel: KernelBound | undefined): string[] {
  const lines = [`source       ${source}`, `parameters   ${params}`, `loss         ${convention} (every eigenvalue is of this loss's Hessian)`];
  if (kernel !== undefined) lines.push(`kernel of H  dimension ≥ ${kernel.atLeast} (${kernel.reason})`);
  if (r.exactEigenvalues !== undefined) {
    const ev = r.exactEigenvalues;
    lines.push(`exact        ${ev.length} eigenvalues of the dense Hessian: λ_min = ${f(ev[0], 15)}, λ_max = ${f(ev[ev.length - 1], 15)}, tr H = ${f(ev.reduce((s, x) => s + x, 0), 12)}`);
    if (ev.length <= 24) lines.push(`             ${ev.map((x) => f(x, 8)).join(', ')}`);
  } else lines.push(`exact        ${note}`);
  lines.push('', ...endLines(r.top), '', ...endLines(r.bottom));
  const d = r.density;
  if (d !== undefined) {
    lines.push(
      '',
      `density      stochastic Lanczos quadrature: order ${d.order}, ${d.vectors} vectors${d.reorthogonalization === 'none' ? ', no reorthogonalisation' : `, ${d.reorthogonalization} reorthogonalisation (${d.wholeBasisPasses} whole-basis passes)`}; ${d.hvps} HVPs${timings ? `, ${d.seconds.toFixed(2)} s` : ''}`,
      `             Gaussian kernel σ = ${f(d.sigma, 6)}, ${d.grid.length} points on [${f(d.grid[0], 6)}, ${f(d.grid[d.grid.length - 1], 6)}]`,
      `             trace from the same run n·E[vᵀHv] = ${f(d.trace.value, 10)} ± ${f(d.trace.standardError, 3)}${r.exactEigenvalues !== undefined ? ` (exact ${f(r.exactEigenvalues.reduce((s, x) => s + x, 0), 10)})` : ''}`,
    );
    if (d.l1Error !== undefined) lines.push(`             ∫|ρ_SLQ − ρ_exact| = ${f(d.l1Error, 4)} against the exact eigenvalues broadened by the same kernel (0 is perfect, 2 is disjoint)`);
  }
  return lines;
}

/** Runs `spectrum` on a model, or replots a spectrum data file (`spectrum DATA.json --out FILE.svg`). */
export function runSpectrum(args: ParsedArgs): number | Promise<number> {
  const backend = parseBackend(args);
  if (backend !== 'closed') return spectrumOnBackend(args, backend);
  const source = args.positionals[0] as string;
  const out = flagString(args, 'out');
  const dataPath = flagString(args, 'data');
  if (out !== undefined) checkSvgOutputPath(out);
  const kind = sniffPlotData(source);
  const files: OutputFile[] = [];
  if (kind !== undefined) {
    if (kind !== 'dln-hessian-spectrum') throw new UsageError(`spectrum: "${source}" is a landscape data file; plot it with \`landscape ${source} --out FILE.svg\``);
    const given = COMPUTE_FLAGS.filter((k) => args.flags.has(k));
    if (given.length > 0) throw new UsageError(`spectrum: ${given.map((k) => `--${k}`).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only when computing from a model, not when plotting the data file "${source}"`);
    if (out === undefined) throw new UsageError('spectrum: plotting a data file needs --out FILE.svg');
    assertWritable(out);
    const data = readPlotData(source) as SpectrumData;
    if (data.density === undefined) throw new UsageError(`spectrum: the data file "${source}" has no density (it was computed without --density)`);
    writeFilesAtomic([{ path: out, flag: '--out', text: renderVegaLiteSvg(spectrumSpec(data)) }]);
    process.stdout.write(`${flagBool(args, 'json') ? jsonText('spectrum', { source, written: [out] }, true) : `wrote        ${out}`}\n`);
    return 0;
  }
  const density = flagBool(args, 'density');
  if (out !== undefined && !density) throw new UsageError('spectrum: --out writes the density plot; add --density');
  for (const p of [out, dataPath]) if (p !== undefined) assertWritable(p);
  const tolText = flagString(args, 'tolerance');
  const tolerance = tolText === undefined ? 1e-10 : parseNumberOption(tolText, '--tolerance', { min: 0, exclusiveMin: true, max: 1 });
  const sigmaText = flagString(args, 'sigma');
  const sigma = sigmaText === undefined ? undefined : parseNumberOption(sigmaText, '--sigma', { min: 0, exclusiveMin: true, max: 1e300 });
  const probes = parseProbes(flagString(args, 'probes'), 'spectrum');
  // --order: the parameter order of the eigenvectors (column|row); an integer is the old spelling of --steps.
  const orderText = flagString(args, 'order');
  const legacySteps = orderText !== undefined && /^[0-9]+$/.test(orderText);
  if (legacySteps && args.flags.has('steps')) throw new UsageError('spectrum: give --steps M (the SLQ Lanczos steps) once; --order takes column or row');
  const slqSteps = legacySteps ? Math.round(parseNumberOption(orderText, '--order', { min: 1, max: 5000 })) : flagInt(args, 'steps', 80);
  const order = legacySteps ? 'column' : parseOrder(args);
  const problem = loadNetwork(source);
  for (const w of problemWarnings(problem)) process.stderr.write(`dln-hessian: warning: ${w}\n`);
  const maxDense = flagInt(args, 'max-dense-params', 1500);
  const ref = curvatureReference(problem, { maxDenseParams: maxDense, maxExactParams: 0 });
  const exact = referenceEigenvalues(ref);
  const seed = flagInt(args, 'seed', 0);
  const k = flagInt(args, 'top', 3);
  const progress = terminalProgress('spectrum: SLQ vectors');
  const report = spectrumReport(problem, {
    k,
    ...(args.flags.has('block') ? { blockSize: flagInt(args, 'block', k) } : {}),
    seed,
    tolerance,
    ...(exact !== undefined ? { exactEigenvalues: exact } : {}),
    includeEigenvectors: flagBool(args, 'eigenvectors'),
    ...(density
      ? {
          density: {
            order: slqSteps,
            vectors: flagInt(args, 'vectors', 10),
            seed,
            probes,
            reorthogonalization: parseReorthogonalization(args),
            points: flagInt(args, 'points', 400),
            ...(sigma !== undefined ? { sigma } : {}),
            onProgress: progress.update,
          },
        }
      : {}),
  });
  progress.finish();
  // Data files leave the eigenvectors out (n numbers each).
  const strip = (e: SpectrumEnd): SpectrumEnd => ({
    ...e,
    pairs: e.pairs.map((p) => ({ eigenvalue: p.eigenvalue, residual: p.residual, converged: p.converged, ...(p.exact !== undefined ? { exact: p.exact } : {}) })),
  });
  const data: SpectrumData = { format: 'dln-hessian-spectrum', version: 1, model: source, ...report, top: strip(report.top), bottom: strip(report.bottom) };
  if (dataPath !== undefined) files.push({ path: dataPath, flag: '--data', text: serializePlotData(data) });
  if (out !== undefined) files.push({ path: out, flag: '--out', text: renderVegaLiteSvg(spectrumSpec(data)) });
  writeFilesAtomic(files);
  const note = exact === undefined ? ref.note : '';
  const kernel = hessianKernelBound(problem);
  if (flagBool(args, 'json')) {
    // Eigenvectors in the order of --order.
    const ordered = (e: SpectrumEnd): SpectrumEnd => ({ ...e, pairs: e.pairs.map((p) => (p.eigenvector !== undefined ? { ...p, eigenvector: inOrder(problem, p.eigenvector, order) } : p)) });
    const body = { ...report, top: ordered(report.top), bottom: ordered(report.bottom), order, convention: problem.convention, model: source, label: problem.label, ...(kernel !== undefined ? { kernelDimension: kernel } : {}), written: files.map((x) => x.path) };
    process.stdout.write(`${jsonText('spectrum', body, { timings: flagBool(args, 'timings') })}\n`);
  } else {
    const lines = reportLines(source, report, problem.params, note, problem.convention.formula, flagBool(args, 'timings'), kernel);
    for (const x of files) lines.push(`wrote        ${x.path}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}
