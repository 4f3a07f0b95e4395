/**
 * `sharpness MODEL.json` end to end as a process against PyTorch scripts run as processes, on the same
 * weights (issue 11, "Performance", first target): a float64 deep matrix factorization minimizer at
 * N = 4, d = 256 (weights `I + randn/16` from one seeded generator, target their product), written once
 * as a model file (JSON numbers, shortest round-trip text, so every entry reads back as the same
 * binary64 value) and as the raw column-major float64 file the scripts read.
 *
 * Timed, interpreter start included, wall clock and CPU (user + system of the child, from bash's
 * `times`): (a) `node dist/src/cli/main.js sharpness m.json` with the default threads and with
 * `--threads 1`; (b) `torch_eigsh.py` (double-backward HVPs behind scipy's `eigsh`, tolerance 1e-10);
 * (c) `torch_hvp_power.py` (PyHessian-style power iteration to 1e-3); each torch script with 1 and
 * with 2 threads, pinned before torch is imported (`torch_threads.py`). Each of ours and each 1-thread
 * torch run is repeated {@link REPEATS} times (best wall time kept: the machine is shared).
 * Targets: ours (default threads) at least 3× faster than the faster eigsh run and no slower than the
 * faster power-recipe run. Skips the torch rows cleanly when python3-torch or scipy is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../../src/random/rng.js';
import { gemmF64 } from '../../../src/linalg/gemm-f64.js';
import { type BenchCase, type BenchMeasurement } from '../harness.js';

const N = 4;
const D = 256;
const SEED = 0;
const REPEATS = 2;
const PYTHON = '/usr/bin/python3';
const ROOT = join(__dirname, '..', '..', '..', '..');
const SCRIPTS = join(ROOT, 'test', 'bench');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** The weights (column-major, `I + randn/16`) and their product `W_N⋯W_1`. */
function weightsAndTarget(): { weights: Float64Array[]; target: Float64Array } {
  const rng = createRng(SEED, 'sharpness-process');
  const weights = Array.from({ length: N }, () => {
    const W = new Float64Array(D * D);
    for (let k = 0; k < W.length; k++) W[k] = rng.gaussian() / 16 + (k % (D + 1) === 0 ? 1 : 0);
    return W;
  });
  let P = weights[0] as Float64Array;
  for (const W of weights.slice(1)) P = gemmF64(D, D, D, W, P);
  return { weights, target: P };
}

/** A column-major matrix as JSON rows (shortest round-trip decimal of each entry). */
function rowsJson(A: Float64Array): string {
  const rows: string[] = [];
  for (let i = 0; i < D; i++) {
    const r: string[] = [];
    for (let j = 0; j < D; j++) r.push(String(A[i + j * D]));
    rows.push(`[${r.join(',')}]`);
  }
  return `[${rows.join(',\n')}]`;
}

interface ProcessTiming {
  readonly wall: number;
  readonly cpu: number;
  readonly stdout: string;
}

/** Runs `cmd args` once under bash and returns its wall time, its CPU time (children's user + system, from `times`) and stdout. */
function runTimed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): ProcessTiming {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', '"$@"; s=$?; times >&2; exit $s', '_', cmd, ...args], { encoding: 'utf8', env, timeout: 600_000, maxBuffer: 256 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr ?? '').slice(-400)}`);
  // The last line of `times`: the children's user and system time, e.g. "0m2.371s 0m0.198s".
  const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
  const cpu = [...last.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
  return { wall, cpu, stdout: r.stdout };
}

function best(runs: readonly ProcessTiming[]): ProcessTiming {
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}

function repeat(n: number, f: () => ProcessTiming): ProcessTiming {
  return best(Array.from({ length: n }, f));
}

const fmt = (t: ProcessTiming): string => `${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU`;

function hasPythonModules(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  if (spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return 'python3-torch is not installed (apt-get install python3-torch)';
  if (spawnSync(PYTHON, ['-c', 'import scipy.sparse.linalg'], { stdio: 'ignore' }).status !== 0) return 'scipy is not installed (apt-get install python3-scipy)';
  return undefined;
}

const processCase: BenchCase = {
  group: 'sharpness',
  name: `sharpness MODEL.json end to end as a process, N = ${N}, d = ${D}, vs torch scripts (eigsh 1e-10, power 1e-3)`,
  run(): BenchMeasurement {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const dir = mkdtempSync(join(tmpdir(), 'dln-bench-sharpness-'));
    try {
      const { weights, target } = weightsAndTarget();
      const model = join(dir, 'm.json');
      const bin = join(dir, 'w.bin');
      writeFileSync(model, `{"weights": [\n${weights.map(rowsJson).join(',\n')}],\n"target": ${rowsJson(target)}}\n`);
      const raw = new Float64Array(N * D * D);
      weights.forEach((W, i) => raw.set(W, i * D * D));
      writeFileSync(bin, Buffer.from(raw.buffer));

      const ours = repeat(REPEATS, () => runTimed(process.execPath, [CLI, 'sharpness', model, '--json']));
      const ours1 = repeat(REPEATS, () => runTimed(process.execPath, [CLI, 'sharpness', model, '--json', '--threads', '1']));
      const report = JSON.parse(ours.stdout) as { lambdaMax: number };
      const parts = [`ours: ${fmt(ours)} (default threads), ${fmt(ours1)} (--threads 1); λ_max = ${report.lambdaMax.toPrecision(15)}`];
      const missing = hasPythonModules();
      if (missing !== undefined) {
        return { seconds: ours.wall, metric: { name: 'seconds, process', value: ours.wall, unit: 's' }, notes: `${parts.join('; ')}; torch rows skipped: ${missing}` };
      }
      const torch = (script: string, threads: number): ProcessTiming & { lambda: number; blasThreads: number | null } => {
        const t = repeat(threads === 1 ? REPEATS : 1, () => runTimed(PYTHON, [join(SCRIPTS, script), bin, String(N), String(D), String(threads)]));
        const j = JSON.parse(t.stdout) as { lambda: number; torch_threads: number; blas_threads: number | null };
        if (j.torch_threads !== threads) throw new Error(`${script}: asked for ${threads} thread(s), torch uses ${j.torch_threads}`);
        if (j.blas_threads !== null && j.blas_threads !== threads) throw new Error(`${script}: asked for ${threads} thread(s), its OpenBLAS uses ${j.blas_threads}`);
        return { ...t, lambda: j.lambda, blasThreads: j.blas_threads };
      };
      const eigsh = [torch('torch_eigsh.py', 1), torch('torch_eigsh.py', 2)];
      const power = [torch('torch_hvp_power.py', 1), torch('torch_hvp_power.py', 2)];
      const eigshBest = Math.min(...eigsh.map((t) => t.wall));
      const powerBest = Math.min(...power.map((t) => t.wall));
      const rEigsh = eigshBest / ours.wall;
      const rPower = powerBest / ours.wall;
      const rel = Math.abs((eigsh[0]?.lambda ?? NaN) - report.lambdaMax) / report.lambdaMax;
      parts.push(
        `torch+eigsh (1e-10): ${eigsh.map((t, i) => `${i + 1} thread${i === 0 ? '' : 's'} ${fmt(t)} (BLAS threads ${t.blasThreads ?? '?'})`).join(', ')}; λ = ${(eigsh[0]?.lambda ?? NaN).toPrecision(15)} (relative difference to ours ${rel.toExponential(1)})`,
        `torch power recipe (1e-3): ${power.map((t, i) => `${i + 1} thread${i === 0 ? '' : 's'} ${fmt(t)}`).join(', ')}; λ = ${(power[0]?.lambda ?? NaN).toPrecision(8)}`,
        `ratios torch/ours (wall, torch's faster setting against ours with default threads): eigsh ${rEigsh.toFixed(2)}×, power ${rPower.toFixed(2)}×; 1 thread each: eigsh ${((eigsh[0]?.wall ?? NaN) / ours1.wall).toFixed(2)}×, power ${((power[0]?.wall ?? NaN) / ours1.wall).toFixed(2)}×; CPU time, 1 thread each: eigsh ${((eigsh[0]?.cpu ?? NaN) / ours1.cpu).toFixed(2)}×, power ${((power[0]?.cpu ?? NaN) / ours1.cpu).toFixed(2)}×`,
      );
      return {
        seconds: ours.wall,
        metric: { name: 'torch+eigsh time / our time', value: rEigsh, unit: '×' },
        target: { description: `≥ 3× faster than torch+eigsh (${rEigsh.toFixed(2)}×) and no slower than the torch power recipe (${rPower.toFixed(2)}×)`, met: rEigsh >= 3 && rPower >= 1 },
        notes: parts.join('; '),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** The cases of this file, in run order. */
export const sharpnessProcessCases: readonly BenchCase[] = [processCase];
