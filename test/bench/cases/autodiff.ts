/**
 * Autodiff benchmarks: the TensorFlow.js backends of `src/autodiff` (cpu, wasm, WebGL in headless
 * Chromium) next to the binary64 closed forms and PyTorch, on depth-3 deep matrix factorization
 * minimizers (`wideSignMinimizer`, exact in float32) of width d = 256, 512, 1024, 2048:
 *
 * - float32 matrix-product GFLOP/s per backend, beside the closed forms' `gemmF64` (binary64);
 * - seconds per Hessian–vector product per backend (reverse over reverse), beside the closed-form
 *   HVP (`hessianOperator`) and PyTorch's double backward (`torch_dln_hvp.py`, when Debian's
 *   python3-torch is installed);
 * - `λ_max` at d = 1024 end to end (device model, load, Lanczos on the device) per backend, beside the
 *   closed-form path (prepare the point, K-Lanczos to 1e-10), with the relative difference and the
 *   backend's tolerance;
 * - the ratio best backend / PyTorch at d = 512 (aim: ≤ 2).
 *
 * A backend that cannot start is recorded as unavailable. Sizes whose single product would take
 * more than a minute (estimated as 8× the previous size) are skipped and say so; products estimated
 * above 5 s are timed once (one `hvp` call, transfers included) instead of after a warm-up.
 * `BENCH_AUTODIFF_QUICK=1` keeps d ≤ 512 and takes `λ_max` at d = 512.
 *
 * The backends share tfjs's global engine (cpu, wasm) or a Chromium (WebGL): one session is open at
 * a time, started by the first case of its backend and closed when another starts or by
 * {@link closeAutodiffSessions} (which `run.ts` calls after the cases).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { deepLinearDeviceModel, type DeviceModel } from '../../../src/autodiff/device-model.js';
import { startBackend, type AutodiffEigenResult, type AutodiffSession } from '../../../src/autodiff/session.js';
import { BackendUnavailableError, type BackendName } from '../../../src/autodiff/transport.js';
import { F64 } from '../../../src/field/field.js';
import { wideSignMinimizer } from '../../../src/generators/wide.js';
import { hessianOperator } from '../../../src/hessian/hvp.js';
import { preparePoint, specFromModel } from '../../../src/hessian/index.js';
import { reducedOperatorF64 } from '../../../src/hessian/reduced.js';
import { gemmF64 } from '../../../src/linalg/gemm-f64.js';
import type { DmfModel } from '../../../src/models/model.js';
import { lanczos } from '../../../src/spectral/lanczos.js';
import { standardNormal } from '../../../src/random/mulberry32.js';
import { type BenchCase, type BenchMeasurement, gemmGflops, measure, nowSeconds, rssMiB, seededRandom } from '../harness.js';

const GROUP = 'autodiff';
const QUICK = process.env['BENCH_AUTODIFF_QUICK'] === '1';
/** Layer widths d (all layers d × d). */
const SIZES: readonly number[] = QUICK ? [256, 512] : [256, 512, 1024, 2048];
/** Depth N. */
const DEPTH = 3;
/** The width of the end-to-end `λ_max` comparison. */
const LAMBDA_D = QUICK ? 512 : 1024;
/** The width of the PyTorch comparison. */
const TORCH_D = 512;
/** Seed of the minimizers (the same instance for every backend and the closed forms). */
const SEED = 1;
/** A size whose single product (HVP or, ×3, matmul) is estimated above this is skipped. */
const MAX_PRODUCT_SECONDS = 60;
/** Products estimated above this are timed once, without a warm-up. */
const SINGLE_PRODUCT_SECONDS = 5;
/** Repetitions are chosen so that the timed products take about this long. */
const HVP_BUDGET_SECONDS = 3;
/** Seconds each matmul size is timed for (`matmulThroughput`; plus one warm-up product). */
const MATMUL_SECONDS = 1;
/** A backend's `λ_max` estimated above this (Lanczos steps × overhead × one HVP) is skipped. */
const LAMBDA_BUDGET_SECONDS = 300;
/** Lanczos steps assumed by that estimate (the device took 32–40 products at d = 256–1024). */
const LAMBDA_STEPS_ESTIMATE = 37;
/** Seconds per Lanczos step over seconds per HVP (reorthogonalisation, read-backs): 1.3–1.35 measured on cpu and WebGL. */
const LAMBDA_STEP_OVERHEAD = 1.35;
const BACKEND_ORDER: readonly BackendName[] = ['cpu', 'wasm', 'webgl'];

const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toPrecision(digits) : String(x));
const fmtS = (s: number): string => (s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`);

// ---------------------------------------------------------------------------------------------
// Shared state: instances, the open session, and what earlier cases measured (later cases quote it).

const minimizers = new Map<number, DmfModel<number>>();
const deviceModels = new Map<number, DeviceModel>();

function minimizer(d: number): DmfModel<number> {
  let m = minimizers.get(d);
  if (m === undefined) {
    m = wideSignMinimizer({ widths: Array.from({ length: DEPTH + 1 }, () => d), seed: SEED });
    minimizers.set(d, m);
  }
  return m;
}

function deviceModel(d: number): DeviceModel {
  let m = deviceModels.get(d);
  if (m === undefined) {
    m = deepLinearDeviceModel(minimizer(d), (x) => x);
    deviceModels.set(d, m);
  }
  return m;
}

/** Seconds per HVP, measured or (flagged) estimated, by backend (and `'closed'`) and d. */
const hvpSeconds = new Map<string, Map<number, { seconds: number; estimated: boolean }>>();
function hvpTable(who: string): Map<number, { seconds: number; estimated: boolean }> {
  let t = hvpSeconds.get(who);
  if (t === undefined) {
    t = new Map();
    hvpSeconds.set(who, t);
  }
  return t;
}

/** gemmF64 GFLOP/s by n. */
const gemmRates = new Map<number, number>();

let open: { readonly name: BackendName; readonly session: AutodiffSession; readonly startSeconds: number } | null = null;
const unavailable = new Map<BackendName, string>();
/** `describe()` of every backend that started. */
const descriptions = new Map<BackendName, string>();

/** Closes the open session, if any (the WebGL one holds a Chromium process open). */
export async function closeAutodiffSessions(): Promise<void> {
  const s = open;
  open = null;
  if (s !== null) await s.session.close();
}

/** The session of `name`, started on first use (closing any other), or why it cannot start. */
async function sessionFor(name: BackendName): Promise<{ session: AutodiffSession; startSeconds: number } | string> {
  if (open?.name === name) return open;
  const reason = unavailable.get(name);
  if (reason !== undefined) return reason;
  await closeAutodiffSessions();
  const t0 = nowSeconds();
  try {
    const session = await startBackend(name);
    open = { name, session, startSeconds: nowSeconds() - t0 };
    descriptions.set(name, session.describe());
    return open;
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    unavailable.set(name, e.message);
    return e.message;
  }
}

function unavailableMeasurement(reason: string): BenchMeasurement {
  return { seconds: 0, notes: `unavailable: ${reason}` };
}

function skipped(reason: string): BenchMeasurement {
  return { seconds: 0, notes: `skipped: ${reason}` };
}

function gaussianVector(n: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = standardNormal(rand);
  return v;
}

/** The estimate for d from the time at d/2 (work grows as d³). */
function estimateFromHalf(who: string, d: number): number | undefined {
  const half = hvpTable(who).get(d / 2);
  return half === undefined ? undefined : half.seconds * 8;
}

// ---------------------------------------------------------------------------------------------
// Closed forms (binary64).

const closedGemmCase: BenchCase = {
  group: GROUP,
  name: `closed form: gemmF64 (binary64) GFLOP/s, n = ${SIZES.join(', ')}`,
  run(): BenchMeasurement {
    const parts: string[] = [];
    let peak = rssMiB();
    let last = { n: 0, seconds: 0, rate: 0 };
    for (const n of SIZES) {
      const rand = seededRandom(n);
      const a = Float64Array.from({ length: n * n }, () => rand() * 2 - 1);
      const b = Float64Array.from({ length: n * n }, () => rand() * 2 - 1);
      // The kernel is warm from the smaller sizes; a large product is timed once or twice.
      const t = measure(() => gemmF64(n, n, n, a, b), { warmup: n >= 1024 ? 0 : 1, repetitions: n >= 1024 ? 2 : 5, maxSeconds: 3 });
      const rate = gemmGflops(n, n, n, t.best);
      gemmRates.set(n, rate);
      parts.push(`${n}: ${fmt(rate)} GFLOP/s (${fmtS(t.best)}, ${t.samples.length} run${t.samples.length === 1 ? '' : 's'})`);
      peak = Math.max(peak, t.peakRssMiB);
      last = { n, seconds: t.best, rate };
    }
    return {
      seconds: last.seconds,
      metric: { name: `gemmF64 ${last.n}³, best run`, value: last.rate, unit: 'GFLOP/s' },
      notes: `one core, binary64; ${parts.join('; ')}`,
      peakRssMiB: peak,
    };
  },
};

function closedHvpCase(d: number): BenchCase {
  return {
    group: GROUP,
    name: `closed form: HVP d = ${d} (N = ${DEPTH}, DMF minimizer, binary64)`,
    run(): BenchMeasurement {
      const est = estimateFromHalf('closed', d);
      if (est !== undefined && est > MAX_PRODUCT_SECONDS) {
        hvpTable('closed').set(d, { seconds: est, estimated: true });
        return skipped(`one product estimated at ${fmtS(est)} (8× the time at d = ${d / 2}), above ${MAX_PRODUCT_SECONDS} s`);
      }
      const model = minimizer(d);
      const t0 = nowSeconds();
      const op = hessianOperator(preparePoint(F64, specFromModel(model)));
      const prepare = nowSeconds() - t0;
      const v = Array.from(gaussianVector(op.shape[0], 7));
      let seconds: number;
      let how: string;
      let peak: number;
      if (est !== undefined && est > SINGLE_PRODUCT_SECONDS) {
        const t = measure(() => op.matvec(v), { warmup: 0, repetitions: 1 });
        seconds = t.best;
        peak = t.peakRssMiB;
        how = 'one product (no warm-up)';
      } else {
        const reps = est === undefined ? 3 : Math.max(1, Math.min(10, Math.round(HVP_BUDGET_SECONDS / est)));
        const t = measure(() => op.matvec(v), { warmup: 1, repetitions: reps, maxSeconds: HVP_BUDGET_SECONDS });
        seconds = t.best;
        peak = t.peakRssMiB;
        how = `best of ${t.samples.length} after a warm-up`;
      }
      hvpTable('closed').set(d, { seconds, estimated: false });
      return {
        seconds,
        metric: { name: 'seconds per HVP', value: seconds, unit: 's' },
        notes: `${how}; point prepared in ${fmtS(prepare)}; dim θ = ${op.shape[0]}; zero residual, so 4N products of width d (identities skipped)`,
        peakRssMiB: peak,
      };
    },
  };
}

interface ClosedLambda {
  readonly value: number;
  readonly residual: number;
  readonly iterations: number;
  readonly prepareSeconds: number;
  readonly lanczosSeconds: number;
}
let closedLambdaValue: ClosedLambda | null = null;

/** The closed-form `λ_max` at d = {@link LAMBDA_D}: prepare the point, then K-Lanczos to 1e-10 (as `deepLinearReference`). */
function closedLambda(): ClosedLambda {
  if (closedLambdaValue !== null) return closedLambdaValue;
  const model = minimizer(LAMBDA_D);
  const t0 = nowSeconds();
  const pt = preparePoint(F64, specFromModel(model));
  const K = reducedOperatorF64(pt);
  const t1 = nowSeconds();
  const r = lanczos(K, { k: 1, tolerance: 1e-10, accuracy: 'eigenvalue', seed: 0 });
  const t2 = nowSeconds();
  closedLambdaValue = { value: r.eigenvalues[0] as number, residual: r.residuals[0] as number, iterations: r.iterations, prepareSeconds: t1 - t0, lanczosSeconds: t2 - t1 };
  return closedLambdaValue;
}

const closedLambdaCase: BenchCase = {
  group: GROUP,
  name: `closed form: λ_max d = ${LAMBDA_D} end to end (prepare point + K-Lanczos, binary64)`,
  run(): BenchMeasurement {
    const c = closedLambda();
    const seconds = c.prepareSeconds + c.lanczosSeconds;
    return {
      seconds,
      metric: { name: 'seconds to λ_max', value: seconds, unit: 's' },
      notes:
        `λ_max = ${c.value.toPrecision(12)} (K is ${LAMBDA_D ** 2}×${LAMBDA_D ** 2}; ${c.iterations} Lanczos steps to 1e-10 relative, residual ${c.residual.toExponential(1)}); ` +
        `prepare ${fmtS(c.prepareSeconds)}, Lanczos ${fmtS(c.lanczosSeconds)}`,
      peakRssMiB: rssMiB(),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Backends.

function matmulCase(name: BackendName): BenchCase {
  return {
    group: GROUP,
    name: `${name}: float32 matmul GFLOP/s, n = ${SIZES.join(', ')}`,
    async run(): Promise<BenchMeasurement> {
      const s = await sessionFor(name);
      if (typeof s === 'string') return unavailableMeasurement(s);
      const parts: string[] = [];
      let last: { n: number; rate: number } | null = null;
      for (const n of SIZES) {
        // matmulThroughput runs a warm-up product and at least two timed ones.
        const est = last === null ? undefined : (2 * n ** 3) / (last.rate * 1e9);
        if (est !== undefined && 3 * est > MAX_PRODUCT_SECONDS) {
          parts.push(`${n}: skipped (one product ≈ ${fmtS(est)} at the ${last?.n} rate; the timer runs at least 3)`);
          continue;
        }
        const [rate] = await s.session.matmulThroughput([n], MATMUL_SECONDS);
        const g = gemmRates.get(n);
        parts.push(`${n}: ${fmt(rate as number)}${g === undefined ? '' : ` (gemmF64 ${fmt(g)}, ×${fmt((rate as number) / g, 2)})`}`);
        last = { n, rate: rate as number };
      }
      return {
        seconds: last === null ? 0 : (2 * last.n ** 3) / (last.rate * 1e9),
        ...(last === null ? {} : { metric: { name: `float32 ${last.n}³`, value: last.rate, unit: 'GFLOP/s' } }),
        notes: `${s.session.describe()}, started in ${fmtS(s.startSeconds)}; GFLOP/s by n: ${parts.join('; ')}`,
        peakRssMiB: rssMiB(),
      };
    },
  };
}

function hvpCase(name: BackendName, d: number): BenchCase {
  return {
    group: GROUP,
    name: `${name}: HVP d = ${d} (N = ${DEPTH}, DMF minimizer, float32)`,
    async run(): Promise<BenchMeasurement> {
      const s = await sessionFor(name);
      if (typeof s === 'string') return unavailableMeasurement(s);
      const est = estimateFromHalf(name, d);
      if (est !== undefined && est > MAX_PRODUCT_SECONDS) {
        hvpTable(name).set(d, { seconds: est, estimated: true });
        return skipped(`one product estimated at ${fmtS(est)} (8× the time at d = ${d / 2}), above ${MAX_PRODUCT_SECONDS} s`);
      }
      const dm = deviceModel(d);
      const t0 = nowSeconds();
      const m = await s.session.load(dm);
      const load = nowSeconds() - t0;
      let seconds: number;
      let how: string;
      try {
        if (est !== undefined && est > SINGLE_PRODUCT_SECONDS) {
          const v = gaussianVector(dm.dimension, 7);
          const t1 = nowSeconds();
          await m.hvp(v);
          seconds = nowSeconds() - t1;
          how = 'one product (no warm-up; transfers and layout conversion included)';
        } else {
          // A probe (one warm-up and one timed product), then enough repetitions for the budget.
          const probe = await m.timeHvp(1);
          const reps = Math.max(1, Math.min(10, Math.round(HVP_BUDGET_SECONDS / probe)));
          if (reps <= 1) {
            seconds = probe;
            how = 'one product after a warm-up';
          } else {
            seconds = await m.timeHvp(reps);
            how = `mean of ${reps} products after a warm-up (on the device, no transfers)`;
          }
        }
      } finally {
        await m.dispose();
      }
      hvpTable(name).set(d, { seconds, estimated: false });
      const closed = hvpTable('closed').get(d);
      const vsClosed = closed === undefined ? '' : `; closed form (binary64) ${closed.estimated ? '≈ ' : ''}${fmtS(closed.seconds)}, backend/closed ×${fmt(seconds / closed.seconds, 2)}`;
      return {
        seconds,
        metric: { name: 'seconds per HVP', value: seconds, unit: 's' },
        notes: `${how}; load ${fmtS(load)}; dim θ = ${dm.dimension}${vsClosed}`,
        peakRssMiB: rssMiB(),
      };
    },
  };
}

function lambdaCase(name: BackendName): BenchCase {
  return {
    group: GROUP,
    name: `${name}: λ_max d = ${LAMBDA_D} end to end (device model + load + device Lanczos, float32)`,
    async run(): Promise<BenchMeasurement> {
      const s = await sessionFor(name);
      if (typeof s === 'string') return unavailableMeasurement(s);
      const h = hvpTable(name).get(LAMBDA_D) ?? (() => {
        const e = estimateFromHalf(name, LAMBDA_D);
        return e === undefined ? undefined : { seconds: e, estimated: true };
      })();
      if (h !== undefined) {
        const est = LAMBDA_STEPS_ESTIMATE * LAMBDA_STEP_OVERHEAD * h.seconds;
        if (est > LAMBDA_BUDGET_SECONDS) {
          return skipped(
            `estimated ${fmtS(est)} (${LAMBDA_STEPS_ESTIMATE} Lanczos steps × ${LAMBDA_STEP_OVERHEAD} × ${h.estimated ? 'an estimated' : 'the measured'} ${fmtS(h.seconds)} per HVP), above ${LAMBDA_BUDGET_SECONDS} s`,
          );
        }
      }
      const model = minimizer(LAMBDA_D);
      const t0 = nowSeconds();
      const dm = deepLinearDeviceModel(model, (x) => x);
      const m = await s.session.load(dm);
      const t1 = nowSeconds();
      let eig: AutodiffEigenResult;
      try {
        eig = await m.eigen({ k: 1, seed: 0 });
      } finally {
        await m.dispose();
      }
      const seconds = nowSeconds() - t0;
      const lambda = eig.eigenvalues[0] as number;
      const c = closedLambda();
      const rel = Math.abs(lambda - c.value) / Math.abs(c.value);
      const tol = m.tolerance + eig.tolerance + 1e-10;
      return {
        seconds,
        metric: { name: 'seconds to λ_max', value: seconds, unit: 's' },
        notes:
          `λ_max = ${lambda.toPrecision(9)} (${eig.iterations} steps, ${eig.matvecs} HVPs, ${eig.converged ? 'converged' : 'NOT converged'}, residual ${(eig.residuals[0] ?? NaN).toExponential(1)}); ` +
          `convert + load ${fmtS(t1 - t0)}, Lanczos ${fmtS(eig.seconds)}; closed form ${c.value.toPrecision(12)} in ${fmtS(c.prepareSeconds + c.lanczosSeconds)}: ` +
          `relative difference ${rel.toExponential(2)} ${rel <= tol ? '≤' : '>'} tolerance ${tol.toExponential(2)} (backend γ ${m.tolerance.toExponential(2)} + Lanczos ${eig.tolerance.toExponential(2)} + 1e-10)`,
        target: { description: 'agrees with the closed form within the backend tolerance', met: rel <= tol && eig.converged },
        peakRssMiB: rssMiB(),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PyTorch and the summary.

interface TorchRow {
  readonly d: number;
  readonly dtype: string;
  readonly threads: number;
  readonly threads_label: string;
  readonly full?: number;
  readonly reuse?: number;
  readonly skipped?: string;
}
interface TorchReport {
  readonly torch: string;
  readonly default_threads: number;
  readonly cores: number;
  readonly results: readonly TorchRow[];
}
let torchResult: TorchReport | string | null = null;

function runTorch(): TorchReport | string {
  if (torchResult !== null) return torchResult;
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    torchResult = 'python3-torch is not installed (apt-get install python3-torch for the baseline)';
    return torchResult;
  }
  // dist/test/bench/cases → the source tree's test/bench.
  const script = join(__dirname, '..', '..', '..', '..', 'test', 'bench', 'torch_dln_hvp.py');
  const sizes = SIZES.filter((d) => d <= TORCH_D);
  const r = spawnSync(python, [script, '--sizes', sizes.join(','), '--depth', String(DEPTH), '--seconds', '1.5'], { encoding: 'utf8', timeout: 600_000 });
  torchResult = r.status !== 0 ? `torch baseline failed: ${(r.stderr ?? '').slice(-300)}` : (JSON.parse(r.stdout) as TorchReport);
  return torchResult;
}

/** PyTorch's float32 HVP at d: 1 thread from scratch (what the backends do), and the best of every configuration. */
function torchAt(t: TorchReport, d: number): { oneThread?: TorchRow; best?: { seconds: number; row: TorchRow; variant: string } } {
  const rows = t.results.filter((r) => r.d === d && r.dtype === 'float32' && r.full !== undefined);
  const oneThread = rows.find((r) => r.threads === 1);
  let best: { seconds: number; row: TorchRow; variant: string } | undefined;
  for (const row of rows) {
    for (const [variant, s] of [['from scratch', row.full], ['gradient graph reused', row.reuse]] as const) {
      if (s !== undefined && (best === undefined || s < best.seconds)) best = { seconds: s, row, variant };
    }
  }
  return { ...(oneThread === undefined ? {} : { oneThread }), ...(best === undefined ? {} : { best }) };
}

const torchCase: BenchCase = {
  group: GROUP,
  name: `torch: HVP by double backward (CPU), d ≤ ${TORCH_D}, float32 and float64`,
  run(): BenchMeasurement {
    const t = runTorch();
    if (typeof t === 'string') return skipped(t);
    const parts = t.results.map((r) =>
      r.skipped !== undefined
        ? `${r.dtype} d=${r.d} ${r.threads_label}: skipped (${r.skipped})`
        : `${r.dtype} d=${r.d} ${r.threads_label}: ${fmtS(r.full ?? NaN)} from scratch, ${fmtS(r.reuse ?? NaN)} reusing the gradient graph`,
    );
    const one = torchAt(t, TORCH_D).oneThread;
    return {
      seconds: one?.full ?? 0,
      ...(one?.full === undefined ? {} : { metric: { name: `float32 HVP d = ${TORCH_D}, 1 thread, from scratch`, value: one.full, unit: 's' } }),
      notes: `PyTorch ${t.torch} (torch's default ${t.default_threads} thread${t.default_threads === 1 ? '' : 's'}, ${t.cores} cores); ${parts.join('; ')}`,
    };
  },
};

const summaryCase: BenchCase = {
  group: GROUP,
  name: `summary: best backend HVP / PyTorch HVP at d = ${TORCH_D} (float32)`,
  async run(): Promise<BenchMeasurement> {
    await closeAutodiffSessions();
    const t = runTorch();
    const measured = BACKEND_ORDER.flatMap((b) => {
      const h = hvpTable(b).get(TORCH_D);
      return h === undefined || h.estimated ? [] : [{ backend: b, seconds: h.seconds }];
    });
    if (measured.length === 0) return skipped(`no backend measured an HVP at d = ${TORCH_D}`);
    const best = measured.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const each = measured.map((m) => `${m.backend} ${fmtS(m.seconds)}`).join(', ');
    if (typeof t === 'string') return { seconds: best.seconds, notes: `backends: ${each}; no PyTorch ratio: ${t}` };
    const { oneThread, best: torchBest } = torchAt(t, TORCH_D);
    if (oneThread?.full === undefined) return { seconds: best.seconds, notes: `backends: ${each}; PyTorch did not time d = ${TORCH_D}` };
    const ratio = best.seconds / oneThread.full;
    const strict = torchBest === undefined ? '' : `; against PyTorch's fastest configuration (${torchBest.row.threads_label}, ${torchBest.variant}, ${fmtS(torchBest.seconds)}): ×${fmt(best.seconds / torchBest.seconds, 3)}`;
    return {
      seconds: best.seconds,
      metric: { name: `${best.backend} / PyTorch (float32, 1 thread, from scratch)`, value: ratio, unit: '×' },
      target: { description: '≤ 2', met: ratio <= 2 },
      notes:
        `backends at d = ${TORCH_D}: ${each} (${[...descriptions.values()].join('; ')}); ` +
        `PyTorch ${t.torch} float32, 1 thread, forward + gradient + double backward per product: ${fmtS(oneThread.full)}${strict}`,
    };
  },
};

/** The `autodiff` group, in run order: closed forms, PyTorch, each backend, the summary. */
export const autodiffCases: BenchCase[] = [
  closedGemmCase,
  ...SIZES.map(closedHvpCase),
  closedLambdaCase,
  torchCase,
  ...BACKEND_ORDER.flatMap((b) => [matmulCase(b), ...SIZES.map((d) => hvpCase(b, d)), lambdaCase(b)]),
  summaryCase,
];
