/**
 * The factored layer blocks ({@link LayerFactors}) of the engine's two families, in binary64.
 *
 * Two-layer network `f = W_2 σ(W_1 x)` (`docs/math.md §5`), output curvature `A_s = L_s L_sᵀ` with
 * `L_s = √κ I_c` (squared loss) or, for softmax cross-entropy, a `c × (c − 1)` factor of
 * `diag(p_s) − p_s p_sᵀ` (which annihilates `1_c`, so has rank at most `c − 1`):
 * - layer 1: inputs `x_s`, `Q_s = D_s W_2ᵀ L_s` (`h × c`), `β_s = W_2ᵀ r_s ⊙ σ''(z_s)`;
 * - layer 2: inputs `σ(z_s)`, `Q_s = L_s` (`c × c`), no `β`.
 *
 * Deep linear network with data (`docs/math.md §1–2`): layer `l` has inputs `B_l x_s` and the constant
 * `M = c A_lᵀ A_l` (`Q = √c A_lᵀ`), so its block is exactly `Σ_l ⊗ M` (Kronecker-exact); deep matrix
 * factorization is the whitened case with `x_s = e_s`, `s = 1..d_0`, and weight 1 (no average).
 */
import { F64 } from '../field/field.js';
import { preparePoint, type NetworkSpec } from '../hessian/point.js';
import { at, type Matrix } from '../linalg/matrix.js';
import { hasZeroSecondDerivative } from './activations.js';
import type { LayerFactors } from '../structure/layer-block.js';
import type { TwoLayerPoint } from './point.js';

function toArray(M: Matrix<number>): Float64Array {
  return Float64Array.from(M.data);
}

/** An orthonormal basis of `1_c^⊥` (Helmert): column `k` is `(1, …, 1, −k, 0, …)/√(k(k+1))` with `k` ones. */
function helmert(c: number): Float64Array {
  const U = new Float64Array(c * (c - 1));
  for (let k = 1; k < c; k++) {
    const s = 1 / Math.sqrt(k * (k + 1));
    for (let i = 0; i < k; i++) U[i + c * (k - 1)] = s;
    U[k + c * (k - 1)] = -k * s;
  }
  return U;
}

/**
 * A `c × (c−1)` factor `L` with `L Lᵀ = diag(p) − p pᵀ`: since the matrix annihilates `1`, it is
 * `U (Uᵀ A U) Uᵀ` for the Helmert basis `U` of `1^⊥`, and `L = U C` with `C Cᵀ = Uᵀ A U` (Cholesky;
 * a non-positive pivot, from probabilities that underflow, gives a zero column).
 */
function softmaxFactor(p: ArrayLike<number>, c: number, U: Float64Array): Float64Array {
  const r = c - 1;
  // AU = (diag(p) − p pᵀ) U, then B = Uᵀ A U.
  const AU = new Float64Array(c * r);
  for (let k = 0; k < r; k++) {
    let pu = 0;
    for (let i = 0; i < c; i++) pu += (p[i] as number) * (U[i + c * k] as number);
    for (let i = 0; i < c; i++) AU[i + c * k] = (p[i] as number) * ((U[i + c * k] as number) - pu);
  }
  const B = new Float64Array(r * r);
  for (let k = 0; k < r; k++)
    for (let l = 0; l < r; l++) {
      let x = 0;
      for (let i = 0; i < c; i++) x += (U[i + c * l] as number) * (AU[i + c * k] as number);
      B[l + r * k] = x;
    }
  const C = new Float64Array(r * r);
  for (let j = 0; j < r; j++) {
    let pivot = B[j + r * j] as number;
    for (let k = 0; k < j; k++) pivot -= (C[j + r * k] as number) ** 2;
    if (!(pivot > 0)) continue;
    const root = Math.sqrt(pivot);
    C[j + r * j] = root;
    for (let i = j + 1; i < r; i++) {
      let x = B[i + r * j] as number;
      for (let k = 0; k < j; k++) x -= (C[i + r * k] as number) * (C[j + r * k] as number);
      C[i + r * j] = x / root;
    }
  }
  const L = new Float64Array(c * r);
  for (let j = 0; j < r; j++)
    for (let k = j; k < r; k++) {
      const ckj = C[k + r * j] as number;
      if (ckj === 0) continue;
      for (let i = 0; i < c; i++) L[i + c * j] = (L[i + c * j] as number) + (U[i + c * k] as number) * ckj;
    }
  return L;
}

/**
 * The two layer blocks of a two-layer network at a binary64 point. A bias joins its layer: the block
 * of `[W_1 b_1]` has the input augmented by a 1 (`x̃ = (x, 1)`) and the block of `[W_2 b_2]` the hidden
 * activations augmented by a 1 (`σ̃ = (σ(z), 1)`), so it is the diagonal block of the Hessian over
 * `(vec W_l, b_l)`, still `(1/n) Σ_s x̃_s x̃_sᵀ ⊗ M_s` with the same `M_s`.
 */
export function twoLayerLayerFactors(pt: TwoLayerPoint<number>): [LayerFactors, LayerFactors] {
  const { h, c, n } = pt.dims;
  const W2 = pt.W2;
  const cv = pt.curvature;
  const kappaRoot = cv.kind === 'squared' ? Math.sqrt(cv.kappa) : 1;
  const identity = pt.model.activation === 'identity';
  // Softmax: rank-(c − 1) factors of the output curvatures.
  const r = cv.kind === 'softmax' ? c - 1 : c;
  const Ls: Float64Array[] = [];
  if (cv.kind === 'softmax') {
    const U = helmert(c);
    for (let s = 0; s < n; s++) Ls.push(softmaxFactor(cv.P.data.slice(c * s, c * (s + 1)), c, U));
  }
  // Layer 1.
  let Q1: Float64Array;
  let perSample1: boolean;
  if (cv.kind === 'squared' && identity) {
    // σ' ≡ 1: Q = √κ W_2ᵀ for every sample.
    Q1 = new Float64Array(h * c);
    for (let a = 0; a < c; a++) for (let i = 0; i < h; i++) Q1[i + h * a] = kappaRoot * at(W2, a, i);
    perSample1 = false;
  } else if (cv.kind === 'squared') {
    Q1 = new Float64Array(h * c * n);
    perSample1 = true;
    for (let s = 0; s < n; s++)
      for (let a = 0; a < c; a++) for (let i = 0; i < h; i++) Q1[s * h * c + i + h * a] = at(pt.D1, i, s) * at(W2, a, i) * kappaRoot;
  } else {
    // Q_s = D_s W_2ᵀ L_s with the rank-(c − 1) factor L_s of diag(p_s) − p_s p_sᵀ.
    Q1 = new Float64Array(h * r * n);
    perSample1 = true;
    const WL = new Float64Array(h * r);
    for (let s = 0; s < n; s++) {
      const L = Ls[s] as Float64Array;
      WL.fill(0);
      for (let a = 0; a < r; a++)
        for (let b = 0; b < c; b++) {
          const lb = L[b + c * a] as number;
          if (lb === 0) continue;
          for (let i = 0; i < h; i++) WL[i + h * a] = (WL[i + h * a] as number) + at(W2, b, i) * lb;
        }
      for (let a = 0; a < r; a++) for (let i = 0; i < h; i++) Q1[s * h * r + i + h * a] = at(pt.D1, i, s) * (WL[i + h * a] as number);
    }
  }
  let beta: Float64Array | null = null;
  if (!hasZeroSecondDerivative(pt.model.activation)) {
    beta = new Float64Array(h * n);
    for (let s = 0; s < n; s++)
      for (let i = 0; i < h; i++) {
        let b = 0;
        for (let a = 0; a < c; a++) b += at(W2, a, i) * at(pt.R, a, s);
        beta[i + h * s] = b * at(pt.D2, i, s);
      }
  }
  const loss = cv.kind === 'squared' ? 'squared loss' : 'softmax cross-entropy';
  const layer1: LayerFactors = {
    layer: 1,
    name: pt.dims.bias1 ? '[W_1 b_1]' : 'W_1',
    rows: h,
    cols: pt.Xa.rows,
    n,
    weight: 1 / n,
    X: toArray(pt.Xa),
    rank: perSample1 ? r : c,
    Q: Q1,
    perSample: perSample1,
    beta,
    outputFactor: {
      W2: toArray(W2),
      c,
      D: toArray(pt.D1),
      P: cv.kind === 'softmax' ? toArray(cv.P) : null,
      kappa: cv.kind === 'squared' ? cv.kappa : 1,
    },
    description: `M_1 = D W_2ᵀ A W_2 D${beta === null ? '' : ' + diag(W_2ᵀ r ⊙ σ″(z))'} (${pt.model.activation}, ${loss})`,
  };
  // Layer 2.
  let Q2: Float64Array;
  let perSample2: boolean;
  if (cv.kind === 'squared') {
    Q2 = new Float64Array(c * c);
    for (let a = 0; a < c; a++) Q2[a + c * a] = kappaRoot;
    perSample2 = false;
  } else {
    Q2 = new Float64Array(c * r * n);
    perSample2 = true;
    for (let s = 0; s < n; s++) Q2.set(Ls[s] as Float64Array, s * c * r);
  }
  const layer2: LayerFactors = {
    layer: 2,
    name: pt.dims.bias2 ? '[W_2 b_2]' : 'W_2',
    rows: c,
    cols: pt.A1a.rows,
    n,
    weight: 1 / n,
    X: toArray(pt.A1a),
    rank: r,
    Q: Q2,
    perSample: perSample2,
    beta: null,
    description: cv.kind === 'squared' ? `M_2 = κ I_c (squared loss, κ = ${cv.kappa})` : 'M_2 = diag(p) − p pᵀ (softmax cross-entropy)',
  };
  return [layer1, layer2];
}

/** The layer blocks of a deep linear network (DMF or with data) at a binary64 point: all Kronecker-exact. */
export function deepLinearLayerFactors(spec: NetworkSpec<number>): LayerFactors[] {
  const pt = preparePoint(F64, spec);
  const N = pt.depth;
  const dN = pt.widths[N] as number;
  const obj = spec.objective;
  const root = Math.sqrt(pt.c);
  const out: LayerFactors[] = [];
  for (let i = 0; i < N; i++) {
    const q = pt.widths[i + 1] as number;
    const p = pt.widths[i] as number;
    const B = pt.B[i] as Matrix<number>; // p × d_0
    let X: Float64Array;
    let n: number;
    let weight: number;
    if (obj.kind === 'dln') {
      n = obj.inputs.cols;
      const BX = new Float64Array(p * n);
      const d0 = obj.inputs.rows;
      for (let s = 0; s < n; s++)
        for (let k = 0; k < d0; k++) {
          const x = at(obj.inputs, k, s);
          if (x === 0) continue;
          for (let j = 0; j < p; j++) BX[j + p * s] = (BX[j + p * s] as number) + at(B, j, k) * x;
        }
      X = BX;
      weight = 1 / n;
    } else {
      n = B.cols;
      X = toArray(B);
      weight = 1;
    }
    const A = pt.A[i] as Matrix<number>; // d_N × q
    const Q = new Float64Array(q * dN);
    for (let a = 0; a < dN; a++) for (let k = 0; k < q; k++) Q[k + q * a] = root * at(A, a, k);
    out.push({
      layer: i + 1,
      name: `W_${i + 1}`,
      rows: q,
      cols: p,
      n,
      weight,
      X,
      rank: dN,
      Q,
      perSample: false,
      beta: null,
      description: `M_${i + 1} = c A_${i + 1}ᵀ A_${i + 1}, the same for every sample`,
    });
  }
  return out;
}
