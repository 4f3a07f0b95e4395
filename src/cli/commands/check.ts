import { jsonText } from '../json-output.js';
import { minimizerLabel } from '../../families/minimizer.js';
import type { NetworkDescription } from '../../families/network.js';
import { loadNetwork } from '../../families/registry.js';
import { DEFAULT_EXACT_LIMITS } from '../../hessian/limits.js';
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
    row('loss', d.lossExact !== undefined ? `${d.lossExact} (exact) ≈ ${formatNumber(d.loss)}` : `${formatNumber(d.loss)} (float64)`),
    row('‖∇L‖', `${formatNumber(d.gradientNorm)}${d.gradientNormSqExact !== undefined ? ` (‖∇L‖² = ${d.gradientNormSqExact} exactly)` : ''}`),
    row('minimizer', minimizerLabel(d.minimizer)),
  ];
  for (const w of d.warnings) lines.push(row('warning', w));
  return lines.join('\n');
}

export function runCheck(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const network = loadNetwork(source);
  const d = network.describe({ ...DEFAULT_EXACT_LIMITS, maxParams: flagInt(args, 'max-exact-params', DEFAULT_EXACT_LIMITS.maxParams) });
  const { family, kind, params, loss, lossExact, gradientNorm, gradientNormSqExact, minimizer, warnings } = d;
  const json = { model: source, family, kind, ...d.fields, params, loss, lossExact, gradientNorm, gradientNormSqExact, minimizer, warnings };
  const out = flagBool(args, 'json') ? jsonText('check', { ...json, convention: network.convention }) : text(source, d);
  emit(out, flagString(args, 'out'));
  return 0;
}
