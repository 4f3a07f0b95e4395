/**
 * The float64 kernel layer (src/kernels) side by side with PyTorch in the same run:
 *
 * - float64 GEMM at 512³ and 1024³ per kernel (native BLAS with 1 and 2 threads, WebAssembly SIMD
 *   alone, JavaScript), against torch.mm float64 with 1 and 2 threads (`torch_matmul.py`).
 *   Targets: native single-threaded ≥ ½ torch single-threaded; native 2 threads ≥ 1.6× native 1 thread;
 * - the closed-form Hessian–vector product at N = 4, d = 256 (a float minimizer) per kernel, against
 *   torch's double-backward HVP in float64 (`torch_dln_hvp.py`, 1 and 2 threads; "reuse" is
 *   PyHessian's recipe, the gradient graph built once). Target: native 1 thread no slower than
 *   torch 1 thread (reuse);
 * - two of our processes side by side, each with the default threads, against one alone: the
 *   machine's total GEMM throughput must not collapse (target: both together ≥ 0.7× one alone);
 * - dense decompositions at n = 256, 512, 1024 through the public functions (`symmetricEigenvalues`,
 *   `symmetricEigen`, `singularValues`, `svd`: input checks, scaling and sign normalisation
 *   included) per kernel — native LAPACK with 1 and 2 threads, the JavaScript path — against NumPy's
 *   `eigvalsh` / `eigh` / `svd` on ONE thread (`numpy_eigh_svd.py`, thread limits set in its env
 *   before numpy loads). Ratios are ours/numpy in time (below 1 = faster than numpy).
 *
 * Torch figures come from Debian's python3-torch when it is installed, else the rows say so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { F64 } from '../../../src/field/field.js';
import { hessianOperator, hessianVectorProduct } from '../../../src/hessian/hvp.js';
import { preparePoint, type NetworkSpec } from '../../../src/hessian/index.js';
import { availableKernels, configuredThreads, useKernel, activeKernel, availableCores } from '../../../src/kernels/registry.js';
import type { F64Kernel, KernelName } from '../../../src/kernels/kernel.js';
import { symmetricEigen } from '../../../src/linalg/eigen-f64.js';
import { symmetricEigenvalues } from '../../../src/linalg/eigenvalues-f64.js';
import { generate, mul, type Matrix } from '../../../src/linalg/matrix.js';
import { singularValues, svd } from '../../../src/linalg/svd-f64.js';
import { type BenchCase, type BenchMeasurement, gemmGflops, measure, seededRandom } from '../harness.js';

const GROUP = 'kernels';
const PYTHON = '/usr/bin/python3';
/** dist/test/bench/cases → the source tree's test/bench. */
const SCRIPTS = join(__dirname, '..', '..', '..', '..', 'test', 'bench');

function hasTorch(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

// ---- torch baselines (run once per bench run, cached) ----

interface TorchMatmulRow {
  readonly threads: number;
  readonly n: number;
  readonly best: number;
  readonly median: number;
  readonly gflops: number;
}
let torchMatmul: { torch: string; results: TorchMatmulRow[] } | string | null = null;

function torchMatmulBaseline(): { torch: string; results: TorchMatmulRow[] } | string {
  if (torchMatmul !== null) return torchMatmul;
  if (!hasTorch()) return (torchMatmul = 'python3-torch is not installed (apt-get install python3-torch for the baseline)');
  const r = spawnSync(PYTHON, [join(SCRIPTS, 'torch_matmul.py'), '--sizes', '512,1024', '--threads', '1,2', '--seconds', '1.5'], { encoding: 'utf8', timeout: 300_000 });
  torchMatmul = r.status !== 0 ? `torch baseline failed: ${(r.stderr ?? '').slice(-300)}` : (JSON.parse(r.stdout) as { torch: string; results: TorchMatmulRow[] });
  return torchMatmul;
}

interface TorchHvpRow {
  readonly d: number;
  readonly dtype: string;
  readonly threads: number;
  readonly full?: number;
  readonly reuse?: number;
}
let torchHvp: { torch: string; results: TorchHvpRow[] } | string | null = null;

function torchHvpBaseline(): { torch: string; results: TorchHvpRow[] } | string {
  if (torchHvp !== null) return torchHvp;
  if (!hasTorch()) return (torchHvp = 'python3-torch is not installed (apt-get install python3-torch for the baseline)');
  const r = spawnSync(PYTHON, [join(SCRIPTS, 'torch_dln_hvp.py'), '--sizes', String(HVP_D), '--depth', String(HVP_N), '--seconds', '2'], { encoding: 'utf8', timeout: 300_000 });
  torchHvp = r.status !== 0 ? `torch baseline failed: ${(r.stderr ?? '').slice(-300)}` : (JSON.parse(r.stdout) as { torch: string; results: TorchHvpRow[] });
  return torchHvp;
}

// ---- GEMM per kernel ----

/** Best GFLOP/s of our kernels in this run, by `name/threads/n`, for the 2-thread target. */
const ours = new Map<string, number>();

function randomSquare(n: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  return Float64Array.from({ length: n * n }, () => rng() * 2 - 1);
}

function kernelNamed(name: KernelName): F64Kernel | undefined {
  return availableKernels().find((k) => k.name === name);
}

function gemmKernelCase(name: KernelName, threads: number, n: number): BenchCase {
  return {
    group: GROUP,
    name: `float64 GEMM ${n}³, ${name} kernel, ${threads} thread${threads === 1 ? '' : 's'}`,
    run(): BenchMeasurement {
      const k = kernelNamed(name);
      if (k === undefined) throw new Error(`the ${name} kernel did not load here`);
      if (threads > k.maxThreads) throw new Error(`the ${name} kernel is single-threaded or ${threads} exceeds the ${availableCores()} cores`);
      const a = randomSquare(n, 1);
      const b = randomSquare(n, 2);
      const c = new Float64Array(n * n);
      k.setThreads(threads);
      let t;
      try {
        t = measure(() => k.gemm(false, false, n, n, n, 1, a, b, 0, c), { warmup: 1, repetitions: name === 'js' ? 3 : 10, maxSeconds: 3 });
      } finally {
        k.setThreads(configuredThreads());
      }
      const gflops = gemmGflops(n, n, n, t.best);
      ours.set(`${name}/${threads}/${n}`, gflops);
      const torch = torchMatmulBaseline();
      const notes = [`median ${gemmGflops(n, n, n, t.median).toFixed(1)} GFLOP/s over ${t.samples.length} runs`];
      let target: BenchMeasurement['target'];
      if (typeof torch === 'string') notes.push(torch);
      else {
        const t1 = torch.results.find((r) => r.threads === 1 && r.n === n);
        const t2 = torch.results.find((r) => r.threads === 2 && r.n === n);
        if (t1 !== undefined) notes.push(`torch ${torch.torch} 1 thread ${t1.gflops.toFixed(1)} GFLOP/s (ours/torch ${(gflops / t1.gflops).toFixed(2)})`);
        if (t2 !== undefined) notes.push(`torch 2 threads ${t2.gflops.toFixed(1)} GFLOP/s (ours/torch ${(gflops / t2.gflops).toFixed(2)})`);
        if (name === 'native' && threads === 1 && t1 !== undefined) target = { description: '≥ ½ of torch float64 matmul, 1 thread', met: gflops >= 0.5 * t1.gflops };
      }
      if (name === 'native' && threads === 2) {
        const one = ours.get(`native/1/${n}`);
        if (one !== undefined) {
          notes.push(`2 threads / 1 thread = ${(gflops / one).toFixed(2)}`);
          target = { description: '≥ 1.6× the native 1-thread figure', met: gflops >= 1.6 * one };
        }
      }
      return { seconds: t.best, metric: { name: 'throughput, best run', value: gflops, unit: 'GFLOP/s' }, ...(target === undefined ? {} : { target }), notes: notes.join('; '), peakRssMiB: t.peakRssMiB };
    },
  };
}

function torchGemmCase(threads: number, n: number): BenchCase {
  return {
    group: GROUP,
    name: `torch float64 matmul ${n}³, ${threads} thread${threads === 1 ? '' : 's'} (baseline)`,
    run(): BenchMeasurement {
      const torch = torchMatmulBaseline();
      if (typeof torch === 'string') throw new Error(torch);
      const r = torch.results.find((x) => x.threads === threads && x.n === n);
      if (r === undefined) throw new Error('no such row in the torch output');
      return {
        seconds: r.best,
        metric: { name: 'throughput, best run', value: r.gflops, unit: 'GFLOP/s' },
        notes: `PyTorch ${torch.torch} torch.mm, best of timed runs (median ${gemmGflops(n, n, n, r.median).toFixed(1)} GFLOP/s), measured in this run`,
      };
    },
  };
}

// ---- HVP at N = 4, d = 256 ----

const HVP_N = 4;
const HVP_D = 256;

/** A float DMF minimizer (the `sharpness` bench's): weights I + U(−½, ½)/√d, target their product. */
function floatMinimizer(N: number, d: number): NetworkSpec<number> {
  const rng = seededRandom(5);
  const s = 1 / Math.sqrt(d);
  const weights: Matrix<number>[] = Array.from({ length: N }, () => generate(d, d, (i, j) => (i === j ? 1 : 0) + (rng() * 2 - 1) * s * 0.5));
  let P = weights[0] as Matrix<number>;
  for (let i = 1; i < N; i++) P = mul(F64, weights[i] as Matrix<number>, P);
  return { weights, objective: { kind: 'dmf', target: P }, reduction: 'half' };
}

function hvpCase(name: KernelName, threads: number): BenchCase {
  return {
    group: GROUP,
    name: `HVP N = ${HVP_N}, d = ${HVP_D} (closed form), ${name} kernel, ${threads} thread${threads === 1 ? '' : 's'}`,
    run(): BenchMeasurement {
      const before = activeKernel().name;
      const k = useKernel(name);
      if (threads > k.maxThreads) throw new Error(`the ${name} kernel is single-threaded`);
      k.setThreads(threads);
      try {
        const pt = preparePoint(F64, floatMinimizer(HVP_N, HVP_D));
        const rng = seededRandom(9);
        const u = Array.from({ length: HVP_N * HVP_D * HVP_D }, () => rng() * 2 - 1);
        // The operator plans once per point (copies, residual test), as Lanczos uses it and as torch's
        // "graph reused" recipe builds the gradient graph once.
        const op = hessianOperator(pt);
        const t = measure(() => op.matvec(u), { warmup: 2, repetitions: name === 'js' ? 3 : 15, maxSeconds: 3 });
        // Agreement with the JS reference kernel's product (within rounding; the kernels sum in different orders).
        useKernel('js');
        const ref = hessianVectorProduct(pt, u);
        let num = 0;
        let den = 0;
        t.result.forEach((x, i) => {
          num = Math.max(num, Math.abs(x - (ref[i] as number)));
          den = Math.max(den, Math.abs(ref[i] as number));
        });
        const diff = `; max |Hu − Hu(js)| / max |Hu(js)| = ${(num / den).toExponential(1)}`;
        const notes = [`median ${(t.median * 1e3).toFixed(1)} ms over ${t.samples.length} runs (hessianOperator matvec; 262144 parameters, at a minimizer: 12 products of 256³)${diff}`];
        let target: BenchMeasurement['target'];
        const torch = torchHvpBaseline();
        if (typeof torch === 'string') notes.push(torch);
        else {
          for (const th of [1, 2]) {
            const row = torch.results.find((r) => r.d === HVP_D && r.dtype === 'float64' && r.threads === th);
            if (row?.reuse !== undefined && row.full !== undefined) {
              notes.push(`torch ${torch.torch} float64 ${th} thread${th === 1 ? '' : 's'}: ${(row.reuse * 1e3).toFixed(1)} ms (graph reused), ${(row.full * 1e3).toFixed(1)} ms (from scratch); ours/torch(reused) = ${(t.best / row.reuse).toFixed(2)} in time`);
              if (th === 1 && name === 'native' && threads === 1) target = { description: 'no slower than torch double-backward HVP, 1 thread (graph reused)', met: t.best <= row.reuse };
            }
          }
        }
        return { seconds: t.best, metric: { name: 'seconds per HVP, best run', value: t.best, unit: 's' }, ...(target === undefined ? {} : { target }), notes: notes.join('; '), peakRssMiB: t.peakRssMiB };
      } finally {
        useKernel(before);
      }
    },
  };
}

// ---- two processes side by side ----

interface ChildResult {
  readonly kernel: string;
  readonly threads: number;
  readonly gflops: number;
  readonly meanGflops: number;
  readonly runs: number;
}

function runChildren(count: number, n: number, seconds: number): Promise<ChildResult[]> {
  const script = join(__dirname, '..', 'gemm-child.js');
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ChildResult>((resolve, reject) => {
          const p = spawn(process.execPath, [script, String(n), String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          p.stdout.on('data', (d: Buffer) => (out += d.toString()));
          p.stderr.on('data', (d: Buffer) => (err += d.toString()));
          p.on('error', reject);
          p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`child exited ${code}: ${err.slice(-300)}`))));
        }),
    ),
  );
}

/** The same experiment with torch.mm (2 threads each): one process alone, then two at once. */
async function torchSideBySide(n: number, seconds: number): Promise<string> {
  if (!hasTorch()) return 'python3-torch is not installed (no torch comparison)';
  const one = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const p = spawn(PYTHON, [join(SCRIPTS, 'torch_matmul.py'), '--sizes', String(n), '--threads', '2', '--seconds', String(seconds), '--max-runs', '10000'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve((JSON.parse(out) as { results: { mean_gflops: number }[] }).results[0]?.mean_gflops ?? NaN) : reject(new Error(`torch exited ${code}`))));
    });
  try {
    const alone = await one();
    const pair = await Promise.all([one(), one()]);
    const together = pair.reduce((s, x) => s + x, 0);
    return `torch.mm 2 threads each, same test: alone ${alone.toFixed(1)}, side by side ${pair.map((x) => x.toFixed(1)).join(' + ')} = ${together.toFixed(1)} GFLOP/s mean (×${(together / alone).toFixed(2)})`;
  } catch (e) {
    return `torch side by side failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const sideBySideCase: BenchCase = {
  group: GROUP,
  name: 'two processes side by side (default threads), float64 GEMM 1024³: total throughput vs one alone',
  async run(): Promise<BenchMeasurement> {
    const n = 1024;
    const seconds = 4;
    const [alone] = await runChildren(1, n, seconds);
    const pair = await runChildren(2, n, seconds);
    if (alone === undefined) throw new Error('no result');
    const together = pair.reduce((s, r) => s + r.meanGflops, 0);
    const ratio = together / alone.meanGflops;
    const torch = await torchSideBySide(n, seconds);
    return {
      seconds: seconds,
      metric: { name: 'two together / one alone (total mean GFLOP/s)', value: ratio, unit: '×' },
      target: { description: 'no collapse: two together ≥ 0.7× one alone', met: ratio >= 0.7 },
      notes: `${alone.kernel} kernel, ${alone.threads} thread${alone.threads === 1 ? '' : 's'} each; alone ${alone.meanGflops.toFixed(1)} GFLOP/s mean (${alone.runs} runs); side by side ${pair.map((r) => `${r.meanGflops.toFixed(1)}`).join(' + ')} = ${together.toFixed(1)} GFLOP/s mean; ${torch}`,
    };
  },
};

// ---- dense decompositions: symmetric eigen and SVD, against NumPy on one thread ----

const DECOMP_SIZES = [256, 512, 1024] as const;
type DecompOp = 'eigvalsh' | 'eigh' | 'svdvals' | 'svd';
const DECOMP_LABEL: Record<DecompOp, string> = {
  eigvalsh: 'symmetric eigenvalues (symmetricEigenvalues)',
  eigh: 'symmetric eigen-decomposition with vectors (symmetricEigen)',
  svdvals: 'singular values (singularValues)',
  svd: 'thin SVD with U and V (svd)',
};

interface NumpyRow {
  readonly op: DecompOp;
  readonly n: number;
  readonly best: number;
  readonly median: number;
  readonly runs: number;
}
let numpyDecomp: { numpy: string; results: NumpyRow[] } | string | null = null;

function numpyBaseline(): { numpy: string; results: NumpyRow[] } | string {
  if (numpyDecomp !== null) return numpyDecomp;
  if (spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0) return (numpyDecomp = 'numpy is not installed (no NumPy comparison)');
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(PYTHON, [join(SCRIPTS, 'numpy_eigh_svd.py'), '--sizes', DECOMP_SIZES.join(','), '--seconds', '1'], { encoding: 'utf8', timeout: 300_000, env });
  numpyDecomp = r.status !== 0 ? `numpy baseline failed: ${(r.stderr ?? '').slice(-300)}` : (JSON.parse(r.stdout) as { numpy: string; results: NumpyRow[] });
  return numpyDecomp;
}

/** The bench inputs: `X` uniform in [−1, 1) and `(X + Xᵀ)/2`, from a fixed seed. */
function decompInput(n: number): { X: Matrix<number>; S: Matrix<number> } {
  const rng = seededRandom(n + 17);
  const x = Array.from({ length: n * n }, () => rng() * 2 - 1);
  const s = x.map((_, idx) => 0.5 * ((x[idx] as number) + (x[Math.floor(idx / n) + (idx % n) * n] as number)));
  return { X: { rows: n, cols: n, data: x }, S: { rows: n, cols: n, data: s } };
}

/** Best seconds of our rows in this run, by `op/kernel/threads/n`, for the ratios between rows. */
const decompOurs = new Map<string, number>();

function decompositionCase(op: DecompOp, n: number, name: KernelName, threads: number): BenchCase {
  return {
    group: GROUP,
    name: `${DECOMP_LABEL[op]} ${n}×${n}, ${name} kernel, ${threads} thread${threads === 1 ? '' : 's'}`,
    run(): BenchMeasurement {
      const before = activeKernel().name;
      const k = useKernel(name);
      if (threads > k.maxThreads) throw new Error(`the ${name} kernel is single-threaded or ${threads} exceeds the ${availableCores()} cores`);
      k.setThreads(threads);
      try {
        const { X, S } = decompInput(n);
        // Each returns what ran (the method line; the values-only functions have none).
        const fn = {
          eigvalsh: () => (symmetricEigenvalues(S).length === n ? undefined : 'wrong length'),
          eigh: () => symmetricEigen(S).method,
          svdvals: () => (singularValues(X).length === n ? undefined : 'wrong length'),
          svd: () => svd(X).method,
        }[op];
        // The JavaScript path at 1024 takes seconds to tens of seconds per run: one timed run.
        const slow = name !== 'native' && n >= 1024;
        const t = measure(fn, { warmup: slow ? 0 : 1, repetitions: slow ? 1 : 5, maxSeconds: 3 });
        if (t.result === 'wrong length') throw new Error('the decomposition returned the wrong number of values');
        decompOurs.set(`${op}/${name}/${threads}/${n}`, t.best);
        const notes = [`median ${formatSecondsShort(t.median)} over ${t.samples.length} run${t.samples.length === 1 ? '' : 's'}${t.result === undefined ? '' : `; ${t.result}`}`];
        const np = numpyBaseline();
        if (typeof np === 'string') notes.push(np);
        else {
          const row = np.results.find((r) => r.op === op && r.n === n);
          if (row !== undefined) notes.push(`NumPy ${np.numpy} ${op}, 1 thread: ${formatSecondsShort(row.best)}; ours/numpy = ${(t.best / row.best).toFixed(2)} in time`);
        }
        if (name === 'native' && threads > 1) {
          const one = decompOurs.get(`${op}/native/1/${n}`);
          if (one !== undefined) notes.push(`${threads} threads run at ${(one / t.best).toFixed(2)}× the 1-thread speed`);
        }
        if (name !== 'native') {
          const nat = decompOurs.get(`${op}/native/1/${n}`);
          if (nat !== undefined) notes.push(`native 1 thread is ×${(t.best / nat).toFixed(1)} faster`);
        }
        return { seconds: t.best, metric: { name: 'seconds, best run', value: t.best, unit: 's' }, notes: notes.join('; '), peakRssMiB: t.peakRssMiB };
      } finally {
        k.setThreads(configuredThreads());
        useKernel(before);
      }
    },
  };
}

function numpyDecompositionCase(op: DecompOp, n: number): BenchCase {
  return {
    group: GROUP,
    name: `NumPy ${op} ${n}×${n}, 1 thread (baseline)`,
    run(): BenchMeasurement {
      const np = numpyBaseline();
      if (typeof np === 'string') throw new Error(np);
      const row = np.results.find((r) => r.op === op && r.n === n);
      if (row === undefined) throw new Error('no such row in the numpy output');
      return {
        seconds: row.best,
        metric: { name: 'seconds, best run', value: row.best, unit: 's' },
        notes: `NumPy ${np.numpy} np.linalg.${op === 'eigvalsh' ? 'eigvalsh' : op === 'eigh' ? 'eigh' : op === 'svdvals' ? 'svd(compute_uv=False)' : 'svd(full_matrices=False)'}, OMP/OPENBLAS_NUM_THREADS=1, best of ${row.runs} (median ${formatSecondsShort(row.median)}), measured in this run`,
      };
    },
  };
}

function formatSecondsShort(s: number): string {
  return s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`;
}

const decompositionCases: BenchCase[] = DECOMP_SIZES.flatMap((n) =>
  (['eigvalsh', 'eigh', 'svdvals', 'svd'] as const).flatMap((op) => [
    numpyDecompositionCase(op, n),
    decompositionCase(op, n, 'native', 1),
    decompositionCase(op, n, 'native', 2),
    decompositionCase(op, n, 'js', 1),
  ]),
);

/** The kernel-layer rows: GEMM per kernel and thread count with torch, HVP per kernel with torch, side-by-side processes, dense decompositions with NumPy. */
export const kernelLayerCases: BenchCase[] = [
  ...[512, 1024].flatMap((n) => [
    torchGemmCase(1, n),
    torchGemmCase(2, n),
    gemmKernelCase('native', 1, n),
    gemmKernelCase('native', 2, n),
    gemmKernelCase('wasm', 1, n),
    gemmKernelCase('js', 1, n),
  ]),
  hvpCase('native', 1),
  hvpCase('native', 2),
  hvpCase('wasm', 1),
  hvpCase('js', 1),
  sideBySideCase,
  ...decompositionCases,
];
