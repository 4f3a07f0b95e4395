/**
 * Verified enclosures of the extreme eigenvalues of every symmetric matrix inside an interval matrix
 * `mid ± rad` (binary64), in the style of Rump's verified methods (`docs/sharpness.md`, "Verified
 * floating point"). Both bounds are theorems about the EXACT matrix, whatever the rounding:
 *
 * - lower bound of `λ_max`: the Rayleigh quotient `vᵀXv / vᵀv ≥ (vᵀ·mid·v − |v|ᵀ rad |v|)/vᵀv` of a float
 *   eigenvector estimate `v`, with the rounding of `fl(mid·v)` and of the dot product bounded by
 *   `γ_n` terms (Higham, Accuracy and Stability, §3.1) and `vᵀv` computed exactly in rationals;
 * - upper bound: `hi·I − X ≻ 0` for every `X` in the enclosure, proven by a binary64 Cholesky
 *   factorisation of `Â = fl(h·I − mid)` that runs to completion. Backward error: `R̂ᵀR̂ = Â + ΔÂ` with
 *   `|ΔÂ| ≤ γ_{n+1}|R̂ᵀ||R̂|` (Higham, Thm 10.3); the column norms give `‖r_j‖² ≤ â_jj/(1 − γ_{n+1})`,
 *   hence `‖ΔÂ‖₂ ≤ γ_{n+1}/(1 − γ_{n+1})·tr Â` (Rump 2006, "Verification of positive definiteness",
 *   BIT 46). Then `λ_min(hi·I − X) ≥ δ − γ'·tr Â − max_i |rounding of â_ii| − ‖rad‖_∞ > 0` for
 *   `hi = h + δ` with `δ` above the sum (and an underflow term).
 *
 * `λ_min` is `−λ_max(−X)`. Nothing here decides anything from an unverified float comparison.
 */
import { Rational, RationalParseError } from '../field/rational.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { operatorFrom } from '../linop/linear-operator.js';
import { F64 } from '../field/field.js';
import { floatAbove, floatBelow, gammaUp, up, upSum, type SymmetricEnclosure } from '../verify/float-interval.js';
import { lanczos } from './lanczos.js';
import { gemmF64 } from '../linalg/gemm-f64.js';

/** A proven enclosure `lower ≤ λ ≤ upper` of one extreme eigenvalue of every matrix in the enclosure. */
export interface VerifiedExtreme {
  readonly which: 'largest' | 'smallest';
  /** Binary64 numbers, exact as rationals. */
  readonly lower: Rational;
  readonly upper: Rational;
  /** The float estimate of the midpoint matrix's eigenvalue the bounds were built around. */
  readonly estimate: number;
  /** Cholesky factorisations tried (each `n³/3` flops); the last one succeeded. */
  readonly choleskyAttempts: number;
  /** The shift `δ` that covers every rounding error of the positive-definiteness test. */
  readonly shift: number;
  /** `‖rad‖_∞`: the bound on the distance from the midpoint to the exact matrix. */
  readonly radiusNorm: number;
  /** How the bounds were obtained, one line each. */
  readonly evidence: readonly string[];
}

/** Why no enclosure could be proven (the estimate is still returned, marked uncertified). */
export interface VerificationFailure {
  readonly which: 'largest' | 'smallest';
  readonly estimate: number;
  readonly reason: string;
}

export type VerifiedOutcome = ({ readonly certified: true } & VerifiedExtreme) | ({ readonly certified: false } & VerificationFailure);

export interface VerifiedEnclosureOptions {
  readonly seed?: number;
  /** Cholesky attempts before giving up (default 6; the margin grows tenfold each time). */
  readonly maxAttempts?: number;
  /** Called before each long step, for progress output. */
  readonly onStage?: (stage: string) => void;
}

/** Binary64 operations of one verified positive-definiteness test of an `n × n` matrix. */
export function choleskyFlops(n: number): number {
  return n ** 3 / 3;
}

/** Block size of {@link choleskyInPlace}'s trailing updates (on the binary64 matrix-product kernel). */
const BLOCK = 64;

/** Unblocked right-looking Cholesky of the `nb × nb` diagonal block at `k0` and the panel below it. */
function factorPanel(a: Float64Array, n: number, k0: number, nb: number): number {
  const end = k0 + nb;
  for (let k = k0; k < end; k++) {
    const kk = k + k * n;
    const pivot = a[kk] as number;
    if (!(pivot > 0)) return k;
    const lkk = Math.sqrt(pivot);
    a[kk] = lkk;
    const inv = 1 / lkk;
    const colK = k * n;
    for (let i = k + 1; i < n; i++) a[i + colK] = (a[i + colK] as number) * inv;
    for (let j = k + 1; j < end; j++) {
      const ljk = a[j + colK] as number;
      if (ljk === 0) continue;
      const colJ = j * n;
      for (let i = j; i < n; i++) a[i + colJ] = (a[i + colJ] as number) - (a[i + colK] as number) * ljk;
    }
  }
  return -1;
}

/**
 * In-place binary64 Cholesky `A = L Lᵀ` of the lower triangle of a column-major `n × n` array;
 * returns the index of the first pivot that is not positive, or `-1` when it runs to completion.
 * Blocked: each panel of {@link BLOCK} columns is factored unblocked, then the trailing lower triangle
 * is updated block column by block column with the binary64 matrix-product kernel. Every entry is
 * still `a_ij − Σ_k l_ik l_jk` evaluated in some order, so the backward error bound
 * `|ΔA| ≤ γ_{n+1}|L||Lᵀ|` holds unchanged (with or without fused multiply–add).
 */
export function choleskyInPlace(a: Float64Array, n: number): number {
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const nb = Math.min(BLOCK, n - k0);
    const bad = factorPanel(a, n, k0, nb);
    if (bad >= 0) return bad;
    const rest = n - k0 - nb;
    if (rest === 0) continue;
    // Panel L21 (rest × nb) packed; trailing block columns A[j0:, j0:j0+w] −= L21[j0:, :] · L21[j0:j0+w, :]ᵀ.
    const panel = new Float64Array(rest * nb);
    for (let c = 0; c < nb; c++) for (let i = 0; i < rest; i++) panel[i + c * rest] = a[k0 + nb + i + (k0 + c) * n] as number;
    for (let j0 = 0; j0 < rest; j0 += BLOCK) {
      const w = Math.min(BLOCK, rest - j0);
      const m = rest - j0;
      const left = new Float64Array(m * nb);
      const rightT = new Float64Array(nb * w);
      for (let c = 0; c < nb; c++) {
        for (let i = 0; i < m; i++) left[i + c * m] = panel[j0 + i + c * rest] as number;
        for (let j = 0; j < w; j++) rightT[c + j * nb] = panel[j0 + j + c * rest] as number;
      }
      const prod = gemmF64(m, w, nb, left, rightT);
      for (let j = 0; j < w; j++) {
        const col = (k0 + nb + j0 + j) * n + k0 + nb + j0;
        for (let i = j; i < m; i++) a[col + i] = (a[col + i] as number) - (prod[i + j * m] as number);
      }
    }
  }
  return -1;
}

function negated(e: SymmetricEnclosure): SymmetricEnclosure {
  return { n: e.n, mid: e.mid.map((x) => -x), rad: e.rad };
}

function dense(e: SymmetricEnclosure, v: ArrayLike<number>): Float64Array {
  const { n, mid } = e;
  const w = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const vj = v[j] as number;
    if (vj === 0) continue;
    const col = j * n;
    for (let i = 0; i < n; i++) w[i] = (w[i] as number) + (mid[i + col] as number) * vj;
  }
  return w;
}

/** A float top eigenpair of the midpoint (dense below 200 rows, Lanczos above) and its residual. */
function topEstimate(e: SymmetricEnclosure, seed: number): { value: number; vector: Float64Array; residual: number } {
  const n = e.n;
  if (n <= 200) {
    const { values, vectors } = symmetricEigen({ rows: n, cols: n, data: Array.from(e.mid) });
    const k = values.length - 1;
    const vector = Float64Array.from({ length: n }, (_, i) => vectors.data[i + k * n] as number);
    const value = values[k] as number;
    const w = dense(e, vector);
    return { value, vector, residual: Math.hypot(...Array.from(w, (x, i) => x - value * (vector[i] as number))) };
  }
  const op = operatorFrom(F64, [n, n], (v) => Array.from(dense(e, v)), { symmetric: true, label: 'verified enclosure midpoint' });
  const r = lanczos(op, { k: 1, which: 'largest', tolerance: 1e-13, seed, maxIterations: Math.min(n, 400) });
  return { value: r.eigenvalues[0] as number, vector: Float64Array.from(r.eigenvectors[0] as number[]), residual: r.residuals[0] as number };
}

/** `min_X vᵀXv/vᵀv` over the enclosure, rounded down to a binary64 number (a proven lower bound of `λ_max`). */
export function rayleighLowerBound(e: SymmetricEnclosure, v: ArrayLike<number>): Rational {
  const { n, mid, rad } = e;
  const w = dense(e, v);
  const gn = gammaUp(n);
  let s = 0;
  let sAbs = 0;
  let G = 0;
  for (let i = 0; i < n; i++) {
    const vi = v[i] as number;
    s += vi * (w[i] as number);
    sAbs += Math.abs(vi * (w[i] as number));
  }
  for (let j = 0; j < n; j++) {
    const vj = Math.abs(v[j] as number);
    if (vj === 0) continue;
    const col = j * n;
    let t = 0;
    for (let i = 0; i < n; i++) t += (gn * Math.abs(mid[i + col] as number) + (rad[i + col] as number)) * Math.abs(v[i] as number);
    G += t * vj;
  }
  // |fl(vᵀ fl(mid v)) − vᵀ mid v| ≤ γ_n Σ|v_i||ŵ_i| + γ_n |v|ᵀ|mid||v|; the radius adds |v|ᵀ rad |v|.
  const err = up(gn * upSum(sAbs, n) + upSum(G, 2 * n + 4));
  let vv = Rational.ZERO;
  for (let i = 0; i < n; i++) {
    const x = Rational.fromNumber(v[i] as number);
    vv = vv.add(x.mul(x));
  }
  if (vv.isZero()) throw new RangeError('rayleighLowerBound: zero vector');
  return Rational.fromNumber(floatBelow(Rational.fromNumber(s).sub(Rational.fromNumber(err)).div(vv)));
}

/**
 * `δ` such that `(h + δ)·I − X ≻ 0` for every `X` in the enclosure, when the binary64 Cholesky
 * factorisation of `fl(h·I − mid)` runs to completion; `null` when it breaks down.
 */
export function positiveDefiniteShift(e: SymmetricEnclosure, h: number): number | null {
  const { n, mid, rad } = e;
  const a = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) a[k] = -(mid[k] as number);
  let diagRounding = 0;
  let trace = 0;
  for (let i = 0; i < n; i++) {
    const d = h - (mid[i + i * n] as number);
    a[i + i * n] = d;
    diagRounding = Math.max(diagRounding, 2 ** -52 * Math.abs(d));
    trace += d;
  }
  let radNorm = 0;
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let j = 0; j < n; j++) t += rad[i + j * n] as number;
    radNorm = Math.max(radNorm, t);
  }
  if (choleskyInPlace(a, n) >= 0) return null;
  // Success: every â_ii > 0, so tr Â > 0 and the Rump bound applies.
  const g = gammaUp(n + 1);
  const chol = (g / (1 - 2 * g)) * upSum(trace, n);
  return up(up(chol + diagRounding) + upSum(radNorm, n) + (n + 1) * (n + 2) * 2 ** -1070);
}

function radiusNorm(e: SymmetricEnclosure): number {
  let best = 0;
  for (let i = 0; i < e.n; i++) {
    let t = 0;
    for (let j = 0; j < e.n; j++) t += e.rad[i + j * e.n] as number;
    best = Math.max(best, t);
  }
  return upSum(best, e.n);
}

function largest(e: SymmetricEnclosure, options: VerifiedEnclosureOptions, which: 'largest' | 'smallest'): VerifiedOutcome {
  const n = e.n;
  const sign = which === 'largest' ? 1 : -1;
  options.onStage?.(`verified enclosure of λ_${which === 'largest' ? 'max' : 'min'} (${n}×${n}): float eigenpair`);
  const est = topEstimate(e, options.seed ?? 0);
  const lower = rayleighLowerBound(e, est.vector);
  const rn = radiusNorm(e);
  let trAbs = 0;
  for (let i = 0; i < n; i++) trAbs += Math.abs(e.mid[i + i * n] as number);
  const scale = Math.max(Math.abs(est.value), trAbs / n, Number.MIN_VALUE);
  // First margin: the residual (an eigenvalue lies within it), the radius and the Cholesky backward error.
  let margin = Math.max(2 * est.residual, 2 * rn, 4 * gammaUp(n + 1) * n * scale, 8 * 2 ** -52 * scale);
  const maxAttempts = options.maxAttempts ?? 6;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const h = est.value + margin;
    options.onStage?.(`verified enclosure of λ_${which === 'largest' ? 'max' : 'min'} (${n}×${n}): Cholesky of h·I − H, attempt ${attempt}`);
    if (!Number.isFinite(h)) break;
    const delta = positiveDefiniteShift(e, h);
    if (delta !== null && Number.isFinite(delta)) {
      const upper = Rational.fromNumber(floatAbove(Rational.fromNumber(h).add(Rational.fromNumber(delta))));
      const lo = sign > 0 ? lower : upper.neg();
      const hi = sign > 0 ? upper : lower.neg();
      const name = which === 'largest' ? 'λ_max' : 'λ_min';
      return {
        certified: true,
        which,
        lower: lo,
        upper: hi,
        estimate: sign * est.value,
        choleskyAttempts: attempt,
        shift: delta,
        radiusNorm: rn,
        evidence:
          which === 'largest'
            ? [
                `${name} ≥ ${lo.toNumber()}: Rayleigh quotient of a float eigenvector (residual ${est.residual.toExponential(2)}) with its rounding and the enclosure radius bounded`,
                `${name} ≤ ${hi.toNumber()}: binary64 Cholesky of h·I − H (h = ${h}) ran to completion; the shift δ = ${delta.toExponential(3)} covers its backward error, the rounding of h·I − H and ‖H − fl(H)‖ ≤ ${rn.toExponential(3)}`,
              ]
            : [
                `${name} ≥ ${lo.toNumber()}: binary64 Cholesky of H − h·I (h = ${-h}) ran to completion; the shift δ = ${delta.toExponential(3)} covers its backward error, the rounding and ‖H − fl(H)‖ ≤ ${rn.toExponential(3)}`,
                `${name} ≤ ${hi.toNumber()}: Rayleigh quotient of a float eigenvector (residual ${est.residual.toExponential(2)}) with its rounding and the enclosure radius bounded`,
              ],
      };
    }
    margin *= 10;
  }
  if (!Number.isFinite(est.value + margin)) {
    return { certified: false, which, estimate: sign * est.value, reason: 'the shifted matrix h·I − H overflows binary64' };
  }
  return {
    certified: false,
    which,
    estimate: sign * est.value,
    reason: `the positive-definiteness test failed ${maxAttempts} times (margins up to ${(margin / 10).toExponential(2)} above the estimate): the matrix is too ill-conditioned for binary64 verification at this size, or the eigenvector estimate missed the extreme eigenvalue`,
  };
}

/**
 * A proven enclosure of `λ_max` (or `λ_min`) of every symmetric matrix in `mid ± rad`. Never throws on
 * numbers it cannot verify (non-finite entries or bounds, an overflowing shift): it returns
 * `certified: false` with the reason.
 */
export function verifiedExtremeEigenvalue(e: SymmetricEnclosure, which: 'largest' | 'smallest', options: VerifiedEnclosureOptions = {}): VerifiedOutcome {
  const bad = e.mid.findIndex((x, k) => !Number.isFinite(x) || !Number.isFinite(e.rad[k] as number));
  if (bad >= 0) {
    return { certified: false, which, estimate: Number.NaN, reason: `entry (${(bad % e.n) + 1}, ${Math.floor(bad / e.n) + 1}) of the binary64 enclosure is not finite (the matrix does not fit binary64)` };
  }
  try {
    return largest(which === 'largest' ? e : negated(e), options, which);
  } catch (err) {
    if (!(err instanceof RangeError) && !(err instanceof RationalParseError)) throw err;
    return { certified: false, which, estimate: Number.NaN, reason: `binary64 verification impossible: ${err.message}` };
  }
}
