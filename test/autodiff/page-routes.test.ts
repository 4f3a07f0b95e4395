import fc from 'fast-check';
import type { DeviceModelHeader } from '../../src/autodiff/device/protocol';
import { answerRequest, CHUNK_BYTES, checkResultLengths, chunkCount, PAGE_ORIGIN, StagedArrays, type PageFiles, type RouteAnswer } from '../../src/autodiff/page-routes';
import { checkProperty } from '../support/property';

/**
 * What the WebGL page may fetch, and what a task may hand back: the routing of every request of the
 * browser context (no socket exists for anything else to reach), staged arrays served once under
 * unguessable ids, and result sizes checked against the model's parameter shapes before any is read.
 */

const files: PageFiles = { html: '<!doctype html>', tfjs: Buffer.from('tf'), bundle: 'bundle' };

const body = (a: RouteAnswer): Buffer => {
  if (a.action !== 'fulfill') throw new Error('expected a fulfilled request');
  return typeof a.body === 'string' ? Buffer.from(a.body) : a.body;
};

describe('answerRequest', () => {
  const staged = new StagedArrays();

  it('serves the page, tfjs and the device bundle on the page origin', () => {
    expect(answerRequest('GET', `${PAGE_ORIGIN}/`, files, staged)).toMatchObject({ action: 'fulfill', status: 200, body: files.html });
    expect(answerRequest('GET', `${PAGE_ORIGIN}/tf.min.js`, files, staged)).toMatchObject({ status: 200, body: files.tfjs });
    expect(answerRequest('GET', `${PAGE_ORIGIN}/device.js`, files, staged)).toMatchObject({ status: 200, body: files.bundle });
  });

  it('aborts every other origin: loopback, the same host over http, any site', () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://localhost/array/1', 'http://dln-hessian.invalid/', 'https://dln-hessian.invalid:8443/', 'https://example.com/', 'data:text/plain,x', 'not a url']) {
      expect(answerRequest('GET', url, files, staged)).toEqual({ action: 'abort' });
    }
  });

  it('refuses every method but GET (a cross-origin text/plain POST included), stores nothing', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const a = answerRequest(method, `${PAGE_ORIGIN}/array`, files, staged);
      expect(a).toMatchObject({ action: 'fulfill', status: 405 });
      expect(body(a).toString()).toBe(`${method} is not served`);
    }
    expect(staged.size).toBe(0);
  });

  it('answers 404 to unknown paths, query strings and sequential ids', () => {
    for (const path of ['/array/1', '/array/1/0', '/array', '/favicon.ico', '/?x=1', '/tf.min.js?v=2', '/array/00000000000000000000000000000000/0']) {
      expect(answerRequest('GET', `${PAGE_ORIGIN}${path}`, files, staged)).toMatchObject({ action: 'fulfill', status: 404 });
    }
  });

  it('routes no request of any method or URL to anything but the four kinds above (property)', () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'OPTIONS');
    const url = fc.oneof(fc.webUrl(), fc.webPath().map((p) => `${PAGE_ORIGIN}${p}`));
    checkProperty(
      fc.property(method, url, (m, u) => {
        const a = answerRequest(m, u, files, staged);
        if (new URL(u).origin !== PAGE_ORIGIN) return a.action === 'abort';
        if (a.action !== 'fulfill') return false;
        if (m !== 'GET') return a.status === 405;
        return a.status === 404 || ['/', '/tf.min.js', '/device.js'].includes(new URL(u).pathname);
      }),
    );
  });
});

describe('StagedArrays', () => {
  it('stages under distinct 128-bit hex ids and serves each chunk once, then drops the array', () => {
    const staged = new StagedArrays();
    const a = Float32Array.from([1.5, -2, 3.25]);
    const [s] = staged.stage([a]);
    const other = staged.stage([a, a]);
    expect(s?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([s?.id, ...other.map((o) => o.id)]).size).toBe(3);
    expect(s?.length).toBe(3);
    const url = `${PAGE_ORIGIN}/array/${s?.id}/0`;
    const first = answerRequest('GET', url, files, staged);
    expect(first).toMatchObject({ status: 200, contentType: 'application/octet-stream' });
    const got = body(first);
    expect(Array.from(new Float32Array(got.buffer.slice(got.byteOffset, got.byteOffset + got.byteLength)))).toEqual([1.5, -2, 3.25]);
    // Served once: a second fetch (the page's own, or anyone's) finds nothing.
    expect(answerRequest('GET', url, files, staged)).toMatchObject({ status: 404 });
    expect(staged.size).toBe(2);
    staged.drop(other.map((o) => o.id));
    expect(staged.size).toBe(0);
  });

  it('cuts an array into chunks of at most CHUNK_BYTES, the last one short', () => {
    const n = CHUNK_BYTES / 4 + 3;
    const a = new Float32Array(n).map((_, i) => i);
    expect(chunkCount(a.byteLength)).toBe(2);
    expect(chunkCount(0)).toBe(1);
    const staged = new StagedArrays();
    const [s] = staged.stage([a]);
    const id = s?.id as string;
    const c1 = staged.take(id, 1);
    const c0 = staged.take(id, 0);
    expect(c0?.byteLength).toBe(CHUNK_BYTES);
    expect(c1?.byteLength).toBe(12);
    expect(Array.from(new Float32Array(new Uint8Array(c1 as Buffer).buffer))).toEqual([n - 3, n - 2, n - 1]);
    expect(staged.take(id, 2)).toBeNull();
    expect(staged.size).toBe(0);
  });
});

describe('checkResultLengths', () => {
  // W1: 3×4, W2: 5×3 (parameters, 12 + 15 = 27 entries), then M: 5×4 (data).
  const header: DeviceModelHeader = { kind: 'deep-linear', widths: [4, 3, 5], objective: 'dmf', samples: 1, scale: 1 };
  const lanczos = { op: 'lanczos', k: 2, which: 'largest', tolerance: 1e-6, residualFloor: 1e-5, maxIterations: 10, seed: 1, eigenvectors: true } as const;

  it('accepts results in the parameter shapes, as many vectors as the task returns', () => {
    expect(checkResultLengths(header, { op: 'hvp' }, [12, 15])).toBeNull();
    expect(checkResultLengths(header, { op: 'gradient' }, [12, 15])).toBeNull();
    expect(checkResultLengths(header, lanczos, [12, 15, 12, 15])).toBeNull();
    expect(checkResultLengths(header, lanczos, [12, 15])).toBeNull();
    expect(checkResultLengths(header, { op: 'loss' }, [])).toBeNull();
  });

  it('refuses anything else before reading it, naming the limit', () => {
    expect(checkResultLengths(header, { op: 'hvp' }, [12, 15, 12, 15])).toEqual({
      kind: 'limit',
      message:
        "the WebGL page announced 4 result arrays of 54 float32 entries (216 bytes) for the 'hvp' task; its results are exactly 1 vector of the model's 27 parameters (27 float32 entries, 108 bytes) in 2 arrays of the parameter shapes; nothing was read",
    });
    expect(checkResultLengths(header, { op: 'hvp' }, [12, 16_000_000])?.message).toMatch(/16000012 float32 entries \(64000048 bytes\)/);
    expect(checkResultLengths(header, lanczos, [12, 15, 12, 15, 12, 15])?.message).toMatch(/its results are at most 2 vectors of the model's 27 parameters \(54 float32 entries, 216 bytes\)/);
    expect(checkResultLengths(header, { op: 'loss' }, [12, 15])?.message).toMatch(/at most 0 vectors/);
    expect(checkResultLengths(header, { op: 'gradient' }, [15, 12])?.kind).toBe('limit');
  });
});
