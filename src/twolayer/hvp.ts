/**
 * Matrix-free Hessian–vector products of a two-layer network (`docs/math.md §5`), generic in the field.
 *
 * For a direction `(V_1, V_2)`, with `U = V_1 X`, `T = σ'(Z) ⊙ U`, the output perturbation
 * `δF = V_2 σ(Z) + W_2 T` and `G_s = A_s δf_s`:
 *
 *   `(H v)_{W_1} = (1/n) [ σ'(Z) ⊙ (W_2ᵀ G + V_2ᵀ R) + (W_2ᵀ R ⊙ σ''(Z)) ⊙ U ] Xᵀ`,
 *   `(H v)_{W_2} = (1/n) [ G σ(Z)ᵀ + R Tᵀ ]`,
 *
 * i.e. the Gauss–Newton product `Jᵀ A J v`, the `σ''` term and the residual cross terms
 * `r_sᵀ V_2 D_s U_1 x_s`. Cost: about six `h × n` products, `O(n h (d + c))`, never forming `H`.
 *
 * Biases: the same formulas over the augmented matrices (`TwoLayerPoint`): `V_1 → Ṽ_1 = [V_1 v_{b_1}]`
 * on `X̃`, `V_2 → Ṽ_2 = [V_2 v_{b_2}]` on `Ã = [σ(Z); 1ᵀ]`; the cross term `V_2ᵀ R` and `R Tᵀ` involve
 * the weights only (`b_2` meets no hidden unit).
 */
import { at, fromColumnMajor, generate, mul, transpose, type Matrix } from '../linalg/matrix.js';
import { operatorFrom, type LinearOperator } from '../linop/linear-operator.js';
import type { TwoLayerBiases, TwoLayerDims } from './model.js';
import { applyOutputCurvature, type TwoLayerPoint } from './point.js';

/** `H v` for `v = (vec Ṽ_1, vec Ṽ_2) = (vec V_1, v_{b_1}, vec V_2, v_{b_2})`. */
export function twoLayerHessianVectorProduct<S>(pt: TwoLayerPoint<S>, v: readonly S[]): S[] {
  const F = pt.F;
  const { h, c, n } = pt.dims;
  const d = pt.Xa.rows;
  const ha = pt.A1a.rows;
  const V1 = fromColumnMajor(h, d, v.slice(0, h * d));
  const V2a = fromColumnMajor(c, ha, v.slice(h * d, h * d + c * ha));
  const V2 = fromColumnMajor(c, h, v.slice(h * d, h * d + c * h));
  const invN = F.inv(F.fromInt(n));
  const U = mul(F, V1, pt.Xa);
  const T = generate(h, n, (i, s) => F.mul(at(pt.D1, i, s), at(U, i, s)));
  const V2A = mul(F, V2a, pt.A1a);
  const W2T = mul(F, pt.W2, T);
  const Gdata = new Array<S>(c * n);
  for (let s = 0; s < n; s++) {
    const df = Array.from({ length: c }, (_, a) => F.add(at(V2A, a, s), at(W2T, a, s)));
    applyOutputCurvature(pt, s, df).forEach((x, a) => {
      Gdata[a + c * s] = x;
    });
  }
  const G = fromColumnMajor(c, n, Gdata);
  const W2t = transpose(pt.W2);
  const back = mul(F, W2t, G); // W_2ᵀ G
  const cross = mul(F, transpose(V2), pt.R); // V_2ᵀ R
  const backR = mul(F, W2t, pt.R); // W_2ᵀ R
  const P1 = generate(h, n, (i, s) => {
    let x = F.mul(at(pt.D1, i, s), F.add(at(back, i, s), at(cross, i, s)));
    const d2 = at(pt.D2, i, s);
    if (!F.isZero(d2)) x = F.add(x, F.mul(F.mul(at(backR, i, s), d2), at(U, i, s)));
    return x;
  });
  const out1 = mul(F, P1, transpose(pt.Xa));
  const out2a = mul(F, G, transpose(pt.A1a));
  const out2b = mul(F, pt.R, transpose(T)); // c × h: zero in the b_2 column
  const out: S[] = [];
  for (const x of out1.data) out.push(F.mul(invN, x));
  out2a.data.forEach((x, k) => out.push(F.mul(invN, k < c * h ? F.add(x, out2b.data[k] as S) : x)));
  return out;
}

/** The Hessian as a symmetric {@link LinearOperator} over `θ = (vec W_1, b_1, vec W_2, b_2)`. */
export function twoLayerHessianOperator<S>(pt: TwoLayerPoint<S>): LinearOperator<S> {
  const p = pt.dims.params;
  return operatorFrom(pt.F, [p, p], (v) => twoLayerHessianVectorProduct(pt, v), { symmetric: true, label: 'two-layer Hessian (closed-form HVP)' });
}

/** The parameter vector `θ = (vec W_1, b_1, vec W_2, b_2)` of the point (`= (vec W̃_1, vec W̃_2)`). */
export function twoLayerTheta<S>(pt: TwoLayerPoint<S>): S[] {
  return [...pt.W1a.data, ...pt.W2a.data];
}

/** Splits `θ` into `[W_1, W_2]` of the point's shapes (the weights only; {@link parametersFromTheta} for the biases too). */
export function weightsFromTheta<S>(pt: { readonly dims: TwoLayerDims }, theta: readonly S[]): [Matrix<S>, Matrix<S>] {
  return parametersFromTheta(pt.dims, theta).weights;
}

/** Splits `θ = (vec W_1, b_1, vec W_2, b_2)` into the weights and the biases the dimensions declare. */
export function parametersFromTheta<S>(dims: TwoLayerDims, theta: readonly S[]): { weights: [Matrix<S>, Matrix<S>]; biases?: TwoLayerBiases<S> } {
  const { d, h, c, bias1, bias2 } = dims;
  const o2 = h * d + (bias1 ? h : 0);
  const weights: [Matrix<S>, Matrix<S>] = [fromColumnMajor(h, d, theta.slice(0, h * d)), fromColumnMajor(c, h, theta.slice(o2, o2 + c * h))];
  if (!bias1 && !bias2) return { weights };
  return {
    weights,
    biases: {
      ...(bias1 ? { b1: theta.slice(h * d, o2) } : {}),
      ...(bias2 ? { b2: theta.slice(o2 + c * h, o2 + c * h + c) } : {}),
    },
  };
}
