import { Matrix as MlMatrix } from 'ml-matrix';
import { symmetricEigen } from '../../../src/linalg/eigen-f64.js';
import { gemmF64 } from '../../../src/linalg/gemm-f64.js';
import { activeKernel } from '../../../src/kernels/registry.js';
import type { Matrix } from '../../../src/linalg/matrix.js';
import { type BenchCase, type BenchMeasurement, gemmGflops, measure, seededRandom } from '../harness.js';

/** The GFLOP/s the blocked kernel must reach at 512³ on one core (the plain loop does ≈ 1.1–1.3). */
const GEMM_TARGET_GFLOPS = 3;

function randomSquare(n: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = rng() * 2 - 1;
  return a;
}

/** The kernel `gemmF64` replaced: a column-oriented (j, p, i) triple loop, kept as the baseline. */
function plainLoopGemm(m: number, n: number, k: number, a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) {
      const bpj = b[p + j * k] as number;
      const ao = p * m;
      const co = j * m;
      for (let i = 0; i < m; i++) c[co + i] = (c[co + i] as number) + (a[ao + i] as number) * bpj;
    }
  }
  return c;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs((x[i] as number) - (y[i] as number)));
  return d;
}

function gemmCase(n: number, withTarget: boolean): BenchCase {
  return {
    group: 'kernels',
    name: `gemmF64 ${n}×${n}×${n}`,
    run(): BenchMeasurement {
      const a = randomSquare(n, 1);
      const b = randomSquare(n, 2);
      const t = measure(() => gemmF64(n, n, n, a, b), { warmup: 1, repetitions: n >= 1024 ? 3 : 5 });
      const gflops = gemmGflops(n, n, n, t.best);
      const base: BenchMeasurement = {
        seconds: t.best,
        metric: { name: 'throughput, best run', value: gflops, unit: 'GFLOP/s' },
        notes: `median ${(gemmGflops(n, n, n, t.median)).toFixed(2)} GFLOP/s over ${t.samples.length} runs; gemmF64 on the active kernel (${activeKernel().name}, ${activeKernel().threads()} thread(s))`,
        peakRssMiB: t.peakRssMiB,
      };
      return withTarget
        ? { ...base, target: { description: `≥ ${GEMM_TARGET_GFLOPS} GFLOP/s at ${n}³ on one core`, met: gflops >= GEMM_TARGET_GFLOPS } }
        : base;
    },
  };
}

function plainLoopCase(n: number): BenchCase {
  return {
    group: 'kernels',
    name: `plain triple loop ${n}×${n}×${n} (baseline)`,
    run(): BenchMeasurement {
      const a = randomSquare(n, 1);
      const b = randomSquare(n, 2);
      const t = measure(() => plainLoopGemm(n, n, n, a, b), { warmup: 1, repetitions: 3 });
      const d = maxAbsDiff(t.result, gemmF64(n, n, n, a, b));
      return {
        seconds: t.best,
        metric: { name: 'throughput, best run', value: gemmGflops(n, n, n, t.best), unit: 'GFLOP/s' },
        notes: `the former gemmF64 (j,p,i loop, no blocking); max |Δ| vs gemmF64 ${d.toExponential(1)}`,
        peakRssMiB: t.peakRssMiB,
      };
    },
  };
}

function mlMatrixMmulCase(n: number): BenchCase {
  return {
    group: 'kernels',
    name: `ml-matrix mmul ${n}×${n}×${n}`,
    run(): BenchMeasurement {
      const a = randomSquare(n, 1);
      const b = randomSquare(n, 2);
      // ml-matrix is row-major: store the same matrices A and B.
      const A = new MlMatrix(n, n);
      const B = new MlMatrix(n, n);
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          A.set(i, j, a[i + j * n] as number);
          B.set(i, j, b[i + j * n] as number);
        }
      }
      const t = measure(() => A.mmul(B), { warmup: 1, repetitions: 3 });
      const ours = gemmF64(n, n, n, a, b);
      let d = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(t.result.get(i, j) - (ours[i + j * n] as number)));
      return {
        seconds: t.best,
        metric: { name: 'throughput, best run', value: gemmGflops(n, n, n, t.best), unit: 'GFLOP/s' },
        notes: `for comparison; max |Δ| vs gemmF64 ${d.toExponential(1)}`,
        peakRssMiB: t.peakRssMiB,
      };
    },
  };
}

function eigenCase(n: number): BenchCase {
  return {
    group: 'kernels',
    name: `symmetricEigen ${n}×${n}`,
    run(): BenchMeasurement {
      const rng = seededRandom(3);
      const data = new Array<number>(n * n);
      for (let j = 0; j < n; j++) {
        for (let i = 0; i <= j; i++) {
          const v = rng() * 2 - 1;
          data[i + j * n] = v;
          data[j + i * n] = v;
        }
      }
      const A: Matrix<number> = { rows: n, cols: n, data };
      const t = measure(() => symmetricEigen(A), { warmup: 0, repetitions: 3, maxSeconds: 6 });
      // Residual ‖A V − V Λ‖_max / ‖A‖_max and orthogonality ‖VᵀV − I‖_max, via the blocked kernel.
      const { values, vectors } = t.result;
      const AV = gemmF64(n, n, n, data, vectors.data);
      let res = 0;
      let aMax = 0;
      for (let idx = 0; idx < n * n; idx++) {
        aMax = Math.max(aMax, Math.abs(data[idx] as number));
        const lam = values[Math.floor(idx / n)] as number;
        res = Math.max(res, Math.abs((AV[idx] as number) - (vectors.data[idx] as number) * lam));
      }
      const Vt = new Float64Array(n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) Vt[j + i * n] = vectors.data[i + j * n] as number;
      const VtV = gemmF64(n, n, n, Vt, vectors.data);
      let orth = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) orth = Math.max(orth, Math.abs((VtV[i + j * n] as number) - (i === j ? 1 : 0)));
      return {
        seconds: t.best,
        metric: { name: 'time per decomposition, best run', value: t.best, unit: 's' },
        notes: `ml-matrix tred2/tql2; ‖AV − VΛ‖_max/‖A‖_max = ${(res / aMax).toExponential(1)}, ‖VᵀV − I‖_max = ${orth.toExponential(1)}`,
        peakRssMiB: t.peakRssMiB,
      };
    },
  };
}

/** Dense binary64 kernels: blocked matrix product against baselines, symmetric eigen-decomposition. */
export const kernelCases: BenchCase[] = [
  gemmCase(256, false),
  gemmCase(512, true),
  gemmCase(1024, false),
  plainLoopCase(512),
  mlMatrixMmulCase(512),
  eigenCase(500),
];
