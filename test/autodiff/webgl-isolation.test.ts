import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startWebglTransport } from '../../src/autodiff/browser-transport';
import { deepLinearDeviceModel } from '../../src/autodiff/device-model';
import type { DeviceModelHeader } from '../../src/autodiff/device/protocol';
import { DeviceError, startBackend } from '../../src/autodiff/session';
import { wideSignMinimizer } from '../../src/generators/wide';
import { haveProc, listeningSockets, processesWithArgument, processTree } from '../support/processes';
import { spawnTs } from '../support/ts-child';

/**
 * The WebGL transport as a neighbour on a shared machine: it opens no socket another process could
 * reach (so no other client can read the staged model arrays or post into the run), a crashed page
 * is a clear device error, and an interrupted run closes Chromium and leaves no profile directory.
 */

const CHROMIUM = process.env['DLN_HESSIAN_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM) && haveProc();
if (!available) console.warn(`webgl-isolation tests skipped: no Chromium at ${CHROMIUM} or no /proc`);
const describeWebgl = available ? describe : describe.skip;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `f()` is true (polling every 50 ms), at most `ms`. */
async function until(f: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Renderer processes (the pages) of Chromiums started by this process. */
function renderers(): number[] {
  const mine = new Set(processTree(process.pid));
  return processesWithArgument('--type=renderer').filter((p) => mine.has(p));
}

describeWebgl('no listening socket', () => {
  it('starts, loads and runs without listening on any port; Unix sockets only in private directories', async () => {
    const listen = jest.spyOn(net.Server.prototype, 'listen');
    const transport = await startWebglTransport({ executablePath: CHROMIUM });
    try {
      const header: DeviceModelHeader = { kind: 'deep-linear', widths: [2, 2], objective: 'dmf', samples: 1, scale: 1 };
      const loaded = await transport.load(header, [Float32Array.from([1, 2, 3, 4]), Float32Array.from([1, 0, 0, 1])]);
      if (!loaded.ok) throw new Error(loaded.failure.message);
      // L = ½‖W − M‖²: the HVP of depth 1 is v itself, exactly.
      const out = await transport.run(loaded.value, { op: 'hvp' }, [Float32Array.from([0.5, -1, 2, 8])]);
      if (!out.ok) throw new Error(out.failure.message);
      expect(Array.from(out.value.arrays[0] as Float32Array)).toEqual([0.5, -1, 2, 8]);

      expect(listen).not.toHaveBeenCalled();
      const sockets = listeningSockets(processTree(process.pid));
      // Nothing on TCP or UDP, loopback included: no other local client can connect to the run.
      expect(sockets.filter((s) => !s.startsWith('unix '))).toEqual([]);
      // Chromium's process-singleton socket lives in a directory only this user can enter.
      for (const s of sockets) {
        const path = s.slice('unix '.length);
        expect(path.startsWith('/')).toBe(true);
        const dir = statSync(dirname(path));
        expect(dir.mode & 0o077).toBe(0);
        expect(dir.uid).toBe(process.getuid?.());
      }
    } finally {
      listen.mockRestore();
      await transport.close();
    }
  }, 120_000);
});

describeWebgl('a crashed page', () => {
  it('is a DeviceError naming the backend, with what to try instead (not an internal error)', async () => {
    const session = await startBackend('webgl');
    try {
      const model = await session.load(deepLinearDeviceModel(wideSignMinimizer({ widths: [64, 64, 64, 64], seed: 1 }), (x) => x));
      const running = model.timeHvp(1_000_000);
      running.catch(() => undefined);
      await sleep(500);
      // What the kernel's OOM killer does to a page that runs out of memory.
      const pages = renderers();
      expect(pages.length).toBeGreaterThan(0);
      for (const p of pages) process.kill(p, 'SIGKILL');
      await expect(running).rejects.toBeInstanceOf(DeviceError);
      await expect(running).rejects.toThrow(
        /^webgl backend: the 'time-hvp' task: the Chromium page running WebGL crashed \(out of memory, or the GPU process died\)[^]*\na smaller model \(narrower layers\) needs less memory; --backend wasm or cpu run in this process instead of a browser$/,
      );
      await expect(model.loss()).rejects.toThrow(/^webgl backend: the 'loss' task: the Chromium page running WebGL crashed/);
      await expect(model.dispose()).rejects.toBeInstanceOf(DeviceError);
    } finally {
      await session.close();
    }
    expect(renderers()).toEqual([]);
  }, 120_000);
});

describeWebgl('an interrupted WebGL run', () => {
  let dir = '';
  let modelFile = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dln-webgl-interrupt-'));
    // A depth-3 factorization of width 96 (entries k/64, k/8): 20 eigenpairs at both ends take tens of seconds on llvmpipe.
    const d = 96;
    const weights = [0, 1, 2].map((l) => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => `${((i * 7 + j * 3 + l * 5) % 17) - 8}/64`)));
    const target = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => `${((i + 2 * j) % 9) - 4}/8`));
    modelFile = join(dir, 'w96.json');
    writeFileSync(modelFile, JSON.stringify({ weights, target }));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs `spectrum --backend webgl` in a child process whose temporary directory is a fresh one,
   * sends `signal` once its Chromium runs and `delayMs` later, and returns what the child did.
   */
  async function interrupt(signal: NodeJS.Signals, delayMs: number, waitForPage: boolean): Promise<{ code: number | null; stdout: string; stderr: string; left: string[]; browsers: number[] }> {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const child = spawnTs('test/support/cli-child.ts', ['spectrum', modelFile, '--backend', 'webgl', '--top', '20'], { env: { ...process.env, TMPDIR: tmp } });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const profileArg = `--user-data-dir=${tmp}/dln-hessian-chromium-`;
    await until(() => processesWithArgument(profileArg).length > 0, 120_000, 'Chromium to start');
    if (waitForPage) {
      const tree = (): Set<number> => new Set(processTree(child.pid as number));
      await until(() => processesWithArgument('--type=renderer').some((p) => tree().has(p)), 60_000, 'the page to start');
    }
    await sleep(delayMs);
    child.kill(signal);
    const code = await exited;
    await sleep(200);
    return { code, stdout, stderr, left: readdirSync(tmp), browsers: processesWithArgument(profileArg) };
  }

  it('SIGINT while Chromium starts: exit 130, one line, no profile directory, no browser left', async () => {
    const r = await interrupt('SIGINT', 0, false);
    expect(r.stderr).toBe('dln-hessian: interrupted by SIGINT; closed the WebGL browser (Chromium) and removed its profile directory\n');
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.left).toEqual([]);
    expect(r.browsers).toEqual([]);
  }, 180_000);

  it('SIGTERM during the run: exit 143, one line, no profile directory, no browser left', async () => {
    const r = await interrupt('SIGTERM', 1500, true);
    if (r.code === 0) throw new Error('the run finished before the signal: this test needs a longer WebGL run (a wider model) on this machine');
    expect(r.stderr).toBe('dln-hessian: interrupted by SIGTERM; closed the WebGL browser (Chromium) and removed its profile directory\n');
    expect(r.code).toBe(143);
    expect(r.stdout).toBe('');
    expect(r.left).toEqual([]);
    expect(r.browsers).toEqual([]);
  }, 180_000);
});
