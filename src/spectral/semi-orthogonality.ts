/**
 * Simon's (1984) estimates of the loss of orthogonality of a single-vector Lanczos recurrence
 * `β_{j+1} v_{j+1} = A v_j − α_j v_j − β_j v_{j−1}`, the basis of partial reorthogonalisation (used by
 * `lanczos` and by SLQ). From the recurrence coefficients alone,
 * ```
 *   β_{j+1} ω_{j+1,i} = β_{i+1} ω_{j,i+1} + (α_i − α_j) ω_{j,i} + β_i ω_{j,i−1} − β_j ω_{j−1,i}
 * ```
 * estimates `ω_{j+1,i} ≈ v_{j+1}ᵀv_i`, with a rounding term `2√n·u·‖A‖` added in the worst direction.
 * When some estimate exceeds `√u` (semi-orthogonality is about to be lost) the new vector must be
 * orthogonalised against the whole basis, and so must the next one, whose predecessor carried the
 * same loss. Semi-orthogonality keeps the computed tridiagonal matrix that of the exact recurrence on a
 * nearby problem to working accuracy, so its eigenvalues carry no ghost copies; eigenvectors built from
 * the basis are accurate only to about `√u·‖A‖` in the residual.
 */

/** The state of the estimates along one recurrence. */
export interface SemiOrthogonalityTracker {
  /**
   * Advances to `ω_{j+1,·}` after the three-term step at `j` (`alphaJ = α_j`, `beta = β_{j+1}`, the norm
   * of the new vector before scaling; `normEst` an estimate of `‖A‖`) and says whether the new vector
   * needs a whole-basis pass. Called once per step, in order from `j = 0`.
   */
  needsFullPass(j: number, alphaJ: number, beta: number, normEst: number): boolean;
  /** Records that the new vector of step `j` was orthogonalised against the whole basis. */
  reset(j: number): void;
}

/**
 * A tracker for a recurrence of at most `capacity` steps on vectors of length `n`, reading earlier
 * coefficients through `alpha(i) = α_i` and `betaNext(i) = β_{i+1}` (the norm that produced `v_{i+1}`).
 */
export function semiOrthogonalityTracker(n: number, capacity: number, alpha: (i: number) => number, betaNext: (i: number) => number): SemiOrthogonalityTracker {
  const u = 2 ** -53;
  const sqrtU = Math.sqrt(u);
  const noise = u * Math.sqrt(n);
  let omega = new Float64Array(capacity + 2);
  let omegaPrev = new Float64Array(capacity + 2);
  omega[0] = 1;
  let forceNext = false;
  return {
    needsFullPass(j, alphaJ, beta, normEst): boolean {
      const betaJ = j > 0 ? betaNext(j - 1) : 0;
      const next = new Float64Array(capacity + 2);
      const eps = noise * normEst;
      let worst = 0;
      if (beta > 0) {
        for (let i = 0; i < j; i++) {
          const raw = betaNext(i) * (omega[i + 1] as number) + (alpha(i) - alphaJ) * (omega[i] as number) + (i > 0 ? betaNext(i - 1) * (omega[i - 1] as number) : 0) - betaJ * (omegaPrev[i] as number);
          const value = (raw + (raw < 0 ? -2 : 2) * eps) / beta;
          next[i] = value;
          worst = Math.max(worst, Math.abs(value));
        }
        next[j] = eps / beta;
      }
      next[j + 1] = 1;
      omegaPrev = omega;
      omega = next;
      const full = forceNext || worst > sqrtU || !(beta > 0);
      forceNext = full && !forceNext;
      return full;
    },
    reset(j): void {
      for (let i = 0; i <= j; i++) omega[i] = noise;
    },
  };
}
