/** The modular exclusion of rational roots used by the certificate (src/spectral/certificate.ts). */
import { primeWithoutRoot } from '../../src/spectral/polynomial-roots.js';

describe('primeWithoutRoot', () => {
  test('t² − 2 has no root modulo a prime ≡ ±3 (mod 8) (2 is not a square there): a witness is found', () => {
    const p = primeWithoutRoot([-2n, 0n, 1n], 1n);
    expect(p).toBeDefined();
    // Check the witness by hand: no x with x² ≡ 2 (mod p).
    const q = p as number;
    expect([3, 5]).toContain(q % 8);
    for (let x = 0; x < q; x++) expect((x * x) % q).not.toBe(2 % q);
  });
  test('(2t − 1)(t² + 1) = 2t³ − t² + 2t − 1 has the rational root 1/2: no prime can witness', () => {
    expect(primeWithoutRoot([-1n, 2n, -1n, 2n], 2n)).toBeUndefined();
  });
  test('primes dividing the leading coefficient are skipped', () => {
    // 1009·t − 1 has the root 1/1009; modulo 1009 it is the constant −1 (no root), which must not count.
    expect(primeWithoutRoot([-1n, 1009n], 1009n)).toBeUndefined();
  });
});
