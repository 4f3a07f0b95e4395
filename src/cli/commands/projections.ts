import { RANDOM_DISTRIBUTIONS, type RandomDistribution } from '../../curvature/directions.js';
import { MAX_DENSE_PARAMS_CEILING } from '../../hessian/limits.js';
import { readDirectionsFile } from '../../curvature/directions-file.js';
import { toColumnOrder } from '../../curvature/order.js';
import { jsonText } from '../json-output.js';
import { ORDER_FLAG, parseOrder } from '../order-flag.js';
import { hessianPlane, type HessianPlane } from '../../curvature/hessian-plane.js';
import { loadNetwork } from '../../families/registry.js';
import { problemWarnings } from '../../curvature/warnings.js';
import { givenSlice, randomProjections, type DistributionProjections, type GivenSlice, type SampleStat } from '../../curvature/projections.js';
import { terminalProgress } from '../../curvature/progress.js';
import { curvatureReference, referenceEigenvalues, type CurvatureReference, type RefValue } from '../../curvature/reference.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';

/** `dln-hessian projections`: curvature of random, Hessian-plane and given slices next to the exact values (docs/curvature.md). */
export const projectionsCommand: CommandSpec = {
  name: 'projections',
  summary: 'Curvature of 1D and 2D slices of the loss along random, Hessian or given directions, next to the exact values (arXiv 2208.13219).',
  positionals: ['MODEL.json'],
  flags: {
    directions: { kind: 'string', description: 'random (default), hessian (top and bottom eigenvectors), or a JSON file with one or two directions (in the order of --order)', valueName: 'D' },
    order: ORDER_FLAG,
    distribution: { kind: 'string', description: `random directions: comma list of ${RANDOM_DISTRIBUTIONS.join(', ')} (default all)`, valueName: 'LIST' },
    samples: { kind: 'integer', min: 1, max: 1000000, description: 'random 2D slices per distribution (two HVPs each; default 200)', valueName: 'S' },
    seed: { kind: 'integer', min: 0, description: 'seed of the random directions and of Lanczos (default 0)' },
    json: { kind: 'boolean', description: 'print one JSON object' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    'max-dense-params': { kind: 'integer', min: 0, max: MAX_DENSE_PARAMS_CEILING, description: 'largest dense float64 Hessian for exact values (default 1500)' },
    'max-exact-params': { kind: 'integer', min: 0, description: 'largest exact rational Hessian (default 1024; 0: float64 only)' },
  },
};

/** Parses a comma list of random distributions. */
export function parseDistributions(text: string | undefined, command: string): RandomDistribution[] {
  if (text === undefined || text === 'all') return [...RANDOM_DISTRIBUTIONS];
  const out: RandomDistribution[] = [];
  for (const d of text.split(',').map((s) => s.trim())) {
    if (!(RANDOM_DISTRIBUTIONS as readonly string[]).includes(d)) throw new UsageError(`${command}: --distribution: unknown distribution "${d}" (${RANDOM_DISTRIBUTIONS.join(', ')})`);
    if (!out.includes(d as RandomDistribution)) out.push(d as RandomDistribution);
  }
  return out;
}

const f = (x: number | undefined, d = 6): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : formatNumber(x, d));
const pm = (s: SampleStat, d = 6): string => `${f(s.value, d)} ± ${f(s.standardError, 2)}`;
const ex = (v: RefValue | undefined): string => (v === undefined ? 'n/a' : v.exact !== undefined ? `${v.exact}${v.exact.includes('/') ? ` = ${f(v.value, 8)}` : ''}` : f(v.value, 8));
const pct = (p: number | undefined): string => (p === undefined ? 'n/a' : p.toFixed(4));

function referenceLines(ref: CurvatureReference, eigenvalues: readonly number[] | undefined): string[] {
  if (ref.trace === undefined) return [`exact        none: ${ref.note}`];
  const lines = [
    `exact        tr H = ${ex(ref.trace)}, ‖H‖_F² = ${ex(ref.frobeniusSq)}, Σ H_ii² = ${ex(ref.diagonalSq)}`,
    `             (${ref.source === 'exact' ? 'exact rational Hessian' : ref.note})`,
  ];
  if (eigenvalues !== undefined) {
    const scale = Math.max(0, ...eigenvalues.map(Math.abs));
    const z = 1e-12 * scale;
    const pos = eigenvalues.filter((l) => l > z).length;
    const neg = eigenvalues.filter((l) => l < -z).length;
    lines.push(`spectrum     λ_min = ${f(eigenvalues[0], 10)}, λ_max = ${f(eigenvalues[eigenvalues.length - 1], 10)}; n₊ = ${pos}, n₋ = ${neg}, n₀ = ${eigenvalues.length - pos - neg} (dense)`);
  }
  return lines;
}

function distributionLines(d: DistributionProjections): string[] {
  const e = d.exact;
  const p = d.predictions;
  const what: Record<RandomDistribution, string> = {
    gaussian: 'Gaussian N(0, I)',
    unit: 'unit sphere',
    rademacher: 'Rademacher ±1',
    filter: 'filter-normalised (Li et al. 2018)',
    layer: 'layer-normalised',
  };
  const lines = [`${what[d.distribution]} directions: ${d.slices} slices, ${d.oneD.samples} curvatures, mean |cos ∠(η, δ)| = ${f(d.meanAbsCosine, 3)}`];
  lines.push(`  1D  mean ηᵀHη      ${pm(d.oneD.mean).padEnd(30)} exact ${ex(e?.mean)}`);
  lines.push(`      variance       ${f(d.oneD.variance).padEnd(30)} exact ${ex(e?.variance)}`);
  const preds: string[] = [];
  if (p.negativeCurvatureExact !== undefined) preds.push(`${pct(p.negativeCurvatureExact)} exact (Imhof)`);
  if (p.negativeCurvatureBeta !== undefined) preds.push(`${pct(p.negativeCurvatureBeta)} beta formula I_½(n₊/2, n₋/2)`);
  if (p.negativeCurvatureNormal !== undefined) preds.push(`${pct(p.negativeCurvatureNormal)} normal approx.`);
  lines.push(`      P(ηᵀHη < 0)    ${`${pct(d.oneD.negativeFraction.value)} ± ${pct(d.oneD.negativeFraction.standardError)}`.padEnd(30)} predicted ${preds.length > 0 ? preds.join(', ') : 'n/a'}`);
  const [m11, m22] = d.twoD.meanDiagonal;
  lines.push(`  2D  E[H̃₁₁], E[H̃₂₂] ${`${pm(m11, 5)}, ${pm(m22, 5)}`.padEnd(30)} exact ${ex(e?.mean)} each (E[H̃] = mean·I₂)`);
  lines.push(`      E[H̃₁₂]         ${pm(d.twoD.meanOffDiagonal).padEnd(30)} exact 0`);
  lines.push(`      E[H̃₁₂²]        ${pm(d.twoD.offDiagonalSecondMoment).padEnd(30)} exact ${ex(e?.offDiagonalVariance)}`);
  const fr = d.twoD.fractions;
  const fe = d.twoD.fractionErrors;
  lines.push(
    `      looks          minimum ${pct(fr.minimum)} ± ${pct(fe.minimum)}, maximum ${pct(fr.maximum)} ± ${pct(fe.maximum)}, saddle ${pct(fr.saddle)} ± ${pct(fe.saddle)}, degenerate ${pct(fr.degenerate)}`,
  );
  if (p.slices !== undefined) {
    const how =
      d.distribution === 'gaussian' || d.distribution === 'unit'
        ? `large-n limit with μ = tr H/‖H‖_F = ${f(p.traceOverFrobenius, 4)}; traceless H: saddle 1/√2`
        : 'large-n normal approximation from the exact moments';
    lines.push(`      predicted      minimum ${pct(p.slices.minimum)}, maximum ${pct(p.slices.maximum)}, saddle ${pct(p.slices.saddle)} (${how})`);
  }
  if (p.slicesFromSpectrum !== undefined) {
    const s = p.slicesFromSpectrum;
    lines.push(`                     minimum ${pct(s.minimum)}, maximum ${pct(s.maximum)}, saddle ${pct(s.saddle)} (this n: Monte Carlo over the exact spectrum, ${s.samples} samples, no HVPs)`);
  }
  return lines;
}

function hessianLines(h: HessianPlane, eigenvalues: readonly number[] | undefined): string[] {
  const [[a, b], [c, d]] = h.sliceHessian;
  const lines = [
    'Hessian plane (arXiv 2208.13219): η = v_max, δ = v_min by Lanczos',
    `  λ_max        ${f(h.top.eigenvalue, 15)}   residual ${f(h.top.residual, 2)}, ${h.top.converged ? 'converged' : 'NOT converged'} (${h.top.iterations} it)${eigenvalues !== undefined ? `; dense ${f(eigenvalues[eigenvalues.length - 1], 15)}` : ''}`,
    `  λ_min        ${f(h.bottom.eigenvalue, 15)}   residual ${f(h.bottom.residual, 2)}, ${h.bottom.converged ? 'converged' : 'NOT converged'} (${h.bottom.iterations} it)${eigenvalues !== undefined ? `; dense ${f(eigenvalues[0], 15)}` : ''}`,
    `  slice H̃      [[${f(a, 12)}, ${f(b, 3)}], [${f(c, 3)}, ${f(d, 12)}]]`,
    `  H̃ = diag(λ_max, λ_min): ${h.isDiagonal ? 'yes' : 'NO'} (largest deviation ${f(h.deviation, 3)}, tolerance ${f(h.tolerance, 3)}); v_maxᵀv_min = ${f(h.cosine, 3)}`,
    `  look         ${h.kind}`,
  ];
  if (h.finiteDifference !== undefined) {
    const fd = h.finiteDifference;
    lines.push(`  from loss values alone (Richardson second differences, ${fd.lossEvaluations} loss evaluations): λ_max ≈ ${f(fd.top, 12)} (± ${f(fd.topError, 2)}), λ_min ≈ ${f(fd.bottom, 12)} (± ${f(fd.bottomError, 2)})`);
  }
  return lines;
}

function givenLines(g: GivenSlice): string[] {
  const S = g.sliceHessian;
  const lines = [`given direction${g.norms.length === 2 ? 's' : ''}: norms ${g.norms.map((x) => f(x)).join(', ')}${g.cosine !== undefined ? `, cos ∠ = ${f(g.cosine, 4)}` : ''}`];
  lines.push(`  slice H̃      ${S.length === 1 ? f((S[0] as number[])[0], 12) : `[[${S.map((r) => r.map((x) => f(x, 10)).join(', ')).join('], [')}]]`}   (HVP)`);
  lines.push(`  per unit     ${g.normalizedCurvatures.map((x) => f(x, 10)).join(', ')}   (ηᵀHη/‖η‖²)`);
  lines.push(`  loss only    ${g.finiteDifference.values.map((x, i) => `${f(x, 10)} ± ${f(g.finiteDifference.errors[i], 2)}`).join(', ')}   (Richardson second differences, ${g.finiteDifference.lossEvaluations} loss evaluations)`);
  lines.push(`  look         ${g.kind}`);
  return lines;
}

/** Runs `projections`: prints the text report, or one JSON object with `--json` (to `--out` when given). */
export function runProjections(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const mode = flagString(args, 'directions') ?? 'random';
  const samples = flagInt(args, 'samples', 200);
  const seed = flagInt(args, 'seed', 0);
  const distText = flagString(args, 'distribution');
  if (mode !== 'random' && distText !== undefined) throw new UsageError('projections: --distribution applies to --directions random only');
  const dists = parseDistributions(distText, 'projections');
  const problem = loadNetwork(source);
  for (const w of problemWarnings(problem)) process.stderr.write(`dln-hessian: warning: ${w}\n`);
  const ref = curvatureReference(problem, { maxDenseParams: flagInt(args, 'max-dense-params', 1500), maxExactParams: flagInt(args, 'max-exact-params', 1024) });
  const eigenvalues = referenceEigenvalues(ref);
  const header = [`model        ${source} (${problem.label})`, `parameters   ${problem.params}`, `loss         ${problem.convention.formula}`, ...referenceLines(ref, eigenvalues)];
  const exact = {
    source: ref.source,
    note: ref.note,
    ...(ref.trace !== undefined ? { trace: ref.trace, frobeniusSq: ref.frobeniusSq, diagonalSq: ref.diagonalSq } : {}),
    ...(eigenvalues !== undefined ? { lambdaMin: eigenvalues[0], lambdaMax: eigenvalues[eigenvalues.length - 1] } : {}),
  };
  let body: string[];
  let json: Record<string, unknown>;
  if (mode === 'random') {
    const progress = terminalProgress('projections');
    const r = randomProjections(problem, { samples, seed, distributions: dists, reference: ref, ...(eigenvalues !== undefined ? { eigenvalues } : {}), onProgress: progress.update });
    progress.finish();
    body = [`random slices (seed ${seed}; ${r.hvps} HVPs)`, ''];
    for (const d of r.distributions) body.push(...distributionLines(d), '');
    json = { directions: 'random', seed, samples, hvps: r.hvps, distributions: r.distributions };
  } else if (mode === 'hessian') {
    const h = hessianPlane(problem, { seed });
    body = hessianLines(h, eigenvalues);
    const { top, bottom, ...rest } = h;
    json = {
      directions: 'hessian',
      seed,
      ...rest,
      top: { eigenvalue: top.eigenvalue, residual: top.residual, converged: top.converged, iterations: top.iterations, matvecs: top.matvecs },
      bottom: { eigenvalue: bottom.eigenvalue, residual: bottom.residual, converged: bottom.converged, iterations: bottom.iterations, matvecs: bottom.matvecs },
    };
  } else {
    const order = parseOrder(args);
    const dirs = readDirectionsFile(mode, problem.params).map((d) => Float64Array.from(toColumnOrder(problem, d, order)));
    const g = givenSlice(problem, dirs);
    body = givenLines(g);
    json = { directions: mode, ...g };
  }
  if (flagBool(args, 'json')) {
    const out = { model: source, label: problem.label, params: problem.params, convention: problem.convention, exact, ...json };
    emit(jsonText('projections', JSON.parse(JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as object), flagString(args, 'out'));
  } else emit([...header, '', ...body].join('\n').trimEnd(), flagString(args, 'out'));
  return 0;
}
