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
  summary: 'λ_max of the Hessian at a minimizer, several independent ways (exactly with a certificate under --exact), with the known formulas.',
  positionals: ['MODEL.json'],
  flags: {
    exact: { kind: 'boolean', description: 'certify λ_max in rational arithmetic (exact value, or an enclosure and its polynomial)' },
    digits: { kind: 'integer', min: 1, max: 1000, description: 'exact enclosure width below 10^-D when λ_max is irrational (default 12)', valueName: 'D' },
    json: { kind: 'boolean', description: 'print one JSON object (lambdaMax, isMinimizer, exact, methods, formulas, …)' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    'allow-nonminimizer': { kind: 'boolean', description: 'analyse a point that is not a zero-loss minimizer (λ_max and λ_min of the full Hessian)' },
    seed: { kind: 'integer', min: 0, description: 'seed of the Lanczos start vectors (default 0)' },
    'max-exact-reduced': { kind: 'integer', min: 1, description: 'largest reduced problem K certified exactly (default 400)' },
    'max-dense-params': { kind: 'integer', min: 1, max: MAX_DENSE_PARAMS_CEILING, description: 'largest Hessian diagonalised densely (default 1500); Lanczos on the HVP above' },
    backend: BACKEND_FLAG,
  },
};

function toText(source: string, r: SharpnessReport, convention: LossConvention): string {
  const lines = [
    `model        ${source}`,
    `widths       ${r.widths.join(', ')} (${r.params} parameters)`,
    `loss         ${convention.formula}`,
    `minimizer    ${minimizerLabel(r.minimizerCheck)}`,
    `λ_max        ${formatNumber(r.lambdaMax, 15)} (Hessian of this loss)`,
  ];
  if (r.lambdaMin !== undefined) lines.push(`λ_min        ${formatNumber(r.lambdaMin, 15)}`);
  if (r.exact !== undefined) {
    if ('value' in r.exact) lines.push(`exact        λ_max = ${r.exact.value}`);
    else lines.push(`exact        ${r.exact.lower} ≤ λ_max ≤ ${r.exact.upper}`, `             λ_max is a root of ${r.exact.polynomial}`);
    for (const e of r.exact.evidence) lines.push(`             ${e}`);
  }
  lines.push(`2/λ_max      ${formatNumber(r.maxStableStep, 12)} (largest stable gradient-descent step on this loss)`);
  if (r.reduced !== undefined) lines.push(`reduced K    ${r.reduced.form}, ${r.reduced.size}×${r.reduced.size}`);
  lines.push('', 'methods:');
  for (const m of r.methods) {
    lines.push(`  ${m.name.padEnd(44)} ${formatNumber(m.value, 15).padStart(22)}  residual ${formatNumber(m.residual, 2)}  ${m.iterations} it  ${m.seconds.toFixed(3)} s`);
  }
  if (r.formulas.length > 0) {
    lines.push('', 'known formulas (½ convention) against the exact λ_max:');
    for (const f of r.formulas) {
      const digits = f.agreeingDigits !== undefined ? ` (${f.agreeingDigits} digits)` : '';
      lines.push(`  ${formatNumber(f.value, 12).padStart(18)}  ${(f.relation + digits).padEnd(34)} ${f.name}`);
    }
  }
  if (r.rankOneMaximum !== undefined) lines.push(`  ${formatNumber(r.rankOneMaximum, 12).padStart(18)}  ${'lower bound (numerical)'.padEnd(34)} rank-one maximum max Σ_i ‖A_iᵀu‖²‖B_iv‖²`);
  if (r.topEigenvector !== undefined) {
    const s = r.topEigenvector.singularValues;
    lines.push('', `top eigenvector of K as a ${r.topEigenvector.rows}×${r.topEigenvector.cols} matrix: singular values ${s.map((x) => formatNumber(x, 6)).join(', ')}`);
    if (s.length > 1 && (s[0] as number) > 0) lines.push(`  s₂/s₁ = ${formatNumber((s[1] as number) / (s[0] as number), 4)} (0 would be exactly rank one)`);
  }
  return lines.join('\n');
}

export function runSharpness(args: ParsedArgs): number | Promise<number> {
  const backend = parseBackend(args);
  if (backend !== 'closed') return sharpnessOnBackend(args, backend);
  const source = args.positionals[0] as string;
  const network = loadNetwork(source);
  const report = network.sharpness({
    exact: flagBool(args, 'exact'),
    digits: flagInt(args, 'digits', 12),
    allowNonMinimizer: flagBool(args, 'allow-nonminimizer'),
    seed: flagInt(args, 'seed', 0),
    maxExactReduced: flagInt(args, 'max-exact-reduced', 400),
    maxDenseHessian: flagInt(args, 'max-dense-params', 1500),
    // Progress on an interactive terminal only (stderr, so stdout and --json stay clean).
    ...(process.stderr.isTTY === true ? { onStage: (stage: string) => process.stderr.write(`sharpness: ${stage} …\n`) } : {}),
  });
  emit(flagBool(args, 'json') ? jsonText('sharpness', { model: source, convention: network.convention, ...report }) : toText(source, report, network.convention), flagString(args, 'out'));
  return 0;
}
