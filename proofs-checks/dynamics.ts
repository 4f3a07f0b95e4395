/**
 * Training dynamics (docs/dynamics.md):
 * (a) escape on a 15-layer scalar factorization of a random scalar (arXiv 2509.25783, Kamber & Parhi);
 * (b) the same three outcomes at an unbalanced GL-orbit minimizer of depth 3 (matrix target);
 * (c) progressive sharpening of a deep linear net from a small initialization (arXiv 2305.14683,
 *     MacDonald, Valmadre, Lucey);
 * (d) the ansatz bounds along the paths of deep linear nets at whitened near-minimizers;
 * (e) a two-layer tanh net on synthetic data: how the Jacobian norm and λ_max move early in training.
 */
import { Q } from '../src/field/field.js';
import { Rational } from '../src/field/rational.js';
import { escape, type EscapeReport } from '../src/dynamics/escape.js';
import { train, type SeriesPoint } from '../src/dynamics/train.js';
import { deepLinearTrainable } from '../src/dynamics/deep-linear-trainable.js';
import { twoLayerTrainable } from '../src/dynamics/two-layer-trainable.js';
import { generateMinimizer } from '../src/generators/minimizers.js';
import { fromRows, generate, mul, type Matrix } from '../src/linalg/matrix.js';
import { makeDlnModel, makeDmfModel, type DeepLinearModel } from '../src/models/model.js';
import { mulberry32 } from '../src/random/mulberry32.js';
import { sampleTwoLayerModel, toDecimalModel } from '../src/twolayer/sample.js';
import type { CheckCase, ClaimCheck } from './check.js';

const fmt = (x: number | null, d = 5): string => (x === null || !Number.isFinite(x) ? String(x) : x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toPrecision(d) : x.toExponential(d - 1));

/** The three outcomes of the escape experiment as cases, for factors below 1, between 1 and λ_max/flattest, and above it. */
function escapeCases(rep: EscapeReport): CheckCase[] {
  const cases: CheckCase[] = [];
  const flat = rep.flattestValue ?? NaN;
  const head = `λ_max = ${fmt(rep.lambdaMax, 10)} (${rep.certified ? 'certified exactly' : 'binary64'}), flattest value ${fmt(flat, 8)}, ε = ${rep.perturb}, ${rep.steps} steps, neighbourhood radius ${fmt(rep.neighbourhood.radius, 3)}`;
  for (const run of rep.runs) {
    const where = `F = ${run.etaFactor} (2/η = ${fmt(run.twoOverEta, 6)})`;
    const fin = `final: loss ${fmt(run.final.loss, 3)}, λ_max ${fmt(run.final.lambdaMax, 6)}, ‖θ − w*‖ ${fmt(run.final.distance, 3)}, relative residual ${fmt(run.final.relativeResidual, 3)}`;
    if (run.etaFactor < 1) {
      cases.push({ name: `${where}: returns`, passed: run.verdict === 'returned', details: `${head}; verdict ${run.verdict}; ${fin}` });
    } else if (run.belowFlattest === true) {
      cases.push({
        name: `${where}: 2/η below the flattest value, never converges`,
        passed: run.escaped && !run.settled,
        details: `${head}; verdict ${run.verdict}${run.divergedAt !== null ? ` at step ${run.divergedAt}` : ''}, settled: ${run.settled}; ${fin}`,
      });
    } else {
      cases.push({
        name: `${where}: escapes and settles with λ_max ≤ 2/η`,
        passed: run.escaped && run.settled && run.finalBelowTwoOverEta === true,
        details: `${head}; verdict ${run.verdict} (left the neighbourhood at step ${run.escapedAt}), settled: ${run.settled}; ${fin}`,
      });
    }
  }
  return cases;
}

/** Factors: two below 1, two between 1 and ρ = λ_max/flattest, one above ρ. */
function sweep(rho: number): number[] {
  const f = (x: number): number => Number(x.toFixed(4));
  return [0.5, 0.95, f(1 + 0.25 * (rho - 1)), f(1 + 0.7 * (rho - 1)), f(1.25 * rho)];
}

/** A 15-layer scalar chain of a seeded random scalar: w_i = p/8 with p in 4..16 (unbalanced), m their product. */
function scalarChain15(): DeepLinearModel<Rational> {
  const rand = mulberry32(2509);
  const ws = Array.from({ length: 15 }, () => fromRows([[new Rational(BigInt(4 + Math.floor(rand() * 13)), 8n)]]));
  let P = ws[0] as Matrix<Rational>;
  for (let i = 1; i < ws.length; i++) P = mul(Q, ws[i] as Matrix<Rational>, P);
  return makeDmfModel(ws, P, { name: 'scalar-chain-15' });
}

export const escapeScalar: ClaimCheck = {
  id: 'dynamics-escape-scalar-15',
  claim:
    'arXiv 2509.25783 (Kamber & Parhi): GD started 1e-9 from a minimizer of a 15-layer scalar factorization along the top Hessian eigenvector returns when η < 2/λ_max, escapes when η > 2/λ_max and settles at a flatter minimizer with λ_max ≤ 2/η, and never converges when 2/η is below the flattest value N·m^(2−2/N). λ_max certified exactly; 2·10⁵ steps per η.',
  run() {
    const model = scalarChain15();
    const t = deepLinearTrainable(model);
    const probe = t.sharpness(t.theta0);
    const rho = probe.lambdaMax / (t.flattestValue ?? NaN);
    const rep = escape({ family: 'deep-linear', model }, { factors: sweep(rho), steps: 200000, trajectoryPoints: 0 });
    return { cases: escapeCases(rep) };
  },
};

export const escapeMatrix: ClaimCheck = {
  id: 'dynamics-escape-gl-orbit-depth3',
  claim:
    'The same three outcomes at a matrix minimizer: depth 3, target [[3, 1], [0, 1]], an unbalanced GL-orbit minimizer (exact; λ_max certified exactly): returns for F < 1, escapes and settles with λ_max ≤ 2/η for 1 < F < λ_max/flattest, never converges for 2/η below the flattest value 3·σ₁(M)^(4/3). 10⁵ steps per η.',
  run() {
    const target = fromRows([[new Rational(3n), new Rational(1n)], [new Rational(0n), new Rational(1n)]]);
    const gen = generateMinimizer({ target, depth: 3, kind: 'gl-orbit', seed: 3 });
    const t = deepLinearTrainable(gen.model);
    const probe = t.sharpness(t.theta0);
    const rho = probe.lambdaMax / (t.flattestValue ?? NaN);
    const rep = escape({ family: 'deep-linear', model: gen.model }, { factors: sweep(rho), steps: 100000, trajectoryPoints: 0 });
    return { cases: [{ name: 'the minimizer is exact and unbalanced', passed: gen.exact && rho > 1.05, details: `exact: ${gen.exact}; λ_max/flattest = ${fmt(rho, 6)}; ${gen.notes.join('; ')}` }, ...escapeCases(rep)] };
  },
};

/** A seeded depth-4, width-6 DMF with target of σ₁ ≈ 2.6, started at scale `scale`. */
function smallInit(seed: number, scale: number): DeepLinearModel<Rational> {
  const rand = mulberry32(seed);
  const d = 6;
  const M = generate(d, d, (i, j) => new Rational(BigInt(i === j ? 4 : Math.floor(rand() * 5) - 2), 4n));
  const weights = Array.from({ length: 4 }, () => generate(d, d, () => Rational.fromNumber(Math.round((rand() * 2 - 1) * scale * 1e6) / 1e6)));
  return makeDmfModel(weights, M, { name: 'small-init-depth4' });
}

function sharpeningRun(): { series: readonly SeriesPoint[]; eta: number; flattest: number; verdict: string } {
  const model = smallInit(2305, 0.1);
  const t = deepLinearTrainable(model);
  const flattest = t.flattestValue ?? NaN;
  const eta = 2 / (1.5 * flattest);
  const out = train(t, { eta, steps: 6000, every: 50 });
  return { series: out.series, eta, flattest, verdict: out.verdict };
}

export const progressiveSharpening: ClaimCheck = {
  id: 'dynamics-progressive-sharpening',
  claim:
    'arXiv 2305.14683 (MacDonald, Valmadre, Lucey): along GD from a small initialization, λ_max rises (here: by more than 10×) and ends at or below 2/η. Depth-4, width-6 deep matrix factorization, weights uniform in ±0.1, 2/η = 1.5 × the flattest value, 6000 steps.',
  run() {
    const { series, eta, flattest, verdict } = sharpeningRun();
    const first = series[0];
    const last = series[series.length - 1];
    const l0 = first?.lambdaMax ?? NaN;
    const l1 = last?.lambdaMax ?? NaN;
    const peak = Math.max(...series.map((p) => p.lambdaMax ?? -Infinity));
    return {
      cases: [
        { name: 'λ_max rises by more than 10×', passed: l1 > 10 * l0, details: `λ_max: ${fmt(l0, 4)} at step 0 → ${fmt(l1, 6)} at step ${last?.step} (×${fmt(l1 / l0, 4)}); peak ${fmt(peak, 6)}; run ${verdict}` },
        { name: 'λ_max ends at or below 2/η', passed: l1 <= (2 / eta) * (1 + 1e-9), details: `final λ_max ${fmt(l1, 8)}, 2/η = ${fmt(2 / eta, 8)}, flattest value ${fmt(flattest, 8)}; final loss ${fmt(last?.loss ?? NaN, 3)}` },
      ],
    };
  },
};

function boundCases(label: string, series: readonly SeriesPoint[], nearBelow: number): CheckCase[] {
  const near = series.filter((p) => p.relativeResidual <= nearBelow && p.ansatz !== null && p.lambdaMax !== null);
  let worstLow = Infinity;
  let worstHigh = Infinity;
  const violated: string[] = [];
  for (const p of near) {
    const a = p.ansatz;
    const lam = p.lambdaMax;
    if (a === null || lam === null) continue;
    worstLow = Math.min(worstLow, lam - (a.lower - a.residualBound));
    worstHigh = Math.min(worstHigh, a.upper + a.residualBound - lam);
    if (a.holds !== true) violated.push(`step ${p.step}`);
  }
  const last = near[near.length - 1];
  return [
    {
      name: `${label}: lower − δ ≤ λ_max ≤ upper + δ at every recorded near-minimizer`,
      passed: near.length > 0 && violated.length === 0,
      details:
        `${near.length} recorded steps with relative residual ≤ ${nearBelow}; smallest margins λ_max − (lower − δ) = ${fmt(worstLow, 4)}, (upper + δ) − λ_max = ${fmt(worstHigh, 4)}` +
        (last?.ansatz !== null && last !== undefined ? `; at step ${last.step}: ${fmt(last.ansatz?.lower ?? NaN, 6)} ≤ ${fmt(last.lambdaMax, 8)} ≤ ${fmt(last.ansatz?.upper ?? NaN, 6)}, δ = ${fmt(last.ansatz?.residualBound ?? NaN, 3)}` : '') +
        (violated.length > 0 ? `; violated at ${violated.join(', ')}` : ''),
    },
  ];
}

export const ansatzBounds: ClaimCheck = {
  id: 'dynamics-ansatz-bounds',
  claim:
    'For deep linear nets with whitened data, c·N‖P‖₂^(2−2/N) ≤ λ_max(Gauss–Newton) ≤ c·Σ_i ‖A_i‖₂²‖B_i‖₂² at every point, and λ_max of the Hessian is within δ = c‖R‖_F Σ_{i<j}‖A_j‖₂Π‖W_k‖₂‖B_i‖₂ of them: checked at every recorded step with relative residual ≤ 0.1 along GD from a small initialization (DMF, depth 4) and on a whitened deep linear net with data (X = 2[I I], XXᵀ/n = I, depth 3).',
  run() {
    const dmf = sharpeningRun();
    const rand = mulberry32(1405);
    const d = 4;
    const X = generate(d, 2 * d, (i, j) => new Rational(i === j % d ? 2n : 0n));
    const teacher = generate(d, d, (i, j) => new Rational(BigInt(i === j ? 3 : Math.floor(rand() * 3) - 1), 2n));
    const Y = mul(Q, teacher, X);
    const weights = Array.from({ length: 3 }, () => generate(d, d, () => Rational.fromNumber(Math.round((rand() * 2 - 1) * 0.1 * 1e6) / 1e6)));
    const dln = makeDlnModel(weights, { inputs: X, targets: Y });
    const t = deepLinearTrainable(dln);
    const eta = 2 / (1.5 * (t.flattestValue ?? NaN));
    const out = train(t, { eta, steps: 4000, every: 40 });
    return { cases: [...boundCases('DMF depth 4 (small init)', dmf.series, 0.1), ...boundCases('DLN depth 3, whitened data', out.series, 0.1)] };
  },
};

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (x[i] as number) - mx;
    const b = (y[i] as number) - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export const twoLayerJacobian: ClaimCheck = {
  id: 'dynamics-two-layer-jacobian',
  claim:
    'arXiv 2305.14683 ansatz, measured only: a two-layer tanh net (d = 8, h = 32, c = 2, n = 128, Gaussian inputs, teacher targets, LeCun initialization) trained by GD with η = 0.5; the Pearson correlation of max_s ‖W_2 D(x_s) W_1‖₂ and λ_max over the first 400 steps (every 10) is reported, and the check holds when both series were computed; no claim is made about its value.',
  run() {
    const m = sampleTwoLayerModel({ d: 8, h: 32, c: 2, n: 128, activation: 'tanh', loss: 'squared', seed: 4, dataSeed: 5 });
    const t = twoLayerTrainable(toDecimalModel(m));
    const out = train(t, { eta: 0.5, steps: 400, every: 10 });
    const pts = out.series.filter((p) => p.lambdaMax !== null);
    const jac = pts.map((p) => p.jacobianNorm);
    const lam = pts.map((p) => p.lambdaMax as number);
    const r = pearson(jac, lam);
    const first = pts[0];
    const last = pts[pts.length - 1];
    return {
      cases: [
        {
          name: 'Jacobian norm and λ_max over early training',
          passed: pts.length >= 10 && Number.isFinite(r),
          details: `Pearson r = ${fmt(r, 4)} over ${pts.length} points; ‖J‖ ${fmt(first?.jacobianNorm ?? NaN, 4)} → ${fmt(last?.jacobianNorm ?? NaN, 4)}, λ_max ${fmt(first?.lambdaMax ?? NaN, 4)} → ${fmt(last?.lambdaMax ?? NaN, 4)}, loss ${fmt(first?.loss ?? NaN, 3)} → ${fmt(last?.loss ?? NaN, 3)}; 2/η = 4; run ${out.verdict}`,
        },
      ],
    };
  },
};

export const dynamicsChecks: readonly ClaimCheck[] = [escapeScalar, escapeMatrix, progressiveSharpening, ansatzBounds, twoLayerJacobian];
