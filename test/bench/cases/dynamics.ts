/**
 * Training-dynamics benchmarks (docs/dynamics.md): `train` on a depth-4, width-64 deep linear net
 * (10⁴ GD steps, λ_max every 100 steps, warm-started Lanczos), and `escape` on the 15-layer scalar
 * chain (2·10⁵ GD steps per η, the allocation-free scalar kernel).
 */
import { Q } from '../../../src/field/field.js';
import { Rational } from '../../../src/field/rational.js';
import { escape } from '../../../src/dynamics/escape.js';
import { train } from '../../../src/dynamics/train.js';
import { deepLinearTrainable } from '../../../src/dynamics/deep-linear-trainable.js';
import { fromRows, generate, mul, type Matrix } from '../../../src/linalg/matrix.js';
import { makeDmfModel } from '../../../src/models/model.js';
import { type BenchCase, type BenchMeasurement, nowSeconds, rssMiB, seededRandom } from '../harness.js';

/** Depth 4, width 64: weights I + noise (scale 0.3/√d), the target the product of another such draw (a minimizer exists). */
function trainModel(): ReturnType<typeof deepLinearTrainable> {
  const rng = seededRandom(64);
  const d = 64;
  const near = (): Matrix<Rational> => generate(d, d, (i, j) => Rational.fromNumber((i === j ? 1 : 0) + ((rng() * 2 - 1) * 0.3) / Math.sqrt(d)));
  const teacher = Array.from({ length: 4 }, near);
  let M = teacher[0] as Matrix<Rational>;
  for (let i = 1; i < 4; i++) M = mul(Q, teacher[i] as Matrix<Rational>, M);
  return deepLinearTrainable(makeDmfModel(Array.from({ length: 4 }, near), M));
}

const trainCase: BenchCase = {
  group: 'dynamics',
  name: 'train: depth 4, width 64 (16384 parameters), 10⁴ GD steps, λ_max every 100 steps',
  run(): BenchMeasurement {
    const model = trainModel();
    const lambda0 = model.sharpness(model.theta0).lambdaMax;
    const t0 = nowSeconds();
    const c0 = cpuSeconds();
    const out = train(model, { eta: 1 / lambda0, steps: 10000, every: 100 });
    const seconds = nowSeconds() - t0;
    const cpu = cpuSeconds() - c0;
    const last = out.series[out.series.length - 1];
    const its = out.series.map((p) => p.sharpness?.iterations ?? 0);
    return {
      seconds,
      metric: { name: 'seconds', value: seconds, unit: 's' },
      target: { description: '< 30 s', met: seconds < 30 },
      notes:
        `process CPU time ${cpu.toFixed(1)} s (single-threaded work: the wall time on an idle core; the wall time above includes waiting on a shared machine); ` +
        `η = 1/λ_max(θ_0) = ${(1 / lambda0).toPrecision(4)}; ${out.series.length} recorded points (λ_max, Jacobian norm, ansatz bounds, balance); ` +
        `Lanczos iterations per point: first ${its[0]}, median ${its.slice().sort((a, b) => a - b)[its.length >> 1]}; final loss ${last?.loss.toExponential(2)}, λ_max ${last?.lambdaMax?.toPrecision(8)} (${last?.sharpness?.operator})`,
      peakRssMiB: rssMiB(),
    };
  },
};

/** User + system CPU seconds of this process. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const escapeCase: BenchCase = {
  group: 'dynamics',
  name: 'escape: 15-layer scalar chain, 2·10⁵ GD steps per η (3 factors)',
  run(): BenchMeasurement {
    const rng = seededRandom(2509);
    const ws = Array.from({ length: 15 }, () => fromRows([[new Rational(BigInt(4 + Math.floor(rng() * 13)), 8n)]]));
    let P = ws[0] as Matrix<Rational>;
    for (let i = 1; i < 15; i++) P = mul(Q, ws[i] as Matrix<Rational>, P);
    const model = makeDmfModel(ws, P);
    const t0 = nowSeconds();
    const rep = escape({ family: 'deep-linear', model }, { factors: [0.9, 1.2, 2.5], steps: 200000, trajectoryPoints: 0 });
    const total = nowSeconds() - t0;
    const per = rep.runs.map((r) => r.seconds);
    const worst = Math.max(...per);
    return {
      seconds: worst,
      metric: { name: 'seconds per η (slowest)', value: worst, unit: 's' },
      target: { description: '< 2 s per η', met: worst < 2 },
      notes: `per η: ${per.map((s) => s.toFixed(2)).join(', ')} s; total with the exact certificate and eigenvectors ${total.toFixed(2)} s; verdicts ${rep.runs.map((r) => `${r.etaFactor}: ${r.verdict}`).join(', ')}`,
      peakRssMiB: rssMiB(),
    };
  },
};

export const dynamicsCases: readonly BenchCase[] = [trainCase, escapeCase];
