/**
 * The Hessian-direction plane of arXiv 2208.13219: slice the loss along the eigenvectors of the
 * largest and smallest Hessian eigenvalues instead of random directions; in that plane the slice
 * Hessian is `diag(λ_max, λ_min)` (`docs/math.md §6`), so a saddle shows as a saddle.
 */
import { toNumberArray } from '../kernels/arrays.js';
import { topEigenpairs, type TopEigenpairs } from '../spectral/top-eigenpairs.js';
import type { CurvatureProblem } from './problem.js';
import { CurvatureInputError } from './errors.js';
import { classifySlice, type SliceKind } from './saddle.js';
import { defaultStep, lineFunction, ridders } from './finite-difference.js';
import { dot, norm2 } from '../linalg/vectors.js';

/** Options of {@link hessianPlane}. */
export interface HessianPlaneOptions {
  /** Seed of the Lanczos start vectors (default 0). */
  readonly seed?: number;
  /** Lanczos relative residual tolerance (default 1e-10). */
  readonly tolerance?: number;
  /** Cap on Lanczos iterations (default `min(n, 300)`). */
  readonly maxIterations?: number;
  /** Also estimate `λ_max`, `λ_min` from second differences of the loss along the eigenvectors (default true). */
  readonly finiteDifference?: boolean;
}

/** One end of the spectrum as Lanczos found it. */
export interface ExtremePair {
  readonly eigenvalue: number;
  readonly eigenvector: Float64Array;
  /** `‖H v − λ v‖₂`, from a fresh product. */
  readonly residual: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly matvecs: number;
}

/** The Hessian plane and the check that the slice Hessian is `diag(λ_max, λ_min)`. */
export interface HessianPlane {
  readonly top: ExtremePair;
  readonly bottom: ExtremePair;
  /** `[[v₁ᵀHv₁, v₁ᵀHv₂], [v₂ᵀHv₁, v₂ᵀHv₂]]` from two fresh Hessian–vector products (`v₁` top, `v₂` bottom). */
  readonly sliceHessian: [[number, number], [number, number]];
  /** `max(|H̃₁₁ − λ_max|, |H̃₂₂ − λ_min|, |H̃₁₂|, |H̃₂₁|)`. */
  readonly deviation: number;
  /** The tolerance the deviation is held to: `r_max + r_min + 64√n·ε·max|λ|` (residuals bound the off-diagonal and the Rayleigh quotients). */
  readonly tolerance: number;
  /** Whether `H̃ = diag(λ_max, λ_min)` to that tolerance. */
  readonly isDiagonal: boolean;
  /** `v₁ᵀv₂` after orthogonalisation (0 up to rounding). */
  readonly cosine: number;
  readonly kind: SliceKind;
  /** `λ_max`, `λ_min` again from loss values alone (Richardson second differences along `v₁`, `v₂`). */
  readonly finiteDifference?: { readonly top: number; readonly bottom: number; readonly topError: number; readonly bottomError: number; readonly lossEvaluations: number };
  readonly hvps: number;
  readonly method: string;
}

function pair(r: TopEigenpairs): ExtremePair {
  return {
    eigenvalue: r.values[0] as number,
    eigenvector: Float64Array.from(r.vectors[0] as Float64Array),
    residual: r.residuals[0] as number,
    converged: r.converged,
    iterations: r.iterations,
    matvecs: r.matvecs,
  };
}

/**
 * Finds `λ_max`, `λ_min` and unit eigenvectors `v₁`, `v₂` by Lanczos (`which: 'largest'` and
 * `'smallest'`; Krylov spaces are shift-invariant, so Lanczos needs no explicit spectrum shift
 * `λ_max I − H` — that trick is for power iteration), makes `v₂ ⟂ v₁` (only needed when
 * `λ_max = λ_min`, where both runs may return the same vector), and measures the slice Hessian
 * with two fresh products. Needs at least two parameters.
 */
export function hessianPlane(problem: CurvatureProblem, options: HessianPlaneOptions = {}): HessianPlane {
  const n = problem.params;
  if (n < 2) throw new CurvatureInputError(`degenerate or zero directions: the Hessian plane needs at least 2 parameters, the model has ${n}`, { path: '--directions hessian' });
  const common = { k: 1, denseUpTo: 0, seed: options.seed ?? 0, tolerance: options.tolerance ?? 1e-10, ...(options.maxIterations !== undefined ? { maxMatvecs: options.maxIterations } : {}) };
  const top = pair(topEigenpairs(problem.hessian, { ...common, which: 'largest' }));
  const bottom = pair(topEigenpairs(problem.hessian, { ...common, which: 'smallest' }));
  const v1 = top.eigenvector;
  const v2 = Float64Array.from(bottom.eigenvector);
  const c = dot(v1, v2);
  if (Math.abs(c) > 1e-8) {
    for (let i = 0; i < n; i++) v2[i] = (v2[i] as number) - c * (v1[i] as number);
    const r = norm2(v2);
    if (r < 1e-8) {
      // Same vector (H = λI on the Krylov space): any unit vector orthogonal to v1 in the eigenspace; try coordinate vectors.
      let done = false;
      for (let j = 0; j < n && !done; j++) {
        v2.fill(0);
        v2[j] = 1;
        const cj = v1[j] as number;
        for (let i = 0; i < n; i++) v2[i] = (v2[i] as number) - cj * (v1[i] as number);
        const rj = norm2(v2);
        if (rj > 0.5) {
          for (let i = 0; i < n; i++) v2[i] = (v2[i] as number) / rj;
          done = true;
        }
      }
    } else for (let i = 0; i < n; i++) v2[i] = (v2[i] as number) / r;
  }
  const Hv1 = problem.hessian.matvec(toNumberArray(v1));
  const Hv2 = problem.hessian.matvec(toNumberArray(v2));
  const a = dot(v1, Hv1);
  const b12 = dot(v1, Hv2);
  const b21 = dot(v2, Hv1);
  const d = dot(v2, Hv2);
  // Residual of v2 as an eigenvector of λ_min, recomputed after orthogonalisation.
  let r2 = 0;
  for (let i = 0; i < n; i++) r2 += ((Hv2[i] as number) - bottom.eigenvalue * (v2[i] as number)) ** 2;
  const bottomResidual = Math.max(bottom.residual, Math.sqrt(r2));
  const scale = Math.max(Math.abs(top.eigenvalue), Math.abs(bottom.eigenvalue));
  const tolerance = top.residual + bottomResidual + 64 * Math.sqrt(n) * Number.EPSILON * scale;
  const deviation = Math.max(Math.abs(a - top.eigenvalue), Math.abs(d - bottom.eigenvalue), Math.abs(b12), Math.abs(b21));
  let fd: HessianPlane['finiteDifference'];
  if (options.finiteDifference ?? true) {
    const h0 = defaultStep(norm2(problem.theta), 1);
    const f0 = problem.loss(problem.theta);
    const t = ridders(lineFunction((x) => problem.loss(x), problem.theta, v1), 2, h0, f0);
    const bo = ridders(lineFunction((x) => problem.loss(x), problem.theta, v2), 2, h0, f0);
    fd = { top: t.value, bottom: bo.value, topError: t.error, bottomError: bo.error, lossEvaluations: 1 + t.evaluations + bo.evaluations };
  }
  return {
    top,
    bottom: { ...bottom, eigenvector: v2, residual: bottomResidual },
    sliceHessian: [
      [a, b12],
      [b21, d],
    ],
    deviation,
    tolerance,
    isDiagonal: deviation <= tolerance,
    cosine: dot(v1, v2),
    kind: classifySlice(a, (b12 + b21) / 2, d),
    ...(fd !== undefined ? { finiteDifference: fd } : {}),
    hvps: top.matvecs + bottom.matvecs + 2,
    method: 'Lanczos (full reorthogonalisation) for λ_max and λ_min on the closed-form HVP; slice Hessian from two fresh HVPs',
  };
}
