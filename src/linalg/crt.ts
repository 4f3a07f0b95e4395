import { invMod, mulMod } from './modular.js';

/**
 * Chinese remaindering of many integers at once: `residues[q·stride + k] = x_k mod p_q` for distinct
 * primes `p_q < 2^26`; returns each `x_k` as the symmetric representative in `(−M/2, M/2]`,
 * `M = Π p_q`, so `x_k` is recovered exactly whenever `|x_k| < M/2`.
 *
 * Subproducts are combined pairwise up a tree (`x ≡ x_L mod M_L`, `x ≡ x_R mod M_R` ⇒
 * `x = x_L + M_L · ((x_R − x_L) · M_L^{−1} mod M_R)`), so the big-integer products are balanced;
 * the inverses `M_L^{−1} mod M_R` are shared by every `k`.
 */
export function crtCombine(residues: Float64Array, primes: readonly number[], stride: number): bigint[] {
  const count = primes.length;
  if (count === 0) return new Array<bigint>(stride).fill(0n);
  // Leaves: pairs of primes combined in binary64 (moduli below 2^52, values exact).
  interface Node {
    readonly modulus: bigint;
    readonly values: bigint[];
  }
  let level: Node[] = [];
  for (let q = 0; q < count; q += 2) {
    const p = primes[q] as number;
    if (q + 1 === count) {
      const values = new Array<bigint>(stride);
      for (let k = 0; k < stride; k++) values[k] = BigInt(residues[q * stride + k] as number);
      level.push({ modulus: BigInt(p), values });
      continue;
    }
    const r = primes[q + 1] as number;
    const pInvModR = invMod(p % r, r);
    const values = new Array<bigint>(stride);
    for (let k = 0; k < stride; k++) {
      const a = residues[q * stride + k] as number;
      const b = residues[(q + 1) * stride + k] as number;
      let d = b - (a % r);
      if (d < 0) d += r;
      const t = mulMod(d, pInvModR, r, 1 / r);
      values[k] = BigInt(a + p * t); // < p·r < 2^52: exact
    }
    level.push({ modulus: BigInt(p) * BigInt(r), values });
  }
  while (level.length > 1) {
    const next: Node[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const L = level[i] as Node;
      const R = level[i + 1];
      if (R === undefined) {
        next.push(L);
        continue;
      }
      const inv = modInverseBig(L.modulus % R.modulus, R.modulus);
      const values = new Array<bigint>(stride);
      for (let k = 0; k < stride; k++) {
        const xl = L.values[k] as bigint;
        let d = ((R.values[k] as bigint) - xl) % R.modulus;
        if (d < 0n) d += R.modulus;
        values[k] = xl + L.modulus * ((d * inv) % R.modulus);
      }
      next.push({ modulus: L.modulus * R.modulus, values });
    }
    level = next;
  }
  const root = level[0] as Node;
  const half = root.modulus / 2n;
  return root.values.map((x) => (x > half ? x - root.modulus : x));
}

/** `a^{−1} mod m` for coprime bigints (extended Euclid). */
function modInverseBig(a: bigint, m: bigint): bigint {
  let r0 = m;
  let r1 = a % m;
  if (r1 < 0n) r1 += m;
  let s0 = 0n;
  let s1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('crtCombine: moduli are not coprime');
  const s = s0 % m;
  return s < 0n ? s + m : s;
}
