import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { DeviceModelHeader } from './device/protocol.js';
import type { DeviceAnswer, DeviceInfo, DeviceOutcome, DeviceTask } from './device/protocol.js';
import { buildPageBundle, type PageReady } from './page-bundle.js';
import { BackendUnavailableError, type DeviceTransport } from './transport.js';

/**
 * The WebGL backend: tfjs in a page of Debian's headless Chromium (driven by playwright-core),
 * running the same {@link DeviceRuntime} as the in-process backends. A local HTTP server on
 * 127.0.0.1 serves the page, `tf.min.js`, the device bundle and the arrays: host arrays are staged
 * on the server and fetched by the page; result arrays are POSTed back. Only ids and JSON cross
 * `page.evaluate`, so models of millions of entries never go through its serialisation.
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

/** The page: tfjs, the array helpers used by the host's `evaluate` calls, then the device bundle. */
const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>dln-hessian WebGL device</title>
<script src="/tf.min.js"></script>
<script>
'use strict';
globalThis.dlnHost = {
  async fetchArrays(ids) {
    return Promise.all(ids.map(async (id) => {
      const r = await fetch('/array/' + id);
      if (!r.ok) throw new Error('array ' + id + ': HTTP ' + r.status);
      return new Float32Array(await r.arrayBuffer());
    }));
  },
  async postArrays(arrays) {
    const ids = [];
    for (const a of arrays) {
      const r = await fetch('/array', { method: 'POST', body: a, headers: { 'content-type': 'application/octet-stream' } });
      if (!r.ok) throw new Error('posting an array: HTTP ' + r.status);
      ids.push((await r.json()).id);
    }
    return ids;
  },
  async load(header, ids) {
    return dlnDevice.runtime.load(header, await this.fetchArrays(ids));
  },
  async run(id, task, ids) {
    const out = await dlnDevice.runtime.run(id, task, await this.fetchArrays(ids));
    if (!out.ok) return out;
    return { ok: true, value: { answer: out.value.answer, arrays: await this.postArrays(out.value.arrays) } };
  },
};
</script>
<script src="/device.js"></script>
</head><body></body></html>
`;

/** Staged host arrays (served once, then dropped) and arrays posted by the page. */
class ArrayStore {
  private nextId = 1;
  readonly staged = new Map<number, Float32Array>();
  readonly posted = new Map<number, Float32Array>();

  stage(arrays: readonly Float32Array[]): number[] {
    return arrays.map((a) => {
      const id = this.nextId++;
      this.staged.set(id, a);
      return id;
    });
  }

  /** Records a posted array and returns its id. */
  receive(a: Float32Array): number {
    const id = this.nextId++;
    this.posted.set(id, a);
    return id;
  }

  /** Takes posted arrays by id (they leave the store). */
  take(ids: readonly number[]): Float32Array[] {
    return ids.map((id) => {
      const a = this.posted.get(id);
      if (a === undefined) throw new Error(`WebGL page: result array ${id} never arrived`);
      this.posted.delete(id);
      return a;
    });
  }

  drop(ids: readonly number[]): void {
    for (const id of ids) this.staged.delete(id);
  }
}

/** Reads a request body into a float32 array (a fresh, aligned copy). */
async function readFloat32(req: IncomingMessage): Promise<Float32Array> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  if (body.byteLength % 4 !== 0) throw new Error(`a float32 array needs a multiple of 4 bytes, got ${body.byteLength}`);
  const out = new Float32Array(body.byteLength / 4);
  new Uint8Array(out.buffer).set(body);
  return out;
}

/** The HTTP server of the page: static files and the array endpoints. */
function startServer(store: ArrayStore): Promise<{ server: Server; url: string }> {
  const tfjs = readFileSync(join(dirname(require.resolve('@tensorflow/tfjs/package.json')), 'dist', 'tf.min.js'));
  const bundle = buildPageBundle();
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const arrayId = /^\/array\/(\d+)$/.exec(url);
    if (req.method === 'GET' && url === '/') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    if (req.method === 'GET' && url === '/tf.min.js') return send(res, 200, 'text/javascript', tfjs);
    if (req.method === 'GET' && url === '/device.js') return send(res, 200, 'text/javascript; charset=utf-8', bundle);
    if (req.method === 'GET' && arrayId !== null) {
      const id = Number(arrayId[1]);
      const a = store.staged.get(id);
      if (a === undefined) return send(res, 404, 'text/plain', `no staged array ${id}`);
      store.staged.delete(id);
      return send(res, 200, 'application/octet-stream', Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    }
    if (req.method === 'POST' && url === '/array') {
      const id = store.receive(await readFloat32(req));
      return send(res, 200, 'application/json', JSON.stringify({ id }));
    }
    if (url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    send(res, 404, 'text/plain', 'not found');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, 'text/plain', String(e)));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

/**
 * The first lines of an error message: Chromium's launch logs run long, so colour codes and the
 * echoed command lines are dropped and each line is cut at 300 characters.
 */
function firstLines(e: unknown, n = 12): string {
  const text = e instanceof Error ? e.message : String(e);
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/<launching>/.test(line))
    .slice(0, n)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .join('\n');
}

/** playwright-core, loaded only when the WebGL backend is asked for. */
function loadPlaywright(): typeof import('playwright-core') {
  try {
    return createRequire(__filename)('playwright-core') as typeof import('playwright-core');
  } catch (e) {
    throw new BackendUnavailableError('webgl', `the WebGL backend drives Chromium with playwright-core, which is not installed: run \`npm install playwright-core\` (${firstLines(e, 1)})`);
  }
}

/** The page and what it reported: calls with a time limit, failing clearly on a crash. */
class PageChannel {
  private broken: Error | null = null;
  private readonly waiters = new Set<(e: Error) => void>();
  private readonly messages: string[] = [];

  constructor(
    readonly page: Page,
    private readonly timeoutMs: number,
    onProgress: ((message: string) => void) | undefined,
  ) {
    page.on('console', (msg) => {
      const line = `console.${msg.type()}: ${msg.text()}`;
      this.remember(line);
      if (msg.type() === 'error' || msg.type() === 'warning') onProgress?.(`WebGL page ${line}`);
    });
    page.on('pageerror', (err) => this.remember(`uncaught: ${err.message}`));
    page.on('crash', () => this.fail('the Chromium page running WebGL crashed (out of memory, or the GPU process died)'));
    page.on('close', () => this.fail('the Chromium page running WebGL was closed'));
  }

  /** The page's recent console output, for error messages. */
  recent(): string {
    return this.messages.length === 0 ? '' : `\npage console (latest):\n  ${this.messages.join('\n  ')}`;
  }

  private remember(line: string): void {
    this.messages.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (this.messages.length > 12) this.messages.shift();
  }

  private fail(message: string): void {
    if (this.broken !== null) return;
    this.broken = new Error(message);
    for (const w of this.waiters) w(this.broken);
  }

  /** Evaluates a page expression (its promise awaited) under the time limit. */
  async call<T>(expression: string, what: string): Promise<T> {
    if (this.broken !== null) throw new Error(`${this.broken.message}${this.recent()}`);
    let timer: NodeJS.Timeout | undefined;
    let waiter: ((e: Error) => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      waiter = (e) => reject(new Error(`${what}: ${e.message}${this.recent()}`));
      this.waiters.add(waiter);
      timer = setTimeout(() => reject(new Error(`${what}: no answer from the WebGL page within ${this.timeoutMs / 1000} s${this.recent()}`)), this.timeoutMs);
    });
    try {
      return await Promise.race([this.page.evaluate<T>(expression), stop]);
    } catch (e) {
      // The page may have broken while waiting (the narrowing above no longer holds).
      const broken = this.broken as Error | null;
      if (broken !== null) throw new Error(`${what}: ${broken.message}${this.recent()}`);
      throw new Error(`${what} failed in the WebGL page: ${firstLines(e, 6)}${this.recent()}`);
    } finally {
      clearTimeout(timer);
      if (waiter !== undefined) this.waiters.delete(waiter);
    }
  }
}

/** A page outcome with result arrays given by id. */
type PageOutcome = DeviceOutcome<{ answer: DeviceAnswer; arrays: number[] }>;

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
  const store = new ArrayStore();
  const { server, url } = await startServer(store);
  const userDataDir = mkdtempSync(join(tmpdir(), 'dln-hessian-chromium-'));
  let context: BrowserContext | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    try {
      await context?.close();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(userDataDir, { recursive: true, force: true });
    }
  };

  try {
    progress?.(`starting ${executablePath} (${args.join(' ')})`);
    try {
      context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args });
    } catch (e) {
      throw new BackendUnavailableError('webgl', `Chromium at ${executablePath} failed to start:\n${firstLines(e)}`);
    }
    const page = context.pages()[0] ?? (await context.newPage());
    const channel = new PageChannel(page, (options.callTimeoutSeconds ?? 3600) * 1000, progress);
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    const ready = await channel.call<PageReady>('globalThis.dlnDeviceReady', 'starting tfjs');
    if (!ready.ok) throw new BackendUnavailableError('webgl', `tfjs failed to start in the Chromium page: ${ready.error}${channel.recent()}`);
    if (ready.backend !== 'webgl') {
      throw new BackendUnavailableError(
        'webgl',
        `Chromium gave tfjs no WebGL context (tfjs fell back to '${ready.backend}'). Flags used: ${args.join(' ')}. ` +
          `WebGL needs a GPU with working drivers, or Mesa's llvmpipe software renderer (Debian: apt-get install -y libgl1-mesa-dri libegl-mesa0); ` +
          `angle 'swiftshader' is the other software route.${channel.recent()}`,
      );
    }
    const info = await channel.call<DeviceInfo>('dlnDevice.runtime.info()', 'reading the WebGL device info');
    progress?.(`WebGL ready: ${info.renderer ?? 'unknown renderer'}, float32 ${info.float32}, max texture ${info.maxTextureSize ?? '?'}`);

    const json = (x: unknown): string => JSON.stringify(x);
    const withStaged = async <T>(arrays: readonly Float32Array[], f: (ids: number[]) => Promise<T>): Promise<T> => {
      const ids = store.stage(arrays);
      try {
        return await f(ids);
      } finally {
        store.drop(ids);
      }
    };
    return {
      info,
      load: (header: DeviceModelHeader, arrays) =>
        withStaged(arrays, (ids) => channel.call<DeviceOutcome<number>>(`dlnHost.load(${json(header)}, ${json(ids)})`, 'loading the model')),
      run: (id: number, task: DeviceTask, arrays = []) =>
        withStaged(arrays, async (ids) => {
          const out = await channel.call<PageOutcome>(`dlnHost.run(${json(id)}, ${json(task)}, ${json(ids)})`, `the '${task.op}' task`);
          if (!out.ok) return out;
          return { ok: true, value: { answer: out.value.answer, arrays: store.take(out.value.arrays) } };
        }),
      matmulThroughput: (sizes, seconds) => channel.call<number[]>(`dlnDevice.matmulThroughput(${json(sizes)}, ${json(seconds)})`, 'the matmul throughput run'),
      unload: (id) => channel.call<void>(`dlnDevice.runtime.unload(${json(id)})`, 'unloading the model'),
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}
