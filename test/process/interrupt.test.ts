import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTERRUPT_EXIT_STATUS } from '../../src/process/interrupt';
import { spawnTs } from '../support/ts-child';

/**
 * `onInterrupt` in a process of its own: cleanups run before exit, one line on stderr, exit status
 * 128 + the signal's number (as a shell reports a process the signal ended: SIGHUP 1, SIGINT 2,
 * SIGTERM 15), a second signal exits at once, and with nothing registered Node's default applies.
 */

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'dln-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the child in `mode`, sends `signals` (100 ms apart) once it is ready, and reports its end. */
async function run(mode: string, signals: NodeJS.Signals[], file = ''): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  const child = spawnTs('test/support/interrupt-child.ts', [mode, file]);
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  for (const s of signals) {
    child.kill(s);
    await new Promise((r) => setTimeout(r, 100));
  }
  const end = await ended;
  return { ...end, stderr, stdout: stdout.replace('ready\n', '') };
}

test('the statuses are 128 + the POSIX signal numbers', () => {
  expect(INTERRUPT_EXIT_STATUS).toEqual({ SIGHUP: 128 + 1, SIGINT: 128 + 2, SIGTERM: 128 + 15 });
});

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s: every cleanup runs, one line says what was done, exit %i', async (signal, status) => {
  const file = join(dir, `cleaned-${signal}`);
  const r = await run('clean', [signal], file);
  expect(r).toEqual({ stdout: '', code: status, signal: null, stderr: `dln-hessian: interrupted by ${signal}; removed the test resource\n` });
  expect(readFileSync(file, 'utf8')).toBe('cleaned');
});

test('a cleanup that fails is named in the one line; the exit status is the same', async () => {
  const r = await run('failing', ['SIGINT']);
  expect(r).toEqual({ stdout: '', code: 130, signal: null, stderr: 'dln-hessian: interrupted by SIGINT; a cleanup failed: disk gone\n' });
});

test('a second signal while a cleanup hangs exits at once, with the first signal\'s status', async () => {
  const t0 = Date.now();
  const r = await run('hang', ['SIGTERM', 'SIGINT']);
  expect(r).toEqual({ stdout: '', code: 143, signal: null, stderr: 'dln-hessian: interrupted by SIGTERM; SIGINT again: exiting without waiting for the cleanup\n' });
  expect(Date.now() - t0).toBeLessThan(9_000);
});

test('with every cleanup removed, the signal ends the process in the default way', async () => {
  const r = await run('released', ['SIGTERM']);
  expect(r).toEqual({ stdout: '', code: null, signal: 'SIGTERM', stderr: '' });
  expect(existsSync(join(dir, 'never'))).toBe(false);
});

test('a stop request takes SIGINT instead of ending the process (train, escape stop at their next check)', async () => {
  const r = await run('request', ['SIGINT']);
  expect(r).toEqual({ code: 130, signal: null, stderr: '', stdout: 'stopped by SIGINT\n' });
});

test('a stop request is told once; the next signal runs the cleanups and exits', async () => {
  const file = join(dir, 'cleaned-request');
  const r = await run('request+clean', ['SIGINT', 'SIGTERM'], file);
  expect(r).toEqual({ code: 143, signal: null, stderr: 'dln-hessian: interrupted by SIGTERM\n', stdout: 'stopped by SIGINT\n' });
  expect(readFileSync(file, 'utf8')).toBe('cleaned');
});
