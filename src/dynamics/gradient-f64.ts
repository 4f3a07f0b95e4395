/**
 * The deep-linear loss and gradient in binary64 on preallocated buffers, for the many steps of a
 * training run: the closed form `∂L/∂W_i = c A_iᵀ R B_iᵀ` evaluated as one forward and one backward
 * sweep over the layers, every product through the blocked kernel into reused arrays (no allocation
 * per step). It is the same formula as `gradient` in `src/hessian/gradient.ts` (the tests compare the
 * two); that one, generic in the field, is what exact arithmetic uses.
 *
 * With `Z_0 = X` (`I` for deep matrix factorization), `Z_i = W_i Z_{i−1}`, `E = Z_N − Y` (`Y = M`) and
 * `s = n` (1 for DMF): `L = (c/2s)‖E‖_F²`; `D_N = (c/s) E`, `D_{i−1} = W_iᵀ D_i`; `∂L/∂W_i = D_i Z_{i−1}ᵀ`
 * (`= c A_iᵀ R B_iᵀ` since `D_i = (c/s) A_iᵀ E` and `Z_{i−1} = B_i X`).
 */
import { gemmF64Into } from '../linalg/gemm-f64.js';

/** A reusable evaluator of `(L, ∇L)` at any `θ` for fixed widths and objective. */
export interface DeepLinearGradientKernel {
  /** Writes `∇L(θ)` into `out` (length `Σ d_i d_{i−1}`) and returns `L(θ)`. */
  lossAndGradient(theta: ArrayLike<number>, out: Float64Array): number;
  /** `L(θ)` (forward sweep only). */
  loss(theta: ArrayLike<number>): number;
}

/**
 * The kernel for widths `d_0..d_N`, data `X` (`d_0 × n`, column-major; `null` for DMF) and
 * reference `Y` (`d_N × n`, or `M` `d_N × d_0` for DMF), loss-scale factor `c`.
 */
export function deepLinearGradientKernel(widths: readonly number[], X: Float64Array | null, Y: Float64Array, c: number): DeepLinearGradientKernel {
  const N = widths.length - 1;
  const d0 = widths[0] as number;
  const n = X === null ? d0 : Y.length / (widths[N] as number);
  const s = X === null ? 1 : n;
  const offsets = [0];
  for (let i = 1; i <= N; i++) offsets.push((offsets[i - 1] as number) + (widths[i] as number) * (widths[i - 1] as number));
  // Z[i] is d_i × n (Z[0] = X, or the identity for DMF: never formed).
  const Z: Float64Array[] = widths.map((d, i) => (i === 0 ? (X ?? new Float64Array(0)) : new Float64Array(d * n)));
  let maxW = 0;
  for (let i = 1; i <= N; i++) maxW = Math.max(maxW, widths[i] as number);
  const D = new Float64Array(Math.max(...widths) * n);
  const Dnext = new Float64Array(Math.max(...widths) * n);
  const Wt = new Float64Array(Math.max(...widths) * maxW);
  const Zt = new Float64Array(Math.max(...widths) * n);
  const forward = (theta: ArrayLike<number>): number => {
    for (let i = 1; i <= N; i++) {
      const rows = widths[i] as number;
      const k = widths[i - 1] as number;
      const w = theta instanceof Float64Array ? theta.subarray(offsets[i - 1] as number, offsets[i] as number) : Float64Array.from({ length: rows * k }, (_, t) => theta[(offsets[i - 1] as number) + t] as number);
      const out = Z[i] as Float64Array;
      if (i === 1 && X === null) out.set(w);
      else gemmF64Into(rows, n, k, w, Z[i - 1] as Float64Array, out);
    }
    const ZN = Z[N] as Float64Array;
    let ss = 0;
    for (let t = 0; t < ZN.length; t++) {
      const e = (ZN[t] as number) - (Y[t] as number);
      ss += e * e;
    }
    return (c / (2 * s)) * ss;
  };
  return {
    loss: forward,
    lossAndGradient(theta, out) {
      const th = theta instanceof Float64Array ? theta : Float64Array.from(theta);
      const loss = forward(th);
      const ZN = Z[N] as Float64Array;
      const dN = widths[N] as number;
      const f = c / s;
      let cur = D;
      let nxt = Dnext;
      for (let t = 0; t < dN * n; t++) cur[t] = f * ((ZN[t] as number) - (Y[t] as number));
      for (let i = N; i >= 1; i--) {
        const rows = widths[i] as number;
        const k = widths[i - 1] as number;
        const g = out.subarray(offsets[i - 1] as number, offsets[i] as number);
        // ∂L/∂W_i = D_i Z_{i−1}ᵀ (rows × k); for DMF Z_0 = I, so it is D_1 itself.
        if (i === 1 && X === null) g.set(cur.subarray(0, rows * k));
        else {
          const Zp = Z[i - 1] as Float64Array;
          for (let a = 0; a < k; a++) for (let b = 0; b < n; b++) Zt[b + n * a] = Zp[a + k * b] as number;
          gemmF64Into(rows, k, n, cur, Zt, g);
        }
        if (i > 1) {
          // D_{i−1} = W_iᵀ D_i (k × n).
          const w = th.subarray(offsets[i - 1] as number, offsets[i] as number);
          for (let a = 0; a < rows; a++) for (let b = 0; b < k; b++) Wt[b + k * a] = w[a + rows * b] as number;
          gemmF64Into(k, n, rows, Wt, cur, nxt);
          const tmp = cur;
          cur = nxt;
          nxt = tmp;
        }
      }
      return loss;
    },
  };
}
