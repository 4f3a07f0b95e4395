import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebglTransport } from '../../src/autodiff/browser-transport';
import type { DeviceModelHeader } from '../../src/autodiff/device/protocol';
import { buildPageBundle, collectPageModules, resolveKey } from '../../src/autodiff/page-bundle';
import { BackendUnavailableError, type DeviceTransport } from '../../src/autodiff/transport';

/**
 * The WebGL transport against values computed here in float64, independently of the device code.
 *
 * Tolerances: every device quantity here is a sum of products of float32 numbers (unit roundoff
 * u = 2^-24), of at most a few dozen terms. The standard forward-error bound for such a sum is
 * γ_n·(the same expression evaluated on absolute values), γ_n ≈ n·u; with n ≤ 15 terms per entry
 * plus the rounding of the float32 inputs and of the squares, 64·u times the magnitude expression
 * covers it with room (and llvmpipe's shaders compute in IEEE binary32).
 */

const U = 2 ** -24;
const CHROMIUM = process.env['DLN_HESSIAN_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`webgl-transport tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
const describeWebgl = available ? describe : describe.skip;

/** A row-major float64 matrix. */
interface Mat {
  readonly r: number;
  readonly c: number;
  readonly a: Float64Array;
}

const mat = (r: number, c: number, f: (i: number, j: number) => number): Mat => {
  const a = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) a[i * c + j] = f(i, j);
  return { r, c, a };
};
const at = (m: Mat, i: number, j: number): number => m.a[i * m.c + j] as number;
const mul = (x: Mat, y: Mat): Mat =>
  mat(x.r, y.c, (i, j) => {
    let s = 0;
    for (let k = 0; k < x.c; k++) s += at(x, i, k) * at(y, k, j);
    return s;
  });
const tr = (x: Mat): Mat => mat(x.c, x.r, (i, j) => at(x, j, i));
const add = (x: Mat, y: Mat, s = 1): Mat => mat(x.r, x.c, (i, j) => at(x, i, j) + s * at(y, i, j));
const abs = (x: Mat): Mat => mat(x.r, x.c, (i, j) => Math.abs(at(x, i, j)));
/** Entries exactly representable in float32, so host and device start from the same numbers. */
const f32mat = (r: number, c: number, seed: number): Mat => mat(r, c, (i, j) => Math.fround(Math.sin(seed * 7.3 + i * 1.7 + j * 0.9) * 1.5));
const toF32 = (m: Mat): Float32Array => Float32Array.from(m.a);

/** Expects |device − exact| ≤ 64·u·magnitude entrywise. */
function expectClose(device: Float32Array | undefined, exact: Mat, magnitude: Mat): void {
  expect(device).toBeDefined();
  const d = device as Float32Array;
  expect(d.length).toBe(exact.a.length);
  exact.a.forEach((x, i) => {
    const bound = 64 * U * (magnitude.a[i] as number);
    expect(Math.abs((d[i] as number) - x)).toBeLessThanOrEqual(bound);
  });
}

describe('page bundle', () => {
  it('walks the device import graph from the runtime, tfjs left to the page', () => {
    const keys = collectPageModules().map((m) => m.key);
    expect(keys[0]).toBe('autodiff/device/runtime');
    expect(new Set(keys)).toEqual(
      new Set([
        'autodiff/device/runtime',
        'autodiff/device/lanczos',
        'autodiff/device/network',
        'autodiff/device/protocol',
        'autodiff/device/vectors',
        'autodiff/device/activations',
        'autodiff/device/tridiagonal',
        'autodiff/device/matmul',
        'random/mulberry32',
      ]),
    );
    expect(buildPageBundle()).toContain('"random/mulberry32": function (module, exports, require)');
  });

  it('resolves relative specifiers against the requiring module', () => {
    expect(resolveKey('autodiff/device/vectors', '../../random/mulberry32.js')).toBe('random/mulberry32');
    expect(resolveKey('autodiff/device/runtime', './lanczos.js')).toBe('autodiff/device/lanczos');
    expect(() => resolveKey('autodiff/x', '../../../y.js')).toThrow(/leaves the source tree/);
  });
});

describe('startWebglTransport without Chromium', () => {
  it('says how to install Chromium', async () => {
    const start = startWebglTransport({ executablePath: '/nonexistent/chromium' });
    await expect(start).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(start).rejects.toThrow(/apt-get install -y chromium/);
  });
});

describeWebgl('WebGL transport in headless Chromium', () => {
  let transport: DeviceTransport | undefined;
  const device = (): DeviceTransport => {
    if (transport === undefined) throw new Error('the transport did not start');
    return transport;
  };

  beforeAll(async () => {
    transport = await startWebglTransport({ executablePath: CHROMIUM });
  }, 120_000);

  afterAll(async () => {
    await transport?.close();
    await transport?.close(); // twice: a no-op
  }, 60_000);

  it('runs on WebGL in float32', () => {
    expect(device().info.backend).toBe('webgl');
    expect(device().info.float32).toBe(true);
    expect(device().info.maxTextureSize).toBeGreaterThan(0);
  });

  describe('depth 2, L = ½‖W2 W1 − M‖²', () => {
    const header: DeviceModelHeader = { kind: 'deep-linear', widths: [4, 3, 5], objective: 'dmf', samples: 1, scale: 1 };
    const W1 = f32mat(3, 4, 1);
    const W2 = f32mat(5, 3, 2);
    const M = f32mat(5, 4, 3);
    const R = add(mul(W2, W1), M, -1);
    /** |R| bounded by |W2||W1| + |M|: the magnitude of the residual's computation. */
    const Rabs = add(mul(abs(W2), abs(W1)), abs(M));
    let id = 0;

    beforeAll(async () => {
      const out = await device().load(header, [toF32(W1), toF32(W2), toF32(M)]);
      if (!out.ok) throw new Error(out.failure.message);
      id = out.value;
    }, 60_000);

    it('loss', async () => {
      const out = await device().run(id, { op: 'loss' });
      if (!out.ok) throw new Error(out.failure.message);
      const exact = 0.5 * R.a.reduce((s, x) => s + x * x, 0);
      // Absolute bound: 64·u times the sum of squared magnitudes ½Σ(|W2||W1| + |M|)².
      const magnitude = 0.5 * Rabs.a.reduce((s, x) => s + x * x, 0);
      expect(out.value.arrays).toEqual([]);
      expect(Math.abs((out.value.answer.loss as number) - exact)).toBeLessThanOrEqual(64 * U * magnitude);
    }, 60_000);

    it('gradient: (W2ᵀR, R W1ᵀ)', async () => {
      const out = await device().run(id, { op: 'gradient' });
      if (!out.ok) throw new Error(out.failure.message);
      expectClose(out.value.arrays[0], mul(tr(W2), R), mul(tr(abs(W2)), Rabs));
      expectClose(out.value.arrays[1], mul(R, tr(W1)), mul(Rabs, tr(abs(W1))));
    }, 60_000);

    it('Hessian–vector product in closed form', async () => {
      const V1 = f32mat(3, 4, 4);
      const V2 = f32mat(5, 3, 5);
      // dR = V2 W1 + W2 V1;  H v = (V2ᵀR + W2ᵀ dR,  dR W1ᵀ + R V1ᵀ).
      const dR = add(mul(V2, W1), mul(W2, V1));
      const dRabs = add(mul(abs(V2), abs(W1)), mul(abs(W2), abs(V1)));
      const out = await device().run(id, { op: 'hvp' }, [toF32(V1), toF32(V2)]);
      if (!out.ok) throw new Error(out.failure.message);
      expect(out.value.arrays).toHaveLength(2);
      expectClose(out.value.arrays[0], add(mul(tr(V2), R), mul(tr(W2), dR)), add(mul(tr(abs(V2)), Rabs), mul(tr(abs(W2)), dRabs)));
      expectClose(out.value.arrays[1], add(mul(dR, tr(W1)), mul(R, tr(V1))), add(mul(dRabs, tr(abs(W1))), mul(Rabs, tr(abs(V1)))));
    }, 60_000);

    it('unloads', async () => {
      await device().unload(id);
      const out = await device().run(id, { op: 'loss' });
      expect(out).toMatchObject({ ok: false, failure: { kind: 'input' } });
    }, 60_000);
  });

  it('Lanczos on depth 1 (H = I): every eigenvalue 1, orthonormal Ritz vectors', async () => {
    const header: DeviceModelHeader = { kind: 'deep-linear', widths: [4, 3], objective: 'dmf', samples: 1, scale: 1 };
    const loaded = await device().load(header, [toF32(f32mat(3, 4, 6)), toF32(f32mat(3, 4, 7))]);
    if (!loaded.ok) throw new Error(loaded.failure.message);
    const task = { op: 'lanczos', k: 3, which: 'largest', tolerance: 1e-6, residualFloor: 1e-5, maxIterations: 12, seed: 11, eigenvectors: true } as const;
    const out = await device().run(loaded.value, task);
    await device().unload(loaded.value);
    if (!out.ok) throw new Error(out.failure.message);
    const { answer, arrays } = out.value;
    // θ = ⟨q, q⟩ for a float32-normalised q of 12 entries: |θ − 1| ≤ 64·u (n = 12 terms of magnitude ≤ 1 in total).
    expect(answer.eigenvalues).toHaveLength(3);
    for (const theta of answer.eigenvalues ?? []) expect(Math.abs(theta - 1)).toBeLessThanOrEqual(64 * U);
    expect(answer.converged).toBe(true);
    expect(arrays).toHaveLength(3);
    // Each Ritz vector is a combination of ≤ 3 basis vectors of 12 entries: inner products within 64·u of δ_ij.
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const a = arrays[i] as Float32Array;
        const b = arrays[j] as Float32Array;
        const ip = a.reduce((s, x, k) => s + x * (b[k] as number), 0);
        expect(Math.abs(ip - (i === j ? 1 : 0))).toBeLessThanOrEqual(64 * U);
      }
    }
  }, 60_000);

  it('refuses an array beyond the maximum texture size', async () => {
    const max = device().info.maxTextureSize;
    expect(max).toBeDefined();
    const rows = (max as number) + 1;
    const header: DeviceModelHeader = { kind: 'deep-linear', widths: [2, rows], objective: 'dmf', samples: 1, scale: 1 };
    const out = await device().load(header, [new Float32Array(rows * 2), new Float32Array(rows * 2)]);
    expect(out).toMatchObject({ ok: false, failure: { kind: 'limit' } });
  }, 60_000);

  it('fails with BackendUnavailableError when Chromium gives no WebGL context (no cpu fallback)', async () => {
    // A wrapper that launches the same Chromium with its GPU process off: tfjs falls back to cpu.
    const dir = mkdtempSync(join(tmpdir(), 'dln-hessian-nogpu-'));
    const wrapper = join(dir, 'chromium');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(CHROMIUM)} "$@" --disable-gpu\n`);
    chmodSync(wrapper, 0o755);
    try {
      const start = startWebglTransport({ executablePath: wrapper });
      await expect(start).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(start).rejects.toThrow(/no WebGL context \(tfjs fell back to 'cpu'\)[^]*--ignore-gpu-blocklist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('measures matmul throughput', async () => {
    const [gflops] = await device().matmulThroughput([128], 0.05);
    expect(gflops).toBeGreaterThan(0);
  }, 60_000);
});
