import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../support/cli.js';

/**
 * The autodiff path from the command line: crosscheck, hessian-vector, and --backend on sharpness
 * and spectrum. Expected values are hand computations from docs/math.md §2–3 (scalar chain: H = [[4, 2],
 * [2, 1]], λ_max = 5; balanced depth-3 factorization of diag(8, 1): λ_max = 48).
 */

jest.setTimeout(300_000);

const U32 = 2 ** -24;
const dir = mkdtempSync(join(tmpdir(), 'dln-autodiff-cli-'));
const file = (name: string, body: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};

describe('crosscheck', () => {
  test('agrees on a minimizer: both columns and the closed-form λ_max = 48', async () => {
    const r = await runCliAsync('crosscheck', 'example:dmf-balanced-depth3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { agrees: boolean; precision: string; items: { quantity: string; closed: number; autodiff: number; tolerance: number; agrees: boolean }[] };
    expect(j.agrees).toBe(true);
    expect(j.precision).toBe('float32');
    const lambda = j.items.find((i) => i.quantity === 'lambda_max');
    expect(lambda?.closed).toBeCloseTo(48, 9);
    expect(Math.abs((lambda?.autodiff ?? 0) - 48)).toBeLessThanOrEqual((lambda?.tolerance ?? 0) * 48);
  });

  test('text output names the backend, both values and the verdict; two-layer models too', async () => {
    const r = await runCliAsync('crosscheck', 'example:dln-data-depth2', '--backend', 'wasm');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backend\s+wasm \(tfjs wasm, float32\)/);
    expect(r.stdout).toMatch(/λ_max .* agree/);
    expect(r.stdout).toMatch(/verdict\s+the two paths agree/);
  });

  test('an unknown backend is a usage error listing the backends (exit 2)', async () => {
    const r = await runCliAsync('crosscheck', 'example:scalar-chain-2', '--backend', 'tpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown backend "tpu" \(autodiff backends: cpu, wasm, webgl\)/);
  });
});

test('the demo (npm start) ends with the autodiff cross-check agreeing on two examples', async () => {
  const r = await runCliAsync('demo');
  expect(r.code).toBe(0);
  expect(r.stdout.match(/: agree$/gm)).toHaveLength(2);
  expect(r.stdout).not.toMatch(/DISAGREE/);
});

describe('hessian-vector', () => {
  const v = file('v.json', { vector: [1, -2] });
  test('closed form: H (1, −2) = (0, 0) exactly for H = [[4, 2], [2, 1]]; e_1 gives (4, 2)', async () => {
    const r = await runCliAsync('hessian-vector', 'example:scalar-chain-2', '--vector', v, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { product: number[] }).product).toEqual([0, 0]);
    const e1 = await runCliAsync('hessian-vector', 'example:scalar-chain-2', '--vector', file('e1.json', [1, 0]), '--json');
    expect((JSON.parse(e1.stdout) as { product: number[] }).product).toEqual([4, 2]);
  });

  test.each(['cpu', 'wasm'])('autodiff on %s: (4, 2) within the float32 bound, written whole to --out', async (backend) => {
    const out = join(dir, `hv-${backend}.json`);
    const r = await runCliAsync('hessian-vector', 'example:scalar-chain-2', '--vector', file('e1b.json', [1, 0]), '--backend', backend, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/written/);
    const j = JSON.parse(readFileSync(out, 'utf8')) as { product: number[]; relativeTolerance: number };
    // |error| ≤ γ‖H‖‖v‖ with ‖H‖ = λ_max = 5
    expect(Math.hypot((j.product[0] as number) - 4, (j.product[1] as number) - 2)).toBeLessThanOrEqual(j.relativeTolerance * 5);
    expect(j.relativeTolerance).toBeGreaterThan(U32);
  });

  test('a vector of the wrong length, or not finite: exit 2 naming the problem, no output file', async () => {
    const out = join(dir, 'never.json');
    const r = await runCliAsync('hessian-vector', 'example:scalar-chain-2', '--vector', file('short.json', [1]), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected 2 entries \(the parameter count\), got 1/);
    const big = await runCliAsync('hessian-vector', 'example:scalar-chain-2', '--vector', file('inf.json', '[1e999, 0]'), '--out', out);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/vector\[1\]: 1e999 cannot be represented in float64/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('sharpness and spectrum on a backend', () => {
  test('sharpness --backend cpu: λ_max = 48 within the declared bound', async () => {
    const r = await runCliAsync('sharpness', 'example:dmf-balanced-depth3', '--backend', 'cpu', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { lambdaMax: number; relativeTolerance: number; isMinimizer: boolean; methods: { tolerance: number }[] };
    expect(j.isMinimizer).toBe(true);
    expect(Math.abs(j.lambdaMax - 48)).toBeLessThanOrEqual((j.relativeTolerance + (j.methods[0]?.tolerance ?? 0)) * 48);
  });

  test('sharpness --backend: a non-minimizer needs --allow-nonminimizer; --exact needs the closed forms', async () => {
    const r = await runCliAsync('sharpness', 'example:dmf-nonminimizer-depth2', '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a zero-loss minimizer/);
    const e = await runCliAsync('sharpness', 'example:dmf-balanced-depth3', '--backend', 'cpu', '--exact');
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/--exact applies to the closed forms only/);
  });

  test('spectrum --backend wasm: top and bottom eigenvalues of the scalar chain are 5 and 0', async () => {
    const r = await runCliAsync('spectrum', 'example:scalar-chain-2', '--backend', 'wasm', '--top', '1', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { top: { eigenvalues: number[] }; bottom: { eigenvalues: number[] }; relativeTolerance: number };
    expect(Math.abs((j.top.eigenvalues[0] as number) - 5)).toBeLessThanOrEqual(2 * j.relativeTolerance * 5);
    expect(Math.abs(j.bottom.eigenvalues[0] as number)).toBeLessThanOrEqual(2 * j.relativeTolerance * 5);
    const d = await runCliAsync('spectrum', 'example:scalar-chain-2', '--backend', 'cpu', '--density');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--density needs the closed forms/);
  });
});

describe('bad input on a backend', () => {
  const dmf = (w: number): unknown => ({ kind: 'dmf', weights: [[[w]], [[w]], [[w]]], target: [[1]] });

  test('an entry beyond the float32 range: exit 2 naming the array and the limit', async () => {
    const r = await runCliAsync('sharpness', file('huge.json', dmf(1e39)), '--backend', 'cpu', '--allow-nonminimizer');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not finite in float32.*3\.4e38/);
  });

  test('overflow during the run: exit 2 naming the step', async () => {
    // w³ = 1e45 overflows float32 in the forward product.
    const r = await runCliAsync('sharpness', file('overflow.json', dmf(1e15)), '--backend', 'cpu', '--allow-nonminimizer');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/non-finite value .* at Lanczos step 1/);
  });

  test('WebGL without a Chromium: exit 2 saying what to install', async () => {
    const before = process.env.DLN_HESSIAN_CHROMIUM;
    process.env.DLN_HESSIAN_CHROMIUM = join(dir, 'no-such-chromium');
    try {
      const r = await runCliAsync('crosscheck', 'example:scalar-chain-2', '--backend', 'webgl');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/apt-get install -y chromium/);
    } finally {
      if (before === undefined) delete process.env.DLN_HESSIAN_CHROMIUM;
      else process.env.DLN_HESSIAN_CHROMIUM = before;
    }
  });
});
