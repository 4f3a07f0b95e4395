/** Integer roots: ⌊n^{1/k}⌋ checked by its defining inequalities, for large degrees too. */
import fc from 'fast-check';
import { integerRoot, integerSqrt } from '../../src/field/integer-roots.js';
import { checkProperty } from '../support/property.js';

const bigNat = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 3000 })).map(([m, s]) => (m << BigInt(s)) + m);

describe('integer roots', () => {
  test('r = ⌊n^{1/k}⌋: r^k ≤ n < (r + 1)^k', () => {
    checkProperty(
      fc.property(bigNat, fc.integer({ min: 1, max: 600 }), (n, k) => {
        const r = integerRoot(n, k);
        const K = BigInt(k);
        expect(r ** K <= n).toBe(true);
        expect((r + 1n) ** K > n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('exact powers give their base back; square roots agree', () => {
    checkProperty(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 2, max: 40 }), (b, k) => {
        expect(integerRoot(b ** BigInt(k), k)).toBe(b);
        expect(integerRoot(b, 2)).toBe(integerSqrt(b));
      }),
      { numRuns: 300 },
    );
  });

  test('a 4096-th root of a 900 000-bit integer is immediate (float start, quadratic convergence)', () => {
    const n = 3n ** 570000n + 12345n;
    const r = integerRoot(n, 4096);
    expect(r ** 4096n <= n && (r + 1n) ** 4096n > n).toBe(true);
  });

  test('integerSqrt is the floor square root', () => {
    for (const N of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, (10n ** 40n) - 1n, 10n ** 40n]) {
      const r = integerSqrt(N);
      expect(r * r <= N && (r + 1n) * (r + 1n) > N).toBe(true);
    }
  });
});
