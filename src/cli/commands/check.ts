import { describeNetwork, type ModelDescription } from '../../reports/describe.js';
import { specFromModel } from '../../hessian/from-model.js';
import { DEFAULT_EXACT_LIMITS } from '../../hessian/limits.js';
import { scientificSqrtText, scientificText } from '../../hessian/float-range.js';
import { Rational } from '../../field/rational.js';
import { flagBool, flagInt, flagString, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { emit, loadModelArgument } from '../io.js';

export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'Validate a model file and describe it: depth, widths, parameters, loss (exact), zero-loss minimizer or not.',
  positionals: ['MODEL.json'],
  flags: {
    json: { kind: 'boolean', description: 'print one JSON object' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    'max-exact-params': {
      kind: 'integer',
      min: 0,
      description: `exact arithmetic up to this many parameters, float64 above (default ${DEFAULT_EXACT_LIMITS.maxParams})`,
    },
  },
};

function text(source: string, d: ModelDescription): string {
  const lines = [
    `model        ${source}`,
    `kind         ${d.kind === 'dmf' ? 'deep matrix factorization (target M)' : `deep linear network with data (${d.samples ?? 0} samples)`}`,
    `depth        N = ${d.depth}`,
    `widths       d_0..d_N = ${d.widths.join(', ')}`,
    `parameters   ${d.params}`,
    `loss scale   ${d.lossScale === 'half' ? '½‖·‖² (half)' : '‖·‖² (sum)'}`,
    `loss         ${d.lossExact !== undefined ? `${d.lossExact} (exact) ≈ ${Number.isFinite(d.loss) ? formatNumber(d.loss) : scientificText(Rational.parse(d.lossExact), 12)}` : `${formatNumber(d.loss)} (float64)`}`,
    `‖∇L‖         ${Number.isFinite(d.gradientNorm) || d.gradientNormSqExact === undefined ? formatNumber(d.gradientNorm) : scientificSqrtText(Rational.parse(d.gradientNormSqExact), 12)}${d.gradientNormSqExact !== undefined ? ` (‖∇L‖² = ${d.gradientNormSqExact} exactly)` : ''}`,
  ];
  const m = d.minimizer;
  if (m.method === 'exact') lines.push(`minimizer    ${m.isZeroLoss ? 'yes: the loss is exactly 0 (a global minimizer)' : 'no: the loss is not 0'}`);
  else
    lines.push(
      `minimizer    ${m.isZeroLoss ? 'yes' : 'no'} (float64: relative residual ${formatNumber(m.relativeResidual, 3)}, tolerance ${formatNumber(m.tolerance, 3)})`,
    );
  return lines.join('\n');
}

/**
 * Fields whose binary64 value overflows (an exact loss above 1.8e308): given as decimal strings from
 * the exact values instead of `null`, with a note naming them.
 */
function beyondBinary64(d: ModelDescription): Record<string, unknown> {
  const fix: Record<string, unknown> = {};
  const names: string[] = [];
  if (!Number.isFinite(d.loss) && d.lossExact !== undefined) {
    fix.loss = scientificText(Rational.parse(d.lossExact));
    names.push('loss');
  }
  if (!Number.isFinite(d.gradientNorm) && d.gradientNormSqExact !== undefined) {
    fix.gradientNorm = scientificSqrtText(Rational.parse(d.gradientNormSqExact));
    names.push('gradientNorm');
  }
  if (names.length > 0) fix.beyondBinary64 = { fields: names, note: 'beyond the binary64 range (1.8e308): given as decimal strings from the exact values' };
  return fix;
}

export function runCheck(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const model = loadModelArgument(source);
  const d = describeNetwork(specFromModel(model), { ...DEFAULT_EXACT_LIMITS, maxParams: flagInt(args, 'max-exact-params', DEFAULT_EXACT_LIMITS.maxParams) });
  const out = flagBool(args, 'json') ? JSON.stringify({ model: source, ...d, ...beyondBinary64(d) }, null, 2) : text(source, d);
  emit(out, flagString(args, 'out'));
  return 0;
}
