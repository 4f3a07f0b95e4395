import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { BrowserContext, Route } from 'playwright-core';
import { InterruptedError, interruptedBy, onInterrupt } from '../process/interrupt.js';
import type { DeviceInfo, DeviceModelHeader, DeviceOutcome, DeviceTask } from './device/protocol.js';
import { buildPageBundle, type PageReady } from './page-bundle.js';
import { firstLines, orDeviceError, outcomeOf, PageChannel, readResults, type PageOutcome } from './page-channel.js';
import { answerRequest, CHUNK_BYTES, checkResultLengths, PAGE_URL, StagedArrays, type PageFiles, type StagedArray } from './page-routes.js';
import { BackendUnavailableError, type DeviceTransport } from './transport.js';

/**
 * The WebGL backend: tfjs in a page of Debian's headless Chromium (driven by playwright-core),
 * running the same {@link DeviceRuntime} as the in-process backends.
 *
 * No socket is opened. Playwright talks to Chromium over a pipe (`--remote-debugging-pipe`), and the
 * page's every request is answered through Playwright's request routing by `page-routes.ts`: the
 * page, `tf.min.js`, the device bundle, and the host arrays (staged under random ids, each chunk
 * served once). Result arrays stay in the page until the host, having checked their announced sizes
 * against what the task can return, reads them back in chunks (base64 strings through
 * `page.evaluate`, decoded into float32 arrays; never JSON arrays of numbers) and releases them.
 *
 * Chromium's profile is a fresh temporary directory, removed on close, on SIGINT, SIGTERM and SIGHUP
 * (through `src/process/interrupt.ts`) and, as a last resort, when the process exits.
 */

/** Options of {@link startWebglTransport}. */
export interface WebglTransportOptions {
  /** Chromium binary; default `$DLN_HESSIAN_CHROMIUM`, else `/usr/bin/chromium`. */
  readonly executablePath?: string;
  /** ANGLE backend: `'gl-egl'` (default: a GPU, or Mesa llvmpipe) or `'swiftshader'`. */
  readonly angle?: 'gl-egl' | 'swiftshader';
  /** Start-up stages and page warnings, one line each. */
  readonly onProgress?: (message: string) => void;
  /** Limit on one page call (a load, a task, a throughput run), in seconds; default 3600. */
  readonly callTimeoutSeconds?: number;
}

/** The default Chromium of Debian's `chromium` package. */
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Chromium flags: headless with WebGL on the chosen ANGLE backend, nothing else running. */
function chromiumArgs(angle: 'gl-egl' | 'swiftshader'): string[] {
  const gl = angle === 'swiftshader' ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--use-angle=gl-egl'];
  return [
    '--headless=new',
    '--no-sandbox',
    '--ignore-gpu-blocklist',
    ...gl,
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
}

/**
 * The page: tfjs, the array helpers used by the host's `evaluate` calls, then the device bundle.
 * Host arrays are fetched chunk by chunk from the routed origin; results are kept under a random
 * token until the host has read them (`read`, base64) and released them (`release`).
 */
const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>dln-hessian WebGL device</title>
<script src="/tf.min.js"></script>
<script>
'use strict';
const CHUNK_BYTES = ${CHUNK_BYTES};
const results = new Map();
function toBase64(bytes) {
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  let s = '';
  for (let i = 0; i < bytes.length; i += 32768) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
  return btoa(s);
}
async function fetchArray(staged) {
  const out = new Float32Array(staged.length);
  const bytes = new Uint8Array(out.buffer);
  const chunks = Math.max(1, Math.ceil(bytes.byteLength / CHUNK_BYTES));
  for (let k = 0; k < chunks; k++) {
    const r = await fetch('/array/' + staged.id + '/' + k, { cache: 'no-store' });
    if (!r.ok) throw new Error('staged array chunk ' + k + ': HTTP ' + r.status);
    const chunk = new Uint8Array(await r.arrayBuffer());
    const expected = Math.min(CHUNK_BYTES, bytes.byteLength - k * CHUNK_BYTES);
    if (chunk.byteLength !== expected) throw new Error('staged array chunk ' + k + ': ' + chunk.byteLength + ' bytes, expected ' + expected);
    bytes.set(chunk, k * CHUNK_BYTES);
  }
  return out;
}
globalThis.dlnHost = {
  fetchArrays(list) {
    return Promise.all(list.map(fetchArray));
  },
  async load(header, list) {
    return dlnDevice.runtime.load(header, await this.fetchArrays(list));
  },
  async run(id, task, list) {
    const out = await dlnDevice.runtime.run(id, task, await this.fetchArrays(list));
    if (!out.ok) return out;
    const arrays = out.value.arrays;
    let kept = null;
    if (arrays.length > 0) {
      const token = crypto.randomUUID();
      results.set(token, arrays);
      kept = { token, lengths: arrays.map((a) => a.length) };
    }
    return { ok: true, value: { answer: out.value.answer, results: kept } };
  },
  read(token, i, offset, length) {
    const a = results.get(token)[i];
    return toBase64(new Uint8Array(a.buffer, a.byteOffset + offset, length));
  },
  release(token) {
    results.delete(token);
  },
};
</script>
<script src="/device.js"></script>
</head><body></body></html>
`;

/** The page's static files. */
function pageFiles(): PageFiles {
  const tfjs = readFileSync(join(dirname(require.resolve('@tensorflow/tfjs/package.json')), 'dist', 'tf.min.js'));
  return { html: PAGE_HTML, tfjs, bundle: buildPageBundle() };
}

/** Answers one routed request (see `page-routes.ts`). */
async function answerRoute(route: Route, files: PageFiles, staged: StagedArrays): Promise<void> {
  const request = route.request();
  const answer = answerRequest(request.method(), request.url(), files, staged);
  try {
    if (answer.action === 'abort') await route.abort('blockedbyclient');
    else await route.fulfill({ status: answer.status, contentType: answer.contentType, body: answer.body, headers: { 'cache-control': 'no-store' } });
  } catch {
    // The page went away meanwhile (closed, crashed): its calls fail on their own.
  }
}

/** playwright-core, loaded only when the WebGL backend is asked for. */
function loadPlaywright(): typeof import('playwright-core') {
  try {
    return createRequire(__filename)('playwright-core') as typeof import('playwright-core');
  } catch (e) {
    throw new BackendUnavailableError('webgl', `the WebGL backend drives Chromium with playwright-core, which is not installed: run \`npm install playwright-core\` (${firstLines(e, 1)})`);
  }
}

/**
 * Removes the private directory of Chromium's process-singleton socket: the profile's
 * `SingletonSocket` is a link to `$TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket`, which
 * Chromium removes when it closes normally but not when it is killed.
 */
function removeSingletonDirectory(userDataDir: string): void {
  let target: string;
  try {
    target = readlinkSync(join(userDataDir, 'SingletonSocket'));
  } catch {
    return;
  }
  const dir = dirname(target);
  if (/^org\.chromium\.Chromium\.[A-Za-z0-9]+$/.test(basename(dir))) rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts Chromium with WebGL and the device runtime in its page. Fails with
 * {@link BackendUnavailableError} saying what is missing (Chromium, playwright-core, a WebGL
 * context) and how to get it.
 */
export async function startWebglTransport(options: WebglTransportOptions = {}): Promise<DeviceTransport> {
  const executablePath = options.executablePath ?? process.env['DLN_HESSIAN_CHROMIUM'] ?? DEFAULT_CHROMIUM;
  const angle = options.angle ?? 'gl-egl';
  const progress = options.onProgress;
  if (!existsSync(executablePath)) {
    throw new BackendUnavailableError(
      'webgl',
      `the WebGL backend runs in headless Chromium, and there is none at ${executablePath}: install Debian's chromium (\`apt-get install -y chromium\`), or set DLN_HESSIAN_CHROMIUM=/path/to/chromium`,
    );
  }
  const { chromium } = loadPlaywright();
  const args = chromiumArgs(angle);
  const files = pageFiles();
  const staged = new StagedArrays();
  /** Headers of the loaded models by id: what their tasks may return. */
  const headers = new Map<number, DeviceModelHeader>();

  const userDataDir = mkdtempSync(join(tmpdir(), 'dln-hessian-chromium-'));
  const removeProfile = (): void => {
    removeSingletonDirectory(userDataDir);
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  };
  let launching: Promise<BrowserContext> | undefined;
  let channel: PageChannel | undefined;
  let closing: Promise<void> | undefined;
  let exitListener = false;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      channel?.markClosing();
      const signal = interruptedBy();
      if (signal !== null) channel?.fail(new InterruptedError(signal, 'the WebGL run'));
      else channel?.fail(new Error('the WebGL transport is closed'));
      try {
        const context = await launching?.catch(() => undefined);
        await context?.close();
      } finally {
        removeProfile();
        if (exitListener) process.off('exit', removeProfile);
        dropInterrupt();
      }
    })();
    return closing;
  };
  // Registered before Chromium starts, so that an interrupt at any point closes it.
  const dropInterrupt = onInterrupt(async () => {
    await close();
    return 'closed the WebGL browser (Chromium) and removed its profile directory';
  });

  try {
    progress?.(`starting ${executablePath} (${args.join(' ')})`);
    launching = chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args,
      serviceWorkers: 'block',
      // Signals are handled by src/process/interrupt.ts (close, remove the profile, one line, exit).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    let context: BrowserContext;
    try {
      context = await launching;
    } catch (e) {
      throw new BackendUnavailableError('webgl', `Chromium at ${executablePath} failed to start:\n${firstLines(e)}`);
    }
    // Last resort for an exit without close(): Playwright's own exit listener (registered at launch,
    // so before this one) kills Chromium first.
    process.on('exit', removeProfile);
    exitListener = true;
    if (closing !== undefined) throw new InterruptedError(interruptedBy() ?? 'SIGINT', 'starting the WebGL backend');
    await context.route('**/*', (route) => answerRoute(route, files, staged));
    const page = context.pages()[0] ?? (await context.newPage());
    const pageChannel = new PageChannel(page, (options.callTimeoutSeconds ?? 3600) * 1000, progress);
    channel = pageChannel;
    await page.goto(PAGE_URL, { waitUntil: 'load', timeout: 120_000 });
    const ready = await pageChannel.call<PageReady>('globalThis.dlnDeviceReady', 'starting tfjs');
    if (!ready.ok) throw new BackendUnavailableError('webgl', `tfjs failed to start in the Chromium page: ${ready.error}${pageChannel.recent()}`);
    if (ready.backend !== 'webgl') {
      throw new BackendUnavailableError(
        'webgl',
        `Chromium gave tfjs no WebGL context (tfjs fell back to '${ready.backend}'). Flags used: ${args.join(' ')}. ` +
          `WebGL needs a GPU with working drivers, or Mesa's llvmpipe software renderer (Debian: apt-get install -y libgl1-mesa-dri libegl-mesa0); ` +
          `angle 'swiftshader' is the other software route.${pageChannel.recent()}`,
      );
    }
    const info = await pageChannel.call<DeviceInfo>('dlnDevice.runtime.info()', 'reading the WebGL device info');
    progress?.(`WebGL ready: ${info.renderer ?? 'unknown renderer'}, float32 ${info.float32}, max texture ${info.maxTextureSize ?? '?'}`);

    const json = (x: unknown): string => JSON.stringify(x);
    const withStaged = async <T>(arrays: readonly Float32Array[], f: (list: StagedArray[]) => Promise<T>): Promise<T> => {
      const list = staged.stage(arrays);
      try {
        return await f(list);
      } finally {
        staged.drop(list.map((a) => a.id));
      }
    };
    return {
      info,
      load: (header: DeviceModelHeader, arrays) =>
        outcomeOf(() =>
          withStaged(arrays, async (list) => {
            const out = await pageChannel.call<DeviceOutcome<number>>(`dlnHost.load(${json(header)}, ${json(list)})`, 'loading the model');
            if (out.ok) headers.set(out.value, header);
            return out;
          }),
        ),
      run: (id: number, task: DeviceTask, arrays = []) =>
        outcomeOf(() =>
          withStaged(arrays, async (list) => {
            const out = await pageChannel.call<PageOutcome>(`dlnHost.run(${json(id)}, ${json(task)}, ${json(list)})`, `the '${task.op}' task`);
            if (!out.ok) return out;
            const { answer, results } = out.value;
            if (results === null) return { ok: true, value: { answer, arrays: [] } };
            const header = headers.get(id);
            const problem = header === undefined ? { kind: 'input' as const, message: `no model ${id} is loaded on the device` } : checkResultLengths(header, task, results.lengths);
            if (problem !== null) {
              await pageChannel.call<void>(`dlnHost.release(${json(results.token)})`, 'releasing result arrays');
              return { ok: false, failure: problem };
            }
            return { ok: true, value: { answer, arrays: await readResults(pageChannel, results) } };
          }),
        ),
      matmulThroughput: (sizes, seconds) =>
        orDeviceError(() => pageChannel.call<number[]>(`dlnDevice.matmulThroughput(${json(sizes)}, ${json(seconds)})`, 'the matmul throughput run')),
      unload: (id) =>
        orDeviceError(async () => {
          await pageChannel.call<void>(`dlnDevice.runtime.unload(${json(id)})`, 'unloading the model');
          headers.delete(id);
        }),
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    // After an interrupt, whatever failed failed because of it.
    const signal = interruptedBy();
    if (signal !== null && !(e instanceof InterruptedError)) throw new InterruptedError(signal, 'starting the WebGL backend');
    throw e;
  }
}
