import { jsonText } from '../json-output.js';
import { minimizerLabel } from '../../families/minimizer.js';
import type { NetworkDescription } from '../../families/network.js';
import { loadNetwork } from '../../families/registry.js';
import { DEFAULT_EXACT_LIMITS } from '../../hessian/limits.js';
import { scientificSqrtText, scientificText } from '../../hessian/float-range.js';
import { Rational } from '../../field/rational.js';
import { flagBool, flagInt, flagString, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';

export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'Validate a model file (any family) and describe it: shape, parameters, loss (exact where possible), gradient norm, the minimizer test.',
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

function text(source: string, d: NetworkDescription): string {
  const row = (label: string, value: string): string => `${label.padEnd(12)} ${value}`;
  const lines = [
    row('model', source),
    ...d.rows.map((r) => row(r.label, r.value)),
    row('loss', d.lossExact !== undefined ? `${d.lossExact} (exact) ≈ ${Number.isFinite(d.loss) ? formatNumber(d.loss) : scientificText(Rational.parse(d.lossExact), 12)}` : `${formatNumber(d.loss)} (float64)`),
    row(
      '‖∇L‖',
      `${Number.isFinite(d.gradientNorm) || d.gradientNormSqExact === undefined ? formatNumber(d.gradientNorm) : scientificSqrtText(Rational.parse(d.gradientNormSqExact), 12)}${d.gradientNormSqExact !== undefined ? ` (‖∇L‖² = ${d.gradientNormSqExact} exactly)` : ''}`,
    ),
    row('minimizer', minimizerLabel(d.minimizer)),
  ];
  for (const w of d.warnings) lines.push(row('warning', w));
  return lines.join('\n');
}

/**
 * Fields whose binary64 value overflows (an exact loss above 1.8e308): given as decimal strings from
 * the exact values instead of `null`, with a note naming them.
 */
function beyondBinary64(d: NetworkDescription): Record<string, unknown> {
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
  const m = d.minimizer;
  if (!Number.isFinite(m.relativeResidual) && m.relativeResidualText !== undefined) {
    fix.minimizer = { ...m, relativeResidual: m.relativeResidualText };
    names.push('minimizer.relativeResidual');
  }
  if (names.length > 0) fix.beyondBinary64 = { fields: names, note: 'beyond the binary64 range (1.8e308): given as decimal strings from the exact values' };
  return fix;
}

export function runCheck(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const network = loadNetwork(source);
  const d = network.describe({ ...DEFAULT_EXACT_LIMITS, maxParams: flagInt(args, 'max-exact-params', DEFAULT_EXACT_LIMITS.maxParams) });
  const { family, kind, params, loss, lossExact, gradientNorm, gradientNormSqExact, minimizer, warnings } = d;
  const json = { model: source, family, kind, ...d.fields, params, loss, lossExact, gradientNorm, gradientNormSqExact, minimizer, warnings, ...beyondBinary64(d) };
  const out = flagBool(args, 'json') ? jsonText('check', { ...json, convention: network.convention }) : text(source, d);
  emit(out, flagString(args, 'out'));
  return 0;
}
