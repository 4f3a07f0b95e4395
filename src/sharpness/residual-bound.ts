/**
 * A rigorous upper bound of `‖H_res‖₂`, the spectral norm of the residual part of the Hessian of a deep
 * linear network (`docs/math.md §2`; derivation in `docs/sharpness.md`, "Near-minimizers"), evaluated in
 * verified binary64 interval arithmetic (`verify/float-interval.ts`) at the exact rational weights.
 *
 * For a direction `Δ = (U_1, …, U_N)` the residual part is the quadratic form
 * `ΔᵀH_resΔ = 2 Σ_{i<j} ⟨X_{ji}, U_j C_{ji} U_i⟩` with `X_{ji} = c A_jᵀ R B_iᵀ` and `C_{ji} = W_{j−1}⋯W_{i+1}`,
 * so `|ΔᵀH_resΔ| ≤ 2 Σ_{i<j} t_{ij} ‖U_i‖_F ‖U_j‖_F ≤ ρ(T) ‖Δ‖²` with `t_{ij} = ‖X_{ji}‖_F ‖C_{ji}‖₂` and `T` the
 * symmetric nonnegative `N × N` matrix of the `t_{ij}` (zero diagonal); `ρ(T) ≤ max_i (Tw)_i / w_i` for any
 * positive `w` (Collatz–Wielandt), taken at an estimate of its Perron vector. Weyl's inequality then
 * places every eigenvalue of `H` within `ρ(T)` of the same eigenvalue of the Gauss–Newton part.
 */
import { identity, mul, transpose, type Matrix } from '../linalg/matrix.js';
import type { NetworkPoint } from '../hessian/point.js';
import { F64I, up, upSum, type Enclosed } from '../verify/float-interval.js';

/** The bound with what it was built from. */
export interface ResidualPartBound {
  /** An upper bound of `‖H_res‖₂` (0 when the residual is exactly zero). */
  readonly norm: number;
  /** `‖R‖_F` upper bound (`R = ∂L/∂P` without the loss-scale factor). */
  readonly residualNorm: number;
  /** The pair terms `t_ij` (i < j, 1-based layers). */
  readonly terms: readonly { readonly i: number; readonly j: number; readonly value: number }[];
  readonly exactZero: boolean;
}

function frobeniusUpper(M: Matrix<Enclosed>): number {
  let s = 0;
  for (const x of M.data) {
    const a = Math.abs(x.m) + x.r;
    s += a * a;
  }
  return up(Math.sqrt(upSum(s, 3 * M.data.length)));
}

/** `min(‖C‖_F, √(‖C‖_1‖C‖_∞))`, an upper bound of `‖C‖₂`. */
function spectralUpper(C: Matrix<Enclosed>): number {
  const rowSums = new Float64Array(C.rows);
  const colSums = new Float64Array(C.cols);
  for (let j = 0; j < C.cols; j++)
    for (let i = 0; i < C.rows; i++) {
      const x = C.data[i + j * C.rows] as Enclosed;
      const a = Math.abs(x.m) + x.r;
      rowSums[i] = (rowSums[i] as number) + a;
      colSums[j] = (colSums[j] as number) + a;
    }
  const one = upSum(Math.max(0, ...colSums), 2 * C.rows);
  const inf = upSum(Math.max(0, ...rowSums), 2 * C.cols);
  return Math.min(frobeniusUpper(C), up(Math.sqrt(up(one * inf))));
}

/** `ρ(T)` upper bound for a symmetric nonnegative matrix given as a dense array. */
function perronUpper(T: number[][]): number {
  const N = T.length;
  if (N === 0) return 0;
  let w = new Array<number>(N).fill(1);
  for (let it = 0; it < 200; it++) {
    const next = w.map((wi, i) => wi + (T[i] as number[]).reduce((s, t, k) => s + t * (w[k] as number), 0));
    const norm = Math.max(...next);
    w = next.map((x) => Math.max(x / norm, 1e-300));
  }
  let best = 0;
  for (let i = 0; i < N; i++) {
    const Tw = (T[i] as number[]).reduce((s, t, k) => s + t * (w[k] as number), 0);
    best = Math.max(best, upSum(Tw, N) / (w[i] as number));
  }
  return up(best * (1 + 2 ** -40));
}

/**
 * The bound at a point prepared over {@link F64I} (so `R`, `A_j`, `B_i` and the weights enclose the
 * exact values). `exactZero` (the exact loss is known to be 0) gives 0.
 */
export function residualPartBound(pt: NetworkPoint<Enclosed>, exactZero: boolean): ResidualPartBound {
  const N = pt.depth;
  const residualNorm = frobeniusUpper(pt.R);
  if (exactZero || N === 1) return { norm: 0, residualNorm: exactZero ? 0 : residualNorm, terms: [], exactZero };
  const F = F64I;
  const T: number[][] = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  const terms: { i: number; j: number; value: number }[] = [];
  const cMag = Math.abs(pt.c.m) + pt.c.r;
  for (let j = 1; j < N; j++) {
    const AjtR = mul(F, transpose(pt.A[j] as Matrix<Enclosed>), pt.R);
    for (let i = 0; i < j; i++) {
      const X = mul(F, AjtR, transpose(pt.B[i] as Matrix<Enclosed>));
      let C: Matrix<Enclosed> = identity(F, pt.widths[i + 1] as number);
      for (let k = i + 1; k < j; k++) C = mul(F, pt.weights[k] as Matrix<Enclosed>, C);
      const value = up(up(cMag * frobeniusUpper(X)) * (j === i + 1 ? 1 : spectralUpper(C)));
      (T[i] as number[])[j] = value;
      (T[j] as number[])[i] = value;
      terms.push({ i: i + 1, j: j + 1, value });
    }
  }
  return { norm: perronUpper(T), residualNorm, terms, exactZero };
}

