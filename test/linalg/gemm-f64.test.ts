import fc from 'fast-check';
import { gemmF64, gemmF64Into } from '../../src/linalg/gemm-f64.js';
import { checkProperty } from '../support/property.js';
import { mulberry32 } from '../../src/random/mulberry32.js';

/** The textbook triple loop, written here independently of the kernel: `C_ij = Σ_p A_ip B_pj`. */
function referenceGemm(m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i + p * m] as number) * (b[p + j * k] as number);
      c[i + j * m] = s;
    }
  }
  return c;
}

/** `(|A| |B|)_ij`, the scale of the rounding error bound. */
function absProduct(m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return referenceGemm(
    m,
    n,
    k,
    Array.from(a, (x) => Math.abs(x)),
    Array.from(b, (x) => Math.abs(x)),
  );
}

const u = 2 ** -53;
/** `γ_k = k u / (1 − k u)` (Higham, Accuracy and Stability, §3.1). */
const gamma = (k: number): number => (k * u) / (1 - k * u);

/**
 * Both the kernel and the reference satisfy `|Ĉ − C| ≤ γ_k |A||B|` entry-wise, so they differ by at
 * most `2 γ_k |A||B|` (plus `2 k η` with η the smallest subnormal, for products that underflow).
 */
function expectWithinRoundoff(m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>, got: Float64Array): void {
  const want = referenceGemm(m, n, k, a, b);
  const scale = absProduct(m, n, k, a, b);
  expect(got.length).toBe(m * n);
  const g = 2 * gamma(Math.max(k, 1));
  for (let idx = 0; idx < m * n; idx++) {
    const err = Math.abs((got[idx] as number) - (want[idx] as number));
    const bound = g * (scale[idx] as number) + 2 * k * Number.MIN_VALUE;
    if (!(err <= bound)) {
      throw new Error(`entry ${idx} of ${m}×${n} (k=${k}): got ${got[idx]}, want ${want[idx]}, |err| ${err} > ${bound}`);
    }
  }
}

function randomArray(len: number, rng: () => number): Float64Array {
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) out[i] = rng() * 2 - 1;
  return out;
}

describe('gemmF64', () => {
  it('matches the triple loop within 2γ_k|A||B| on random shapes (0, 1, odd, non-multiples of the tile)', () => {
    const dim = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 4, max: 41 }));
    const shapeAndData = fc
      .tuple(dim, dim, dim)
      .chain(([m, n, k]) =>
        fc.tuple(
          fc.constant(m),
          fc.constant(n),
          fc.constant(k),
          fc.float64Array({ minLength: m * k, maxLength: m * k, min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
          fc.float64Array({ minLength: k * n, maxLength: k * n, min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
        ),
      );
    checkProperty(
      fc.property(shapeAndData, ([m, n, k, a, b]) => {
        expectWithinRoundoff(m, n, k, a, b, gemmF64(m, n, k, a, b));
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    [257, 131, 300], // crosses the k-panel (256) and the m-block (128), with ragged edges
    [129, 5, 513],
    [7, 9, 1000],
    [300, 4, 3],
    [1, 70, 70],
    [70, 1, 70],
    [4, 2051, 2], // crosses the n-block (2048)
  ])('matches the triple loop on %i×%i×%i (block boundaries)', (m, n, k) => {
    const rng = mulberry32(m * 1_000_003 + n * 1009 + k);
    const a = randomArray(m * k, rng);
    const b = randomArray(k * n, rng);
    expectWithinRoundoff(m, n, k, a, b, gemmF64(m, n, k, a, b));
  });

  it('is exact on integer matrices (binary64 integers below 2^53 add and multiply exactly)', () => {
    const dim = fc.integer({ min: 0, max: 37 });
    const shapeAndData = fc.tuple(dim, dim, dim).chain(([m, n, k]) =>
      fc.tuple(
        fc.constant(m),
        fc.constant(n),
        fc.constant(k),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: m * k, maxLength: m * k }),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: k * n, maxLength: k * n }),
      ),
    );
    checkProperty(
      fc.property(shapeAndData, ([m, n, k, a, b]) => {
        // Every partial sum is an integer of magnitude ≤ 37·10^6 < 2^53, so the result is exact.
        expect(Array.from(gemmF64(m, n, k, a, b))).toEqual(Array.from(referenceGemm(m, n, k, a, b)));
      }),
    );
  });

  it('computes a hand-checked product exactly', () => {
    // A = [[1, 2, 3], [4, 5, 6]] (2×3), B = [[7, 8], [9, 10], [11, 12]] (3×2):
    // A B = [[58, 64], [139, 154]].
    const a = [1, 4, 2, 5, 3, 6];
    const b = [7, 9, 11, 8, 10, 12];
    expect(Array.from(gemmF64(2, 2, 3, a, b))).toEqual([58, 139, 64, 154]);
    // A larger integer case that takes the blocked path: (J_n)² = n J_n for the all-ones J_n.
    const n = 67;
    const ones = new Array<number>(n * n).fill(1);
    expect(gemmF64(n, n, n, ones, ones).every((x) => x === n)).toBe(true);
  });

  it('handles empty dimensions', () => {
    expect(gemmF64(0, 3, 2, [], [1, 2, 3, 4, 5, 6]).length).toBe(0);
    expect(gemmF64(3, 0, 2, [1, 2, 3, 4, 5, 6], []).length).toBe(0);
    // k = 0: the empty sum, a zero matrix.
    expect(Array.from(gemmF64(2, 3, 0, [], []))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('accepts plain arrays and Float64Array alike and does not modify its inputs', () => {
    const rng = mulberry32(7);
    const a = randomArray(33 * 20, rng);
    const b = randomArray(20 * 17, rng);
    const aCopy = a.slice();
    const bCopy = b.slice();
    const fromTyped = gemmF64(33, 17, 20, a, b);
    const fromArrays = gemmF64(33, 17, 20, Array.from(a), Array.from(b));
    expect(Array.from(fromArrays)).toEqual(Array.from(fromTyped));
    expect(a).toEqual(aCopy);
    expect(b).toEqual(bCopy);
  });

  it('propagates NaN and infinities as IEEE arithmetic does (0 · ∞ is NaN)', () => {
    for (const size of [2, 9]) {
      // A = ∞ at (0, 0), zeros elsewhere; B = I. Then (A B)_00 = ∞ and (A B)_01 = ∞ · 0 + … = NaN.
      const a = new Float64Array(size * size);
      a[0] = Infinity;
      const b = new Float64Array(size * size);
      for (let i = 0; i < size; i++) b[i + i * size] = 1;
      const c = gemmF64(size, size, size, a, b);
      expect(c[0]).toBe(Infinity);
      expect(Number.isNaN(c[size] as number)).toBe(true);
      expect(c[1]).toBe(0);
    }
  });

  it('matches the triple loop entry for entry (NaN and ±∞ included) on ragged tiles with non-finite entries', () => {
    // Integer entries keep every finite sum exact; a non-finite sum is NaN or ±∞ whatever the order
    // of summation (no finite overflow at these magnitudes), so results must agree bit for bit.
    // This guards the edge tiles: the zero padding of a ragged panel times ∞ would be NaN.
    const entry = fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: -9, max: 9 }) },
      { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity, NaN) },
    );
    const dim = fc.integer({ min: 1, max: 14 });
    const shapeAndData = fc.tuple(dim, dim, dim).chain(([m, n, k]) =>
      fc.tuple(
        fc.constant(m),
        fc.constant(n),
        fc.constant(k),
        fc.array(entry, { minLength: m * k, maxLength: m * k }),
        fc.array(entry, { minLength: k * n, maxLength: k * n }),
      ),
    );
    checkProperty(
      fc.property(shapeAndData, ([m, n, k, a, b]) => {
        const got = gemmF64(m, n, k, a, b);
        const want = referenceGemm(m, n, k, a, b);
        for (let idx = 0; idx < m * n; idx++) {
          if (!Object.is(got[idx], want[idx])) throw new Error(`entry ${idx} of ${m}×${n} (k=${k}): got ${got[idx]}, want ${want[idx]}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gemmF64Into leaves entries of C past m·n untouched', () => {
    const m = 5;
    const n = 6;
    const k = 20; // m·n·k large enough for the blocked path, with ragged last row and column tiles
    // ∞ in A: the zero-padded columns of the last B panel would give NaN if written back.
    const a = new Array<number>(m * k).fill(Infinity);
    const b = new Array<number>(k * n).fill(1);
    const c = new Float64Array(m * n + 8).fill(-3);
    gemmF64Into(m, n, k, a, b, c);
    expect(c.subarray(0, m * n).every((x) => x === Infinity)).toBe(true);
    expect(Array.from(c.subarray(m * n))).toEqual(new Array<number>(8).fill(-3));
  });

  it('gemmF64Into overwrites by default and accumulates on request', () => {
    for (const [m, n, k] of [
      [3, 2, 2],
      [19, 23, 29],
    ] as const) {
      const rng = mulberry32(m + n + k);
      const a = Array.from({ length: m * k }, () => Math.round(rng() * 20 - 10));
      const b = Array.from({ length: k * n }, () => Math.round(rng() * 20 - 10));
      const ab = referenceGemm(m, n, k, a, b);
      const c = new Float64Array(m * n).fill(5);
      gemmF64Into(m, n, k, a, b, c);
      expect(Array.from(c)).toEqual(Array.from(ab));
      gemmF64Into(m, n, k, a, b, c, { accumulate: true });
      expect(Array.from(c)).toEqual(Array.from(ab, (x) => 2 * x));
    }
  });

  it('rejects bad dimensions and short arrays', () => {
    expect(() => gemmF64(-1, 1, 1, [1], [1])).toThrow(RangeError);
    expect(() => gemmF64(1.5, 1, 1, [1], [1])).toThrow(/non-negative integer/);
    expect(() => gemmF64(2, 2, 2, [1, 2, 3], [1, 2, 3, 4])).toThrow(/A has 3 entries/);
    expect(() => gemmF64(2, 2, 2, [1, 2, 3, 4], [1, 2, 3])).toThrow(/B has 3 entries/);
    expect(() => gemmF64Into(2, 2, 2, [1, 2, 3, 4], [1, 2, 3, 4], new Float64Array(3))).toThrow(/C has 3 entries/);
  });
});
