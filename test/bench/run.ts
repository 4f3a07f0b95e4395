/**
 * Runs the benchmark cases and writes `bench-results/bench.json` and `bench-results/bench.md`.
 *
 *   node dist/test/bench/run.js [--filter SUBSTRING] [--out DIR] [--list]
 *
 * `--filter` keeps the cases whose `group/name` contains SUBSTRING (case-insensitive; repeatable: a case
 * is kept when it matches any). Progress goes to stderr, the Markdown table to stdout. Each output
 * file is written whole (temporary file, then rename). Exits 1 when a case throws, 2 on bad arguments.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { autodiffCases, closeAutodiffSessions } from './cases/autodiff.js';
import { curvatureCases } from './cases/curvature.js';
import { derivationCases } from './cases/derivation.js';
import { dynamicsCases } from './cases/dynamics.js';
import { hessianCases } from './cases/hessian.js';
import { interopCases } from './cases/interop.js';
import { kernelCases } from './cases/kernels.js';
import { kernelLayerCases } from './cases/kernel-layer.js';
import { rationalCases } from './cases/rational.js';
import { sharpnessCases } from './cases/sharpness.js';
import { sharpnessProcessCases } from './cases/sharpness-process.js';
import { twoLayerCases } from './cases/twolayer.js';
import { type BenchCase, type BenchMeasurement, formatMetric, formatSeconds, nowSeconds, onKernel } from './harness.js';

const defaultKernelCases: readonly BenchCase[] = [...kernelCases, ...kernelLayerCases, ...rationalCases, ...hessianCases, ...sharpnessCases, ...sharpnessProcessCases, ...derivationCases, ...curvatureCases, ...twoLayerCases, ...interopCases, ...dynamicsCases, ...autodiffCases];

/**
 * The float headline cases again on the WebAssembly kernel alone (issue 11: "every figure also with
 * the WebAssembly kernel, so the browser's speed is known"); the GEMM and HVP rows of
 * kernel-layer.ts already list every kernel.
 */
const WASM_ALSO = ['float λ_max, N = 4, d = 256', 'float sharpness end to end (library)', 'Hutchinson trace', 'SLQ spectral density, order 80, 10 vectors, partial', 'structure report, d = 64'];

/** Every benchmark case, in run order. */
export const registry: readonly BenchCase[] = [
  ...defaultKernelCases,
  ...defaultKernelCases.filter((c) => WASM_ALSO.some((s) => c.name.startsWith(s))).map((c) => onKernel('wasm', c)),
];

/** One row of the report. */
export interface BenchRecord {
  readonly group: string;
  readonly name: string;
  /** Absent when the case threw. */
  readonly measurement?: BenchMeasurement;
  readonly error?: string;
  /** Wall time of the whole case (set-up, warm-up and repetitions), in seconds. */
  readonly wallSeconds: number;
}

/** The machine-readable report (`bench.json`). */
export interface BenchReport {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly date: string;
  readonly filters: readonly string[];
  readonly cases: readonly BenchRecord[];
}

interface CliOptions {
  readonly filters: string[];
  readonly outDir: string;
  readonly list: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): CliOptions {
  const filters: string[] = [];
  let outDir = 'bench-results';
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      i++;
      return v;
    };
    if (arg === '--filter') filters.push(value());
    else if (arg.startsWith('--filter=')) filters.push(arg.slice('--filter='.length));
    else if (arg === '--out') outDir = value();
    else if (arg === '--list') list = true;
    else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else throw new UsageError(`unknown argument ${arg}`);
  }
  return { filters, outDir, list };
}

/** Cases whose `group/name` contains one of the filters (all cases when there is none). */
export function selectCases(cases: readonly BenchCase[], filters: readonly string[]): BenchCase[] {
  if (filters.length === 0) return [...cases];
  const needles = filters.map((f) => f.toLowerCase());
  return cases.filter((c) => needles.some((f) => `${c.group}/${c.name}`.toLowerCase().includes(f)));
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The Markdown table of a report. */
export function toMarkdown(report: BenchReport): string {
  const lines = [
    `# Benchmarks`,
    '',
    `Node ${report.node} (V8 ${report.v8}), ${report.platform}/${report.arch}, ${report.cpuModel} × ${report.cpuCount}, ${report.date}` +
      (report.filters.length > 0 ? `, filter: ${report.filters.map((f) => `\`${f}\``).join(', ')}` : ''),
    '',
    '| group | case | time | metric | target met | notes |',
    '|---|---|---:|---|---|---|',
  ];
  for (const r of report.cases) {
    const m = r.measurement;
    const target = m?.target === undefined ? '' : `${m.target.met ? 'yes' : '**no**'} (${m.target.description})`;
    const notes = r.error !== undefined ? `**error:** ${r.error}` : (m?.notes ?? '');
    const extra = m?.peakRssMiB !== undefined ? `${notes === '' ? '' : '; '}peak RSS ${m.peakRssMiB.toFixed(0)} MiB` : '';
    lines.push(
      `| ${escapeCell(r.group)} | ${escapeCell(r.name)} | ${m === undefined ? '—' : formatSeconds(m.seconds)} | ${escapeCell(formatMetric(m?.metric))} | ${escapeCell(target)} | ${escapeCell(notes + extra)} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Writes `text` to `path` whole: a temporary file in the same folder, then an atomic rename. */
function writeWhole(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function runCases(cases: readonly BenchCase[]): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  for (const [idx, c] of cases.entries()) {
    process.stderr.write(`[${idx + 1}/${cases.length}] ${c.group} / ${c.name} ... `);
    const t0 = nowSeconds();
    try {
      const measurement = await c.run();
      const wallSeconds = nowSeconds() - t0;
      records.push({ group: c.group, name: c.name, measurement, wallSeconds });
      process.stderr.write(`${formatSeconds(measurement.seconds)}  ${formatMetric(measurement.metric)}\n`);
    } catch (e) {
      const wallSeconds = nowSeconds() - t0;
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      records.push({ group: c.group, name: c.name, error, wallSeconds });
      process.stderr.write(`FAILED: ${error}\n`);
    }
  }
  return records;
}

export async function main(argv: readonly string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message !== '') process.stderr.write(`${e.message}\n`);
    process.stderr.write('usage: node dist/test/bench/run.js [--filter SUBSTRING]... [--out DIR] [--list]\n');
    return e.message === '' ? 0 : 2;
  }
  const cases = selectCases(registry, opts.filters);
  if (opts.list) {
    for (const c of cases) process.stdout.write(`${c.group}/${c.name}\n`);
    return 0;
  }
  if (cases.length === 0) {
    process.stderr.write(`no case matches ${opts.filters.map((f) => JSON.stringify(f)).join(' or ')}; use --list\n`);
    return 2;
  }
  const records = await runCases(cases);
  // Sessions the cases left open (the WebGL backend holds a Chromium process).
  await closeAutodiffSessions();
  const report: BenchReport = {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    date: new Date().toISOString(),
    filters: opts.filters,
    cases: records,
  };
  const md = toMarkdown(report);
  process.stdout.write(`\n${md}`);
  const dir = resolve(opts.outDir);
  mkdirSync(dir, { recursive: true });
  writeWhole(join(dir, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  writeWhole(join(dir, 'bench.md'), md);
  process.stderr.write(`wrote ${join(dir, 'bench.json')} and ${join(dir, 'bench.md')}\n`);
  return records.some((r) => r.error !== undefined) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
