import { Fraction, add, divide, multiply, subtract } from 'mathjs';
import { Rational } from '../../../src/field/rational.js';
import { type BenchCase, type BenchMeasurement, measure, randomInt, seededRandom } from '../harness.js';

/**
 * Exact arithmetic: our bigint `Rational` against mathjs 15's bigint-backed `Fraction` (fraction.js),
 * both through its methods (the fastest path mathjs offers) and through mathjs's `add`/`multiply`
 * (typed-function dispatch, what mathjs-generic code pays). Every algorithm is written once against
 * {@link ExactArith}, so all three pay the same indirection and differ only in the arithmetic.
 */
interface ExactArith<T> {
  readonly label: string;
  /** `p/q`. */
  make(p: number, q: number): T;
  readonly zero: T;
  readonly one: T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  isZero(a: T): boolean;
  /** The reduced `[numerator, denominator]`, denominator > 0. */
  toPair(a: T): readonly [bigint, bigint];
}

const ours: ExactArith<Rational> = {
  label: 'Rational',
  make: (p, q) => new Rational(BigInt(p), BigInt(q)),
  zero: Rational.ZERO,
  one: Rational.ONE,
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  isZero: (a) => a.isZero(),
  toPair: (a) => [a.num, a.den],
};

const fractionToPair = (a: Fraction): readonly [bigint, bigint] => [a.s * a.n, a.d];

const fractionMethods: ExactArith<Fraction> = {
  label: 'mathjs Fraction methods',
  make: (p, q) => new Fraction(p, q),
  zero: new Fraction(0),
  one: new Fraction(1),
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  isZero: (a) => a.n === 0n,
  toPair: fractionToPair,
};

const mathjsFunctions: ExactArith<Fraction> = {
  label: 'mathjs add/multiply',
  make: (p, q) => new Fraction(p, q),
  zero: new Fraction(0),
  one: new Fraction(1),
  add: (a, b) => add(a, b),
  sub: (a, b) => subtract(a, b),
  mul: (a, b) => multiply(a, b) as Fraction,
  div: (a, b) => divide(a, b) as Fraction,
  isZero: (a) => a.n === 0n,
  toPair: fractionToPair,
};

/** Entries `p/q` with `|p| ≤ 99`, `1 ≤ q ≤ 16`, from a fixed seed. */
function randomPairs(count: number, seed: number): [number, number][] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => [randomInt(rng, -99, 99), randomInt(rng, 1, 16)]);
}

/** A workload: builds its inputs for an arithmetic, then runs (timed) and returns comparable output. */
interface Task {
  readonly key: string;
  readonly title: string;
  /** How many operations one run performs, for an ops/s metric (absent: report time only). */
  readonly opsPerRun?: { readonly count: number; readonly unit: string };
  prepare<T>(F: ExactArith<T>): () => readonly T[];
}

const MUL_ADD_COUNT = 100_000;

const mulAddTask: Task = {
  key: 'mul-add',
  title: `${MUL_ADD_COUNT.toExponential(0)} × (a·b + c), small fractions`,
  opsPerRun: { count: MUL_ADD_COUNT, unit: 'mul+add/s' },
  prepare<T>(F: ExactArith<T>) {
    const pairs = randomPairs(3 * MUL_ADD_COUNT, 11);
    const xs = pairs.map(([p, q]) => F.make(p, q));
    return () => {
      const out = new Array<T>(MUL_ADD_COUNT);
      for (let i = 0; i < MUL_ADD_COUNT; i++) out[i] = F.add(F.mul(xs[3 * i] as T, xs[3 * i + 1] as T), xs[3 * i + 2] as T);
      return out;
    };
  },
};

const MATMUL_N = 24;

const matmulTask: Task = {
  key: 'matmul',
  title: `${MATMUL_N}×${MATMUL_N} exact matrix product, entries p/q (|p| ≤ 99, q ≤ 16)`,
  prepare<T>(F: ExactArith<T>) {
    const n = MATMUL_N;
    const a = randomPairs(n * n, 12).map(([p, q]) => F.make(p, q));
    const b = randomPairs(n * n, 13).map(([p, q]) => F.make(p, q));
    return () => {
      // Column-major C = A B by the textbook triple loop.
      const c = new Array<T>(n * n);
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          let s = F.zero;
          for (let p = 0; p < n; p++) s = F.add(s, F.mul(a[i + p * n] as T, b[p + j * n] as T));
          c[i + j * n] = s;
        }
      }
      return c;
    };
  },
};

const DET_N = 16;

const determinantTask: Task = {
  key: 'det',
  title: `${DET_N}×${DET_N} determinant by plain rational Gaussian elimination`,
  prepare<T>(F: ExactArith<T>) {
    const n = DET_N;
    const entries = randomPairs(n * n, 14).map(([p, q]) => F.make(p, q));
    return () => {
      const M = Array.from({ length: n }, (_, i) => entries.slice(i * n, (i + 1) * n));
      let det = F.one;
      let negate = false;
      for (let k = 0; k < n; k++) {
        let piv = k;
        while (piv < n && F.isZero((M[piv] as T[])[k] as T)) piv++;
        if (piv === n) return [F.zero];
        if (piv !== k) {
          const tmp = M[piv] as T[];
          M[piv] = M[k] as T[];
          M[k] = tmp;
          negate = !negate;
        }
        const rowK = M[k] as T[];
        const pivot = rowK[k] as T;
        det = F.mul(det, pivot);
        for (let i = k + 1; i < n; i++) {
          const rowI = M[i] as T[];
          if (F.isZero(rowI[k] as T)) continue;
          const f = F.div(rowI[k] as T, pivot);
          for (let j = k + 1; j < n; j++) rowI[j] = F.sub(rowI[j] as T, F.mul(f, rowK[j] as T));
        }
      }
      return [negate ? F.sub(F.zero, det) : det];
    };
  },
};

const TASKS: readonly Task[] = [mulAddTask, matmulTask, determinantTask];

/** Best time and result of our `Rational` on each task, memoised so every mathjs case can report a ratio. */
const oursCache = new Map<string, { best: number; pairs: (readonly [bigint, bigint])[]; peakRssMiB: number }>();

function measureTask<T>(task: Task, F: ExactArith<T>): { best: number; median: number; runs: number; pairs: (readonly [bigint, bigint])[]; peakRssMiB: number } {
  const run = task.prepare(F);
  // Runs take milliseconds: repeat more (best of up to 20, capped at 2 s of timed work per case).
  const t = measure(run, { warmup: 2, repetitions: 20, maxSeconds: 2 });
  return { best: t.best, median: t.median, runs: t.samples.length, pairs: t.result.map((x) => F.toPair(x)), peakRssMiB: t.peakRssMiB };
}

function oursOn(task: Task): { best: number; pairs: (readonly [bigint, bigint])[]; peakRssMiB: number } {
  const hit = oursCache.get(task.key);
  if (hit !== undefined) return hit;
  const m = measureTask(task, ours);
  const entry = { best: m.best, pairs: m.pairs, peakRssMiB: m.peakRssMiB };
  oursCache.set(task.key, entry);
  return entry;
}

function sizeNote(pairs: readonly (readonly [bigint, bigint])[]): string {
  let bits = 0;
  for (const [p, q] of pairs) bits = Math.max(bits, p.toString(2).length, q.toString(2).length);
  return `largest result numerator/denominator ${bits} bits`;
}

function oursCase(task: Task): BenchCase {
  return {
    group: 'rational',
    name: `${task.title} — Rational`,
    run(): BenchMeasurement {
      oursCache.delete(task.key);
      const r = oursOn(task);
      const metric =
        task.opsPerRun !== undefined
          ? { name: 'throughput, best run', value: task.opsPerRun.count / r.best, unit: task.opsPerRun.unit }
          : { name: 'time per run, best', value: r.best, unit: 's' };
      return { seconds: r.best, metric, notes: sizeNote(r.pairs), peakRssMiB: r.peakRssMiB };
    },
  };
}

function mathjsCase(task: Task, F: ExactArith<Fraction>): BenchCase {
  return {
    group: 'rational',
    name: `${task.title} — ${F.label}`,
    run(): BenchMeasurement {
      const mine = oursOn(task);
      const r = measureTask(task, F);
      // Both must compute the same exact values.
      if (r.pairs.length !== mine.pairs.length) throw new Error(`${F.label}: ${r.pairs.length} results, Rational gave ${mine.pairs.length}`);
      r.pairs.forEach(([p, q], i) => {
        const [p0, q0] = mine.pairs[i] as readonly [bigint, bigint];
        if (p !== p0 || q !== q0) throw new Error(`${F.label} and Rational disagree at result ${i}: ${p}/${q} vs ${p0}/${q0}`);
      });
      const own =
        task.opsPerRun !== undefined
          ? `${(task.opsPerRun.count / r.best).toExponential(2)} ${task.opsPerRun.unit} vs Rational ${(task.opsPerRun.count / mine.best).toExponential(2)}`
          : `Rational ${(mine.best * 1e3).toPrecision(3)} ms`;
      return {
        seconds: r.best,
        metric: { name: `${F.label} time / Rational time`, value: r.best / mine.best, unit: '×' },
        notes: `${own}; results identical to Rational`,
        peakRssMiB: Math.max(r.peakRssMiB, mine.peakRssMiB),
      };
    },
  };
}

/** Exact rational arithmetic: our `Rational` against mathjs 15 `Fraction` on three workloads. */
export const rationalCases: BenchCase[] = TASKS.flatMap((task) => [
  oursCase(task),
  mathjsCase(task, fractionMethods),
  mathjsCase(task, mathjsFunctions),
]);
