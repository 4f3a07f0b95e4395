/**
 * Matrices with exactly known spectra and singular values, built in integer arithmetic (BigInt) and
 * stored in binary64 only when every entry is an integer below 2^53 (so the stored matrix IS the
 * matrix whose spectrum is known): the oracles of the decomposition conformance suite.
 *
 * The orthogonal factors are scaled Householder reflections: for an integer vector `v` with
 * `s = vᵀv`, `G = s I − 2 v vᵀ` is an integer matrix with `G = s H`, `H` orthogonal and symmetric.
 * Hence `G₂ G₁ diag(λ) G₁ G₂ = (s₁ s₂)² · H₂ H₁ diag(λ) H₁ H₂` has the eigenvalues `(s₁ s₂)² λ`
 * exactly, and `G_m Σ G_n` (`Σ` the `m × n` diagonal of `σ`) has the singular values
 * `s_m s_n |σ_k|` (and zeros). A permutation and sign changes (exactly orthogonal) mix the result
 * further; block-diagonal `[[a, b], [b, a]]` blocks give eigenvalues `a ± b` with repeats.
 */
import { mulberry32 } from '../../src/random/mulberry32.js';
import type { Matrix } from '../../src/linalg/matrix.js';

/** A square or rectangular integer matrix, column-major. */
interface BigMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: bigint[];
}

const LIMIT = 2n ** 53n;

/** The binary64 copy; throws when an entry would round. */
function toFloat(M: BigMatrix): Matrix<number> {
  return {
    rows: M.rows,
    cols: M.cols,
    data: M.data.map((x) => {
      if (x >= LIMIT || -x >= LIMIT) throw new Error(`oracle entry ${x} is not exact in binary64; use smaller vectors or values`);
      return Number(x);
    }),
  };
}

/** A seeded integer vector with entries in `[-k, k]`, not zero. */
export function integerVector(n: number, k: number, seed: number): bigint[] {
  const rng = mulberry32(seed);
  const v = Array.from({ length: n }, () => BigInt(Math.floor(rng() * (2 * k + 1)) - k));
  if (!v.some((x) => x !== 0n)) v[0] = 1n;
  return v;
}

/** `G M` with `G = s I − 2 v vᵀ`, `s = vᵀv` (M has `v.length` rows); O(rows·cols). */
function reflectLeft(v: readonly bigint[], M: BigMatrix): BigMatrix {
  const s = v.reduce((acc, x) => acc + x * x, 0n);
  const out = M.data.slice();
  for (let j = 0; j < M.cols; j++) {
    let dot = 0n;
    for (let i = 0; i < M.rows; i++) dot += (v[i] as bigint) * (M.data[i + j * M.rows] as bigint);
    for (let i = 0; i < M.rows; i++) out[i + j * M.rows] = s * (M.data[i + j * M.rows] as bigint) - 2n * (v[i] as bigint) * dot;
  }
  return { rows: M.rows, cols: M.cols, data: out };
}

/** `M G` with `G = s I − 2 w wᵀ` (M has `w.length` columns). */
function reflectRight(M: BigMatrix, w: readonly bigint[]): BigMatrix {
  const s = w.reduce((acc, x) => acc + x * x, 0n);
  const out = M.data.slice();
  for (let i = 0; i < M.rows; i++) {
    let dot = 0n;
    for (let j = 0; j < M.cols; j++) dot += (M.data[i + j * M.rows] as bigint) * (w[j] as bigint);
    for (let j = 0; j < M.cols; j++) out[i + j * M.rows] = s * (M.data[i + j * M.rows] as bigint) - 2n * (w[j] as bigint) * dot;
  }
  return { rows: M.rows, cols: M.cols, data: out };
}

/** `P M Pᵀ` with a seeded permutation and sign changes `D` (`(PD) M (PD)ᵀ`, exactly orthogonal). */
function permuteSymmetric(M: BigMatrix, seed: number): BigMatrix {
  const n = M.rows;
  const rng = mulberry32(seed);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
  }
  const sign = Array.from({ length: n }, () => (rng() < 0.5 ? -1n : 1n));
  const out = new Array<bigint>(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const pi = perm[i] as number;
      const pj = perm[j] as number;
      out[i + j * n] = (sign[i] as bigint) * (sign[j] as bigint) * (M.data[pi + pj * n] as bigint);
    }
  }
  return { rows: n, cols: n, data: out };
}

/** A symmetric matrix with its exact eigenvalues (ascending) and `‖A‖₂ = max |λ|`. */
export interface KnownSpectrum {
  readonly name: string;
  readonly A: Matrix<number>;
  readonly values: readonly number[];
  readonly norm2: number;
}

function spectrumOf(name: string, M: BigMatrix, lambdas: readonly bigint[]): KnownSpectrum {
  const values = lambdas.map((x) => {
    if (x >= LIMIT || -x >= LIMIT) throw new Error(`oracle eigenvalue ${x} is not exact in binary64`);
    return Number(x);
  });
  values.sort((a, b) => a - b);
  return { name, A: toFloat(M), values, norm2: values.reduce((m, x) => Math.max(m, Math.abs(x)), 0) };
}

/**
 * `(G_k ⋯ G_1) diag(λ) (G_1 ⋯ G_k)` for the reflections of `vectors` (each of length `λ.length`),
 * then permuted with signs (`seed`): eigenvalues `(∏ s_i)² λ` exactly.
 */
export function reflectedDiagonal(name: string, lambda: readonly bigint[], vectors: readonly (readonly bigint[])[], seed: number): KnownSpectrum {
  const n = lambda.length;
  let M: BigMatrix = { rows: n, cols: n, data: Array.from({ length: n * n }, (_, idx) => (idx % (n + 1) === 0 ? (lambda[idx / (n + 1)] as bigint) : 0n)) };
  let scale = 1n;
  for (const v of vectors) {
    M = reflectRight(reflectLeft(v, M), v);
    const s = v.reduce((acc, x) => acc + x * x, 0n);
    scale *= s * s;
  }
  return spectrumOf(name, permuteSymmetric(M, seed), lambda.map((x) => x * scale));
}

/**
 * Block diagonal with 2×2 blocks `[[a, b], [b, a]]` (eigenvalues `a ± b`), plus a trailing 1×1 block
 * `[c]` when `n` is odd, then permuted with signs: repeated eigenvalues when blocks repeat.
 */
export function rotationBlocks(name: string, blocks: readonly (readonly [bigint, bigint])[], tail: bigint | null, seed: number): KnownSpectrum {
  const n = 2 * blocks.length + (tail === null ? 0 : 1);
  const data = new Array<bigint>(n * n).fill(0n);
  const lambdas: bigint[] = [];
  blocks.forEach(([a, b], k) => {
    const i = 2 * k;
    data[i + i * n] = a;
    data[i + 1 + (i + 1) * n] = a;
    data[i + 1 + i * n] = b;
    data[i + (i + 1) * n] = b;
    lambdas.push(a + b, a - b);
  });
  if (tail !== null) {
    data[n * n - 1] = tail;
    lambdas.push(tail);
  }
  return spectrumOf(name, permuteSymmetric({ rows: n, cols: n, data }, seed), lambdas);
}

/** An `m × n` matrix with its exact singular values (descending, `min(m, n)` of them). */
export interface KnownSingularValues {
  readonly name: string;
  readonly A: Matrix<number>;
  readonly s: readonly number[];
}

/**
 * `G_m Σ G_n` with `Σ` the `m × n` diagonal of `σ` (`min(m, n)` entries, any sign, zeros for rank
 * deficiency) and the reflections of `v` (length m) and `w` (length n): singular values
 * `s_v s_w |σ_k|`.
 */
export function reflectedSingular(name: string, m: number, n: number, sigma: readonly bigint[], v: readonly bigint[], w: readonly bigint[]): KnownSingularValues {
  const r = Math.min(m, n);
  if (sigma.length !== r || v.length !== m || w.length !== n) throw new Error('reflectedSingular: lengths do not match the shape');
  const S: BigMatrix = { rows: m, cols: n, data: new Array<bigint>(m * n).fill(0n) };
  sigma.forEach((x, k) => (S.data[k + k * m] = x));
  const M = reflectRight(reflectLeft(v, S), w);
  const sv = v.reduce((acc, x) => acc + x * x, 0n);
  const sw = w.reduce((acc, x) => acc + x * x, 0n);
  const s = sigma.map((x) => {
    const y = (x < 0n ? -x : x) * sv * sw;
    if (y >= LIMIT) throw new Error(`oracle singular value ${y} is not exact in binary64`);
    return Number(y);
  });
  s.sort((a, b) => b - a);
  return { name, A: toFloat(M), s };
}
