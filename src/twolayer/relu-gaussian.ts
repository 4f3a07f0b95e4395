/**
 * Gaussian expectations of ReLU units (`docs/math.md §5`; the arc-cosine kernel of Cho & Saul), used to
 * predict the structure of two-layer networks at random initialisation (arXiv 2010.04261):
 * for `x ~ N(0, I)`, weight vectors `w_i, w_j` at angle `θ_ij`,
 *
 * - `E[σ'(w_iᵀx) σ'(w_jᵀx)] = (π − θ_ij) / (2π)`,
 * - `E[ReLU(w_iᵀx)] = ‖w_i‖ / √(2π)`,
 * - `E[ReLU(w_iᵀx) ReLU(w_jᵀx)] = ‖w_i‖ ‖w_j‖ (sin θ_ij + (π − θ_ij) cos θ_ij) / (2π)`.
 */
import { fromColumnMajor, type Matrix } from '../linalg/matrix.js';

/** The angle between two nonzero vectors, in `[0, π]` (clamped against rounding). */
export function angle(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let uv = 0;
  let uu = 0;
  let vv = 0;
  for (let i = 0; i < u.length; i++) {
    uv += (u[i] as number) * (v[i] as number);
    uu += (u[i] as number) ** 2;
    vv += (v[i] as number) ** 2;
  }
  return Math.acos(Math.max(-1, Math.min(1, uv / Math.sqrt(uu * vv))));
}

/** `E[σ'(w_iᵀx) σ'(w_jᵀx)] = (π − θ)/(2π)` for ReLU and `x ~ N(0, I)`. */
export function reluDerivativeCorrelation(theta: number): number {
  return (Math.PI - theta) / (2 * Math.PI);
}

/** `E[ReLU(wᵀx)] = ‖w‖/√(2π)` for `x ~ N(0, I)`. */
export function reluMean(norm: number): number {
  return norm / Math.sqrt(2 * Math.PI);
}

/** `E[ReLU(w_iᵀx) ReLU(w_jᵀx)] = ‖w_i‖‖w_j‖ (sin θ + (π − θ) cos θ)/(2π)` for `x ~ N(0, I)`. */
export function reluSecondMoment(normI: number, normJ: number, theta: number): number {
  return (normI * normJ * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta))) / (2 * Math.PI);
}

/** The rows of `W` (`h × d`, column-major) as vectors. */
function rows(W: Matrix<number>): number[][] {
  return Array.from({ length: W.rows }, (_, i) => Array.from({ length: W.cols }, (_, j) => W.data[i + W.rows * j] as number));
}

/**
 * The population second moment `E[σ σᵀ]` (`h × h`) of the hidden layer `σ = ReLU(W_1 x)`,
 * `x ~ N(0, I_d)`, from {@link reluSecondMoment}.
 */
export function reluPopulationSecondMoment(W1: Matrix<number>): Matrix<number> {
  const w = rows(W1);
  const norms = w.map((r) => Math.sqrt(r.reduce((a, x) => a + x * x, 0)));
  const h = W1.rows;
  const out = new Array<number>(h * h);
  for (let j = 0; j < h; j++)
    for (let i = 0; i <= j; i++) {
      const v = i === j ? (norms[i] as number) ** 2 / 2 : reluSecondMoment(norms[i] as number, norms[j] as number, angle(w[i] as number[], w[j] as number[]));
      out[i + h * j] = v;
      out[j + h * i] = v;
    }
  return fromColumnMajor(h, h, out);
}

/** The population mean `E[σ]` of the hidden layer, `‖w_i‖/√(2π)` per unit. */
export function reluPopulationMean(W1: Matrix<number>): number[] {
  return rows(W1).map((r) => reluMean(Math.sqrt(r.reduce((a, x) => a + x * x, 0))));
}
