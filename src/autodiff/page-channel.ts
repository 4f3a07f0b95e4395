/**
 * The host's side of the WebGL page (browser-transport.ts launches it): page calls under a time
 * limit ({@link PageChannel}), a lost page (crashed, closed, silent) turned into a clear device
 * failure with what to try instead, and result arrays read back in base64 chunks and released.
 */
import type { Page } from 'playwright-core';
import type { DeviceAnswer, DeviceFailure, DeviceOutcome } from './device/protocol.js';
import { CHUNK_BYTES } from './page-routes.js';
import { DeviceError } from './transport.js';

/** What to do when the page is lost: the hint every such error ends with. */
const LOST_HINT = 'a smaller model (narrower layers) needs less memory; --backend wasm or cpu run in this process instead of a browser';

/**
 * The first lines of an error message: Chromium's launch logs run long, so colour codes and the
 * echoed command lines are dropped and each line is cut at 300 characters.
 */
export function firstLines(e: unknown, n = 12): string {
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

/** The page can no longer answer: it crashed, closed, or ran past the call limit. */
export class PageLostError extends Error {}

/** The page and what it reported: calls with a time limit, failing clearly when the page is lost. */
export class PageChannel {
  private broken: Error | null = null;
  private closing = false;
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
    page.on('crash', () => this.fail(new PageLostError('the Chromium page running WebGL crashed (out of memory, or the GPU process died)')));
    page.on('close', () => {
      if (!this.closing) this.fail(new PageLostError('the Chromium page running WebGL was closed'));
    });
  }

  /** The page's recent console output, for error messages. */
  recent(): string {
    return this.messages.length === 0 ? '' : `\npage console (latest):\n  ${this.messages.join('\n  ')}`;
  }

  private remember(line: string): void {
    this.messages.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (this.messages.length > 12) this.messages.shift();
  }

  /** Fails every call, waiting or to come, with `error` (the first reason wins). */
  fail(error: Error): void {
    if (this.broken !== null) return;
    this.broken = error;
    for (const w of this.waiters) w(error);
  }

  /** The transport is closing the page: its closing is not a failure of its own. */
  markClosing(): void {
    this.closing = true;
  }

  /** The error of a call made while (or after) the channel broke with `e`. */
  private callError(e: Error, what: string): Error {
    if (e instanceof PageLostError) return new PageLostError(`${what}: ${e.message}${this.recent()}`);
    return e;
  }

  /** Evaluates a page expression (its promise awaited) under the time limit. */
  async call<T>(expression: string, what: string): Promise<T> {
    if (this.broken !== null) throw this.callError(this.broken, what);
    let timer: NodeJS.Timeout | undefined;
    let waiter: ((e: Error) => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      waiter = (e) => reject(this.callError(e, what));
      this.waiters.add(waiter);
      timer = setTimeout(() => {
        const seconds = this.timeoutMs / 1000;
        this.fail(new PageLostError(`no answer from the WebGL page within ${seconds} s (the limit of one page call)`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([this.page.evaluate<T>(expression), stop]);
    } catch (e) {
      // The page may have broken while waiting (the narrowing above no longer holds).
      const broken = this.broken as Error | null;
      if (broken !== null) throw this.callError(broken, what);
      throw new Error(`${what} failed in the WebGL page: ${firstLines(e, 6)}${this.recent()}`);
    } finally {
      clearTimeout(timer);
      if (waiter !== undefined) this.waiters.delete(waiter);
    }
  }
}

/** The device failure of a lost page: a limit of this machine, with what to try instead. */
function lostFailure(e: PageLostError): DeviceFailure {
  return { kind: 'limit', message: `${e.message}\n${LOST_HINT}` };
}

/** `f()`, a lost page turned into a failed outcome. */
export async function outcomeOf<T>(f: () => Promise<DeviceOutcome<T>>): Promise<DeviceOutcome<T>> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PageLostError) return { ok: false, failure: lostFailure(e) };
    throw e;
  }
}

/** `f()`, a lost page turned into a {@link DeviceError}. */
export async function orDeviceError<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PageLostError) throw new DeviceError('webgl', lostFailure(e));
    throw e;
  }
}

/** What the page answers to `dlnHost.run`: result arrays announced by length, kept in the page. */
export type PageOutcome = DeviceOutcome<{ answer: DeviceAnswer; results: { token: string; lengths: number[] } | null }>;

/**
 * Reads announced result arrays from the page in chunks of at most {@link CHUNK_BYTES} and releases
 * them there (also on failure).
 */
export async function readResults(channel: PageChannel, results: { token: string; lengths: number[] }): Promise<Float32Array[]> {
  const token = JSON.stringify(results.token);
  try {
    const out: Float32Array[] = [];
    for (const [i, length] of results.lengths.entries()) {
      const a = new Float32Array(length);
      const bytes = new Uint8Array(a.buffer);
      for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
        const n = Math.min(CHUNK_BYTES, bytes.byteLength - offset);
        const chunk = Buffer.from(await channel.call<string>(`dlnHost.read(${token}, ${i}, ${offset}, ${n})`, 'reading a result array'), 'base64');
        if (chunk.byteLength !== n) throw new Error(`reading result array ${i + 1}: got ${chunk.byteLength} bytes at offset ${offset}, expected ${n}`);
        bytes.set(chunk, offset);
      }
      out.push(a);
    }
    return out;
  } finally {
    await channel.call<void>(`dlnHost.release(${token})`, 'releasing result arrays').catch(() => undefined);
  }
}

