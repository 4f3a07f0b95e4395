import { Rational } from '../../field/rational.js';
import { terminalProgress, type Progress } from '../../curvature/progress.js';
import { minimizerLabel } from '../../families/minimizer.js';
import { loadNetwork } from '../../families/registry.js';
import type { LossConvention } from '../../models/reduction.js';
import type { SharpnessReport } from '../../sharpness/sharpness.js';
import { MAX_DENSE_PARAMS_CEILING } from '../../hessian/limits.js';
import { jsonText } from '../json-output.js';
import { flagBool, flagInt, flagString, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';
import { BACKEND_FLAG, parseBackend } from '../backend.js';
import { sharpnessOnBackend } from './on-backend.js';

export const sharpnessCommand: CommandSpec = {
  name: 'sharpness',
  summary: 'λ_max of the Hessian at a (near-)minimizer, several independent ways (certified under --exact, at any point), with the known formulas.',
  positionals: ['MODEL.json'],
  flags: {
    exact: { kind: 'boolean', description: 'certify λ_max: in rational arithmetic at exact minimizers, else a proven enclosure by verified binary64 arithmetic' },
    digits: { kind: 'integer', min: 1, max: 1000, description: 'exact enclosure width below 10^-D when λ_max is irrational (default 12)', valueName: 'D' },
    json: { kind: 'boolean', description: 'print one JSON object (lambdaMax, isMinimizer, exact, methods, formulas, …)' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    'allow-nonminimizer': { kind: 'boolean', description: 'analyse a point that is not a zero-loss minimizer (λ_max and λ_min of the full Hessian)' },
    seed: { kind: 'integer', min: 0, description: 'seed of the Lanczos start vectors (default 0)' },
    'max-exact-reduced': { kind: 'integer', min: 1, description: 'largest reduced problem K certified exactly (default 400)' },
    'max-dense-params': { kind: 'integer', min: 1, max: MAX_DENSE_PARAMS_CEILING, description: 'largest Hessian diagonalised densely (default 1500); Lanczos on the HVP above' },
    'max-verified': { kind: 'integer', min: 1, description: 'largest matrix (rows of K or H) certified by verified binary64 arithmetic under --exact (default 3000)' },
    'max-exact-formula-width': { kind: 'integer', min: 1, description: 'largest width whose known formulas --exact evaluates in rational arithmetic (default 64; binary64 above)' },
    timings: { kind: 'boolean', description: 'report seconds per method and certificate (otherwise output is identical for identical inputs)' },
    backend: BACKEND_FLAG,
  },
};

/** Singular values of the top eigenvector shown in the text output (all of them are in --json). */
const TOP_SINGULAR_VALUES = 5;

const num = (s: string): string => formatNumber(Rational.parse(s).toNumber(), 17);

function exactLines(r: SharpnessReport, timings: boolean): string[] {
  const e = r.exact;
  if (e === undefined) return [];
  const lines: string[] = [];
  if (e.method === 'exact') {
    if ('value' in e) lines.push(`exact        λ_max = ${e.value}`);
    else lines.push(`exact        ${e.lower} ≤ λ_max ≤ ${e.upper}`, `             λ_max is a root of ${e.polynomial}`);
  } else {
    lines.push(`certified    ${num(e.lower)} ≤ λ_max ≤ ${num(e.upper)} (verified binary64, ${e.route === 'reduced-operator' ? `reduced operator K ${e.size}×${e.size}` : `full Hessian ${e.size}×${e.size}`})`);
    if (r.exactLambdaMin !== undefined) lines.push(`certified    ${num(r.exactLambdaMin.lower)} ≤ λ_min ≤ ${num(r.exactLambdaMin.upper)}`);
    lines.push(`             what: ${e.certified}`);
    const cost = `${e.cost.choleskyFactorizations} Cholesky factorization(s), ${e.cost.flops.toExponential(2)} flops${timings && e.cost.seconds !== undefined ? `, ${e.cost.seconds.toFixed(3)} s` : ''}`;
    lines.push(`             cost: ${cost}`);
  }
  for (const x of e.evidence) lines.push(`             ${x}`);
  return lines;
}

function toText(source: string, r: SharpnessReport, convention: LossConvention, timings: boolean): string {
  const lines = [
    `model        ${source}`,
    `widths       ${r.widths.join(', ')} (${r.params} parameters)`,
    `loss         ${convention.formula}`,
    `minimizer    ${minimizerLabel(r.minimizerCheck)}`,
    `λ_max        ${formatNumber(r.lambdaMax, 15)} (Hessian of this loss)`,
  ];
  if (r.lambdaMin !== undefined) lines.push(`λ_min        ${formatNumber(r.lambdaMin, 15)}`);
  lines.push(...exactLines(r, timings));
  if (r.gaussNewton !== undefined) {
    lines.push(
      `Gauss–Newton λ_max(K) = ${formatNumber(r.gaussNewton.lambdaMax, 15)}; the residual part moves λ_max by at most ${formatNumber(r.gaussNewton.residualBound, 3)} (rigorous bound on ‖H_res‖₂, Weyl)`,
    );
  }
  lines.push(`2/λ_max      ${formatNumber(r.maxStableStep, 12)} (largest stable gradient-descent step on this loss)`);
  if (r.reduced !== undefined) lines.push(`reduced K    ${r.reduced.form}, ${r.reduced.size}×${r.reduced.size}`);
  lines.push('', 'methods:');
  for (const m of r.methods) {
    const time = timings && m.seconds !== undefined ? `  ${m.seconds.toFixed(3)} s` : '';
    lines.push(`  ${m.name.padEnd(44)} ${formatNumber(m.value, 15).padStart(22)}  residual ${formatNumber(m.residual, 2)}  ${m.iterations} it${time}`);
  }
  if (r.formulas.length > 0) {
    const how = r.formulas[0]?.method === 'exact' ? 'rational interval arithmetic' : 'binary64 with a stated rounding bound';
    lines.push('', `known formulas (in the model's loss convention, ${how}) against λ_max:`);
    for (const f of r.formulas) {
      const digits = f.agreeingDigits !== undefined ? ` (${f.agreeingDigits} digits)` : '';
      lines.push(`  ${formatNumber(f.value, 12).padStart(18)}  ${(f.relation + digits).padEnd(34)} ${f.name}`);
    }
  }
  if (r.rankOneMaximum !== undefined) lines.push(`  ${formatNumber(r.rankOneMaximum, 12).padStart(18)}  ${'lower bound (numerical)'.padEnd(34)} rank-one maximum max Σ_i ‖A_iᵀu‖²‖B_iv‖²`);
  if (r.topEigenvector !== undefined) {
    const t = r.topEigenvector;
    const s = t.singularValues;
    const shown = s.slice(0, TOP_SINGULAR_VALUES).map((x) => formatNumber(x, 6));
    const rest = s.length > shown.length ? `, … (${s.length} in all; --json lists them)` : '';
    lines.push('', `top eigenvector of K as a ${t.rows}×${t.cols} matrix: singular values ${shown.join(', ')}${rest}`);
    if (s.length > 1 && (s[0] as number) > 0) lines.push(`  s₂/s₁ = ${formatNumber((s[1] as number) / (s[0] as number), 4)} (0 would be exactly rank one); numerical rank ${t.numericalRank} (singular values above max(rows, cols)·ε·s₁)`);
  }
  for (const n of r.notes ?? []) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** One terminal progress line per Lanczos stage, with the time left (an upper bound: Lanczos usually converges earlier). */
function lanczosProgress(): (stage: string, done: number, total: number) => void {
  let current: { stage: string; progress: Progress } | undefined;
  return (stage, done, total) => {
    if (current?.stage !== stage) {
      current?.progress.finish();
      current = { stage, progress: terminalProgress(`sharpness: ${stage}, Lanczos iterations`, { upTo: true }) };
    }
    current.progress.update(done, total);
  };
}

export function runSharpness(args: ParsedArgs): number | Promise<number> {
  const backend = parseBackend(args);
  if (backend !== 'closed') return sharpnessOnBackend(args, backend);
  const source = args.positionals[0] as string;
  const timings = flagBool(args, 'timings');
  const network = loadNetwork(source);
  const report = network.sharpness({
    exact: flagBool(args, 'exact'),
    digits: flagInt(args, 'digits', 12),
    allowNonMinimizer: flagBool(args, 'allow-nonminimizer'),
    seed: flagInt(args, 'seed', 0),
    maxExactReduced: flagInt(args, 'max-exact-reduced', 400),
    maxDenseHessian: flagInt(args, 'max-dense-params', 1500),
    maxVerified: flagInt(args, 'max-verified', 3000),
    maxExactFormulaWidth: flagInt(args, 'max-exact-formula-width', 64),
    timings,
    // Progress on an interactive terminal only (stderr, so stdout and --json stay clean).
    ...(process.stderr.isTTY === true ? { onStage: (stage: string) => process.stderr.write(`\r\x1b[Ksharpness: ${stage} …\n`), onProgress: lanczosProgress() } : {}),
  });
  emit(flagBool(args, 'json') ? jsonText('sharpness', { model: source, convention: network.convention, ...report }, { timings }) : toText(source, report, network.convention, timings), flagString(args, 'out'));
  return 0;
}
