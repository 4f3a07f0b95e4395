import { jsonText } from '../json-output.js';
import type { DeviceModel } from '../../autodiff/device-model.js';
import { inOrder, type HasBlocks, type ParameterOrder } from '../../curvature/order.js';
import { parseOrder } from '../order-flag.js';
import type { AutodiffEigenResult } from '../../autodiff/session.js';
import { minimizerLabel, type MinimizerTest } from '../../families/minimizer.js';
import type { Network } from '../../families/network.js';
import { FloatRangeError } from '../../hessian/float-range.js';
import { loadNetwork } from '../../families/registry.js';
import { NotAMinimizerError } from '../../sharpness/sharpness.js';
import type { BackendName } from '../../autodiff/transport.js';
import { flagBool, flagInt, flagString, UsageError, type ParsedArgs } from '../args.js';
import { withBackend } from '../backend.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';

/**
 * `sharpness` and `spectrum` on an autodiff backend: eigenpairs of the Hessian by Lanczos on the
 * device, on Hessian–vector products from automatic differentiation (docs/autodiff.md). No
 * closed form is used, so two-layer networks are accepted too.
 */

interface EigenRun {
  readonly device: string;
  readonly precision: string;
  readonly parameters: number;
  readonly tolerance: number;
  readonly largest: AutodiffEigenResult;
  readonly smallest?: AutodiffEigenResult;
}

function pairLines(title: string, r: AutodiffEigenResult): string[] {
  const f = (x: number, d = 15): string => formatNumber(x, d);
  const lines = [
    `${title} (${r.iterations} Lanczos steps, ${r.matvecs} HVPs, ${r.restarts} restarts, ${r.seconds.toFixed(2)} s; ${r.converged ? 'converged' : 'NOT converged'})`,
    `  ${'#'.padStart(3)} ${'eigenvalue'.padStart(22)} ${'residual'.padStart(10)}`,
  ];
  r.eigenvalues.forEach((x, i) => lines.push(`  ${String(i + 1).padStart(3)} ${f(x).padStart(22)} ${f(r.residuals[i] ?? NaN, 2).padStart(10)}`));
  return lines;
}

/** The result without its eigenvectors, or with them in `order` (`net` gives the parameter blocks). */
function strip(r: AutodiffEigenResult, withVectors: boolean, net?: HasBlocks, order: ParameterOrder = 'column'): Omit<AutodiffEigenResult, 'eigenvectors'> & { eigenvectors?: number[][] } {
  const { eigenvectors, ...rest } = r;
  if (!withVectors || eigenvectors === undefined) return rest;
  return { ...rest, eigenvectors: eigenvectors.map((v) => (net !== undefined ? inOrder(net, Array.from(v), order) : Array.from(v))) };
}

async function eigenRun(device: DeviceModel, backend: BackendName, k: number, both: boolean, args: ParsedArgs): Promise<EigenRun> {
  const seed = flagInt(args, 'seed', 0);
  const eigenvectors = flagBool(args, 'eigenvectors');
  return withBackend(backend, async (session) => {
    const model = await session.load(device);
    const largest = await model.eigen({ k, which: 'largest', seed, eigenvectors });
    const smallest = both ? await model.eigen({ k, which: 'smallest', seed, eigenvectors }) : undefined;
    return {
      device: session.describe(),
      precision: session.precision.name,
      parameters: device.dimension,
      tolerance: model.tolerance,
      largest,
      ...(smallest !== undefined ? { smallest } : {}),
    };
  });
}

/**
 * The minimizer test, or — with `--allow-nonminimizer`, where a point whose binary64 stages would
 * overflow can still be analysed in float32 on the device — an undecided one saying why.
 */
function minimizerOrUndecided(network: Network, allowNonMinimizer: boolean): MinimizerTest {
  try {
    return network.minimizerTest();
  } catch (e) {
    if (!(allowNonMinimizer && e instanceof FloatRangeError)) throw e;
    return { verdict: 'not-a-minimizer', isZeroLoss: false, method: 'float', relativeResidual: Number.NaN, tolerance: Number.NaN, explanation: `not decided in binary64: ${e.message}` };
  }
}

/** `sharpness --backend cpu|wasm|webgl`: λ_max at a minimizer (or anywhere with --allow-nonminimizer; two-layer nets anywhere). */
export async function sharpnessOnBackend(args: ParsedArgs, backend: BackendName): Promise<number> {
  const source = args.positionals[0] as string;
  for (const flag of ['exact', 'digits', 'max-exact-reduced', 'max-dense-params']) {
    if (args.flags.has(flag)) throw new UsageError(`sharpness: --${flag} applies to the closed forms only (drop it, or use --backend closed)`);
  }
  const network = loadNetwork(source);
  // The device model first: its float32 range check names the array, before any binary64 stage.
  const device = network.deviceModel();
  const minimizer = minimizerOrUndecided(network, flagBool(args, 'allow-nonminimizer'));
  // Deep linear networks: sharpness at a minimizer (the one test); two-layer nets: the Hessian at the given weights.
  if (network.family === 'deep-linear' && !minimizer.isZeroLoss && !flagBool(args, 'allow-nonminimizer')) {
    throw new NotAMinimizerError(`not a zero-loss minimizer: ${minimizer.explanation}; pass --allow-nonminimizer for λ_max and λ_min of the full Hessian`);
  }
  const both = !minimizer.isZeroLoss;
  const run = await eigenRun(device, backend, 1, both, args);
  const lambdaMax = run.largest.eigenvalues[0] as number;
  const lambdaMin = run.smallest?.eigenvalues[0];
  const json = {
    model: source,
    backend,
    device: run.device,
    precision: run.precision,
    params: run.parameters,
    convention: network.convention,
    isMinimizer: minimizer.isZeroLoss,
    minimizerCheck: minimizer,
    lambdaMax,
    ...(lambdaMin !== undefined ? { lambdaMin } : {}),
    maxStableStep: 2 / lambdaMax,
    relativeTolerance: run.tolerance,
    methods: [strip(run.largest, false), ...(run.smallest !== undefined ? [strip(run.smallest, false)] : [])],
  };
  if (flagBool(args, 'json')) {
    emit(jsonText('sharpness', json), flagString(args, 'out'));
    return 0;
  }
  const f = (x: number, d = 15): string => formatNumber(x, d);
  const lines = [
    `model        ${source} (${run.parameters} parameters)`,
    `loss         ${network.convention.formula}`,
    `backend      ${run.device}: ${run.largest.method}`,
    `minimizer    ${minimizerLabel(minimizer)}${network.family === 'two-layer' ? ' (not required for a two-layer network: the Hessian at the given weights)' : ''}`,
    `λ_max        ${f(lambdaMax)} ± ${f(run.tolerance * Math.abs(lambdaMax), 2)} (${run.precision} rounding bound, relative ${f(run.tolerance, 2)})`,
    ...(lambdaMin !== undefined ? [`λ_min        ${f(lambdaMin)}`] : []),
    `2/λ_max      ${f(2 / lambdaMax, 12)} (largest stable gradient-descent step on this loss)`,
    '',
    ...pairLines('largest', run.largest),
    ...(run.smallest !== undefined ? ['', ...pairLines('smallest', run.smallest)] : []),
  ];
  emit(lines.join('\n'), flagString(args, 'out'));
  return 0;
}

/** Flags of `spectrum` that only the closed-form path has. */
const CLOSED_ONLY_SPECTRUM = ['density', 'steps', 'vectors', 'sigma', 'points', 'probes', 'no-reorth', 'out', 'data', 'max-dense-params', 'block', 'tolerance'];

/** `spectrum --backend cpu|wasm|webgl`: top-k and bottom-k eigenpairs by Lanczos on the device. */
export async function spectrumOnBackend(args: ParsedArgs, backend: BackendName): Promise<number> {
  const source = args.positionals[0] as string;
  const given = CLOSED_ONLY_SPECTRUM.filter((k) => args.flags.has(k));
  if (given.length > 0) {
    throw new UsageError(`spectrum: ${given.map((k) => `--${k}`).join(', ')} ${given.length === 1 ? 'needs' : 'need'} the closed forms (--backend closed); on ${backend} only --top, --seed, --eigenvectors and --json apply`);
  }
  const k = flagInt(args, 'top', 3);
  const order = parseOrder(args);
  const net = loadNetwork(source);
  const run = await eigenRun(net.deviceModel(), backend, k, true, args);
  const withVectors = flagBool(args, 'eigenvectors');
  if (flagBool(args, 'json')) {
    const json = {
      source,
      order,
      backend,
      device: run.device,
      precision: run.precision,
      parameters: run.parameters,
      relativeTolerance: run.tolerance,
      top: strip(run.largest, withVectors, net, order),
      bottom: run.smallest !== undefined ? strip(run.smallest, withVectors, net, order) : undefined,
    };
    process.stdout.write(`${jsonText('spectrum', json)}\n`);
    return 0;
  }
  const lines = [
    `source       ${source}`,
    `parameters   ${run.parameters}`,
    `backend      ${run.device}`,
    `             eigenvalues within ${formatNumber(run.tolerance, 2)}·‖H‖ of the exact ones (${run.precision} rounding bound)`,
    '',
    ...pairLines(`top ${k}`, run.largest),
    '',
    ...pairLines(`bottom ${k}`, run.smallest as AutodiffEigenResult),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
