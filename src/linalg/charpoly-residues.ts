/**
 * The per-prime work of the multi-modular characteristic polynomial: reduce an integer matrix modulo
 * each prime and compute `det(tI − Ã) mod p`. Shared by the calling thread and the worker threads
 * of `charpoly-pool.ts`, so both run the same code on the same data.
 */
import { mulberry32 } from '../random/mulberry32.js';
import { charpolyModP, charpolySymmetricModP, reduceBigInt, reduceNumber } from './modular.js';

/** An integer matrix to take modulo primes (row-major, `n × n`), in one of two encodings. */
export interface CharpolyJob {
  readonly n: number;
  /** The entries as binary64 numbers, when every entry is a safe integer (`|a| < 2^53`). */
  readonly small?: Float64Array;
  /** The entries as bigints otherwise. */
  readonly big?: readonly bigint[];
  /** Whether the matrix is symmetric (then Lanczos modulo `p` is tried first). */
  readonly symmetric: boolean;
}

/** How the residues were obtained. */
export interface ResidueStats {
  /** Primes done by the Lanczos recurrence (symmetric matrices). */
  lanczos: number;
  /** Primes done by Hessenberg reduction (non-symmetric matrices, and Lanczos breakdowns). */
  hessenberg: number;
}

/** A deterministic start vector of residues for the Lanczos recurrence modulo `p`. */
function startVector(n: number, p: number): Float64Array {
  const rand = mulberry32(p);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.floor(rand() * p);
  return v;
}

/**
 * `det(tI − Ã) mod p` for the primes of `primes` whose indices `claim()` hands out (until it returns
 * a negative number; default: each index once, in order), written low → high to
 * `out[q(n + 1) + k]` for the `q`-th prime. Several threads share the work by claiming indices
 * from one atomic counter. Symmetric matrices go through {@link charpolySymmetricModP}, falling back
 * to {@link charpolyModP} on a breakdown; after two breakdowns in a row (a repeated eigenvalue makes
 * every prime break down) only Hessenberg is used.
 */
export function charpolyResidues(job: CharpolyJob, primes: readonly number[], out: Float64Array, claim?: () => number): ResidueStats {
  const { n, small, big } = job;
  if (small === undefined && big === undefined) throw new RangeError('charpolyResidues: the job has no entries');
  let nextIndex = 0;
  const take = claim ?? ((): number => (nextIndex < primes.length ? nextIndex++ : -1));
  const stats: ResidueStats = { lanczos: 0, hessenberg: 0 };
  const h = new Float64Array(n * n);
  let smallFits = small !== undefined;
  if (small !== undefined) for (let k = 0; k < n * n && smallFits; k++) if (Math.abs(small[k] as number) >= 2 ** 52) smallFits = false;
  let breakdowns = 0;
  for (let q = take(); q >= 0 && q < primes.length; q = take()) {
    const p = primes[q] as number;
    if (small !== undefined && smallFits) {
      // |x| < 2^52: q = ⌊x/p⌉ estimate within one, x − q·p exact (|q·p| < 2^53); one correction.
      const pInv = 1 / p;
      for (let k = 0; k < n * n; k++) {
        const x = small[k] as number;
        const r = x - Math.floor(x * pInv) * p;
        h[k] = r < 0 ? r + p : r >= p ? r - p : r;
      }
    } else if (small !== undefined) {
      for (let k = 0; k < n * n; k++) h[k] = reduceNumber(small[k] as number, p);
    } else {
      const b = big as readonly bigint[];
      for (let k = 0; k < n * n; k++) h[k] = reduceBigInt(b[k] as bigint, p);
    }
    let r: Float64Array | null = null;
    if (job.symmetric && breakdowns < 2) {
      r = charpolySymmetricModP(n, h, p, startVector(n, p));
      breakdowns = r === null ? breakdowns + 1 : 0;
    }
    if (r === null) {
      r = charpolyModP(n, h, p);
      stats.hessenberg++;
    } else {
      stats.lanczos++;
    }
    out.set(r, q * (n + 1));
  }
  return stats;
}
