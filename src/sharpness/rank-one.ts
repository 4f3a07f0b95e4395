import { F64 } from '../field/field.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { add, at, mul, scale, transpose, zeros, type Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd-f64.js';
import { gemmF64 } from '../linalg/gemm-f64.js';
import { operatorFrom } from '../linop/linear-operator.js';
import { lanczos } from '../spectral/lanczos.js';

/** The rank-one maximum and where it is attained. */
export interface RankOneMaximum {
  /** `max_{‖u‖=‖v‖=1} Σ_i (uᵀ L_i u)(vᵀ R_i v)` as found (a local maximum: a lower bound of the global one). */
  readonly value: number;
  readonly u: number[];
  readonly v: number[];
  readonly iterations: number;
}

function quad(G: Matrix<number>, x: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < G.cols; j++) {
    let t = 0;
    for (let i = 0; i < G.rows; i++) t += at(G, i, j) * (x[i] as number);
    s += t * (x[j] as number);
  }
  return s;
}

/** Rows above which the top eigenvector comes from warm-started Lanczos instead of a full eigen-decomposition. */
const DENSE_TOP = 48;

/**
 * The top unit eigenvector of `Σ_i w_i G_i`: densely for small sizes, else by Lanczos warm-started from
 * the previous half-step's vector (any unit vector gives a valid objective value, so the rank-one
 * maximum stays a lower bound of `λ_max` whatever the accuracy here).
 */
function topVector(terms: readonly Matrix<number>[], weights: readonly number[], start?: readonly number[]): number[] {
  const first = terms[0] as Matrix<number>;
  let S = zeros(F64, first.rows, first.cols);
  terms.forEach((G, i) => {
    S = add(F64, S, scale(F64, weights[i] as number, G));
  });
  if (S.rows > DENSE_TOP) {
    const data = Float64Array.from(S.data);
    const n = S.rows;
    const op = operatorFrom(F64, [n, n], (v) => Array.from(gemmF64(n, 1, n, data, v)), { symmetric: true, label: 'rank-one half step' });
    const r = lanczos(op, { k: 1, tolerance: 1e-12, seed: 0, ...(start !== undefined ? { start: [start], blockSize: 2 } : {}) });
    return r.eigenvectors[0] as number[];
  }
  const { values, vectors } = symmetricEigen(S);
  const k = values.length - 1;
  return Array.from({ length: vectors.rows }, (_, i) => at(vectors, i, k));
}

/**
 * The rank-one maximum of `docs/math.md §3`, `max_{‖u‖=‖v‖=1} Σ_i ‖A_iᵀu‖² ‖B_i v‖²` with `L_i = A_iA_iᵀ`
 * and `R_i = B_iᵀB_i`: the Rayleigh quotient of `K` restricted to rank-one `vec(u vᵀ)`, so a lower
 * bound of `λ_max(K)`. Found by alternating maximisation (each half-step is a symmetric eigenproblem,
 * so the objective never decreases) from the top singular pair of `start` and from the top
 * eigenvectors of `Σ L_i`, `Σ R_i`; the best local maximum is returned.
 */
export function rankOneMaximum(L: readonly Matrix<number>[], R: readonly Matrix<number>[], start: Matrix<number>, maxIterations = 200): RankOneMaximum {
  const objective = (u: number[], v: number[]): number => L.reduce((s, Li, i) => s + quad(Li, u) * quad(R[i] as Matrix<number>, v), 0);
  const starts: [number[], number[]][] = [];
  const s = svd(start);
  if (s.s.length > 0 && (s.s[0] as number) > 0) {
    starts.push([Array.from({ length: s.U.rows }, (_, i) => at(s.U, i, 0)), Array.from({ length: s.V.rows }, (_, i) => at(s.V, i, 0))]);
  }
  starts.push([topVector(L, L.map(() => 1)), topVector(R, R.map(() => 1))]);
  let best: RankOneMaximum = { value: -Infinity, u: [], v: [], iterations: 0 };
  for (const [u0, v0] of starts) {
    let u = u0;
    let v = v0;
    let value = objective(u, v);
    let it = 0;
    for (; it < maxIterations; it++) {
      u = topVector(L, R.map((Ri) => quad(Ri, v)), u);
      v = topVector(R, L.map((Li) => quad(Li, u)), v);
      const next = objective(u, v);
      const done = next - value <= 1e-15 * Math.abs(next);
      value = Math.max(value, next);
      if (done) break;
    }
    if (value > best.value) best = { value, u, v, iterations: it + 1 };
  }
  return best;
}

/** `A_i A_iᵀ` and `B_iᵀ B_i` for every layer (the factors of `K`). */
export function kroneckerFactors(A: readonly Matrix<number>[], B: readonly Matrix<number>[]): { L: Matrix<number>[]; R: Matrix<number>[] } {
  return { L: A.map((Ai) => mul(F64, Ai, transpose(Ai))), R: B.map((Bi) => mul(F64, transpose(Bi), Bi)) };
}
