/**
 * What random slices of a loss look like: classification of a 2D slice Hessian as a minimum,
 * maximum or saddle, and the predicted frequencies (arXiv 2208.13219, Böttcher & Wheeler; `docs/math.md §6`).
 */
import { minOf } from '../linalg/extrema.js';
import { erf, normalCdf, regularizedIncompleteBeta } from './special.js';

/** The look of a slice at the point: by the signs of the eigenvalues of its 2×2 Hessian. */
export type SliceKind = 'minimum' | 'maximum' | 'saddle' | 'degenerate';

/** Relative threshold below which an eigenvalue of a slice Hessian counts as zero (`degenerate`). */
export const SLICE_ZERO_TOLERANCE = 1e-9;

/** Eigenvalues `λ₁ ≤ λ₂` of the symmetric `[[a, b], [b, c]]`, the small one computed as `det/λ₂` when that avoids cancellation. */
export function eigenvalues2x2(a: number, b: number, c: number): [number, number] {
  const m = (a + c) / 2;
  const r = Math.hypot((a - c) / 2, b);
  const det = a * c - b * b;
  if (m >= 0) {
    const hi = m + r;
    return [hi === 0 ? 0 : det / hi, hi];
  }
  const lo = m - r;
  return [lo, lo === 0 ? 0 : det / lo];
}

/**
 * Classifies the slice Hessian `[[a, b], [b, c]]`: both eigenvalues positive — minimum; both negative
 * — maximum; opposite signs — saddle; an eigenvalue within `tol·max|λ|` of 0 (or all zero) — degenerate.
 */
export function classifySlice(a: number, b: number, c: number, tol = SLICE_ZERO_TOLERANCE): SliceKind {
  const [l1, l2] = eigenvalues2x2(a, b, c);
  const scale = Math.max(Math.abs(l1), Math.abs(l2));
  if (!(scale > 0) || Math.min(Math.abs(l1), Math.abs(l2)) <= tol * scale) return 'degenerate';
  if (l1 > 0) return 'minimum';
  if (l2 < 0) return 'maximum';
  return 'saddle';
}

/**
 * `docs/math.md §6`: the probability that a random 1D slice (Gaussian or spherical direction) of
 * `H = diag(+1×n₊, −1×n₋)` has negative curvature, `P(χ²_{n₊} < χ²_{n₋}) = I_{1/2}(n₊/2, n₋/2)`
 * (0.5 for (1,1), 0.1817 for (3,1), 0.0096 for (30,10)). Edge cases: 0 when `n₋ = 0`, 1 when `n₊ = 0`.
 */
export function betaNegativeCurvature(nPlus: number, nMinus: number): number {
  if (!Number.isInteger(nPlus) || !Number.isInteger(nMinus) || nPlus < 0 || nMinus < 0 || nPlus + nMinus === 0) {
    throw new RangeError(`betaNegativeCurvature: n₊ and n₋ must be non-negative integers, not both 0 (got ${nPlus}, ${nMinus})`);
  }
  if (nMinus === 0) return 0;
  if (nPlus === 0) return 1;
  return regularizedIncompleteBeta(0.5, nPlus / 2, nMinus / 2);
}

/**
 * The exact probability that `ηᵀHη < 0` for a Gaussian (or spherical: same sign) direction, from the
 * spectrum of `H`: `P(Σ λ_i z_i² < 0)` by Imhof's formula (Imhof 1961)
 * `P(Q < 0) = ½ − (1/π) ∫_0^∞ sin θ(u) / (u ρ(u)) du`, `θ(u) = ½ Σ arctan(λ_i u)`,
 * `ρ(u) = Π (1 + λ_i² u²)^{1/4}`, integrated after `u = e^x` by the trapezoidal rule on the line (the
 * integrand is analytic in the strip `|Im x| < π/2`, so the rule converges geometrically: step 0.02,
 * error far below 1e-12). Eigenvalues within `1e-12·max|λ|` of 0 are dropped (they do not change `Q`
 * beyond rounding). Returns `undefined` when no eigenvalue is left (`H ≈ 0`: every slice is flat).
 * For `H = diag(±1)` this is {@link betaNegativeCurvature}.
 */
export function negativeCurvatureProbability(eigenvalues: readonly number[]): number | undefined {
  const scale = Math.max(0, ...eigenvalues.map(Math.abs));
  if (!(scale > 0)) return undefined;
  const lam = eigenvalues.map((l) => l / scale).filter((l) => Math.abs(l) > 1e-12);
  if (lam.length === 0) return undefined;
  if (lam.every((l) => l > 0)) return 0;
  if (lam.every((l) => l < 0)) return 1;
  const minAbs = minOf(lam.map(Math.abs));
  const lo = -40 - Math.log(lam.length);
  const hi = 40 + Math.log(1 / minAbs);
  const h = 0.02;
  let sum = 0;
  for (let x = lo; x <= hi; x += h) {
    const u = Math.exp(x);
    let theta = 0;
    let logRho = 0;
    for (const l of lam) {
      theta += Math.atan(l * u);
      logRho += Math.log1p(l * l * u * u);
    }
    sum += Math.sin(theta / 2) * Math.exp(-logRho / 4);
  }
  const p = 0.5 - (h * sum) / Math.PI;
  return Math.min(1, Math.max(0, p));
}

/** Predicted frequencies of the looks of random 2D slices. */
export interface SlicePrediction {
  readonly saddle: number;
  readonly minimum: number;
  readonly maximum: number;
}

/**
 * Large-`n` (central limit) prediction for Gaussian or spherical directions: the entries of `H̃`
 * become jointly normal, diagonal `N(tr H, 2‖H‖_F²)`, off-diagonal `N(0, ‖H‖_F²)`, independent. With
 * `μ = tr H/‖H‖_F`:
 * `P(saddle) = e^{−μ²/4}/√2`, `P(min) = Φ(μ) − e^{−μ²/4}(1 + erf(μ/2))/(2√2)`,
 * `P(max) = Φ(−μ) − e^{−μ²/4}(1 − erf(μ/2))/(2√2)`. For traceless `H`: `1/√2`, and `(1 − 1/√2)/2` each.
 * (Derivation: `s = (a+c)/(2‖H‖_F) ~ N(μ, 1)`, `r = √(((a−c)/2)² + b²)/‖H‖_F` is Rayleigh, and the
 * slice is a saddle iff `|s| < r`, so `P = E[e^{−s²/2}]`.) Spherical directions give the same looks
 * as Gaussian ones (`H̃` changes by a congruence `diag(1/‖g‖, 1/‖g′‖)`, Sylvester's law).
 */
export function gaussianSlicePrediction(trace: number, frobeniusSq: number): SlicePrediction | undefined {
  if (!(frobeniusSq > 0)) return undefined;
  const mu = trace / Math.sqrt(frobeniusSq);
  const g = Math.exp((-mu * mu) / 4);
  const e = erf(mu / 2);
  return {
    saddle: g / Math.SQRT2,
    minimum: Math.max(0, normalCdf(mu) - (g * (1 + e)) / (2 * Math.SQRT2)),
    maximum: Math.max(0, normalCdf(-mu) - (g * (1 - e)) / (2 * Math.SQRT2)),
  };
}

/**
 * Large-`n` (central limit) prediction for any direction distribution with exact moments:
 * diagonal entries `N(m, v_d)`, off-diagonal `N(0, v_o)`, independent. With `s = (a+c)/2 ~ N(m, v_d/2)`,
 * `t = (a−c)/2 ~ N(0, v_d/2)`, `b ~ N(0, v_o)`: saddle iff `s² < t² + b²`, and
 * `P(t² + b² > x) = (1/2π) ∫_0^{2π} exp(−x / (2(σ_t² cos²φ + σ_b² sin²φ))) dφ`; the outer expectation
 * over `s` by composite Simpson on `m ± 12σ_s` split at 0. Reduces to {@link gaussianSlicePrediction}
 * when `v_d = 2 v_o`. An approximation: exact only as `n → ∞` with no dominant eigenvalue.
 */
export function cltSlicePrediction(mean: number, diagVariance: number, offVariance: number): SlicePrediction | undefined {
  if (!(diagVariance >= 0) || !(offVariance >= 0) || !Number.isFinite(mean)) return undefined;
  const vt = diagVariance / 2;
  const vb = offVariance;
  const sigmaS = Math.sqrt(diagVariance / 2);
  const PHI = 96;
  const tail = (x: number): number => {
    // P(t² + b² > x)
    if (x <= 0) return 1;
    let acc = 0;
    for (let k = 0; k < PHI; k++) {
      const phi = (2 * Math.PI * (k + 0.5)) / PHI;
      const q = vt * Math.cos(phi) ** 2 + vb * Math.sin(phi) ** 2;
      acc += q > 0 ? Math.exp(-x / (2 * q)) : 0;
    }
    return acc / PHI;
  };
  if (sigmaS === 0) {
    if (vb === 0 && vt === 0) {
      if (mean > 0) return { saddle: 0, minimum: 1, maximum: 0 };
      if (mean < 0) return { saddle: 0, minimum: 0, maximum: 1 };
      return undefined;
    }
    const p = tail(mean * mean);
    return { saddle: p, minimum: mean > 0 ? 1 - p : 0, maximum: mean < 0 ? 1 - p : 0 };
  }
  const density = (s: number): number => Math.exp(-((s - mean) ** 2) / (2 * sigmaS * sigmaS)) / (sigmaS * Math.sqrt(2 * Math.PI));
  const simpson = (a: number, b: number, f: (s: number) => number): number => {
    if (!(b > a)) return 0;
    const m = 800;
    const h = (b - a) / m;
    let acc = f(a) + f(b);
    for (let k = 1; k < m; k++) acc += (k % 2 === 1 ? 4 : 2) * f(a + k * h);
    return (acc * h) / 3;
  };
  const lo = mean - 12 * sigmaS;
  const hi = mean + 12 * sigmaS;
  const saddleNeg = simpson(lo, Math.min(0, hi), (s) => density(s) * tail(s * s));
  const saddlePos = simpson(Math.max(0, lo), hi, (s) => density(s) * tail(s * s));
  const probPos = normalCdf(mean / sigmaS);
  return { saddle: saddleNeg + saddlePos, minimum: Math.max(0, probPos - saddlePos), maximum: Math.max(0, 1 - probPos - saddleNeg) };
}

/**
 * The looks of random 2D slices with Gaussian (or spherical) directions for a Hessian with the given
 * spectrum, by Monte Carlo in its eigenbasis (`ηᵀHη = Σ λ_i z_i²`, `ηᵀHδ = Σ λ_i z_i w_i`; `O(n)` per
 * sample, no Hessian–vector products): the exact finite-`n` answer up to a sampling error of about
 * `0.5/√samples`, for comparison with the large-`n` limit.
 */
export function spectrumSlicePrediction(eigenvalues: readonly number[], samples: number, rng: { gaussian(): number }): SlicePrediction & { readonly samples: number } {
  let sad = 0;
  let min = 0;
  let max = 0;
  for (let s = 0; s < samples; s++) {
    let a = 0;
    let b = 0;
    let c = 0;
    for (const l of eigenvalues) {
      const z = rng.gaussian();
      const w = rng.gaussian();
      a += l * z * z;
      b += l * z * w;
      c += l * w * w;
    }
    const k = classifySlice(a, b, c);
    if (k === 'saddle') sad++;
    else if (k === 'minimum') min++;
    else if (k === 'maximum') max++;
  }
  return { saddle: sad / samples, minimum: min / samples, maximum: max / samples, samples };
}
