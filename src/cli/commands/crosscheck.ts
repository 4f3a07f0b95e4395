import { jsonText } from '../json-output.js';
import { crosscheck, type CrosscheckReport } from '../../autodiff/crosscheck.js';
import { crosscheckInputsOf, loadNetwork } from '../../families/registry.js';
import { flagBool, flagInt, flagString, type CommandSpec, type ParsedArgs } from '../args.js';
import { BACKEND_FLAG, parseAutodiffBackend, withBackend } from '../backend.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';
import { TIMINGS_FLAG } from '../timings.js';

/** `dln-hessian crosscheck`: the closed forms and the autodiff path side by side (docs/autodiff.md). */
export const crosscheckCommand: CommandSpec = {
  name: 'crosscheck',
  summary: 'Closed forms (binary64) against automatic differentiation on TensorFlow.js: loss, gradient, an HVP and λ_max, with the tolerance of the backend. Exit 1 on disagreement.',
  positionals: ['MODEL.json'],
  flags: {
    backend: { ...BACKEND_FLAG, description: 'the autodiff backend: cpu (default), wasm or webgl (headless Chromium)' },
    seed: { kind: 'integer', min: 0, description: 'seed of the HVP test vector and the Lanczos start vectors (default 0)' },
    json: { kind: 'boolean', description: 'print one JSON object' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    timings: TIMINGS_FLAG,
  },
};

const QUANTITY: Record<string, string> = { loss: 'loss', gradient: '‖∇L‖', hvp: '‖Hv‖', lambda_max: 'λ_max' };

function toText(source: string, r: CrosscheckReport, timings: boolean): string {
  const f = (x: number, d = 12): string => formatNumber(x, d);
  const lines = [
    `model        ${source} (${r.parameters} parameters)`,
    `backend      ${r.device}`,
    `closed form  ${r.closedMethod}`,
    `autodiff     ${r.autodiffEigen.method}: ${r.autodiffEigen.iterations} steps, ${r.autodiffEigen.matvecs} HVPs, residual ${f(r.autodiffEigen.residuals[0] ?? NaN, 3)}`,
    '',
    `  ${'quantity'.padEnd(8)} ${'closed form'.padStart(22)} ${'autodiff'.padStart(22)} ${'rel. diff.'.padStart(10)} ${'tolerance'.padStart(10)}  verdict`,
  ];
  for (const i of r.items) {
    lines.push(
      `  ${(QUANTITY[i.quantity] ?? i.quantity).padEnd(8)} ${f(i.closed, 15).padStart(22)} ${f(i.autodiff, 15).padStart(22)} ${f(i.relativeDifference, 2).padStart(10)} ${f(i.tolerance, 2).padStart(10)}  ${i.agrees ? 'agree' : 'DISAGREE'}`,
    );
  }
  lines.push(
    '',
    'Differences are relative to the magnitude each rounding error scales with (loss magnitude, ‖H‖‖v‖, |λ_max|; docs/autodiff.md);',
    `the tolerance is the ${r.precision} rounding bound for this model's widths and depth.`,
    ...(timings ? [`time         closed form ${r.seconds.closed.toFixed(2)} s, autodiff ${r.seconds.autodiff.toFixed(2)} s`] : []),
    `verdict      ${r.agrees ? 'the two paths agree' : 'the two paths DISAGREE'}`,
  );
  return lines.join('\n');
}

/** Runs `crosscheck`: exit 0 when every quantity agrees within tolerance, 1 otherwise. */
export async function runCrosscheck(args: ParsedArgs): Promise<number> {
  const source = args.positionals[0] as string;
  const backend = parseAutodiffBackend(args, 'cpu');
  const inputs = crosscheckInputsOf(loadNetwork(source));
  const report = await withBackend(backend, (session) => crosscheck(session, inputs, { seed: flagInt(args, 'seed', 0) }));
  const timings = flagBool(args, 'timings');
  emit(flagBool(args, 'json') ? jsonText('crosscheck', { model: source, ...report }, { timings }) : toText(source, report, timings), flagString(args, 'out'));
  return report.agrees ? 0 : 1;
}
