import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Rational } from '../../src/field/rational.js';
import {
  characteristicPolynomial,
  characteristicPolynomialBerkowitz,
  characteristicPolynomialWithStats,
  charpolyCoefficientBits,
  charpolyCoefficientBound,
} from '../../src/linalg/charpoly.js';
import { ThreadSettingError, charpolyThreads } from '../../src/linalg/charpoly-pool.js';
import { crtCombine } from '../../src/linalg/crt.js';
import { toIntegerMatrix } from '../../src/linalg/integer-matrix.js';
import { fromRows, generate, identity, zeros, type Matrix } from '../../src/linalg/matrix.js';
import { Q } from '../../src/field/field.js';
import {
  DOT_PRIME_LIMIT,
  charpolyModP,
  charpolySymmetricModP,
  dotMod,
  matVecMod,
  primesBelow,
} from '../../src/linalg/modular.js';
import { Polynomial } from '../../src/linalg/polynomial.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { matrixOf, smallRational, symmetricRational, wideRational } from '../support/arbitraries.js';
import { checkProperty } from '../support/property.js';

const isPrime = (m: number): boolean => {
  if (m < 2) return false;
  for (let q = 2; q * q <= m; q++) if (m % q === 0) return false;
  return true;
};

/** A random symmetric residue matrix (row-major) modulo p from a seeded generator. */
function symmetricResidues(n: number, p: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = Math.floor(rand() * p);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

/** det(tI − A) mod p by Berkowitz over ℚ on the residues (an independent method), low → high. */
function berkowitzModP(n: number, a: Float64Array, p: number): number[] {
  const A = generate(n, n, (i, j) => Rational.fromNumber(a[i * n + j] as number));
  const P = BigInt(p);
  return characteristicPolynomialBerkowitz(A).coefficients.map((c) => {
    const r = c.num % P; // integer matrix: denominators are 1
    return Number(r < 0n ? r + P : r);
  });
}

describe('modular kernels with delayed reduction', () => {
  it('primesBelow lists the largest primes below the limit, decreasing', () => {
    const ps = primesBelow(DOT_PRIME_LIMIT, 12);
    expect(ps.every(isPrime)).toBe(true);
    expect(ps.every((p) => p < DOT_PRIME_LIMIT)).toBe(true);
    for (let m = (ps[11] as number) + 1; m < DOT_PRIME_LIMIT; m++) if (isPrime(m)) expect(ps).toContain(m);
    expect([...ps].sort((x, y) => y - x)).toEqual(ps);
    expect(primesBelow(100, 4)).toEqual([97, 89, 83, 79]);
    expect(() => primesBelow(2 ** 27, 1)).toThrow(RangeError);
    expect(() => primesBelow(10, 5)).toThrow(RangeError); // only 7, 5, 3 (odd primes)
  });

  it('dotMod and matVecMod equal big-integer sums, also past one chunk (n = 600)', () => {
    const p = primesBelow(DOT_PRIME_LIMIT, 1)[0] as number;
    for (const n of [1, 3, 7, 513, 600]) {
      const rand = mulberry32(n);
      const a = Float64Array.from({ length: n * n }, () => Math.floor(rand() * p));
      const v = Float64Array.from({ length: n }, () => Math.floor(rand() * p));
      const w = new Float64Array(n);
      matVecMod(n, a, v, w, p);
      for (const i of [0, Math.floor(n / 2), n - 1]) {
        let s = 0n;
        for (let k = 0; k < n; k++) s += BigInt(a[i * n + k] as number) * BigInt(v[k] as number);
        const exact = Number(s % BigInt(p));
        expect(w[i]).toBe(exact);
        expect(dotMod(a, i * n, v, 0, n, p)).toBe(exact);
      }
    }
  });

  it('Lanczos mod p equals Hessenberg and Berkowitz on random symmetric matrices', () => {
    const p = primesBelow(DOT_PRIME_LIMIT, 3)[2] as number;
    checkProperty(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const a = symmetricResidues(n, p, seed);
        const start = Float64Array.from({ length: n }, (_, i) => (seed * (i + 7)) % p);
        const lanczos = charpolySymmetricModP(n, a, p, start);
        const hess = Array.from(charpolyModP(n, a.slice(), p));
        // A breakdown (probability about n/p here) is allowed; an answer must be right.
        return (lanczos === null || Array.from(lanczos).join() === hess.join()) && hess.join() === berkowitzModP(n, a, p).join();
      }),
      { numRuns: 60 },
    );
  });

  it('Lanczos mod p breaks down (null) on derogatory matrices and on a small prime either answers right or breaks down', () => {
    const p = 1_000_003;
    const I4 = new Float64Array(16);
    for (let i = 0; i < 4; i++) I4[i * 5] = 1;
    expect(charpolySymmetricModP(4, I4, p, Float64Array.of(1, 2, 3, 4))).toBeNull(); // Krylov space of dimension 1
    expect(charpolySymmetricModP(3, new Float64Array(9), p, Float64Array.of(1, 2, 3))).toBeNull(); // zero matrix
    // p = 13: isotropic vectors are common; every non-null answer must still be the characteristic polynomial.
    let answered = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const n = 1 + (seed % 6);
      const a = symmetricResidues(n, 13, seed);
      const start = Float64Array.from({ length: n }, (_, i) => (seed + 3 * i) % 13);
      const r = charpolySymmetricModP(n, a, 13, start);
      if (r === null) continue;
      answered++;
      expect(Array.from(r)).toEqual(berkowitzModP(n, a, 13));
    }
    expect(answered).toBeGreaterThan(20);
  });

  it('crtCombine recovers signed integers below half the product of the primes', () => {
    checkProperty(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(fc.bigInt({ min: -(1n << 150n), max: 1n << 150n }), { minLength: 1, maxLength: 5 }), (count, xs) => {
        const primes = primesBelow(DOT_PRIME_LIMIT, count + 7).slice(7); // 1 to 9 primes: values wrap when M is small
        const M = primes.reduce((m, p) => m * BigInt(p), 1n);
        const inRange = xs.map((x) => ((x % M) + M + M / 2n) % M - M / 2n); // representatives in [−M/2, M/2)
        const res = new Float64Array(primes.length * xs.length);
        primes.forEach((p, q) =>
          inRange.forEach((x, k) => {
            const r = x % BigInt(p);
            res[q * xs.length + k] = Number(r < 0n ? r + BigInt(p) : r);
          }),
        );
        const out = crtCombine(res, primes, xs.length);
        // M is odd, so the representatives of both sides are the same set [−(M−1)/2, (M−1)/2].
        return out.every((y, k) => y === inRange[k]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('characteristicPolynomial (multi-modular)', () => {
  const square = (minN: number, maxN: number, entry: fc.Arbitrary<Rational>): fc.Arbitrary<Matrix<Rational>> =>
    fc.integer({ min: minN, max: maxN }).chain((n) => matrixOf(n, n, entry));

  it('the coefficient bound holds and is never above the 2^bits form', () => {
    checkProperty(
      fc.property(square(1, 7, smallRational(40, 6)), (A) => {
        const M = toIntegerMatrix(A);
        const B = charpolyCoefficientBound(A.rows, M.entries);
        // coefficients of det(tI − Ã), Ã = sA, by Berkowitz (independent of the bound)
        const At = generate(A.rows, A.cols, (i, j) => Rational.fromBigInt((M.entries[i] as bigint[])[j] as bigint));
        const c = characteristicPolynomialBerkowitz(At).coefficients;
        return c.every((x) => (x.num < 0n ? -x.num : x.num) <= B) && B <= 1n << BigInt(charpolyCoefficientBits(A.rows, M.entries));
      }),
      { numRuns: 60 },
    );
  });

  it('equals Berkowitz on random symmetric rational matrices (the Lanczos path) and non-symmetric ones', () => {
    const sym = fc.integer({ min: 1, max: 9 }).chain((n) => symmetricRational(n, smallRational(30, 7)));
    checkProperty(fc.property(sym, (A) => characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))), { numRuns: 60 });
    const symWide = fc.integer({ min: 1, max: 5 }).chain((n) => symmetricRational(n, wideRational()));
    checkProperty(fc.property(symWide, (A) => characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))), { numRuns: 20 });
    checkProperty(fc.property(square(1, 8, smallRational(30, 7)), (A) => characteristicPolynomial(A).equals(characteristicPolynomialBerkowitz(A))), { numRuns: 40 });
  });

  it('uses Lanczos for a generic symmetric matrix and Hessenberg otherwise', () => {
    const rand = mulberry32(5);
    const S = symmetricFrom(14, () => new Rational(BigInt(Math.floor(rand() * 41) - 20), BigInt(1 + Math.floor(rand() * 3))));
    const s = characteristicPolynomialWithStats(S);
    expect(s.polynomial.equals(characteristicPolynomialBerkowitz(S))).toBe(true);
    expect(s.stats.lanczos).toBeGreaterThan(0);
    expect(s.stats.lanczos + s.stats.hessenberg).toBe(s.stats.primes);
    const N = generate(6, 6, (i, j) => Rational.fromBigInt(BigInt((i * 7 + j * 3) % 11) - 5n));
    const t = characteristicPolynomialWithStats(N);
    expect(t.stats.lanczos).toBe(0);
    expect(t.polynomial.equals(characteristicPolynomialBerkowitz(N))).toBe(true);
  });

  it('edge cases: n = 1, zero, identity, repeated eigenvalues, singular, negative, huge entries', () => {
    const r = (s: string): Rational => Rational.parse(s);
    expect(characteristicPolynomial(fromRows([[r('-7/3')]])).equals(Polynomial.fromRoots([r('-7/3')]))).toBe(true);
    expect(characteristicPolynomial(zeros(Q, 5, 5)).equals(Polynomial.fromRoots(Array(5).fill(Rational.ZERO)))).toBe(true);
    expect(characteristicPolynomial(identity(Q, 6)).equals(Polynomial.fromRoots(Array(6).fill(Rational.ONE)))).toBe(true);
    // diag(2, 2, 2, −1/2): a repeated eigenvalue, so Lanczos breaks down and Hessenberg takes over.
    const D = fromRows([['2', '0', '0', '0'], ['0', '2', '0', '0'], ['0', '0', '2', '0'], ['0', '0', '0', '-1/2']].map((row) => row.map(r)));
    expect(characteristicPolynomial(D).equals(Polynomial.fromRoots([r('2'), r('2'), r('2'), r('-1/2')]))).toBe(true);
    // singular, negative: [[1, −2], [−2, 4]] has eigenvalues 0 and 5
    expect(characteristicPolynomial(fromRows([[r('1'), r('-2')], [r('-2'), r('4')]])).equals(Polynomial.fromRoots([Rational.ZERO, r('5')]))).toBe(true);
    // huge entries (beyond 2^53, the bigint residue path), symmetric: [[a, b], [b, a]] has a ± b
    const a = (1n << 200n) + 12345n;
    const b = -(1n << 190n) + 7n;
    const H = fromRows([[Rational.fromBigInt(a), Rational.fromBigInt(b)], [Rational.fromBigInt(b), Rational.fromBigInt(a)]]);
    expect(characteristicPolynomial(H).equals(Polynomial.fromRoots([Rational.fromBigInt(a + b), Rational.fromBigInt(a - b)]))).toBe(true);
  });
});

function symmetricFrom(n: number, entry: () => Rational): Matrix<Rational> {
  const rows: Rational[][] = Array.from({ length: n }, () => new Array<Rational>(n));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = entry();
      (rows[i] as Rational[])[j] = v;
      (rows[j] as Rational[])[i] = v;
    }
  return fromRows(rows);
}

describe('worker threads', () => {
  const saved = process.env.DLN_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.DLN_THREADS;
    else process.env.DLN_THREADS = saved;
  });

  it('DLN_THREADS: a positive integer, capped at the cores; anything else is a clear error', () => {
    process.env.DLN_THREADS = '1';
    expect(charpolyThreads()).toBe(1);
    process.env.DLN_THREADS = '100000';
    expect(charpolyThreads()).toBeGreaterThanOrEqual(1);
    expect(charpolyThreads()).toBeLessThan(100000);
    for (const bad of ['0', '-2', 'two', '1.5']) {
      process.env.DLN_THREADS = bad;
      expect(() => charpolyThreads()).toThrow(ThreadSettingError);
      expect(() => charpolyThreads()).toThrow(/DLN_THREADS must be a positive integer/);
    }
  });

  // The pool runs the compiled worker (dist/); run it there when the build is present.
  const dist = join(__dirname, '..', '..', 'dist', 'src', 'linalg', 'charpoly.js');
  (existsSync(dist) ? it : it.skip)('two threads give the same polynomial as one (compiled build, 80×80)', () => {
    const script = `
      const { characteristicPolynomialWithStats } = require(${JSON.stringify(dist)});
      const { Rational } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'src', 'field', 'rational.js'))});
      const n = 80; let s = 7; const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648);
      const data = new Array(n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) { const v = new Rational(BigInt(rnd() % 2000001) - 1000000n, BigInt(1 + (rnd() % 7))); data[i + j * n] = v; data[j + i * n] = v; }
      const r = characteristicPolynomialWithStats({ rows: n, cols: n, data });
      process.stdout.write(JSON.stringify({ p: r.polynomial.toString('t'), threads: r.stats.threads }));`;
    const run = (threads: string): { p: string; threads: number } => {
      const out = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DLN_THREADS: threads }, encoding: 'utf8', timeout: 120_000 });
      expect(out.status).toBe(0);
      return JSON.parse(out.stdout) as { p: string; threads: number };
    };
    const one = run('1');
    const two = run('2');
    expect(one.threads).toBe(1);
    delete process.env.DLN_THREADS;
    expect(two.threads).toBe(Math.min(2, charpolyThreads()));
    expect(two.p).toBe(one.p);
  });
});
