/**
 * Closed-form Hessian benchmarks (issue: core engine): exact dense Hessian (N = 3, d = 4), float
 * dense Hessian (N = 4, d = 32), and the matrix-free HVP against one gradient (N = 4, d = 256).
 */
import { F64, Q } from '../../../src/field/field.js';
import { Rational } from '../../../src/field/rational.js';
import { gradient, hessian, hessianVectorProduct, preparePoint, type NetworkSpec } from '../../../src/hessian/index.js';
import { generate, type Matrix } from '../../../src/linalg/matrix.js';
import { type BenchCase, type BenchMeasurement, measure, seededRandom } from '../harness.js';

/** A random DMF point of depth `N`, width `d` (float entries ~ U(−1, 1)/√d so the products stay O(1)). */
function floatSpec(N: number, d: number, seed: number): NetworkSpec<number> {
  const rng = seededRandom(seed);
  const s = 1 / Math.sqrt(d);
  const rand = (): Matrix<number> => generate(d, d, () => (rng() * 2 - 1) * s);
  return { weights: Array.from({ length: N }, rand), objective: { kind: 'dmf', target: rand() }, reduction: 'half' };
}

/** A random exact DMF point with entries p/q, |p| ≤ 9, q ≤ 4 (a non-minimizer, so residual blocks are exercised). */
function exactSpec(N: number, d: number, seed: number): NetworkSpec<Rational> {
  const rng = seededRandom(seed);
  const entry = (): Rational => new Rational(BigInt(Math.floor(rng() * 19) - 9), BigInt(1 + Math.floor(rng() * 4)));
  const rand = (): Matrix<Rational> => generate(d, d, entry);
  return { weights: Array.from({ length: N }, rand), objective: { kind: 'dmf', target: rand() }, reduction: 'half' };
}

const exactHessianCase: BenchCase = {
  group: 'hessian',
  name: 'exact full Hessian, N = 3, d = 4 (48 parameters)',
  run(): BenchMeasurement {
    const spec = exactSpec(3, 4, 7);
    const t = measure(() => hessian(preparePoint(Q, spec)), { warmup: 1, repetitions: 5 });
    const maxBits = Math.max(...t.result.data.map((x) => x.num.toString(2).length + x.den.toString(2).length));
    return {
      seconds: t.best,
      metric: { name: 'entries per second', value: t.result.data.length / t.best, unit: 'entries/s' },
      notes: `median ${(t.median * 1e3).toFixed(1)} ms; largest entry ${maxBits} bits (numerator + denominator)`,
      peakRssMiB: t.peakRssMiB,
    };
  },
};

const floatHessianCase: BenchCase = {
  group: 'hessian',
  name: 'float64 full Hessian, N = 4, d = 32 (4096 parameters)',
  run(): BenchMeasurement {
    const spec = floatSpec(4, 32, 11);
    const t = measure(() => hessian(preparePoint(F64, spec)), { warmup: 1, repetitions: 3, maxSeconds: 60 });
    return {
      seconds: t.best,
      metric: { name: 'entries per second', value: t.result.data.length / t.best, unit: 'entries/s' },
      notes: `median ${t.median.toFixed(2)} s; ${t.result.rows}×${t.result.cols} = ${(t.result.data.length / 1e6).toFixed(1)} M entries`,
      peakRssMiB: t.peakRssMiB,
    };
  },
};

const hvpCase: BenchCase = {
  group: 'hessian',
  name: 'HVP vs gradient, N = 4, d = 256 (262144 parameters)',
  run(): BenchMeasurement {
    const spec = floatSpec(4, 256, 13);
    const rng = seededRandom(17);
    const v = Array.from({ length: 4 * 256 * 256 }, () => rng() * 2 - 1);
    // A gradient from scratch: forward partial products and backward products, as autodiff would do.
    const g = measure(() => gradient(preparePoint(F64, spec)), { warmup: 1, repetitions: 5, maxSeconds: 30 });
    const pt = preparePoint(F64, spec);
    const h = measure(() => hessianVectorProduct(pt, v), { warmup: 1, repetitions: 5, maxSeconds: 30 });
    const ratio = h.best / g.best;
    return {
      seconds: h.best,
      metric: { name: 'HVP time / gradient time', value: ratio, unit: '×' },
      target: { description: 'HVP ≤ 3× one gradient', met: ratio <= 3 },
      notes: `HVP ${(h.best * 1e3).toFixed(0)} ms (point prepared once), gradient from scratch ${(g.best * 1e3).toFixed(0)} ms`,
      peakRssMiB: Math.max(g.peakRssMiB, h.peakRssMiB),
    };
  },
};

export const hessianCases: BenchCase[] = [exactHessianCase, floatHessianCase, hvpCase];
