import { F64 } from '../../field/field.js';
import { hessianVectorProduct, preparePoint } from '../../hessian/index.js';
import { specFromModel } from '../../hessian/from-model.js';
import { toFloatSpec } from '../../hessian/from-model.js';
import { hessianReport } from '../../reports/hessian-report.js';
import { describeNetwork } from '../../reports/describe.js';
import { denseOperator } from '../../linop/linear-operator.js';
import { getExample } from '../../models/examples/index.js';
import { loadAnySource, loadModelSource } from '../../models/source.js';
import { escape } from '../../dynamics/escape.js';
import { crosscheck } from '../../autodiff/crosscheck.js';
import { withBackend } from '../backend.js';
import { crosscheckInputsOf, loadNetwork } from '../../families/registry.js';
import { analyzeSharpness } from '../../sharpness/sharpness.js';
import { verifyFormula } from '../../verify/verifier.js';
import { parseModel } from '../../models/load.js';
import { formatMatrix, formatNumber } from '../format.js';
import type { CommandSpec, ParsedArgs } from '../args.js';

export const demoCommand: CommandSpec = {
  name: 'demo',
  summary: 'A short tour on the built-in examples (what `npm start` runs).',
  positionals: [],
  flags: {},
};

function load(id: string): ReturnType<typeof specFromModel<import('../../field/rational.js').Rational>> {
  return specFromModel(parseModel(getExample(id).text, `example:${id}`));
}

const say = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

export async function runDemo(_args: ParsedArgs): Promise<number> {
  say('dln-hessian demo: closed-form Hessians of deep linear networks, exact and float64.');
  say('Every model below is built in (try `dln-hessian check example:ID` or `dln-hessian hessian example:ID --exact`).');
  say();

  say('1. Scalar chain w = (1, 2), target m = 2 (example:scalar-chain-2). docs/math.md §2 expects H = [[4,2],[2,1]] and λ_max = 5.');
  const s2 = hessianReport(load('scalar-chain-2'), { exact: true });
  if (s2.field === 'Q') say(formatMatrix(s2.hessian, String, '   '));
  say(`   eigenvalues ${s2.eigenvalues.map((x) => formatNumber(x)).join(', ')}; loss ${s2.field === 'Q' ? s2.exact.loss : s2.loss} (a zero-loss minimizer)`);
  say();

  say('2. Depth-3 diagonal factorization of I (example:dmf-diagonal-depth3): W_1 = diag(2,½), W_2 = diag(¼,4), W_3 = diag(2,½).');
  const d3model = loadModelSource('example:dmf-diagonal-depth3');
  const d3 = analyzeSharpness(d3model, specFromModel(d3model), { exact: true });
  const exactText = d3.exact !== undefined && 'value' in d3.exact ? d3.exact.value : '?';
  say(`   sharpness: λ_max = ${exactText} exactly (certificate: λ*·I − K singular and positive semidefinite); 2/λ_max = ${formatNumber(d3.maxStableStep, 6)}`);
  for (const f of d3.formulas) say(`   ${formatNumber(f.value).padStart(6)}  ${f.relation.padEnd(20)} ${f.name}`);
  say('   The spectral-norm sum is exact only in depth 2 and for scalar chains (docs/math.md §3): here it is a strict upper bound.');
  say();

  say('3. Balanced depth-3 factorization of diag(8,1) with W_i = diag(2,1) (example:dmf-balanced-depth3).');
  const b3 = hessianReport(load('dmf-balanced-depth3'), { exact: true });
  say(`   λ_max = ${formatNumber(b3.eigenvalues[b3.eigenvalues.length - 1] ?? Number.NaN)} (balanced formula N·s_1^(2−2/N) = 3·8^(4/3) = 48)`);
  say();

  say('4. A point that is not a minimizer (example:dmf-nonminimizer-depth2): the residual blocks make H indefinite.');
  const nm = describeNetwork(load('dmf-nonminimizer-depth2'));
  const nmH = hessianReport(load('dmf-nonminimizer-depth2'), { exact: true });
  say(`   loss ${nm.lossExact ?? formatNumber(nm.loss)}, ‖∇L‖ = ${formatNumber(nm.gradientNorm)}; λ_min = ${formatNumber(nmH.eigenvalues[0] ?? Number.NaN)}, λ_max = ${formatNumber(nmH.eigenvalues[nmH.eigenvalues.length - 1] ?? Number.NaN)}`);
  say();

  say('5. Deep linear network with data (example:dln-data-depth2): three routes to the same Hessian.');
  const spec = load('dln-data-depth2');
  const exact = hessianReport(spec, { exact: true });
  const float = hessianReport(spec);
  let maxDiff = 0;
  if (exact.field === 'Q' && float.field === 'F64') {
    exact.hessian.data.forEach((x, k) => (maxDiff = Math.max(maxDiff, Math.abs(x.toNumber() - (float.hessian.data[k] as number)))));
    const pt = preparePoint(F64, toFloatSpec(spec));
    const v = Array.from({ length: float.params }, (_, i) => Math.sin(i + 1));
    const hv = hessianVectorProduct(pt, v);
    const dv = denseOperator(F64, float.hessian).matvec(v);
    const hvpDiff = Math.max(...hv.map((x, i) => Math.abs(x - (dv[i] as number))));
    say(`   exact vs float64 Hessian: max entry difference ${formatNumber(maxDiff, 3)}`);
    say(`   matrix-free HVP vs dense H·v: max difference ${formatNumber(hvpDiff, 3)}`);
  }
  say(`   exact trace ${exact.field === 'Q' ? exact.exact.trace : ''}; spectrum ${float.eigenvalues.map((x) => formatNumber(x, 6)).join(', ')}`);
  say();
  say('6. A conjectured formula, tested on generated exact minimizers: is the spectral-norm sum equal to λ_max at depth 3?');
  const v = verifyFormula('sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)', {
    relation: 'equal',
    depth: [3, 3],
    width: [1, 2],
    cases: 100,
    seed: 1,
    kinds: ['diagonal', 'balanced', 'gl-orbit', 'random'],
  });
  const ce = v.counterexample;
  say(`   ${v.verdict === 'holds' ? `holds on ${v.casesTried} cases` : `no: counterexample with widths ${ce?.model.widths.join(', ') ?? '?'} after shrinking: ${ce?.explanation ?? ''}`}`);
  say('   (dln-hessian verify "sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)" --relation equal --depth 3 prints it as a model file.)');
  say();
  say('7. An independent path: automatic differentiation on TensorFlow.js (float32, cpu backend) against the closed forms.');
  for (const id of ['dmf-balanced-depth3', 'dln-data-depth2']) {
    const r = await withBackend('cpu', (session) => crosscheck(session, crosscheckInputsOf(loadNetwork(`example:${id}`))));
    const lam = r.items.find((i) => i.quantity === 'lambda_max');
    say(
      `   ${id}: λ_max closed form ${formatNumber(lam?.closed ?? NaN, 10)}, autodiff ${formatNumber(lam?.autodiff ?? NaN, 10)}; ` +
        `largest relative difference ${formatNumber(Math.max(...r.items.map((i) => i.relativeDifference)), 2)} (float32 tolerance ${formatNumber(lam?.tolerance ?? NaN, 2)}): ${r.agrees ? 'agree' : 'DISAGREE'}`,
    );
  }
  say('   (dln-hessian crosscheck MODEL.json --backend webgl runs the same on the GPU through headless Chromium.)');
  say();
  say('8. Two-layer networks through the same contract (example:two-layer-quadratic-squared, f(x) = W_2 σ(W_1 x), σ(z) = z²).');
  const tl = loadNetwork('example:two-layer-quadratic-squared');
  const tlReport = tl.hessianReport({ exact: true });
  const tlSharp = tl.sharpness({});
  say(`   exact loss ${tlReport.field === 'Q' ? tlReport.exact.loss : '?'}, exact tr H ${tlReport.field === 'Q' ? tlReport.exact.trace : '?'}; minimizer test: ${tl.minimizerTest({ exact: true }).verdict}`);
  say(`   λ_max of the full Hessian ${formatNumber(tlSharp.lambdaMax, 10)}, λ_min ${formatNumber(tlSharp.lambdaMin ?? NaN, 10)} (dln-hessian sharpness / hessian / structure take both families)`);
  say();
  say('9. Escape from a sharp minimizer (example:scalar-chain-3, λ_max = 49): gradient descent from w* + 10⁻⁹·v_1 with η = F·2/λ_max.');
  const esc = escape(loadAnySource('example:scalar-chain-3'), { factors: [0.9, 1.2], steps: 20000 });
  for (const run of esc.runs) {
    say(`   F = ${run.etaFactor}: ${run.verdict}${run.final.lambdaMax !== null ? `, final λ_max ${formatNumber(run.final.lambdaMax, 6)} (2/η = ${formatNumber(run.twoOverEta, 6)})` : ''}`);
  }
  say('   (dln-hessian escape and dln-hessian train track this, with plots; docs/dynamics.md.)');
  say();
  say('Next: `dln-hessian --help`, docs/sharpness.md, docs/verify.md, docs/autodiff.md, docs/model-format.md, and README.md.');
  return 0;
}
