/**
 * A child process writing a large file through the output layer is sent SIGTERM, SIGINT or SIGHUP
 * while its temporary file exists: afterwards no temporary file is left, and the target is either
 * absent or whole (never a part), and it exits with 128 + the signal's number through the one
 * interrupt handler (src/process/interrupt.ts). The child runs the output layer compiled from the sources here
 * with SWC (the project's Jest transform), so no build is needed.
 */
import { transformFileSync } from '@swc/core';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['src/io/output.ts', 'src/io/registry.ts', 'src/process/interrupt.ts', 'src/models/errors.ts', 'src/errors/input-error.ts'];
const SIZE = 24 * 1024 * 1024;

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dln-signals-'));
  for (const src of SOURCES) {
    const out = join(work, src.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    const { code } = transformFileSync(join(ROOT, src), { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } });
    writeFileSync(out, code);
  }
  // Writes the target again and again (a turn of the event loop between writes, as after a command).
  writeFileSync(
    join(work, 'writer.js'),
    `const { writeFileAtomic } = require('./src/io/output.js');
const text = 'x'.repeat(${SIZE});
process.stdout.write('ready\\n');
(function again() { writeFileAtomic(process.argv[2], text); setImmediate(again); })();\n`,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts the writer, waits until a temporary file exists, sends `signal`, and waits for the exit. */
function interrupt(signal: NodeJS.Signals, dir: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(work, 'writer.js'), join(dir, 'out.txt')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer did not stop on ${signal}`));
    }, 30000);
    const poll = setInterval(() => {
      if (readdirSync(dir).some((n) => n.endsWith('.tmp'))) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 1);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      clearTimeout(deadline);
      resolve({ code, signal: sig, stderr });
    });
  });
}

describe('signals during a write', () => {
  // Exit statuses as README.md documents them: 128 + the POSIX signal number.
  test.each([
    ['SIGTERM', 128 + 15],
    ['SIGINT', 128 + 2],
    ['SIGHUP', 128 + 1],
  ] as const)('%s leaves no temporary file and no partial target, and exits %i', async (signal, status) => {
    const dir = mkdtempSync(join(work, 'run-'));
    const exit = await interrupt(signal, dir);
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: status, signal: null });
    expect(exit.stderr).toMatch(new RegExp(`^dln-hessian: interrupted by ${signal}(; removed a partial output file)?\\n$`));
    const left = readdirSync(dir);
    expect(left.filter((n) => n !== 'out.txt')).toEqual([]);
    if (left.includes('out.txt')) expect(statSync(join(dir, 'out.txt')).size).toBe(SIZE);
  }, 60000);
});
