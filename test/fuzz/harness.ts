/**
 * The fuzz suite's harness: runs the CLI in process on generated bad input and checks the
 * bad-input contract of docs/limits.md: exit 2, a message naming the place, no output file, no
 * temporary file left, the input untouched.
 *
 * Cases per property: `FUZZ_CASES` from the environment, else the count given by the test (a few
 * thousand in all for `npm test`); the seed is the project's (`FC_SEED`, printed on failure).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../support/cli.js';

/** Cases for one property: `FUZZ_CASES` when set, else `fallback`. */
export function fuzzCases(fallback: number): number {
  const env = process.env.FUZZ_CASES;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : fallback;
}

/** A fresh temporary directory; removed by {@link FuzzDir.dispose}. */
export class FuzzDir {
  readonly path = mkdtempSync(join(tmpdir(), 'dln-fuzz-'));

  file(name: string): string {
    return join(this.path, name);
  }

  /** Names in the directory that look like temporary files of the output layer. */
  temporaries(): string[] {
    return readdirSync(this.path).filter((n) => /\.(tmp|old)$/.test(n));
  }

  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** SHA-256 of a file's bytes (undefined when it does not exist or is not a regular file). */
export function hashOf(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** What a refused run must show. */
export interface Refusal {
  /** The run's argv. */
  readonly argv: readonly string[];
  /** Input files that must be left byte for byte as they were. */
  readonly inputs: readonly string[];
  /** Output files that must not exist afterwards. */
  readonly outputs: readonly string[];
  /** The place the message must name (a regular expression on stderr). */
  readonly place: RegExp;
  readonly dir: FuzzDir;
}

/** Runs `argv` and asserts the bad-input contract; returns the run for further checks. */
export function expectRefused(r: Refusal): CliRun {
  const before = r.inputs.map(hashOf);
  const run = runCli(...r.argv);
  const context = `dln-hessian ${r.argv.map((a) => JSON.stringify(a)).join(' ')}\nstderr: ${run.stderr}`;
  if (run.code !== 2) throw new Error(`expected exit 2, got ${run.code}\n${context}`);
  if (!/^dln-hessian: /.test(run.stderr) || /internal error|\bat .*\.(ts|js):\d+/.test(run.stderr)) throw new Error(`expected one clear message\n${context}`);
  if (!r.place.test(run.stderr)) throw new Error(`the message does not name the place (${String(r.place)})\n${context}`);
  for (const o of r.outputs) if (existsSync(o)) throw new Error(`output file ${o} was written\n${context}`);
  const temps = r.dir.temporaries();
  if (temps.length > 0) throw new Error(`temporary files left: ${temps.join(', ')}\n${context}`);
  const after = r.inputs.map(hashOf);
  r.inputs.forEach((p, i) => {
    if (after[i] !== before[i]) throw new Error(`input ${p} changed\n${context}`);
  });
  return run;
}
