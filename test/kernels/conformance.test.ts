/**
 * Conformance of every float64 kernel that loads here (native BLAS, WebAssembly SIMD, JavaScript)
 * against a textbook triple loop written in this file and against the JavaScript reference.
 *
 * The bound. Each kernel forms every entry of `α op(A) op(B) + β C₀` from the same `k` products in
 * some order, with at most `k + 2` roundings on the path of any one term (the `k − 1` additions and
 * the product itself, the scaling by `α` or `β`, the final addition; a fused multiply–add only
 * removes roundings). By the standard argument (Higham, Accuracy and Stability, §3.1) the computed
 * entry `Ĉ` satisfies `|Ĉ − C| ≤ γ_{k+2} (|α| |op(A)| |op(B)| + |β| |C₀|)` with
 * `γ_j = j u / (1 − j u)`, `u = 2⁻⁵³`. The textbook loop satisfies the same, so two results differ by
 * at most twice that; `|op(A)| |op(B)|` is itself computed in binary64 (relative error ≤ γ_k, the
 * factor `1 + 2γ_k` covers it), and `4 (k + 2) η` (η the smallest subnormal) covers underflow.
 */
import fc from 'fast-check';
import { availableKernels, activeKernel, jsKernel, kernelStatuses, type F64Kernel } from '../../src/kernels/index.js';
import { checkProperty } from '../support/property.js';

const u = 2 ** -53;
const gamma = (j: number): number => (j * u) / (1 - j * u);

/** Entry `(i, p)` of `op(X)` with `X` stored `rows × cols` (`op(X)` is `cols × rows` when transposed). */
function opAt(x: ArrayLike<number>, trans: boolean, storedRows: number, i: number, p: number): number {
  return (trans ? x[p + i * storedRows] : x[i + p * storedRows]) as number;
}

interface Case {
  readonly ta: boolean;
  readonly tb: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly alpha: number;
  readonly beta: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c0: Float64Array;
}

/** The textbook value and the entry-wise error bound of `α op(A) op(B) + β C₀`. */
function textbook(t: Case): { value: Float64Array; bound: Float64Array } {
  const { ta, tb, m, n, k, alpha, beta, a, b, c0 } = t;
  const value = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  const lda = ta ? k : m;
  const ldb = tb ? n : k;
  const g = 2 * gamma(k + 2) * (1 + 2 * gamma(Math.max(k, 1)));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = opAt(a, ta, lda, i, p);
        const y = opAt(b, tb, ldb, p, j);
        s += x * y;
        abs += Math.abs(x * y);
      }
      const c = beta === 0 ? 0 : beta * (c0[i + j * m] as number);
      value[i + j * m] = alpha * s + c;
      bound[i + j * m] = g * (Math.abs(alpha) * abs + Math.abs(c)) + 4 * (k + 2) * Number.MIN_VALUE;
    }
  }
  return { value, bound };
}

function runKernel(kernel: F64Kernel, t: Case): Float64Array {
  const c = Float64Array.from(t.c0);
  kernel.gemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, Float64Array.from(t.a), Float64Array.from(t.b), t.beta, c);
  return c;
}

function expectWithin(kernel: F64Kernel, t: Case): void {
  const got = runKernel(kernel, t);
  const { value, bound } = textbook(t);
  const ref = runKernel(jsKernel, t);
  for (let idx = 0; idx < t.m * t.n; idx++) {
    const e1 = Math.abs((got[idx] as number) - (value[idx] as number));
    const e2 = Math.abs((got[idx] as number) - (ref[idx] as number));
    if (!(e1 <= (bound[idx] as number)) || !(e2 <= (bound[idx] as number))) {
      throw new Error(
        `${kernel.name}: entry ${idx} of ${t.m}×${t.n} (k=${t.k}, transA=${t.ta}, transB=${t.tb}, α=${t.alpha}, β=${t.beta}): ` +
          `got ${got[idx]}, textbook ${value[idx]}, JS reference ${ref[idx]}, bound ${bound[idx]}`,
      );
    }
  }
}

function mulberry(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCase(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, beta: number, seed: number): Case {
  const rng = mulberry(seed);
  const r = (len: number): Float64Array => Float64Array.from({ length: len }, () => rng() * 2 - 1);
  return { ta, tb, m, n, k, alpha, beta, a: r(m * k), b: r(k * n), c0: r(m * n) };
}

const kernels = availableKernels();
/** Odd shapes, 1×n, n×1, sizes that are not multiples of the 4×4 tile, and ones crossing the 128-row, 256-deep and 2048-column blocks. */
const SHAPES: readonly [number, number, number][] = [
  [1, 1, 1], [1, 9, 5], [9, 1, 5], [7, 5, 1], [1, 1, 300], [3, 5, 7], [4, 4, 4], [5, 6, 7], [17, 13, 33],
  [33, 65, 17], [130, 9, 257], [131, 21, 260], [6, 2051, 3], [64, 64, 64], [1, 300, 301], [301, 1, 300],
];

describe('float64 kernels: conformance with the textbook product', () => {
  it('at least the JavaScript reference is available, and the active kernel is one that loaded', () => {
    expect(kernels.map((k) => k.name)).toContain('js');
    expect(kernels.map((k) => k.name)).toContain(activeKernel().name);
    for (const s of kernelStatuses()) expect(s.available ? s.description : s.reason).toEqual(expect.any(String));
  });

  // CI sets DLN_EXPECT_KERNEL (e.g. `native`) where the platform must provide that kernel.
  const expected = process.env.DLN_EXPECT_KERNEL;
  (expected === undefined || expected === '' ? it.skip : it)(`the kernel named by DLN_EXPECT_KERNEL (${expected ?? 'unset'}) is the one in use`, () => {
    expect(activeKernel().name).toBe(expected);
  });
  const expectedAll = process.env.DLN_EXPECT_KERNELS;
  (expectedAll === undefined || expectedAll === '' ? it.skip : it)(`every kernel in DLN_EXPECT_KERNELS (${expectedAll ?? 'unset'}) loaded`, () => {
    for (const name of (expectedAll ?? '').split(',')) {
      const s = kernelStatuses().find((t) => t.name === name.trim());
      expect({ name, available: s?.available, reason: s?.reason }).toEqual({ name, available: true, reason: undefined });
    }
  });

  describe.each(kernels.map((k) => [k.name, k] as const))('%s kernel', (_name, kernel) => {
    it('fixed shapes, all four transpose combinations, α ∈ {1, −0.75}, β ∈ {0, 1, 2.5}', () => {
      let seed = 1;
      for (const [m, n, k] of SHAPES) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            for (const [alpha, beta] of [[1, 0], [1, 1], [-0.75, 2.5]] as const) expectWithin(kernel, randomCase(ta, tb, m, n, k, alpha, beta, seed++));
          }
        }
      }
    });

    it('random shapes, transposes, α and β (property)', () => {
      const dim = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 6, max: 40 }));
      checkProperty(
        fc.property(dim, dim, fc.integer({ min: 0, max: 40 }), fc.boolean(), fc.boolean(), fc.constantFrom(1, -1, 0.5, 0, 3.25), fc.constantFrom(0, 1, -2, 0.125), fc.integer(), (m, n, k, ta, tb, alpha, beta, seed) => {
          expectWithin(kernel, randomCase(ta, tb, m, n, k, alpha, beta, seed));
        }),
        { numRuns: 60 },
      );
    });

    it('β = 0 overwrites C without reading it (NaN in C does not propagate); k = 0 gives β C', () => {
      const t = randomCase(false, false, 9, 7, 5, 1, 0, 3);
      const c = new Float64Array(63).fill(NaN);
      kernel.gemm(false, false, 9, 7, 5, 1, t.a, t.b, 0, c);
      expect(c.every((x) => Number.isFinite(x))).toBe(true);
      const c2 = Float64Array.from({ length: 12 }, (_, i) => i + 1);
      kernel.gemm(true, false, 3, 4, 0, 1, new Float64Array(0), new Float64Array(0), 2, c2);
      expect(Array.from(c2)).toEqual(Array.from({ length: 12 }, (_, i) => 2 * (i + 1)));
    });

    it('products of small integer matrices are exact (every partial sum below 2^53)', () => {
      const rng = mulberry(11);
      const m = 37, n = 29, k = 300;
      const a = Float64Array.from({ length: m * k }, () => Math.floor(rng() * 2001) - 1000);
      const b = Float64Array.from({ length: k * n }, () => Math.floor(rng() * 2001) - 1000);
      const c = new Float64Array(m * n);
      kernel.gemm(false, false, m, n, k, 1, a, b, 0, c);
      const want = textbook({ ta: false, tb: false, m, n, k, alpha: 1, beta: 0, a, b, c0: c }).value;
      expect(Array.from(c)).toEqual(Array.from(want));
    });

    it('gemv: y ← α op(A) x + β y within the same bound, both orientations, odd lengths', () => {
      for (const [m, n] of [[1, 1], [1, 7], [7, 1], [5, 3], [33, 17], [300, 41], [41, 300]] as const) {
        for (const trans of [false, true]) {
          for (const [alpha, beta] of [[1, 0], [-0.5, 1.5]] as const) {
            const rng = mulberry(m * 1000 + n + (trans ? 7 : 0));
            const a = Float64Array.from({ length: m * n }, () => rng() * 2 - 1);
            const lx = trans ? m : n;
            const ly = trans ? n : m;
            const x = Float64Array.from({ length: lx }, () => rng() * 2 - 1);
            const y0 = Float64Array.from({ length: ly }, () => rng() * 2 - 1);
            const y = Float64Array.from(y0);
            kernel.gemv(trans, m, n, alpha, a, x, beta, y);
            // gemv is gemm with n = 1: op(A) (ly × lx) times x (lx × 1).
            const { value, bound } = textbook({ ta: trans, tb: false, m: ly, n: 1, k: lx, alpha, beta, a, b: x, c0: y0 });
            for (let i = 0; i < ly; i++) expect(Math.abs((y[i] as number) - (value[i] as number))).toBeLessThanOrEqual(bound[i] as number);
          }
        }
      }
    });
  });
});
