/**
 * Curvature-tool benchmarks (issue: projections, trace estimators, spectral density, plots), at
 * N = 4, d = 256 (262 144 parameters) on a float DMF minimizer (weights near the identity, target
 * their product), everything through the `CurvatureProblem` interface:
 * Hutchinson with 100 Rademacher probes (100 HVPs), SLQ density of order 80 with 10 vectors
 * (800 HVPs; partial reorthogonalisation, the default, beside full), and a 41×41 landscape grid
 * (1681 loss evaluations). Targets: issue 11 (Hutchinson < 3 s, SLQ < 15 s), landscape < 30 s.
 * Each case also times one HVP and one loss evaluation, the units the costs are made of.
 */
import { F64 } from '../../../src/field/field.js';
import { Rational } from '../../../src/field/rational.js';
import { networkCurvatureProblem, type CurvatureProblem } from '../../../src/curvature/problem.js';
import { computeLandscape } from '../../../src/curvature/landscape.js';
import { slqDensity, stochasticLanczosQuadrature, linearGrid, type Reorthogonalization } from '../../../src/curvature/slq.js';
import { hutchinson } from '../../../src/curvature/trace-estimators.js';
import { fromColumnMajor, generate, identity, mul, type Matrix } from '../../../src/linalg/matrix.js';
import type { NetworkSpec } from '../../../src/hessian/point.js';
import { type BenchCase, type BenchMeasurement, nowSeconds, rssMiB, seededRandom } from '../harness.js';

const N = 4;
const D = 256;
const TARGET_SECONDS = 30;
const HUTCHINSON_TARGET_SECONDS = 3;
const SLQ_TARGET_SECONDS = 15;

/** `W_i = I + (0.3/√d)·U(−1, 1)` and `M = W_N⋯W_1` (a float minimizer; loss ≈ 1e-28), entries carried exactly as rationals. */
function benchProblem(seed: number): CurvatureProblem {
  const rng = seededRandom(seed);
  const s = 0.3 / Math.sqrt(D);
  const I = identity(F64, D);
  const weights = Array.from({ length: N }, () => generate(D, D, (i, j) => (I.data[i + j * D] as number) + (rng() * 2 - 1) * s));
  let P = weights[0] as Matrix<number>;
  for (let i = 1; i < N; i++) P = mul(F64, weights[i] as Matrix<number>, P);
  const q = (M: Matrix<number>): Matrix<Rational> => fromColumnMajor(M.rows, M.cols, M.data.map((x) => Rational.fromNumber(x)));
  const spec: NetworkSpec<Rational> = { weights: weights.map(q), objective: { kind: 'dmf', target: q(P) }, reduction: 'half' };
  return networkCurvatureProblem(spec, `DMF minimizer N = ${N}, d = ${D}`);
}

let cached: CurvatureProblem | undefined;
const problem = (): CurvatureProblem => (cached ??= benchProblem(2026));

/** Seconds of one HVP and one loss evaluation (best of three). */
function unitCosts(p: CurvatureProblem): { hvp: number; loss: number } {
  const rng = seededRandom(5);
  const v = Array.from({ length: p.params }, () => rng() * 2 - 1);
  let hvp = Infinity;
  let loss = Infinity;
  for (let r = 0; r < 3; r++) {
    let t = nowSeconds();
    p.hessian.matvec(v);
    hvp = Math.min(hvp, nowSeconds() - t);
    t = nowSeconds();
    p.loss(p.theta);
    loss = Math.min(loss, nowSeconds() - t);
  }
  return { hvp, loss };
}

const units = (u: { hvp: number; loss: number }): string => `one HVP ${(u.hvp * 1e3).toFixed(0)} ms, one loss evaluation ${(u.loss * 1e3).toFixed(0)} ms`;

const hutchinsonCase: BenchCase = {
  group: 'curvature',
  name: `Hutchinson trace, 100 Rademacher probes, N = ${N}, d = ${D} (${N * D * D} parameters)`,
  run(): BenchMeasurement {
    const p = problem();
    const u = unitCosts(p);
    const t0 = nowSeconds();
    const est = hutchinson(p.hessian, { samples: 100, seed: 1 });
    const seconds = nowSeconds() - t0;
    return {
      seconds,
      metric: { name: 'seconds for 100 probes', value: seconds, unit: 's' },
      target: { description: `< ${HUTCHINSON_TARGET_SECONDS} s`, met: seconds < HUTCHINSON_TARGET_SECONDS },
      notes: `tr H ≈ ${est.estimate.toPrecision(8)} ± ${est.standardError.toPrecision(2)} (100 HVPs); ${units(u)}`,
      peakRssMiB: rssMiB(),
    };
  },
};

function slqCase(mode: Reorthogonalization): BenchCase {
  return {
  group: 'curvature',
  name: `SLQ spectral density, order 80, 10 vectors, ${mode} reorthogonalisation, N = ${N}, d = ${D}`,
  run(): BenchMeasurement {
    const p = problem();
    const u = unitCosts(p);
    const t0 = nowSeconds();
    const r = stochasticLanczosQuadrature(p.hessian, { order: 80, vectors: 10, seed: 1, reorthogonalization: mode });
    const nodes = r.quadratures.flatMap((q) => q.nodes);
    const lo = Math.min(...nodes);
    const hi = Math.max(...nodes);
    const dens = slqDensity(r, linearGrid(lo, hi, 400), (hi - lo) / 100);
    const seconds = nowSeconds() - t0;
    const hvpSeconds = r.hvps * u.hvp;
    return {
      seconds,
      metric: { name: 'seconds for 800 HVPs and the density', value: seconds, unit: 's' },
      ...(mode === 'partial' ? { target: { description: `< ${SLQ_TARGET_SECONDS} s`, met: seconds < SLQ_TARGET_SECONDS } } : {}),
      notes:
        `${r.hvps} HVPs (≈ ${hvpSeconds.toFixed(0)} s of them), ${r.wholeBasisPasses} whole-basis reorthogonalisation passes, these and the quadrature the rest; nodes in [${lo.toPrecision(4)}, ${hi.toPrecision(4)}], ` +
        `SLQ trace ${r.trace.value.toPrecision(6)} ± ${r.trace.standardError.toPrecision(2)}; density peak ${Math.max(...dens).toPrecision(3)}; ${units(u)}`,
      peakRssMiB: rssMiB(),
    };
  },
  };
}

const landscapeCase: BenchCase = {
  group: 'curvature',
  name: `landscape 41×41 grid (1681 loss evaluations), filter-normalised random plane, N = ${N}, d = ${D}`,
  run(): BenchMeasurement {
    const p = problem();
    const u = unitCosts(p);
    const t0 = nowSeconds();
    const data = computeLandscape(p, { plane: 'random', distribution: 'filter', grid: 41, span: 1, seed: 1 });
    const seconds = nowSeconds() - t0;
    const vals = data.loss.flat().filter((v): v is number => v !== null);
    return {
      seconds,
      metric: { name: 'seconds for the grid', value: seconds, unit: 's' },
      target: { description: `< ${TARGET_SECONDS} s`, met: seconds < TARGET_SECONDS },
      notes: `${data.lossEvaluations} loss evaluations, ${data.hvps} HVPs; loss on the grid in [${Math.min(...vals).toPrecision(3)}, ${Math.max(...vals).toPrecision(3)}]; ${units(u)}`,
      peakRssMiB: rssMiB(),
    };
  },
};

/** The curvature benchmark cases (register in `test/bench/run.ts`). */
export const curvatureCases: BenchCase[] = [hutchinsonCase, slqCase('partial'), slqCase('full'), landscapeCase];
