import { describeNetwork, type ModelDescription } from '../../reports/describe.js';
import { specFromModel } from '../../hessian/from-model.js';
import { DEFAULT_EXACT_LIMITS } from '../../hessian/limits.js';
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
    `loss         ${d.lossExact !== undefined ? `${d.lossExact} (exact) ≈ ${formatNumber(d.loss)}` : `${formatNumber(d.loss)} (float64)`}`,
    `‖∇L‖         ${formatNumber(d.gradientNorm)}${d.gradientNormSqExact !== undefined ? ` (‖∇L‖² = ${d.gradientNormSqExact} exactly)` : ''}`,
  ];
  const m = d.minimizer;
  if (m.method === 'exact') lines.push(`minimizer    ${m.isZeroLoss ? 'yes: the loss is exactly 0 (a global minimizer)' : 'no: the loss is not 0'}`);
  else
    lines.push(
      `minimizer    ${m.isZeroLoss ? 'yes' : 'no'} (float64: relative residual ${formatNumber(m.relativeResidual, 3)}, tolerance ${formatNumber(m.tolerance, 3)})`,
    );
  return lines.join('\n');
}

export function runCheck(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const model = loadModelArgument(source);
  const d = describeNetwork(specFromModel(model), { ...DEFAULT_EXACT_LIMITS, maxParams: flagInt(args, 'max-exact-params', DEFAULT_EXACT_LIMITS.maxParams) });
  const out = flagBool(args, 'json') ? JSON.stringify({ model: source, ...d }, null, 2) : text(source, d);
  emit(out, flagString(args, 'out'));
  return 0;
}
