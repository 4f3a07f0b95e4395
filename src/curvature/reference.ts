/**
 * Ground truth beside every estimate: the trace of the Hessian, `‖H‖_F²`, `Σ H_ii²` (exact rationals
 * where the model has an exact Hessian within the limits, else from the dense binary64 Hessian), and
 * the exact first and second moments of projected curvatures for each direction distribution
 * (`docs/math.md §6`; arXiv 2208.13219).
 */
import { Rational } from '../field/rational.js';
import { LimitError } from '../hessian/limits.js';
import { ModelError } from '../models/errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import type { CurvatureProblem } from './problem.js';
import { directionGroups, secondMoments, type RandomDistribution } from './directions.js';

/** A value in binary64, with its exact rational form (`"p/q"`) when it is known exactly. */
export interface RefValue {
  readonly value: number;
  readonly exact?: string;
}

/** Where the reference values came from. */
export type ReferenceSource = 'exact' | 'float64' | 'none';

/** Options of {@link curvatureReference}. */
export interface ReferenceOptions {
  /** Largest parameter count for a dense Hessian (default 1500). Above it there is no reference. */
  readonly maxDenseParams?: number;
  /** Largest parameter count for an exact (rational) Hessian (default 1024; 0 turns exact off). */
  readonly maxExactParams?: number;
}

/** The exact curvature statistics of the Hessian at the point, or why there are none. */
export interface CurvatureReference {
  readonly params: number;
  /** `'exact'`: from the rational Hessian; `'float64'`: from the dense binary64 Hessian; `'none'`: too large. */
  readonly source: ReferenceSource;
  /** Why the source is what it is (e.g. the exact-size limit that was hit). */
  readonly note: string;
  readonly trace?: RefValue;
  /** `‖H‖_F² = tr H²`. */
  readonly frobeniusSq?: RefValue;
  /** `Σ_i H_ii²`. */
  readonly diagonalSq?: RefValue;
  /** The dense Hessian in binary64 (the exact one rounded once when `source` is `'exact'`). */
  readonly dense?: Matrix<number>;
}

const DEFAULT_MAX_DENSE = 1500;
const DEFAULT_MAX_EXACT = 1024;

function fromRationals(trace: Rational, frob: Rational, diag: Rational): Pick<CurvatureReference, 'trace' | 'frobeniusSq' | 'diagonalSq'> {
  const v = (q: Rational): RefValue => ({ value: q.toNumber(), exact: q.toString() });
  return { trace: v(trace), frobeniusSq: v(frob), diagonalSq: v(diag) };
}

/**
 * Computes the reference values of `problem`: the exact Hessian when the model has one and it fits
 * (`exactHessian()` may throw {@link LimitError}, or a {@link ModelError} where exact arithmetic
 * refuses, e.g. at a ReLU kink: then the float64 dense Hessian is used and `note` says why), else the
 * dense float64 Hessian when `n ≤ maxDenseParams`, else nothing.
 */
export function curvatureReference(problem: CurvatureProblem, options: ReferenceOptions = {}): CurvatureReference {
  // The reference feeds binary64 stages (eigenvalues, moments): build the float side first, so that a
  // point whose float stages would overflow is refused there, naming the quantity (exit 2).
  void problem.theta;
  const n = problem.params;
  const maxDense = options.maxDenseParams ?? DEFAULT_MAX_DENSE;
  const maxExact = options.maxExactParams ?? DEFAULT_MAX_EXACT;
  let note = '';
  if (n <= maxExact) {
    try {
      const H = problem.exactHessian();
      if (H === null) note = 'the model has no exact Hessian; values from the dense float64 Hessian';
      else {
        let tr = Rational.ZERO;
        let fro = Rational.ZERO;
        let dg = Rational.ZERO;
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            const x = H.data[i + j * n] as Rational;
            if (x.isZero()) continue;
            const sq = x.mul(x);
            fro = fro.add(sq);
            if (i === j) {
              tr = tr.add(x);
              dg = dg.add(sq);
            }
          }
        }
        const dense = { rows: n, cols: n, data: H.data.map((x) => x.toNumber()) };
        return { params: n, source: 'exact', note: 'exact rational Hessian', ...fromRationals(tr, fro, dg), dense };
      }
    } catch (e) {
      // A size limit, or a model error where exact arithmetic refuses (e.g. a ReLU kink): fall back to float64.
      if (!(e instanceof LimitError) && !(e instanceof ModelError)) throw e;
      note = `exact Hessian not computed (${e.message}); values from the dense float64 Hessian`;
    }
  } else note = `exact Hessian not computed (${n} parameters > ${maxExact}, raise with --max-exact-params); values from the dense float64 Hessian`;
  if (n > maxDense) {
    return { params: n, source: 'none', note: `no exact values: ${n} parameters exceed the dense limit ${maxDense} (raise it with --max-dense-params)` };
  }
  const dense = problem.denseHessian();
  let tr = 0;
  let fro = 0;
  let dg = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = dense.data[i + j * n] as number;
      fro += x * x;
      if (i === j) {
        tr += x;
        dg += x * x;
      }
    }
  }
  return { params: n, source: 'float64', note, trace: { value: tr }, frobeniusSq: { value: fro }, diagonalSq: { value: dg }, dense };
}

/** The eigenvalues (ascending) of the reference Hessian, or `undefined` when there is no dense Hessian. */
export function referenceEigenvalues(ref: CurvatureReference): number[] | undefined {
  if (ref.dense === undefined) return undefined;
  return symmetricEigen(ref.dense).values;
}

/**
 * Exact moments of the projected curvatures for one direction distribution, with
 * `H̃ = [[ηᵀHη, ηᵀHδ], [δᵀHη, δᵀHδ]]` for independent `η, δ`:
 * - `mean = E[ηᵀHη]`: `tr H` (Gaussian, Rademacher), `tr H / n` (sphere), `Σ_i s_i H_ii` (filter/layer);
 * - `variance = Var(ηᵀHη)`: `2‖H‖_F²` (Gaussian), `2(‖H‖_F² − Σ H_ii²)` (Rademacher),
 *   `2/(n(n+2))·(‖H‖_F² − (tr H)²/n)` (sphere), and for filter/layer (rows/blocks `g` uniform on spheres of
 *   radius² `c_g` in dimension `m_g`): `Σ_g c_g²·2/(m_g(m_g+2))·(‖H_gg‖_F² − (tr H_gg)²/m_g) + 2 Σ_{g≠h} c_g c_h ‖H_gh‖_F²/(m_g m_h)`;
 * - `offDiagonalVariance = E[(ηᵀHδ)²] = tr(H S H S)` with `S = E[ηηᵀ] = diag(s)`: `‖H‖_F²`, `‖H‖_F²`, `‖H‖_F²/n²`, `Σ_ij s_i s_j H_ij²`.
 * `E[H̃] = mean·I₂`. Exact rationals where the reference is exact and the formula is rational in `H`.
 */
export interface ProjectionMoments {
  readonly mean: RefValue;
  readonly variance: RefValue;
  readonly offDiagonalVariance: RefValue;
}

/** {@link ProjectionMoments} of `dist` from `ref`, or `undefined` when `ref` has no values. */
export function projectionMoments(problem: CurvatureProblem, ref: CurvatureReference, dist: RandomDistribution): ProjectionMoments | undefined {
  if (ref.trace === undefined || ref.frobeniusSq === undefined || ref.diagonalSq === undefined) return undefined;
  const n = ref.params;
  const exact = ref.trace.exact !== undefined && ref.frobeniusSq.exact !== undefined && ref.diagonalSq.exact !== undefined;
  const T = exact ? Rational.parse(ref.trace.exact as string) : undefined;
  const Fr = exact ? Rational.parse(ref.frobeniusSq.exact as string) : undefined;
  const D = exact ? Rational.parse(ref.diagonalSq.exact as string) : undefined;
  const rv = (float: number, q: Rational | undefined): RefValue => (q === undefined ? { value: float } : { value: q.toNumber(), exact: q.toString() });
  const t = ref.trace.value;
  const f = ref.frobeniusSq.value;
  const d = ref.diagonalSq.value;
  const two = new Rational(2n);
  const nq = new Rational(BigInt(n));
  switch (dist) {
    case 'gaussian':
      return { mean: rv(t, T), variance: rv(2 * f, Fr?.mul(two)), offDiagonalVariance: rv(f, Fr) };
    case 'rademacher':
      return { mean: rv(t, T), variance: rv(2 * (f - d), Fr !== undefined && D !== undefined ? Fr.sub(D).mul(two) : undefined), offDiagonalVariance: rv(f, Fr) };
    case 'unit': {
      const c = 2 / (n * (n + 2));
      const vq = T !== undefined && Fr !== undefined ? two.div(nq.mul(nq.add(two))).mul(Fr.sub(T.mul(T).div(nq))) : undefined;
      return { mean: rv(t / n, T?.div(nq)), variance: rv(c * (f - (t * t) / n), vq), offDiagonalVariance: rv(f / (n * n), Fr?.div(nq.mul(nq))) };
    }
    case 'filter':
    case 'layer':
      return groupMoments(problem, ref, dist);
  }
}

function groupMoments(problem: CurvatureProblem, ref: CurvatureReference, dist: 'filter' | 'layer'): ProjectionMoments | undefined {
  const H = ref.dense;
  if (H === undefined) return undefined;
  const n = ref.params;
  const h = (i: number, j: number): number => H.data[i + j * n] as number;
  const s = secondMoments(problem, dist);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (s[i] as number) * h(i, i);
  let off = 0;
  for (let j = 0; j < n; j++) {
    const sj = s[j] as number;
    if (sj === 0) continue;
    for (let i = 0; i < n; i++) off += (s[i] as number) * sj * h(i, j) ** 2;
  }
  const groups = directionGroups(problem, dist);
  let variance = 0;
  for (const g of groups) {
    const m = g.indices.length;
    let trg = 0;
    let frg = 0;
    for (const i of g.indices) {
      trg += h(i, i);
      for (const j of g.indices) frg += h(i, j) ** 2;
    }
    variance += ((g.radiusSq * g.radiusSq * 2) / (m * (m + 2))) * (frg - (trg * trg) / m);
  }
  // Cross terms 2 Σ_{g≠h} c_g c_h ‖H_gh‖²/(m_g m_h) = 2 (Σ_ij s_i s_j H_ij² − Σ_g Σ_{i,j∈g} s_i s_j H_ij²).
  let within = 0;
  for (const g of groups) for (const i of g.indices) for (const j of g.indices) within += (s[i] as number) * (s[j] as number) * h(i, j) ** 2;
  variance += 2 * (off - within);
  return { mean: { value: mean }, variance: { value: variance }, offDiagonalVariance: { value: off } };
}
