import { jsonText } from '../json-output.js';
import { loadNetwork } from '../../families/registry.js';
import { MAX_DENSE_PARAMS_CEILING } from '../../hessian/limits.js';
import { maxOf } from '../../linalg/extrema.js';
import { problemWarnings } from '../../curvature/warnings.js';
import { curvatureReference, type CurvatureReference } from '../../curvature/reference.js';
import { finiteDifferenceTrace, hutchinson, hutchPlusPlus, type ProbeKind, type TraceEstimate } from '../../curvature/trace-estimators.js';
import { parseNumberOption } from '../../curvature/options.js';
import { terminalProgress } from '../../curvature/progress.js';
import { LimitError } from '../../hessian/limits.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';

/** `dln-hessian trace`: exact trace and the Hutchinson, Hutch++ and finite-difference estimates (docs/curvature.md). */
export const traceCommand: CommandSpec = {
  name: 'trace',
  summary: 'tr H exactly and by Hutchinson, Hutch++ and HVP-free second differences of the loss, each with its standard error and cost.',
  positionals: ['MODEL.json'],
  flags: {
    method: { kind: 'string', description: 'exact, hutchinson, hutchpp, finite-difference, or a comma list; default all', valueName: 'M' },
    samples: { kind: 'integer', min: 1, max: 1000000, description: 'probes (Hutchinson, finite differences) and HVP budget (Hutch++, ≥ 3); default 100', valueName: 'S' },
    seed: { kind: 'integer', min: 0, description: 'seed of the probes (default 0)' },
    probes: { kind: 'string', description: 'rademacher (default) or gaussian', valueName: 'KIND' },
    'fd-step': { kind: 'string', description: 'finite differences: norm of the first step (default ½·max(‖θ‖, 1))', valueName: 'H' },
    json: { kind: 'boolean', description: 'print one JSON object' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    'max-dense-params': { kind: 'integer', min: 0, max: MAX_DENSE_PARAMS_CEILING, description: 'largest dense float64 Hessian for exact values (default 1500)' },
    'max-exact-params': { kind: 'integer', min: 0, description: 'largest exact rational Hessian (default 1024; 0: float64 only)' },
  },
};

type Method = 'exact' | 'hutchinson' | 'hutchpp' | 'finite-difference';
const METHODS: readonly Method[] = ['exact', 'hutchinson', 'hutchpp', 'finite-difference'];

function parseMethods(text: string | undefined): Method[] {
  if (text === undefined || text === 'all') return [...METHODS];
  const out: Method[] = [];
  for (const m of text.split(',').map((s) => s.trim())) {
    if (!(METHODS as readonly string[]).includes(m)) throw new UsageError(`trace: --method: unknown method "${m}" (methods: ${METHODS.join(', ')}, all)`);
    if (!out.includes(m as Method)) out.push(m as Method);
  }
  return out;
}

/** Parses `--probes` (`rademacher`, the default, or `gaussian`); a {@link UsageError} otherwise. */
export function parseProbes(text: string | undefined, command: string): ProbeKind {
  if (text === undefined || text === 'rademacher') return 'rademacher';
  if (text === 'gaussian') return 'gaussian';
  throw new UsageError(`${command}: --probes must be rademacher or gaussian, got "${text}"`);
}

/** The variance of one probe's `zᵀHz`: `2(‖H‖_F² − Σ H_ii²)` (Rademacher) or `2‖H‖_F²` (Gaussian). */
function probeVariance(ref: CurvatureReference, probes: ProbeKind): number | undefined {
  if (ref.frobeniusSq === undefined || ref.diagonalSq === undefined) return undefined;
  return probes === 'rademacher' ? 2 * (ref.frobeniusSq.value - ref.diagonalSq.value) : 2 * ref.frobeniusSq.value;
}

interface EstimateRow {
  readonly method: string;
  readonly estimate: number;
  readonly standardError: number;
  readonly theoreticalStandardError?: number;
  readonly error?: number;
  readonly zScore?: number;
  readonly samples: number;
  readonly hvps: number;
  readonly lossEvaluations: number;
  readonly seconds: number;
  readonly description: string;
  readonly sketch?: TraceEstimate['sketch'];
  readonly finiteDifference?: TraceEstimate['finiteDifference'] & { readonly maxDifferenceFromHvp?: number };
}

/** Runs `trace`: a table of estimates with standard errors and costs, or one JSON object with `--json`. */
export function runTrace(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const methods = parseMethods(flagString(args, 'method'));
  const samples = flagInt(args, 'samples', 100);
  const seed = flagInt(args, 'seed', 0);
  const probes = parseProbes(flagString(args, 'probes'), 'trace');
  const fdStepText = flagString(args, 'fd-step');
  const stepNorm = fdStepText === undefined ? undefined : parseNumberOption(fdStepText, '--fd-step', { min: 0, exclusiveMin: true, max: 1e12 });
  if (methods.includes('hutchpp') && samples < 3) throw new UsageError('trace: Hutch++ needs --samples ≥ 3 (its HVP budget is split in three)');
  const problem = loadNetwork(source);
  for (const w of problemWarnings(problem)) process.stderr.write(`dln-hessian: warning: ${w}\n`);
  const ref = curvatureReference(problem, { maxDenseParams: flagInt(args, 'max-dense-params', 1500), maxExactParams: flagInt(args, 'max-exact-params', 1024) });
  if (methods.includes('exact') && ref.trace === undefined && methods.length === 1) throw new LimitError(`trace: no exact trace: ${ref.note}`);
  const tr = ref.trace?.value;
  const pv = probeVariance(ref, probes);
  const rows: EstimateRow[] = [];
  const opts = { samples, seed, probes, ...(stepNorm !== undefined ? { stepNorm } : {}) };
  let hutchValues: number[] | undefined;
  for (const m of methods) {
    if (m === 'exact') continue;
    const progress = terminalProgress(`trace: ${m}`);
    const est =
      m === 'hutchinson'
        ? hutchinson(problem.hessian, { ...opts, onProgress: progress.update })
        : m === 'hutchpp'
          ? hutchPlusPlus(problem.hessian, { ...opts, onProgress: progress.update })
          : finiteDifferenceTrace(problem, { ...opts, onProgress: progress.update });
    progress.finish();
    if (m === 'hutchinson') hutchValues = est.values;
    let fd: EstimateRow['finiteDifference'];
    if (est.finiteDifference !== undefined) {
      const vals = est.values ?? [];
      const maxDiff = hutchValues !== undefined ? maxOf(vals.map((v, i) => Math.abs(v - ((hutchValues as number[])[i] as number)))) : undefined;
      fd = { ...est.finiteDifference, ...(maxDiff !== undefined ? { maxDifferenceFromHvp: maxDiff } : {}) };
    }
    const theory = m !== 'hutchpp' && pv !== undefined ? Math.sqrt(Math.max(pv, 0) / est.samples) : undefined;
    rows.push({
      method: m,
      estimate: est.estimate,
      standardError: est.standardError,
      ...(theory !== undefined ? { theoreticalStandardError: theory } : {}),
      ...(tr !== undefined ? { error: est.estimate - tr } : {}),
      ...(tr !== undefined && est.standardError > 0 ? { zScore: (est.estimate - tr) / est.standardError } : {}),
      samples: est.samples,
      hvps: est.hvps,
      lossEvaluations: est.lossEvaluations,
      seconds: est.seconds,
      description: est.description,
      ...(est.sketch !== undefined ? { sketch: est.sketch } : {}),
      ...(fd !== undefined ? { finiteDifference: fd } : {}),
    });
  }
  const report = {
    model: source,
    label: problem.label,
    params: problem.params,
    seed,
    samples,
    probes,
    exact: {
      source: ref.source,
      note: ref.note,
      ...(ref.trace !== undefined ? { trace: ref.trace } : {}),
      ...(ref.frobeniusSq !== undefined ? { frobeniusSq: ref.frobeniusSq } : {}),
      ...(ref.diagonalSq !== undefined ? { diagonalSq: ref.diagonalSq } : {}),
    },
    estimates: rows,
  };
  if (flagBool(args, 'json')) {
    emit(jsonText('trace', JSON.parse(JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as object), flagString(args, 'out'));
    return 0;
  }
  const f = (x: number | undefined, d = 10): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : formatNumber(x, d));
  const exactText = (v: { value: number; exact?: string } | undefined): string => (v === undefined ? 'n/a' : v.exact !== undefined ? `${v.exact} = ${formatNumber(v.value, 15)}` : formatNumber(v.value, 15));
  const lines = [`model        ${source} (${problem.label})`, `parameters   ${problem.params}`];
  if (ref.trace !== undefined) {
    lines.push(`tr H         ${exactText(ref.trace)}   (${ref.source === 'exact' ? 'exact rational Hessian' : 'dense float64 Hessian'})`);
    lines.push(`‖H‖_F²       ${exactText(ref.frobeniusSq)}`, `Σ H_ii²      ${exactText(ref.diagonalSq)}`);
  } else lines.push(`tr H         not computed: ${ref.note}`);
  if (ref.note !== '' && ref.source !== 'exact' && ref.trace !== undefined) lines.push(`             (${ref.note})`);
  if (rows.length > 0) {
    lines.push('', `estimators (${probes} probes, seed ${seed}; error and z = (estimate − tr H)/SE against the exact trace):`);
    lines.push(`  ${'method'.padEnd(18)} ${'estimate'.padStart(16)} ${'std. error'.padStart(12)} ${'theory SE'.padStart(12)} ${'error'.padStart(12)} ${'z'.padStart(7)} ${'HVPs'.padStart(6)} ${'loss evals'.padStart(10)} ${'time'.padStart(8)}`);
    for (const r of rows) {
      lines.push(
        `  ${r.method.padEnd(18)} ${f(r.estimate, 12).padStart(16)} ${f(r.standardError, 4).padStart(12)} ${f(r.theoreticalStandardError, 4).padStart(12)} ${f(r.error, 3).padStart(12)} ${f(r.zScore, 3).padStart(7)} ${String(r.hvps).padStart(6)} ${String(r.lossEvaluations).padStart(10)} ${`${r.seconds.toFixed(2)} s`.padStart(8)}`,
      );
    }
    lines.push('');
    for (const r of rows) {
      lines.push(`  ${r.method}: ${r.description}`);
      if (r.sketch !== undefined) lines.push(`    sketch trace tr(QᵀHQ) = ${f(r.sketch.trace, 12)} (rank ${r.sketch.rank}); the standard error is that of the deflated part given the sketch`);
      if (r.finiteDifference !== undefined) {
        const d = r.finiteDifference;
        lines.push(`    first step norm ${f(d.stepNorm, 6)}; largest Richardson error estimate of one zᵀHz ${f(d.maxError, 3)}`);
        if (d.maxDifferenceFromHvp !== undefined) lines.push(`    largest |zᵀHz (loss differences) − zᵀHz (HVP)| over the same probes: ${f(d.maxDifferenceFromHvp, 3)}`);
      }
    }
  }
  emit(lines.join('\n'), flagString(args, 'out'));
  return 0;
}
