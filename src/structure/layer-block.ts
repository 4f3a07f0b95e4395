/**
 * One layer's Hessian block in factored form, in binary64, and the dense kernels that read it
 * (`docs/math.md §5`; arXiv 2010.04261, "Dissecting Hessian").
 *
 * Every layer `W_l ∈ R^{q×p}` of the engine's networks has the exact block
 *
 *   `H_l = w Σ_s (x_s x_sᵀ) ⊗ M_s`,   `M_s = Q_s Q_sᵀ + diag(β_s)`       (column-major vec),
 *
 * with `x_s ∈ R^p` the layer's input at sample `s`, `M_s ∈ R^{q×q}` the Hessian of the sample's loss
 * with respect to the layer's output, factored through `Q_s ∈ R^{q×r}` (`A_s = L_s L_sᵀ` of the
 * output curvature pushed back through the layers above) and the diagonal `σ''` term `β_s`, and `w`
 * the sample weight (`1/n`, or 1 for deep matrix factorization). Its decoupled (Kronecker)
 * approximation is `K_l = (n w) E[x xᵀ] ⊗ E[M]` (column-major; the paper's `E[M] ⊗ E[x xᵀ]` in
 * row-major vec, the same matrix up to the perfect-shuffle permutation, with the same spectrum).
 *
 * Costs (`D = pq`): a product `H_l v` is `O(n p q + n q r)`; `‖H_l‖_F` by the sample Gram
 * `Σ_{s,t} (x_sᵀx_t)² ⟨M_s, M_t⟩` is `O((n r)² q)` (`O(n² (p + q))` when `Q` is shared); the dense
 * block `E[(x xᵀ) ⊗ M]` is one `p² × n × q²` product, `O(D² n)`.
 */
import { F64 } from '../field/field.js';
import { toNumberArray } from '../kernels/arrays.js';
import { gemmF64Into } from '../linalg/gemm-f64.js';
import { fromColumnMajor, type Matrix } from '../linalg/matrix.js';
import { operatorFrom, type LinearOperator } from '../linop/linear-operator.js';
import { transposed } from '../linalg/vectors.js';

/** A layer block `H_l = w Σ_s (x_s x_sᵀ) ⊗ (Q_s Q_sᵀ + diag β_s)` (see the module comment). */
export interface LayerFactors {
  /** Layer number, from 1. */
  readonly layer: number;
  /** `W_1`, `W_2`, … */
  readonly name: string;
  /** `q`: rows of `W_l` (the layer's outputs). */
  readonly rows: number;
  /** `p`: columns of `W_l` (the layer's inputs). */
  readonly cols: number;
  /** Samples `n`. */
  readonly n: number;
  /** Sample weight `w` (`1/n`, or 1 for deep matrix factorization). */
  readonly weight: number;
  /** Layer inputs `x_s` as the columns of a `p × n` column-major array. */
  readonly X: Float64Array;
  /** Columns `r` of each factor `Q_s`. */
  readonly rank: number;
  /** `Q_s` (`q × r`, column-major), one shared factor or `n` of them back to back (sample `s` at offset `s·q·r`). */
  readonly Q: Float64Array;
  readonly perSample: boolean;
  /** `β_s` as the columns of a `q × n` array, or `null` when the diagonal term vanishes. */
  readonly beta: Float64Array | null;
  /** How `M_s` arises, for reports. */
  readonly description: string;
  /**
   * Optional structure of the factors, `Q_s = D_s W_2ᵀ L_s` (the first layer of a two-layer network),
   * used to apply `Q_s Q_sᵀ` to all samples with dense products instead of per-sample loops.
   */
  readonly outputFactor?: OutputFactor;
}

/**
 * `M_s^{GN} = D_s W_2ᵀ A_s W_2 D_s` with `A_s = κ I` (`P = null`) or `diag(p_s) − p_s p_sᵀ`
 * (`P` holds the `p_s` as columns): the Gauss–Newton part of a two-layer network's first layer.
 */
export interface OutputFactor {
  /** `W_2`, `c × h` column-major. */
  readonly W2: Float64Array;
  readonly c: number;
  /** `σ'(Z)`, `h × n`. */
  readonly D: Float64Array;
  /** Softmax probabilities `c × n`, or `null` for the squared loss. */
  readonly P: Float64Array | null;
  readonly kappa: number;
}

/** The same layer with its inputs replaced by `X` (e.g. centred); everything else is kept. */
export function withInputs(f: LayerFactors, X: Float64Array): LayerFactors {
  if (X.length !== f.cols * f.n) throw new RangeError(`withInputs: expected ${f.cols}×${f.n} inputs`);
  return { ...f, X };
}

/** `E[x]`, the mean layer input (`p`-vector). */
export function inputMean(f: LayerFactors): Float64Array {
  const { cols: p, n } = f;
  const mu = new Float64Array(p);
  for (let s = 0; s < n; s++) for (let j = 0; j < p; j++) mu[j] = (mu[j] as number) + (f.X[j + p * s] as number);
  for (let j = 0; j < p; j++) mu[j] = (mu[j] as number) / n;
  return mu;
}

/**
 * Inputs centred at their mean, `x̃_s = x_s − E[x]`: the layer block of the same network with a
 * mean subtraction (batch normalisation's centring, statistics frozen) before layer `l` and a bias
 * `b_l = W_l E[x]` that keeps every pre-activation, hence every `M_s`, unchanged.
 */
export function centredInputs(f: LayerFactors): Float64Array {
  const mu = inputMean(f);
  const { cols: p, n } = f;
  const out = new Float64Array(p * n);
  for (let s = 0; s < n; s++) for (let j = 0; j < p; j++) out[j + p * s] = (f.X[j + p * s] as number) - (mu[j] as number);
  return out;
}

/** `Y = M U` column by column: `y_s = Q_s (Q_sᵀ u_s) + β_s ⊙ u_s` for a `q × n` array `U`. */
function applyCurvatures(f: LayerFactors, U: Float64Array): Float64Array {
  const { rows: q, n, rank: r } = f;
  const Y = new Float64Array(q * n);
  const of = f.outputFactor;
  if (of !== undefined) {
    // Y = D ⊙ (W_2ᵀ A (W_2 (D ⊙ U))) with three dense products.
    const c = of.c;
    const T = new Float64Array(q * n);
    for (let k = 0; k < q * n; k++) T[k] = (of.D[k] as number) * (U[k] as number);
    const F = new Float64Array(c * n);
    gemmF64Into(c, n, q, of.W2, T, F);
    if (of.P === null) for (let k = 0; k < c * n; k++) F[k] = of.kappa * (F[k] as number);
    else {
      const P = of.P;
      for (let s = 0; s < n; s++) {
        let pf = 0;
        for (let a = 0; a < c; a++) pf += (P[a + c * s] as number) * (F[a + c * s] as number);
        for (let a = 0; a < c; a++) F[a + c * s] = (P[a + c * s] as number) * ((F[a + c * s] as number) - pf);
      }
    }
    gemmF64Into(q, n, c, transposed(of.W2, c, q), F, Y);
    for (let k = 0; k < q * n; k++) Y[k] = (Y[k] as number) * (of.D[k] as number);
  } else if (!f.perSample) {
    const Qt = transposed(f.Q, q, r);
    const T = new Float64Array(r * n);
    gemmF64Into(r, n, q, Qt, U, T);
    gemmF64Into(q, n, r, f.Q, T, Y);
  } else {
    const t = new Float64Array(r);
    for (let s = 0; s < n; s++) {
      const base = s * q * r;
      for (let a = 0; a < r; a++) {
        let acc = 0;
        const o = base + a * q;
        for (let i = 0; i < q; i++) acc += (f.Q[o + i] as number) * (U[i + q * s] as number);
        t[a] = acc;
      }
      for (let a = 0; a < r; a++) {
        const ta = t[a] as number;
        if (ta === 0) continue;
        const o = base + a * q;
        for (let i = 0; i < q; i++) Y[i + q * s] = (Y[i + q * s] as number) + (f.Q[o + i] as number) * ta;
      }
    }
  }
  if (f.beta !== null) for (let k = 0; k < q * n; k++) Y[k] = (Y[k] as number) + (f.beta[k] as number) * (U[k] as number);
  return Y;
}

/** `H_l v` for `v = vec V`, `V ∈ R^{q×p}`: `w Σ_s M_s V x_s x_sᵀ`, three dense products. */
export function layerMatvec(f: LayerFactors, v: ArrayLike<number>, Xt?: Float64Array): Float64Array {
  const { rows: q, cols: p, n } = f;
  const U = new Float64Array(q * n);
  gemmF64Into(q, n, p, v, f.X, U);
  const Y = applyCurvatures(f, U);
  const out = new Float64Array(q * p);
  gemmF64Into(q, p, n, Y, Xt ?? transposed(f.X, p, n), out);
  for (let k = 0; k < q * p; k++) out[k] = (out[k] as number) * f.weight;
  return out;
}

/** `H_l V` for a block of `b` vectors (`D × b`, column-major). */
export function layerMatmat(f: LayerFactors, V: Float64Array, b: number, Xt?: Float64Array): Float64Array {
  const D = f.rows * f.cols;
  const xt = Xt ?? transposed(f.X, f.cols, f.n);
  const out = new Float64Array(D * b);
  for (let j = 0; j < b; j++) out.set(layerMatvec(f, V.subarray(D * j, D * (j + 1)), xt), D * j);
  return out;
}

/** The layer block as a symmetric {@link LinearOperator} (matrix-free), with its block product. */
export function layerOperator(f: LayerFactors, label = `H_${f.layer} (layer block, matrix-free)`): LinearOperator<number> {
  const D = f.rows * f.cols;
  const Xt = transposed(f.X, f.cols, f.n);
  const op = operatorFrom<number>(F64, [D, D], (v) => toNumberArray(layerMatvec(f, v, Xt)), { symmetric: true, label });
  return { ...op, matmat: (V, b) => layerMatmat(f, V, b, Xt) };
}

/** `E[x xᵀ] = (1/n) X Xᵀ` (`p × p`). */
export function inputSecondMoment(f: LayerFactors): Matrix<number> {
  const { cols: p, n } = f;
  const S = new Float64Array(p * p);
  gemmF64Into(p, p, n, f.X, transposed(f.X, p, n), S);
  return fromColumnMajor(p, p, Array.from(S, (x) => x / n));
}

/** `E[M] = (1/n) Σ_s (Q_s Q_sᵀ + diag β_s)` (`q × q`). */
export function meanCurvature(f: LayerFactors): Matrix<number> {
  const { rows: q, n, rank: r } = f;
  const M = new Float64Array(q * q);
  const cols = f.perSample ? r * n : r;
  gemmF64Into(q, q, cols, f.Q, transposed(f.Q, q, cols), M);
  const scale = f.perSample ? 1 / n : 1;
  for (let k = 0; k < q * q; k++) M[k] = (M[k] as number) * scale;
  if (f.beta !== null) {
    for (let s = 0; s < n; s++) for (let i = 0; i < q; i++) M[i + q * i] = (M[i + q * i] as number) + (f.beta[i + q * s] as number) / n;
  }
  // Symmetrise the rounding of the product.
  for (let j = 0; j < q; j++)
    for (let i = j + 1; i < q; i++) {
      const a = 0.5 * ((M[i + q * j] as number) + (M[j + q * i] as number));
      M[i + q * j] = a;
      M[j + q * i] = a;
    }
  return fromColumnMajor(q, q, toNumberArray(M));
}

/** Whether `M_s` is the same for every sample (shared `Q`, no `β`): then `H_l = K_l` exactly. */
export function isKroneckerExact(f: LayerFactors): boolean {
  return !f.perSample && f.beta === null;
}

/**
 * The sample Gram `Ω_st = ⟨M_s, M_t⟩_F` (`n × n`, symmetric), with
 * `⟨M_s, M_t⟩ = ‖Q_sᵀQ_t‖_F² + β_tᵀ g_s + β_sᵀ g_t + β_sᵀ β_t`, `g_s = diag(Q_s Q_sᵀ)`.
 * Per-sample factors cost `O((n r)² q)`, computed in tiles of the product `Q_Sᵀ Q_T` (upper half only).
 */
export function curvatureGram(f: LayerFactors): Float64Array {
  const { rows: q, n, rank: r } = f;
  const Om = new Float64Array(n * n);
  if (!f.perSample) {
    const G = new Float64Array(r * r);
    gemmF64Into(r, r, q, transposed(f.Q, q, r), f.Q, G);
    let c = 0;
    for (const x of G) c += x * x;
    Om.fill(c);
  } else {
    const total = n * r;
    // Tiles of at most about 4M entries (32 MiB) of Q_Sᵀ Q_T.
    const block = Math.max(1, Math.floor(4e6 / (total * r)));
    const all = f.Q; // q × (n r)
    for (let s0 = 0; s0 < n; s0 += block) {
      const bs = Math.min(block, n - s0);
      const rowsS = bs * r;
      // Q_Sᵀ: (bs r) × q.
      const QSt = new Float64Array(rowsS * q);
      for (let col = 0; col < rowsS; col++) for (let i = 0; i < q; i++) QSt[col + rowsS * i] = all[i + q * (s0 * r + col)] as number;
      const colsT = total - s0 * r;
      const G = new Float64Array(rowsS * colsT);
      gemmF64Into(rowsS, colsT, q, QSt, all.subarray(s0 * r * q), G);
      for (let ls = 0; ls < bs; ls++) {
        const s = s0 + ls;
        for (let t = s; t < n; t++) {
          let acc = 0;
          const tc = (t - s0) * r;
          for (let b = 0; b < r; b++) {
            const o = rowsS * (tc + b) + ls * r;
            for (let a = 0; a < r; a++) {
              const g = G[o + a] as number;
              acc += g * g;
            }
          }
          Om[s + n * t] = acc;
          Om[t + n * s] = acc;
        }
      }
    }
  }
  if (f.beta !== null) {
    // g_s = diag(Q_s Q_sᵀ) (q × n).
    const g = new Float64Array(q * n);
    for (let s = 0; s < n; s++) {
      const base = f.perSample ? s * q * r : 0;
      for (let a = 0; a < r; a++)
        for (let i = 0; i < q; i++) {
          const x = f.Q[base + a * q + i] as number;
          g[i + q * s] = (g[i + q * s] as number) + x * x;
        }
    }
    const betaT = transposed(f.beta, q, n);
    const BG = new Float64Array(n * n); // BG[s,t] = β_sᵀ g_t
    gemmF64Into(n, n, q, betaT, g, BG);
    const BB = new Float64Array(n * n);
    gemmF64Into(n, n, q, betaT, f.beta, BB);
    for (let t = 0; t < n; t++)
      for (let s = 0; s < n; s++) {
        const k = s + n * t;
        Om[k] = (Om[k] as number) + (BG[k] as number) + (BG[t + n * s] as number) + (BB[k] as number);
      }
  }
  return Om;
}

/** `‖H_l‖_F² = w² Σ_{s,t} (x_sᵀ x_t)² Ω_st` for a sample Gram `Ω` of {@link curvatureGram}. */
export function blockFrobeniusSq(f: LayerFactors, Om: Float64Array): number {
  const { cols: p, n } = f;
  const XtX = new Float64Array(n * n);
  gemmF64Into(n, n, p, transposed(f.X, p, n), f.X, XtX);
  let acc = 0;
  for (let k = 0; k < n * n; k++) {
    const x = XtX[k] as number;
    acc += x * x * (Om[k] as number);
  }
  return f.weight * f.weight * acc;
}

/** `⟨H_l, K_l⟩_F = w (n w) Σ_s (x_sᵀ E[xxᵀ] x_s) ⟨M_s, E[M]⟩`. */
export function blockKroneckerInner(f: LayerFactors, Sx: Matrix<number>, Mbar: Matrix<number>): number {
  const { rows: q, cols: p, n, rank: r } = f;
  const SX = new Float64Array(p * n);
  gemmF64Into(p, n, p, Sx.data, f.X, SX);
  const cols = f.perSample ? r * n : r;
  const MQ = new Float64Array(q * cols);
  gemmF64Into(q, cols, q, Mbar.data, f.Q, MQ);
  let acc = 0;
  for (let s = 0; s < n; s++) {
    let xs = 0;
    for (let j = 0; j < p; j++) xs += (f.X[j + p * s] as number) * (SX[j + p * s] as number);
    let ms = 0;
    const base = f.perSample ? s * q * r : 0;
    for (let k = 0; k < q * r; k++) ms += (f.Q[base + k] as number) * (MQ[base + k] as number);
    if (f.beta !== null) for (let i = 0; i < q; i++) ms += (f.beta[i + q * s] as number) * (Mbar.data[i + q * i] as number);
    acc += xs * ms;
  }
  return f.weight * f.weight * n * acc;
}

/**
 * The dense block `H_l = w Σ_s (x_s x_sᵀ) ⊗ M_s` (`D × D`, `D = pq`), as the product
 * `C = [vec(x_s x_sᵀ)]_s [vec M_s]_sᵀ` (`p² × n` times `n × q²`) and a permutation of its entries.
 */
export function denseLayerBlock(f: LayerFactors): Matrix<number> {
  const { rows: q, cols: p, n, rank: r } = f;
  const XX = new Float64Array(p * p * n);
  for (let s = 0; s < n; s++)
    for (let l = 0; l < p; l++) {
      const xl = f.X[l + p * s] as number;
      for (let j = 0; j < p; j++) XX[j + p * l + p * p * s] = (f.X[j + p * s] as number) * xl;
    }
  // Rows: vec M_s (n × q²).
  const Mv = new Float64Array(n * q * q);
  const Ms = new Float64Array(q * q);
  for (let s = 0; s < n; s++) {
    const base = f.perSample ? s * q * r : 0;
    const Qs = f.Q.subarray(base, base + q * r);
    Ms.fill(0);
    gemmF64Into(q, q, r, Qs, transposed(Qs, q, r), Ms);
    if (f.beta !== null) for (let i = 0; i < q; i++) Ms[i + q * i] = (Ms[i + q * i] as number) + (f.beta[i + q * s] as number);
    for (let k = 0; k < q * q; k++) Mv[s + n * k] = Ms[k] as number;
  }
  const C = new Float64Array(p * p * q * q);
  gemmF64Into(p * p, q * q, n, XX, Mv, C);
  const D = p * q;
  const out = new Array<number>(D * D);
  const pp = p * p;
  for (let l = 0; l < p; l++)
    for (let k = 0; k < q; k++)
      for (let j = 0; j < p; j++)
        for (let i = 0; i < q; i++) out[i + q * j + D * (k + q * l)] = f.weight * (C[j + p * l + pp * (i + q * k)] as number);
  // Exact symmetry (the product is symmetric up to the order of its sums).
  for (let c = 0; c < D; c++)
    for (let rI = c + 1; rI < D; rI++) {
      const a = 0.5 * ((out[rI + D * c] as number) + (out[c + D * rI] as number));
      out[rI + D * c] = a;
      out[c + D * rI] = a;
    }
  return fromColumnMajor(D, D, out);
}
