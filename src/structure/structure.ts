/**
 * Structure of layer-wise Hessians (arXiv 2010.04261, Wu, Zhu, Wu, Wang, Ge, "Dissecting Hessian";
 * `docs/math.md §5`). For each layer `W_l ∈ R^{q×p}` with exact block `H_l = w Σ_s (x_s x_sᵀ) ⊗ M_s`:
 *
 * 1. **Decoupling**: `H_l` against `K_l = (n w) E[x xᵀ] ⊗ E[M]` (the paper's `E[M] ⊗ E[x xᵀ]` in
 *    row-major vec): relative Frobenius error `‖H_l − K_l‖_F / ‖H_l‖_F`, relative errors of the top-`k`
 *    eigenvalues, and the overlap `‖V_Hᵀ V_K‖_F²/k` of the top-`k` eigenspaces.
 * 2. **Low rank**: each top eigenvector of `H_l`, reshaped to `q × p` (column-major), has singular
 *    values `s_1 ≥ s_2 ≥ …` (`Σ s_i² = 1`): the ratio `s_2/s_1`, the energy `s_1²` of the first
 *    singular pair, and the alignment `|⟨v_1, E[x]⟩|/‖E[x]‖` of its right singular vector with the
 *    mean layer input (the decoupling predicts `u ⊗ E[x]`-like eigenvectors when
 *    `E[x xᵀ] = E[x]E[x]ᵀ + Cov(x)` is dominated by the mean).
 * 3. **Centring** (what batch normalisation does): the same measures for the block with inputs
 *    `x_s − E[x]` and each `M_s` unchanged: the layer block of the equivalent network with a mean
 *    subtraction before layer `l` and a bias `W_l E[x]` that keeps the pre-activations.
 *
 * Everything is binary64. Exact statements (deep linear nets: `H_l = K_l`) are checked in rational
 * arithmetic by the proofs-checks.
 */
import { svd } from '../linalg/svd-f64.js';
import { fromColumnMajor, type Matrix } from '../linalg/matrix.js';
import {
  blockFrobeniusSq,
  blockKroneckerInner,
  centredInputs,
  curvatureGram,
  denseLayerBlock,
  inputMean,
  inputSecondMoment,
  isKroneckerExact,
  meanCurvature,
  withInputs,
  type LayerFactors,
} from './layer-block.js';
import { chanceOverlap, overlapCurve } from './overlap.js';
import { DEFAULT_DENSE_UP_TO, topDenseEigenpairs, topKroneckerEigenpairs, topLayerEigenpairs, type EigenMethod, type TopEigenOptions, type TopEigenpairs } from './top-eigen.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';

/** Options of {@link analyzeLayerStructure} and {@link analyzeStructure}. */
export interface StructureOptions extends TopEigenOptions {
  /** Number of top eigenpairs `k` (default 10, at most the layer's parameter count). */
  readonly top?: number;
  /** Also analyse the centred block (default true). */
  readonly centred?: boolean;
}

/** How the Kronecker error was computed. */
export type ErrorMethod = 'structural' | 'dense' | 'gram';

/** The measures of one block (uncentred or centred) against its decoupled approximation. */
export interface StructureMeasures {
  /** `‖H_l − K_l‖_F / ‖H_l‖_F`. */
  readonly kroneckerRelativeError: number;
  /**
   * `'structural'`: `M_s` is the same for every sample, so `H_l = K_l` exactly (error 0);
   * `'dense'`: from the dense blocks; `'gram'`: `‖H‖² − 2⟨H, K⟩ + ‖K‖²` through the sample Gram
   * (float64 cancellation: values below about 1e-7 are at the rounding floor).
   */
  readonly errorMethod: ErrorMethod;
  readonly frobeniusNorm: number;
  readonly kroneckerFrobeniusNorm: number;
  /** Top `k` eigenvalues of `H_l`, descending. */
  readonly topEigenvalues: number[];
  /** Top `k` eigenvalues of `K_l`, descending. */
  readonly kroneckerTopEigenvalues: number[];
  /** `|λ_i(K) − λ_i(H)| / |λ_i(H)|`. */
  readonly eigenvalueRelativeErrors: number[];
  /** Overlap of the top-`k` eigenspaces of `H_l` and `K_l`. */
  readonly topOverlap: number;
  /** Overlap of the top-`j` eigenspaces, `j = 1..k`. */
  readonly overlapByK: number[];
  /** `λ_k − λ_{k+1}` of `H_l` (`null` when `k = D`); near 0 the top-`k` eigenspace is ill defined. */
  readonly eigenGap: number | null;
  readonly kroneckerEigenGap: number | null;
  /** Singular values of each top eigenvector of `H_l` reshaped to `q × p` (descending, `Σ s² = 1`). */
  readonly reshapedSingularValues: number[][];
  /** `s_2 / s_1` per eigenvector (0: exactly rank one). */
  readonly singularValueRatios: number[];
  /** `s_1²`, the energy in the first singular pair. */
  readonly firstPairEnergy: number[];
  /** `|⟨v_1, E[x]⟩| / ‖E[x]‖` with `E[x]` the uncentred mean input (`null` when `E[x] = 0`). */
  readonly meanAlignment: (number | null)[];
  /** Top eigenvalue of the block's input second moment (`E[x xᵀ]`, or `Cov(x)` when centred). */
  readonly inputMomentTop: number;
  /** How the eigenpairs of `H_l` were found. */
  readonly solver: {
    readonly method: EigenMethod;
    readonly converged: boolean;
    readonly maxResidual: number;
    readonly iterations: number;
    readonly matvecs: number;
  };
}

/** The structure of one layer. */
export interface LayerStructure extends StructureMeasures {
  /** From 1. */
  readonly layer: number;
  readonly name: string;
  /** `[q, p]`: the shape of `W_l`. */
  readonly shape: [number, number];
  /** `D = pq`. */
  readonly dimension: number;
  readonly samples: number;
  /** `k`. */
  readonly top: number;
  /** `k / D`. */
  readonly chanceOverlap: number;
  readonly description: string;
  /** `‖E[x]‖`. */
  readonly inputMeanNorm: number;
  /** `‖E[x]‖² / λ_max(E[x xᵀ])` (1: the mean direction carries the whole top of the input moment). */
  readonly meanSpikeShare: number;
  /** Top eigenvalues of `E[M]` (at most 5). */
  readonly meanCurvatureTop: number[];
  readonly centred?: StructureMeasures;
}

/** The structure report of a model. */
export interface StructureReport {
  readonly layers: LayerStructure[];
  readonly seconds: number;
}

function reshapeMeasures(v: Float64Array, q: number, p: number, mean: Float64Array, meanNorm: number): { s: number[]; ratio: number; energy: number; align: number | null } {
  const M: Matrix<number> = fromColumnMajor(q, p, Array.from(v));
  const dec = svd(M);
  const total = dec.s.reduce((acc, x) => acc + x * x, 0);
  const s = dec.s.map((x) => x / Math.sqrt(total));
  const s1 = s[0] ?? 0;
  const s2 = s[1] ?? 0;
  let align: number | null = null;
  if (meanNorm > 0) {
    let d = 0;
    for (let j = 0; j < p; j++) d += (dec.V.data[j] as number) * (mean[j] as number);
    align = Math.abs(d) / meanNorm;
  }
  return { s, ratio: s1 > 0 ? s2 / s1 : 0, energy: s1 * s1, align };
}

function measures(
  f: LayerFactors,
  k: number,
  Mbar: Matrix<number>,
  mean: Float64Array,
  meanNorm: number,
  gram: () => Float64Array,
  options: StructureOptions,
): StructureMeasures {
  const q = f.rows;
  const p = f.cols;
  const D = p * q;
  const Sx = inputSecondMoment(f);
  const scale = f.n * f.weight;
  const kron = { scale, inputMoment: Sx, meanCurvature: Mbar };
  const Kp = topKroneckerEigenpairs(scale, Sx, Mbar, k);
  const dense = !isKroneckerExact(f) && D <= (options.denseUpTo ?? DEFAULT_DENSE_UP_TO) ? denseLayerBlock(f) : null;
  let Hp: TopEigenpairs;
  if (dense !== null) {
    Hp = topDenseEigenpairs(dense, k);
  } else Hp = topLayerEigenpairs(f, k, kron, options);

  // Frobenius norms and the Kronecker error.
  const sxNorm2 = Sx.data.reduce((a, x) => a + x * x, 0);
  const mNorm2 = Mbar.data.reduce((a, x) => a + x * x, 0);
  const kNorm2 = scale * scale * sxNorm2 * mNorm2;
  let hNorm2: number;
  let err2: number;
  let errorMethod: ErrorMethod;
  if (isKroneckerExact(f)) {
    hNorm2 = kNorm2;
    err2 = 0;
    errorMethod = 'structural';
  } else if (dense !== null) {
    hNorm2 = 0;
    err2 = 0;
    for (let c = 0; c < p; c++)
      for (let b = 0; b < q; b++)
        for (let a = 0; a < p; a++)
          for (let i = 0; i < q; i++) {
            const h = dense.data[i + q * a + D * (b + q * c)] as number;
            const kv = scale * (Sx.data[a + p * c] as number) * (Mbar.data[i + q * b] as number);
            hNorm2 += h * h;
            err2 += (h - kv) * (h - kv);
          }
    errorMethod = 'dense';
  } else {
    hNorm2 = blockFrobeniusSq(f, gram());
    const inner = blockKroneckerInner(f, Sx, Mbar);
    err2 = Math.max(0, hNorm2 - 2 * inner + kNorm2);
    errorMethod = 'gram';
  }
  const curve = overlapCurve(Hp.vectors, Kp.vectors, k);
  const reshaped = Hp.vectors.map((v) => reshapeMeasures(v, q, p, mean, meanNorm));
  const sxTop = symmetricEigen(Sx).values[p - 1] as number;
  return {
    kroneckerRelativeError: hNorm2 > 0 ? Math.sqrt(err2 / hNorm2) : 0,
    errorMethod,
    frobeniusNorm: Math.sqrt(hNorm2),
    kroneckerFrobeniusNorm: Math.sqrt(kNorm2),
    topEigenvalues: Hp.values,
    kroneckerTopEigenvalues: Kp.values,
    eigenvalueRelativeErrors: Hp.values.map((l, i) => (l === 0 ? Math.abs(Kp.values[i] as number) : Math.abs((Kp.values[i] as number) - l) / Math.abs(l))),
    topOverlap: curve[k - 1] as number,
    overlapByK: curve,
    eigenGap: Hp.next === null ? null : (Hp.values[k - 1] as number) - Hp.next,
    kroneckerEigenGap: Kp.next === null ? null : (Kp.values[k - 1] as number) - Kp.next,
    reshapedSingularValues: reshaped.map((r) => r.s),
    singularValueRatios: reshaped.map((r) => r.ratio),
    firstPairEnergy: reshaped.map((r) => r.energy),
    meanAlignment: reshaped.map((r) => r.align),
    inputMomentTop: sxTop,
    solver: {
      method: Hp.method,
      converged: Hp.converged,
      maxResidual: Math.max(0, ...Hp.residuals),
      iterations: Hp.iterations,
      matvecs: Hp.matvecs,
    },
  };
}

/** The structure of one layer block (see the module comment). */
export function analyzeLayerStructure(f: LayerFactors, options: StructureOptions = {}): LayerStructure {
  const D = f.rows * f.cols;
  const k = Math.max(1, Math.min(options.top ?? 10, D));
  const mean = inputMean(f);
  const meanNorm = Math.sqrt(mean.reduce((a, x) => a + x * x, 0));
  const Mbar = meanCurvature(f);
  let om: Float64Array | null = null;
  const gram = (): Float64Array => (om ??= curvatureGram(f));
  const base = measures(f, k, Mbar, mean, meanNorm, gram, options);
  const mEig = symmetricEigen(Mbar).values;
  const centred = options.centred === false ? undefined : measures(withInputs(f, centredInputs(f)), k, Mbar, mean, meanNorm, gram, options);
  return {
    layer: f.layer,
    name: f.name,
    shape: [f.rows, f.cols],
    dimension: D,
    samples: f.n,
    top: k,
    chanceOverlap: chanceOverlap(k, D),
    description: f.description,
    inputMeanNorm: meanNorm,
    meanSpikeShare: base.inputMomentTop > 0 ? (meanNorm * meanNorm) / base.inputMomentTop : 0,
    meanCurvatureTop: mEig.slice(Math.max(0, mEig.length - 5)).reverse(),
    ...base,
    ...(centred !== undefined ? { centred } : {}),
  };
}

/** The structure of the given layers (all by default; `layers` numbered from 1). */
export function analyzeStructure(factors: readonly LayerFactors[], options: StructureOptions & { readonly layers?: readonly number[] } = {}): StructureReport {
  const t0 = process.hrtime.bigint();
  const chosen = options.layers === undefined ? factors : factors.filter((f) => (options.layers ?? []).includes(f.layer));
  const layers = chosen.map((f) => analyzeLayerStructure(f, options));
  return { layers, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
