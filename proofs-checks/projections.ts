/**
 * Claims of docs/math.md §6 (arXiv 2208.13219, Böttcher & Wheeler) and of the trace estimators, checked:
 * E[H̃] = tr(H)·I₂ within standard errors; the variance formulas (Rademacher exactly by enumeration,
 * Gaussian and sphere by simulation); the saddle probabilities; the depth-2 origin fixture exactly;
 * the finite-difference trace exact on quadratic (and, with Richardson, polynomial) losses;
 * Hutchinson and Hutch++ unbiased (exact expectations by enumeration, and over seeds).
 */
import { F64, Q } from '../src/field/field.js';
import { Rational } from '../src/field/rational.js';
import { loss } from '../src/hessian/gradient.js';
import { hessian } from '../src/hessian/dense.js';
import { preparePoint, type NetworkSpec } from '../src/hessian/point.js';
import { characteristicPolynomial } from '../src/linalg/charpoly.js';
import { fromColumnMajor, fromRows, generate, type Matrix } from '../src/linalg/matrix.js';
import { Polynomial } from '../src/linalg/polynomial.js';
import { operatorFrom } from '../src/linop/linear-operator.js';
import { specFromModel } from '../src/hessian/from-model.js';
import { loadExample } from '../src/models/examples/index.js';
import { networkCurvatureProblem, type CurvatureProblem } from '../src/curvature/problem.js';
import { curvatureReference, projectionMoments } from '../src/curvature/reference.js';
import { sampleDirection } from '../src/curvature/directions.js';
import { randomProjections } from '../src/curvature/projections.js';
import { createRng } from '../src/random/rng.js';
import { betaNegativeCurvature, gaussianSlicePrediction, negativeCurvatureProbability } from '../src/curvature/saddle.js';
import { regularizedIncompleteBeta } from '../src/curvature/special.js';
import { richardsonCentral } from '../src/curvature/finite-difference.js';
import { finiteDifferenceTrace, hutchinson, hutchPlusPlus } from '../src/curvature/trace-estimators.js';
import { spectrumReport } from '../src/curvature/spectrum.js';
import { hessianPlane } from '../src/curvature/hessian-plane.js';
import { dot, meanVariance } from '../src/linalg/vectors.js';
import type { CheckCase, ClaimCheck } from './check.js';

const q = (s: string | number): Rational => Rational.parse(String(s));
const fmt = (x: number, d = 6): string => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : String(x));

function exampleProblem(id: string): { spec: NetworkSpec<Rational>; problem: CurvatureProblem } {
  const spec = specFromModel(loadExample(id));
  return { spec, problem: networkCurvatureProblem(spec, `example:${id}`) };
}

/** docs/math.md §6: ½‖W₂W₁ − Y‖² at W = 0, Y = [[3,0,0],[0,1,0]] (d₀ = 3, h = 2, d₂ = 2). */
function originSpec(h = 2): NetworkSpec<Rational> {
  const Y = fromRows([
    [q(3), q(0), q(0)],
    [q(0), q(1), q(0)],
  ]);
  const z = (r: number, c: number): Matrix<Rational> => generate(r, c, () => Rational.ZERO);
  return { weights: [z(h, 3), z(2, h)], objective: { kind: 'dmf', target: Y }, reduction: 'half' };
}

/** `L = ½ θᵀ diag(d) θ` as a curvature problem. */
function diagonalProblem(d: readonly number[]): CurvatureProblem {
  const n = d.length;
  return {
    label: 'diagonal quadratic',
    params: n,
    theta: d.map(() => 0),
    blocks: [{ name: 'W_1', offset: 0, rows: n, cols: 1 }],
    loss: (t) => 0.5 * t.reduce((s, x, i) => s + (d[i] as number) * x * x, 0),
    hessian: operatorFrom(F64, [n, n], (v) => v.map((x, i) => x * (d[i] as number)), { symmetric: true, label: 'diag' }),
    denseHessian: () => generate(n, n, (i, j) => (i === j ? (d[i] as number) : 0)),
    exactHessian: () => null,
  };
}

/** `t ↦ L(θ + t z)` in exact arithmetic. */
function exactLine(spec: NetworkSpec<Rational>, z: readonly Rational[]): (t: Rational) => Rational {
  const offsets: number[] = [];
  let o = 0;
  for (const W of spec.weights) {
    offsets.push(o);
    o += W.rows * W.cols;
  }
  return (t) =>
    loss(
      preparePoint(Q, {
        ...spec,
        weights: spec.weights.map((W, i) => fromColumnMajor(W.rows, W.cols, W.data.map((x, k) => x.add(t.mul(z[(offsets[i] as number) + k] as Rational))))),
      }),
    );
}

/** Every sign vector of length n (2^n of them). */
function signVectors(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, m) => Array.from({ length: n }, (_, i) => ((m >> i) & 1 ? -1 : 1)));
}

export const projectionExpectationCheck: ClaimCheck = {
  id: 'projection-expectation',
  claim: 'docs/math.md §6 (arXiv 2208.13219): for random directions E[H̃] = E[ηᵀHη]·I₂ — tr(H)·I₂ for Gaussian and Rademacher, tr(H)/n·I₂ on the sphere — checked by sampling (HVPs) within 4.5 standard errors.',
  run() {
    const cases: CheckCase[] = [];
    for (const id of ['dln-data-depth2', 'dmf-nonminimizer-depth2']) {
      const { problem } = exampleProblem(id);
      const ref = curvatureReference(problem);
      const r = randomProjections(problem, { samples: 3000, seed: 7, reference: ref, distributions: ['gaussian', 'unit', 'rademacher'] });
      for (const d of r.distributions) {
        const m = d.exact?.mean.value ?? NaN;
        const [a, c] = d.twoD.meanDiagonal;
        const b = d.twoD.meanOffDiagonal;
        const za = (a.value - m) / a.standardError;
        const zc = (c.value - m) / c.standardError;
        const zb = b.value / b.standardError;
        cases.push({
          name: `${id}, ${d.distribution}: E[H̃] = ${d.exact?.mean.exact ?? fmt(m)}·I₂`,
          passed: Math.max(Math.abs(za), Math.abs(zc), Math.abs(zb)) < 4.5,
          details: `3000 slices: E[H̃₁₁] = ${fmt(a.value)} (z = ${fmt(za, 3)}), E[H̃₂₂] = ${fmt(c.value)} (z = ${fmt(zc, 3)}), E[H̃₁₂] = ${fmt(b.value)} (z = ${fmt(zb, 3)})`,
        });
      }
    }
    return { cases };
  },
};

export const projectionVarianceCheck: ClaimCheck = {
  id: 'projection-variances',
  claim:
    'docs/math.md §6: Var(ηᵀHη) = 2‖H‖_F² (Gaussian), 2/(n(n+2))·(tr H² − (tr H)²/n) (sphere), 2(‖H‖_F² − Σ H_ii²) (Rademacher), and E[(ηᵀHδ)²] = ‖H‖_F² for independent Gaussian/Rademacher η, δ.',
  run() {
    const cases: CheckCase[] = [];
    // Rademacher exactly: all 2^n sign vectors, rational arithmetic on the exact Hessian.
    for (const id of ['scalar-chain-3', 'dmf-nonminimizer-depth2']) {
      const { spec, problem } = exampleProblem(id);
      const H = hessian(preparePoint(Q, spec));
      const n = H.rows;
      const ref = curvatureReference(problem);
      const mom = projectionMoments(problem, ref, 'rademacher');
      const zs = signVectors(n);
      const quad = (z: number[]): Rational => {
        let s = Rational.ZERO;
        for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (!(H.data[i + j * n] as Rational).isZero()) s = s.add((H.data[i + j * n] as Rational).mul(q(z[i] as number * (z[j] as number))));
        return s;
      };
      const vals = zs.map(quad);
      const N = q(zs.length);
      const mean = vals.reduce((a, b) => a.add(b), Rational.ZERO).div(N);
      const variance = vals.reduce((a, b) => a.add(b.sub(mean).mul(b.sub(mean))), Rational.ZERO).div(N);
      // E_δ[(ηᵀHδ)²] = ‖Hη‖² for E[δδᵀ] = I (which holds exactly for signs); averaged over all η.
      const off = zs
        .map((z) => {
          let s = Rational.ZERO;
          for (let i = 0; i < n; i++) {
            let r = Rational.ZERO;
            for (let j = 0; j < n; j++) r = r.add((H.data[i + j * n] as Rational).mul(q(z[j] as number)));
            s = s.add(r.mul(r));
          }
          return s;
        })
        .reduce((a, b) => a.add(b), Rational.ZERO)
        .div(N);
      const passed = mean.toString() === mom?.mean.exact && variance.toString() === mom.variance.exact && off.toString() === mom.offDiagonalVariance.exact;
      cases.push({
        name: `${id}, Rademacher, exact over all 2^${n} sign vectors`,
        passed,
        details: `mean ${mean} (formula ${mom?.mean.exact}), variance ${variance} (formula 2(‖H‖_F² − Σ H_ii²) = ${mom?.variance.exact}), E[(ηᵀHδ)²] ${off} (formula ‖H‖_F² = ${mom?.offDiagonalVariance.exact})`,
      });
    }
    // Gaussian and sphere by simulation: the sample variance against the formula within 4.5 SE, SE² ≈ (m₄ − s⁴)/S.
    const { problem } = exampleProblem('dln-data-depth2');
    const ref = curvatureReference(problem);
    const Hd = ref.dense;
    if (Hd === undefined) throw new Error('no dense Hessian');
    const n = problem.params;
    const Hv = (v: Float64Array): number[] => Array.from({ length: n }, (_, i) => v.reduce((s, x, j) => s + (Hd.data[i + j * n] as number) * x, 0));
    for (const dist of ['gaussian', 'unit'] as const) {
      const mom = projectionMoments(problem, ref, dist);
      const rng = createRng(3, `variance/${dist}`);
      const S = 40000;
      const xs: number[] = [];
      for (let s = 0; s < S; s++) {
        const e = sampleDirection(problem, dist, rng);
        xs.push(dot(e, Hv(e)));
      }
      const { mean, variance } = meanVariance(xs);
      const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / S;
      const se = Math.sqrt(Math.max(m4 - variance * variance, 0) / S);
      const z = (variance - (mom?.variance.value ?? NaN)) / se;
      cases.push({
        name: `dln-data-depth2, ${dist}: Var(ηᵀHη) = ${mom?.variance.exact ?? ''}`,
        passed: Math.abs(z) < 4.5,
        details: `${S} samples: sample variance ${fmt(variance)} ± ${fmt(se, 3)} against ${fmt(mom?.variance.value ?? NaN)} (z = ${fmt(z, 3)})`,
      });
    }
    return { cases };
  },
};

export const saddleProbabilityCheck: ClaimCheck = {
  id: 'saddle-probabilities',
  claim:
    'docs/math.md §6: a random 1D slice of H = diag(+1×n₊, −1×n₋) has negative curvature with probability I_{1/2}(n₊/2, n₋/2) (0.5, 0.1817, 0.0096 for (1,1), (3,1), (30,10)); a random 2D slice of a traceless H looks like a saddle with probability → 1/√2 as n grows.',
  run() {
    const cases: CheckCase[] = [];
    for (const [p, m, want] of [[1, 1, 0.5], [3, 1, 0.1817], [30, 10, 0.0096]] as const) {
      const beta = betaNegativeCurvature(p, m);
      const spectrum = [...Array<number>(p).fill(1), ...Array<number>(m).fill(-1)];
      const imhof = negativeCurvatureProbability(spectrum) ?? NaN;
      // Simulation with HVPs on the diagonal problem, Gaussian directions.
      const prob = diagonalProblem(spectrum);
      const rng = createRng(p * 100 + m, 'saddle');
      const S = 20000;
      let neg = 0;
      for (let s = 0; s < S; s++) {
        const e = sampleDirection(prob, 'gaussian', rng);
        if (dot(e, prob.hessian.matvec(Array.from(e))) < 0) neg++;
      }
      const f = neg / S;
      const se = Math.sqrt((beta * (1 - beta)) / S) || 1 / S;
      cases.push({
        name: `(n₊, n₋) = (${p}, ${m}): P(curvature < 0) = ${want}`,
        passed: Math.abs(beta - want) < 5e-5 && Math.abs(imhof - beta) < 1e-10 && Math.abs(f - beta) < 4.5 * se,
        details: `I_½(${p}/2, ${m}/2) = ${fmt(beta, 8)}; Imhof over the spectrum ${fmt(imhof, 8)}; ${S} Gaussian slices ${fmt(f, 5)} ± ${fmt(se, 2)}`,
      });
    }
    cases.push({
      name: '(30, 10) exactly: I_½(15, 5) = Σ_{j=15}^{19} C(19, j)/2^19 = 5036/524288',
      passed: Math.abs(regularizedIncompleteBeta(0.5, 15, 5) - 5036 / 524288) < 1e-15,
      details: `${regularizedIncompleteBeta(0.5, 15, 5)} vs ${5036 / 524288}`,
    });
    const g = gaussianSlicePrediction(0, 1);
    const n = 600;
    const prob = diagonalProblem([...Array<number>(n / 2).fill(1), ...Array<number>(n / 2).fill(-1)]);
    const r = randomProjections(prob, { samples: 3000, seed: 5, distributions: ['gaussian'] });
    const frac = r.distributions[0]?.twoD.fractions.saddle ?? NaN;
    const se = Math.sqrt(0.5 * 0.5 / 3000);
    cases.push({
      name: '2D, traceless H: P(saddle) → 1/√2',
      passed: Math.abs((g?.saddle ?? NaN) - Math.SQRT1_2) < 1e-15 && Math.abs(frac - Math.SQRT1_2) < 4.5 * se + 0.01,
      details: `large-n formula e^{−μ²/4}/√2 at μ = 0: ${g?.saddle}; 3000 Gaussian slices of diag(±1) at n = ${n}: ${fmt(frac, 4)} (1/√2 = ${fmt(Math.SQRT1_2, 6)}, allowance 4.5 SE + 0.01 for finite n)`,
    });
    return { cases };
  },
};

export const originFixtureCheck: ClaimCheck = {
  id: 'origin-fixture',
  claim: 'docs/math.md §6: the two-layer DMF ½‖W₂W₁ − Y‖² at W = 0 has tr H = 0 and spectrum ±σ_i(Y), each with multiplicity h, plus zeros.',
  run() {
    const cases: CheckCase[] = [];
    for (const h of [1, 2, 3]) {
      const spec = originSpec(h);
      const H = hessian(preparePoint(Q, spec));
      const n = H.rows;
      let tr = Rational.ZERO;
      for (let i = 0; i < n; i++) tr = tr.add(H.data[i + i * n] as Rational);
      // σ(Y) = {3, 1}: χ(λ) = λ^{n−4h} (λ² − 9)^h (λ² − 1)^h.
      let want = Polynomial.ONE;
      for (let k = 0; k < n - 4 * h; k++) want = want.mul(Polynomial.T);
      const quad = (c: number): Polynomial => Polynomial.fromCoefficients([q(-c), Rational.ZERO, Rational.ONE]);
      for (let k = 0; k < h; k++) want = want.mul(quad(9)).mul(quad(1));
      const chi = characteristicPolynomial(H);
      const problem = networkCurvatureProblem(spec, 'origin');
      const sp = spectrumReport(problem, { k: Math.min(2 * h, n) });
      const top = sp.top.pairs.map((p) => p.eigenvalue);
      const plane = hessianPlane(problem);
      const ok = tr.isZero() && chi.equals(want) && Math.abs((top[0] as number) - 3) < 1e-9 && plane.isDiagonal && plane.kind === 'saddle';
      cases.push({
        name: `h = ${h} (n = ${n})`,
        passed: ok,
        details: `tr H = ${tr} (exact); det(λI − H) = ${chi.toString('λ')}; Lanczos top ${top.map((x) => fmt(x, 10)).join(', ')}; Hessian plane ${plane.kind}, H̃ = diag(${fmt(plane.top.eigenvalue, 10)}, ${fmt(plane.bottom.eigenvalue, 10)})`,
      });
    }
    return { cases };
  },
};

export const finiteDifferenceTraceCheck: ClaimCheck = {
  id: 'finite-difference-trace',
  claim:
    'docs/math.md §6: ηᵀHη = [L(θ+hη) − 2L(θ) + L(θ−hη)]/h² exactly for quadratic losses (any h), so the HVP-free trace estimate has no bias there; for a depth-N linear network (degree 2N) Richardson extrapolation over N steps is exact.',
  run() {
    const cases: CheckCase[] = [];
    const m = (rows: (number | string)[][]): Matrix<Rational> => fromRows(rows.map((r) => r.map(q)));
    const quadSpec: NetworkSpec<Rational> = {
      weights: [m([[1, 2, 0], ['1/2', -1, 3]])],
      objective: { kind: 'dln', inputs: m([[1, 0, 2], [0, 1, 1], [2, -1, '1/2']]), targets: m([[1, 2, 3], [0, -1, 1]]) },
      reduction: 'half',
    };
    const specs: [string, NetworkSpec<Rational>, number][] = [
      ['depth 1 (quadratic), 1 step', quadSpec, 1],
      ['dmf-nonminimizer-depth2, 2 steps', specFromModel(loadExample('dmf-nonminimizer-depth2')), 2],
      ['dln-data-depth2, 2 steps', specFromModel(loadExample('dln-data-depth2')), 2],
      ['dmf-diagonal-depth3, 3 steps', specFromModel(loadExample('dmf-diagonal-depth3')), 3],
    ];
    for (const [name, spec, levels] of specs) {
      const H = hessian(preparePoint(Q, spec));
      const n = H.rows;
      const rng = createRng(levels, name);
      let exactAll = true;
      const steps = ['1', '1/3', '5/2'];
      for (let s = 0; s < 4; s++) {
        const z = Array.from({ length: n }, () => q(rng.rademacher()));
        let want = Rational.ZERO;
        for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) want = want.add((z[i] as Rational).mul(H.data[i + j * n] as Rational).mul(z[j] as Rational));
        const line = exactLine(spec, z);
        for (const h of steps) if (!richardsonCentral(Q, line, 2, q(h), levels).equals(want)) exactAll = false;
      }
      cases.push({ name: `${name}: exact in Q for 4 Rademacher directions and steps ${steps.join(', ')}`, passed: exactAll, details: exactAll ? 'every extrapolated second difference equals zᵀHz exactly' : 'a mismatch' });
    }
    // In binary64: the HVP-free estimate equals Hutchinson probe by probe (same probes) to rounding.
    const { problem } = exampleProblem('dln-data-depth2');
    const hv = hutchinson(problem.hessian, { samples: 50, seed: 9 });
    const fd = finiteDifferenceTrace(problem, { samples: 50, seed: 9 });
    const diff = Math.max(...(fd.values ?? []).map((v, i) => Math.abs(v - ((hv.values ?? [])[i] as number))));
    cases.push({
      name: 'dln-data-depth2, binary64: finite-difference zᵀHz = HVP zᵀHz for 50 probes',
      passed: diff < 1e-9,
      details: `largest difference ${diff.toExponential(2)}; estimates ${fmt(fd.estimate, 12)} (${fd.lossEvaluations} loss evaluations) and ${fmt(hv.estimate, 12)} (50 HVPs)`,
    });
    return { cases };
  },
};

export const traceUnbiasednessCheck: ClaimCheck = {
  id: 'trace-estimators-unbiased',
  claim: 'Hutchinson (E[zᵀHz] = tr H for E[zzᵀ] = I) and Hutch++ (arXiv 2010.09649: tr(QᵀHQ) + tr((I−QQᵀ)H(I−QQᵀ)) = tr H) are unbiased.',
  run() {
    const cases: CheckCase[] = [];
    const { spec, problem } = exampleProblem('dmf-nonminimizer-depth2');
    const Hq = hessian(preparePoint(Q, spec));
    const n = Hq.rows;
    let tr = Rational.ZERO;
    for (let i = 0; i < n; i++) tr = tr.add(Hq.data[i + i * n] as Rational);
    const zs = signVectors(n);
    let sum = Rational.ZERO;
    for (const z of zs) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) sum = sum.add((Hq.data[i + j * n] as Rational).mul(q((z[i] as number) * (z[j] as number))));
    const mean = sum.div(q(zs.length));
    cases.push({ name: `Hutchinson, exact over all 2^${n} sign vectors`, passed: mean.equals(tr), details: `E[zᵀHz] = ${mean}, tr H = ${tr}` });
    // Hutch++ with one sketch probe s and one residual probe g, exact expectation over all (s, g) in binary64.
    const Hf = Hq.data.map((x) => x.toNumber());
    const mv = (v: readonly number[]): number[] => Array.from({ length: n }, (_, i) => v.reduce((s, x, j) => s + (Hf[i + j * n] as number) * x, 0));
    let acc = 0;
    for (const s of zs) {
      const y = mv(s);
      const ny = Math.sqrt(dot(y, y));
      const qv = y.map((x) => x / ny);
      const t1 = dot(qv, mv(qv));
      for (const g of zs) {
        const c = dot(qv, g);
        const p = g.map((x, i) => x - c * (qv[i] as number));
        acc += t1 + dot(p, mv(p));
      }
    }
    const hpp = acc / (zs.length * zs.length);
    const trF = tr.toNumber();
    cases.push({
      name: `Hutch++ (one sketch and one residual probe), exact expectation over all 2^${n} × 2^${n} sign pairs`,
      passed: Math.abs(hpp - trF) < 1e-10 * Math.max(1, Math.abs(trF)),
      details: `E[estimate] = ${fmt(hpp, 15)}, tr H = ${tr} = ${fmt(trF, 15)}`,
    });
    const runs = Array.from({ length: 400 }, (_, k) => hutchPlusPlus(problem.hessian, { samples: 6, seed: 1000 + k }).estimate);
    const mv2 = meanVariance(runs);
    const z = (mv2.mean - trF) / Math.sqrt(mv2.variance / runs.length);
    cases.push({
      name: 'hutchPlusPlus (budget 6) over 400 seeds',
      passed: Math.abs(z) < 4.5,
      details: `mean ${fmt(mv2.mean, 8)} ± ${fmt(Math.sqrt(mv2.variance / runs.length), 3)} against tr H = ${fmt(trF, 8)} (z = ${fmt(z, 3)})`,
    });
    return { cases };
  },
};

/** Every check of this file, in report order. */
export const projectionChecks: readonly ClaimCheck[] = [
  projectionExpectationCheck,
  projectionVarianceCheck,
  saddleProbabilityCheck,
  originFixtureCheck,
  finiteDifferenceTraceCheck,
  traceUnbiasednessCheck,
];
