/**
 * The two-layer Hessian–vector product of {@link twoLayerHessianVectorProduct} in binary64 on typed
 * arrays, every bulk step a dense product ({@link gemmF64Into}): about `2hdn + 6chn` multiply–adds
 * per product (`U = V_1 X`, `(H v)_{W_1} = P Xᵀ` and six `c × h × n` products), for large models.
 */
import { F64 } from '../field/field.js';
import { gemmF64Into } from '../linalg/gemm-f64.js';
import { operatorFrom, type LinearOperator } from '../linop/linear-operator.js';
import type { TwoLayerPoint } from './point.js';
import { transposed } from '../linalg/vectors.js';

/**
 * A fast `v ↦ H v` for a binary64 point (see the module comment); the same formulas as
 * {@link twoLayerHessianVectorProduct}: with `U = V_1 X`, `T = σ'(Z) ⊙ U`, `G = A(V_2 σ(Z) + W_2 T)`,
 * `(H v)_{W_1} = (1/n)[σ'(Z) ⊙ (W_2ᵀG + V_2ᵀR) + (W_2ᵀR ⊙ σ''(Z)) ⊙ U] Xᵀ`, `(H v)_{W_2} = (1/n)[G σ(Z)ᵀ + R Tᵀ]`,
 * over the augmented matrices when the model has biases (`X → X̃`, `σ(Z) → Ã`, `V_i → Ṽ_i`; `d`, `h`
 * below are then `d̃`, `h̃` where they index the augmented side).
 */
export function fastTwoLayerHvp(pt: TwoLayerPoint<number>): (v: ArrayLike<number>) => Float64Array {
  const { h, c, n } = pt.dims;
  const d = pt.Xa.rows;
  const ha = pt.A1a.rows;
  const X = Float64Array.from(pt.Xa.data);
  const Xt = transposed(X, d, n);
  const S = Float64Array.from(pt.A1a.data);
  const D1 = Float64Array.from(pt.D1.data);
  const W2 = Float64Array.from(pt.W2.data);
  const W2t = transposed(W2, c, h);
  const R = Float64Array.from(pt.R.data);
  const Rt = transposed(R, c, n);
  const cv = pt.curvature;
  const P = cv.kind === 'softmax' ? Float64Array.from(cv.P.data) : null;
  const kappa = cv.kind === 'squared' ? cv.kappa : 1;
  // β = (W_2ᵀ R) ⊙ σ''(Z), or null when σ'' vanishes.
  let beta: Float64Array | null = null;
  if (pt.D2.data.some((x) => x !== 0)) {
    const back = new Float64Array(h * n);
    gemmF64Into(h, n, c, W2t, R, back);
    beta = new Float64Array(h * n);
    for (let k = 0; k < h * n; k++) beta[k] = (back[k] as number) * (pt.D2.data[k] as number);
  }
  const inv = 1 / n;
  const p = h * d + c * ha;
  return (v) => {
    if (v.length !== p) throw new RangeError(`two-layer HVP: expected a vector of length ${p}, got ${v.length}`);
    const V1 = v instanceof Float64Array ? v.subarray(0, h * d) : Float64Array.from({ length: h * d }, (_, k) => v[k] as number);
    const V2a = Float64Array.from({ length: c * ha }, (_, k) => v[h * d + k] as number);
    const V2 = ha === h ? V2a : V2a.subarray(0, c * h);
    const U = new Float64Array(h * n);
    gemmF64Into(h, n, d, V1, X, U);
    const T = new Float64Array(h * n);
    for (let k = 0; k < h * n; k++) T[k] = (D1[k] as number) * (U[k] as number);
    const G = new Float64Array(c * n);
    gemmF64Into(c, n, ha, V2a, S, G);
    gemmF64Into(c, n, h, W2, T, G, { accumulate: true });
    if (P === null) for (let k = 0; k < c * n; k++) G[k] = kappa * (G[k] as number);
    else
      for (let s = 0; s < n; s++) {
        let pg = 0;
        for (let a = 0; a < c; a++) pg += (P[a + c * s] as number) * (G[a + c * s] as number);
        for (let a = 0; a < c; a++) G[a + c * s] = (P[a + c * s] as number) * ((G[a + c * s] as number) - pg);
      }
    const B = new Float64Array(h * n);
    gemmF64Into(h, n, c, W2t, G, B);
    gemmF64Into(h, n, c, transposed(V2, c, h), R, B, { accumulate: true });
    for (let k = 0; k < h * n; k++) {
      let x = (D1[k] as number) * (B[k] as number);
      if (beta !== null) x += (beta[k] as number) * (U[k] as number);
      B[k] = x * inv;
    }
    const out = new Float64Array(p);
    gemmF64Into(h, d, n, B, Xt, out.subarray(0, h * d));
    // (H v)_{W̃_2}ᵀ = (Ã Gᵀ + [T; 0] Rᵀ)/n, h̃ × c.
    const O2t = new Float64Array(ha * c);
    gemmF64Into(ha, c, n, S, transposed(G, c, n), O2t);
    if (ha === h) gemmF64Into(h, c, n, T, Rt, O2t, { accumulate: true });
    else {
      const TR = new Float64Array(h * c);
      gemmF64Into(h, c, n, T, Rt, TR);
      for (let a = 0; a < c; a++) for (let i = 0; i < h; i++) O2t[i + ha * a] = (O2t[i + ha * a] as number) + (TR[i + h * a] as number);
    }
    for (let i = 0; i < ha; i++) for (let a = 0; a < c; a++) out[h * d + a + c * i] = (O2t[i + ha * a] as number) * inv;
    return out;
  };
}

/** The Hessian of a binary64 point as a symmetric operator backed by {@link fastTwoLayerHvp}. */
export function fastTwoLayerHessianOperator(pt: TwoLayerPoint<number>): LinearOperator<number> {
  const p = pt.dims.params;
  const hvp = fastTwoLayerHvp(pt);
  return operatorFrom(F64, [p, p], (v) => Array.from(hvp(v)), { symmetric: true, label: 'two-layer Hessian (closed-form HVP, binary64 kernels)' });
}
