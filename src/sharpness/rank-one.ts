import { F64 } from '../field/field.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { at, mul, transpose, type Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd-f64.js';
import { gemv } from '../kernels/dispatch.js';
import { operatorFrom } from '../linop/linear-operator.js';
import { topEigenpairs } from '../spectral/top-eigenpairs.js';
import { dot } from '../linalg/vectors.js';

/** The rank-one maximum and where it is attained. */
export interface RankOneMaximum {
  /** `max_{‖u‖=‖v‖=1} Σ_i (uᵀ L_i u)(vᵀ R_i v)` as found (a local maximum: a lower bound of the global one). */
  readonly value: number;
  readonly u: number[];
  readonly v: number[];
  readonly iterations: number;
}

/** A symmetric `n×n` factor on the kernel layer (`null`: a multiple `scale·I` of the identity, whose products are skipped). */
interface Factor {
  readonly n: number;
  readonly data: Float64Array | null;
  readonly scale: number;
}

function factorOf(G: Matrix<number>): Factor {
  const n = G.rows;
  const d = G.data;
  const s = d[0] as number;
  let identity = true;
  for (let k = 0; k < d.length && identity; k++) identity = (d[k] as number) === (k % (n + 1) === 0 ? s : 0);
  return identity ? { n, data: null, scale: s } : { n, data: Float64Array.from(d), scale: 1 };
}

/** `xᵀ G x` (`tmp` of length `n` is scratch). */
function quad(G: Factor, x: Float64Array, tmp: Float64Array): number {
  if (G.data === null) return G.scale * dot(x, x);
  gemv(false, G.n, G.n, 1, G.data, x, 0, tmp);
  return dot(x, tmp);
}

/** Rows above which the top eigenvector comes from warm-started Lanczos instead of a full eigen-decomposition. */
const DENSE_TOP = 48;

/** The top unit eigenvector of a symmetric operator given by its product, by Lanczos (warm-started from `start` when given). */
function topByLanczos(n: number, apply: (x: Float64Array, out: Float64Array) => void, label: string, start?: Float64Array): Float64Array {
  const x = new Float64Array(n);
  const out = new Float64Array(n);
  const op = operatorFrom(
    F64,
    [n, n],
    (v) => {
      x.set(v);
      apply(x, out);
      return Array.from(out);
    },
    { symmetric: true, label },
  );
  // The eigenvalue to 1e-14 (its vector to about 1e-7) is what the alternation needs: each half-step's
  // Ritz value is a Rayleigh quotient over a Krylov space holding the previous vector, so the
  // objective never decreases, and errors in the vector enter the objective squared.
  const r = topEigenpairs(op, { k: 1, tolerance: 1e-14, accuracy: 'eigenvalue', seed: 0, denseUpTo: 0, ...(start !== undefined ? { start: [start] } : {}) });
  return r.vectors[0] as Float64Array;
}

/**
 * The top unit eigenvector of `S = Σ_i w_i G_i`: `S` is summed once into `S` (scratch, `n×n`), then
 * densely for small sizes, else by Lanczos warm-started from the previous half-step's vector (any unit
 * vector gives a valid objective value, so the rank-one maximum stays a lower bound of `λ_max`
 * whatever the accuracy here).
 */
function topVector(terms: readonly Factor[], weights: readonly number[], S: Float64Array, start?: Float64Array): Float64Array {
  const n = (terms[0] as Factor).n;
  S.fill(0);
  let diagonal = 0;
  terms.forEach((G, t) => {
    const w = weights[t] as number;
    if (G.data === null) diagonal += w * G.scale;
    else for (let k = 0; k < S.length; k++) S[k] = (S[k] as number) + w * (G.data[k] as number);
  });
  if (diagonal !== 0) for (let i = 0; i < n; i++) S[i * (n + 1)] = (S[i * (n + 1)] as number) + diagonal;
  if (n > DENSE_TOP) return topByLanczos(n, (x, out) => gemv(false, n, n, 1, S, x, 0, out), 'rank-one half step', start);
  const { values, vectors } = symmetricEigen({ rows: n, cols: n, data: Array.from(S) });
  const k = values.length - 1;
  return Float64Array.from({ length: n }, (_, i) => at(vectors, i, k));
}

/**
 * The top singular pair `(u, v)` of `P` (unit vectors; `null` when `P = 0`): `v` the top eigenvector of
 * `PᵀP` by Lanczos on the products `x ↦ Pᵀ(Px)` (no decomposition of `P`), `u = Pv/‖Pv‖`.
 */
function topSingularPair(P: Matrix<number>): [Float64Array, Float64Array] | null {
  const { rows: m, cols: n } = P;
  const a = Float64Array.from(P.data);
  if (a.every((x) => x === 0)) return null;
  const tmp = new Float64Array(m);
  let v: Float64Array;
  if (n > DENSE_TOP) {
    v = topByLanczos(
      n,
      (x, out) => {
        gemv(false, m, n, 1, a, x, 0, tmp);
        gemv(true, m, n, 1, a, tmp, 0, out);
      },
      'rank-one start (PᵀP)',
    );
  } else {
    const s = svd(P);
    v = Float64Array.from({ length: n }, (_, i) => at(s.V, i, 0));
  }
  const u = new Float64Array(m);
  gemv(false, m, n, 1, a, v, 0, u);
  const norm = Math.sqrt(dot(u, u));
  if (!(norm > 0)) return null;
  for (let i = 0; i < m; i++) u[i] = (u[i] as number) / norm;
  return [u, v];
}

/**
 * The rank-one maximum of `docs/math.md §3`, `max_{‖u‖=‖v‖=1} Σ_i ‖A_iᵀu‖² ‖B_i v‖²` with `L_i = A_iA_iᵀ`
 * and `R_i = B_iᵀB_i`: the Rayleigh quotient of `K` restricted to rank-one `vec(u vᵀ)`, so a lower
 * bound of `λ_max(K)`. Found by alternating maximisation (each half-step is a symmetric eigenproblem,
 * so the objective never decreases) from the top singular pair of `start` and from the top
 * eigenvectors of `Σ L_i`, `Σ R_i`; the best local maximum is returned. The alternation stops when a
 * round gains at most `1e-15` relatively. All products run on the float64 kernel layer.
 */
export function rankOneMaximum(L: readonly Matrix<number>[], R: readonly Matrix<number>[], start: Matrix<number>, maxIterations = 200): RankOneMaximum {
  const Lf = L.map(factorOf);
  const Rf = R.map(factorOf);
  const nu = (Lf[0] as Factor).n;
  const nv = (Rf[0] as Factor).n;
  const tu = new Float64Array(nu);
  const tv = new Float64Array(nv);
  const Su = new Float64Array(nu * nu);
  const Sv = new Float64Array(nv * nv);
  const quadsU = (u: Float64Array): number[] => Lf.map((G) => quad(G, u, tu));
  const quadsV = (v: Float64Array): number[] => Rf.map((G) => quad(G, v, tv));
  const objective = (qu: readonly number[], qv: readonly number[]): number => qu.reduce((s, x, i) => s + x * (qv[i] as number), 0);
  const starts: [Float64Array, Float64Array][] = [];
  const pair = topSingularPair(start);
  if (pair !== null) starts.push(pair);
  starts.push([topVector(Lf, Lf.map(() => 1), Su), topVector(Rf, Rf.map(() => 1), Sv)]);
  let best: RankOneMaximum = { value: -Infinity, u: [], v: [], iterations: 0 };
  for (const [u0, v0] of starts) {
    let u = u0;
    let v = v0;
    let qv = quadsV(v);
    let value = objective(quadsU(u), qv);
    let it = 0;
    for (; it < maxIterations; it++) {
      u = topVector(Lf, qv, Su, u);
      const qu = quadsU(u);
      v = topVector(Rf, qu, Sv, v);
      qv = quadsV(v);
      const next = objective(qu, qv);
      const done = next - value <= 1e-15 * Math.abs(next);
      value = Math.max(value, next);
      if (done) break;
    }
    if (value > best.value) best = { value, u: Array.from(u), v: Array.from(v), iterations: it + 1 };
  }
  return best;
}

/** `A_i A_iᵀ` and `B_iᵀ B_i` for every layer (the factors of `K`). */
export function kroneckerFactors(A: readonly Matrix<number>[], B: readonly Matrix<number>[]): { L: Matrix<number>[]; R: Matrix<number>[] } {
  return { L: A.map((Ai) => mul(F64, Ai, transpose(Ai))), R: B.map((Bi) => mul(F64, transpose(Bi), Bi)) };
}
