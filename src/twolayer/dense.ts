/**
 * The dense Hessian of a two-layer network, every block in closed form, generic in the field
 * (`docs/math.md §5`). With `θ = (vec W_1, vec W_2)` (column-major), `u = W_1 x`-direction and
 * `A_s = ∂²ℓ_s/∂f²`, `r_s = ∂ℓ_s/∂f`, `D_s = diag σ'(z_s)`:
 *
 * - `H_11 = (1/n) Σ_s (x_s x_sᵀ) ⊗ M_s`, `M_s = D_s W_2ᵀ A_s W_2 D_s + diag(W_2ᵀ r_s ⊙ σ''(z_s))`;
 * - `H_12[(i,j),(a,b)] = (1/n) Σ_s x_{js} σ'_{is} [ (W_2ᵀ A_s)_{ia} σ_{bs} + r_{as} δ_{bi} ]`
 *   (Gauss–Newton part `(x_s σ_sᵀ) ⊗ (D_s W_2ᵀ A_s)` plus the residual cross term `r_sᵀ U_2 D_s U_1 x_s`);
 * - `H_22 = (1/n) Σ_s (σ_s σ_sᵀ) ⊗ A_s`.
 *
 * Row `(i, j)` of a block is the column-major index `i + h·j` of entry `(i, j)` of `W_1` (`a + c·b` for `W_2`).
 *
 * Biases: every formula holds for the augmented matrices `W̃_1 = [W_1 b_1]` on `x̃_s = (x_s, 1)` and
 * `W̃_2 = [W_2 b_2]` on `σ̃_s = (σ(z_s), 1)` (a hidden unit with constant output, `σ' = 0`), so each block
 * is over `vec W̃_1 = (vec W_1, b_1)` and `vec W̃_2 = (vec W_2, b_2)`: `x_s → x̃_s`, `σ_s → σ̃_s`, and the
 * residual cross term (`δ_{bi}`) is zero in the `b_2` column since `b_2` meets no hidden unit.
 * Each block is one matrix product `Σ_s vec(left_s) vec(right_s)ᵀ` (run by the blocked binary64
 * kernel over `F64`), then a permutation of its entries.
 */
import { at, fromColumnMajor, mul, transpose, type Matrix } from '../linalg/matrix.js';
import { applyOutputCurvature, outputCurvatureMatrix, type TwoLayerPoint } from './point.js';

/** The three distinct blocks of the Hessian. */
export interface TwoLayerHessianBlocks<S> {
  /** `∂²L/∂vec W̃_1 ∂vec W̃_1ᵀ`, `hd̃ × hd̃` (`d̃ = d + 1` with `b_1`). */
  readonly H11: Matrix<S>;
  /** `∂²L/∂vec W̃_1 ∂vec W̃_2ᵀ`, `hd̃ × ch̃` (`h̃ = h + 1` with `b_2`). */
  readonly H12: Matrix<S>;
  /** `∂²L/∂vec W̃_2 ∂vec W̃_2ᵀ`, `ch̃ × ch̃`. */
  readonly H22: Matrix<S>;
}

/** `M_s = D_s W_2ᵀ A_s W_2 D_s + diag(W_2ᵀ r_s ⊙ σ''(z_s))` for every sample, as the rows of an `n × h²` matrix (`vec M_s`). */
export function layerOneCurvatures<S>(pt: TwoLayerPoint<S>): Matrix<S> {
  const F = pt.F;
  const { h, c, n } = pt.dims;
  const W2 = pt.W2;
  const data = new Array<S>(n * h * h);
  const W2t = transpose(W2);
  // β = (W_2ᵀ R) ⊙ σ''(Z).
  const back = mul(F, W2t, pt.R);
  const squaredC = pt.curvature.kind === 'squared' ? mul(F, W2t, W2) : null;
  const kappa = pt.curvature.kind === 'squared' ? pt.curvature.kappa : F.one;
  for (let s = 0; s < n; s++) {
    // G = W_2ᵀ A_s W_2 (h × h).
    let G: (i: number, k: number) => S;
    if (squaredC !== null) {
      const C = squaredC;
      G = (i, k) => F.mul(kappa, at(C, i, k));
    } else {
      const AW = Array.from({ length: h }, (_, k) => applyOutputCurvature(pt, s, Array.from({ length: c }, (_, a) => at(W2, a, k))));
      G = (i, k) => {
        let v = F.zero;
        const col = AW[k] as S[];
        for (let a = 0; a < c; a++) v = F.add(v, F.mul(at(W2, a, i), col[a] as S));
        return v;
      };
    }
    for (let k = 0; k < h; k++) {
      const dk = at(pt.D1, k, s);
      for (let i = 0; i < h; i++) {
        const di = at(pt.D1, i, s);
        let v = F.isZero(di) || F.isZero(dk) ? F.zero : F.mul(F.mul(di, dk), G(i, k));
        if (i === k) v = F.add(v, F.mul(at(back, i, s), at(pt.D2, i, s)));
        data[s + n * (i + h * k)] = v;
      }
    }
  }
  return fromColumnMajor(n, h * h, data);
}

/** `vec(u_s v_sᵀ)` for every sample `s` as the columns of a `(rows·cols) × n` matrix. */
function outerColumns<S>(pt: TwoLayerPoint<S>, U: Matrix<S>, V: Matrix<S>): Matrix<S> {
  const F = pt.F;
  const n = pt.dims.n;
  const p = U.rows;
  const q = V.rows;
  const data = new Array<S>(p * q * n);
  for (let s = 0; s < n; s++)
    for (let b = 0; b < q; b++) {
      const vb = at(V, b, s);
      for (let j = 0; j < p; j++) data[j + p * b + p * q * s] = F.mul(at(U, j, s), vb);
    }
  return fromColumnMajor(p * q, n, data);
}

/** `H_11 = (1/n) Σ_s (x_s x_sᵀ) ⊗ M_s` (see the module comment). */
export function hessianBlock11<S>(pt: TwoLayerPoint<S>): Matrix<S> {
  const F = pt.F;
  const { h, n } = pt.dims;
  const d = pt.Xa.rows;
  const invN = F.inv(F.fromInt(n));
  // C[(j + d l), (i + h k)] = Σ_s x_js x_ls (M_s)_ik.
  const C = mul(F, outerColumns(pt, pt.Xa, pt.Xa), layerOneCurvatures(pt));
  const D = h * d;
  const out = new Array<S>(D * D);
  for (let l = 0; l < d; l++)
    for (let j = 0; j < d; j++)
      for (let k = 0; k < h; k++)
        for (let i = 0; i < h; i++) out[i + h * j + D * (k + h * l)] = F.mul(invN, at(C, j + d * l, i + h * k));
  return fromColumnMajor(D, D, out);
}

/** `H_12` (Gauss–Newton and residual cross terms; see the module comment). */
export function hessianBlock12<S>(pt: TwoLayerPoint<S>): Matrix<S> {
  const F = pt.F;
  const { h, c, n } = pt.dims;
  const d = pt.Xa.rows;
  const ha = pt.A1a.rows;
  const invN = F.inv(F.fromInt(n));
  // Right factors: vec(D_s W_2ᵀ A_s) (h × c) as rows of an n × hc matrix; residual: σ'_is r_as.
  const right = new Array<S>(n * h * c);
  const resid = new Array<S>(n * h * c);
  for (let s = 0; s < n; s++) {
    const As = outputCurvatureMatrix(pt, s);
    for (let a = 0; a < c; a++)
      for (let i = 0; i < h; i++) {
        const di = at(pt.D1, i, s);
        let v = F.zero;
        if (!F.isZero(di)) for (let b = 0; b < c; b++) v = F.add(v, F.mul(at(pt.W2, b, i), at(As, b, a)));
        right[s + n * (i + h * a)] = F.mul(di, v);
        resid[s + n * (i + h * a)] = F.mul(di, at(pt.R, a, s));
      }
  }
  // GN: C[(j + d b), (i + h a)] = Σ_s x_js σ_bs (D_s W_2ᵀ A_s)_ia.
  const C = mul(F, outerColumns(pt, pt.Xa, pt.A1a), fromColumnMajor(n, h * c, right));
  // Residual: E[j, (i + h a)] = Σ_s x_js σ'_is r_as, placed at column b = i.
  const E = mul(F, pt.Xa, fromColumnMajor(n, h * c, resid));
  const rows = h * d;
  const cols = c * ha;
  const out = new Array<S>(rows * cols);
  for (let b = 0; b < ha; b++)
    for (let a = 0; a < c; a++)
      for (let j = 0; j < d; j++)
        for (let i = 0; i < h; i++) {
          let v = at(C, j + d * b, i + h * a);
          if (b === i) v = F.add(v, at(E, j, i + h * a));
          out[i + h * j + rows * (a + c * b)] = F.mul(invN, v);
        }
  return fromColumnMajor(rows, cols, out);
}

/** `H_22 = (1/n) Σ_s (σ_s σ_sᵀ) ⊗ A_s`. */
export function hessianBlock22<S>(pt: TwoLayerPoint<S>): Matrix<S> {
  const F = pt.F;
  const { c, n } = pt.dims;
  const h = pt.A1a.rows;
  const invN = F.inv(F.fromInt(n));
  const av = new Array<S>(n * c * c);
  for (let s = 0; s < n; s++) {
    const As = outputCurvatureMatrix(pt, s);
    for (let k = 0; k < c * c; k++) av[s + n * k] = As.data[k] as S;
  }
  // C[(b + h b'), (a + c a')] = Σ_s σ_bs σ_b's (A_s)_{aa'}.
  const C = mul(F, outerColumns(pt, pt.A1a, pt.A1a), fromColumnMajor(n, c * c, av));
  const D = c * h;
  const out = new Array<S>(D * D);
  for (let b2 = 0; b2 < h; b2++)
    for (let a2 = 0; a2 < c; a2++)
      for (let b = 0; b < h; b++)
        for (let a = 0; a < c; a++) out[a + c * b + D * (a2 + c * b2)] = F.mul(invN, at(C, b + h * b2, a + c * a2));
  return fromColumnMajor(D, D, out);
}

/** All three blocks. */
export function twoLayerHessianBlocks<S>(pt: TwoLayerPoint<S>): TwoLayerHessianBlocks<S> {
  return { H11: hessianBlock11(pt), H12: hessianBlock12(pt), H22: hessianBlock22(pt) };
}

/** The full Hessian `[[H_11, H_12], [H_12ᵀ, H_22]]` over `θ = (vec W̃_1, vec W̃_2) = (vec W_1, b_1, vec W_2, b_2)`. */
export function twoLayerHessian<S>(pt: TwoLayerPoint<S>): Matrix<S> {
  const { H11, H12, H22 } = twoLayerHessianBlocks(pt);
  const p1 = H11.rows;
  const p2 = H22.rows;
  const P = p1 + p2;
  const out = new Array<S>(P * P);
  for (let j = 0; j < p1; j++) for (let i = 0; i < p1; i++) out[i + P * j] = H11.data[i + p1 * j] as S;
  for (let j = 0; j < p2; j++)
    for (let i = 0; i < p1; i++) {
      const v = H12.data[i + p1 * j] as S;
      out[i + P * (p1 + j)] = v;
      out[p1 + j + P * i] = v;
    }
  for (let j = 0; j < p2; j++) for (let i = 0; i < p2; i++) out[p1 + i + P * (p1 + j)] = H22.data[i + p2 * j] as S;
  return fromColumnMajor(P, P, out);
}
