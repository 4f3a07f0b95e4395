/**
 * The one answer to "is this point a minimizer?", shared by `check`, `sharpness`, `crosscheck` and
 * the backends (every family decides it here, through {@link classifyResidual}).
 *
 * The engine's minimizers are zero-loss (global) minimizers of squared losses, where the Hessian is
 * its Gauss–Newton part. The residual is `R = f(X) − Y` (`P − M` for factorization). Four verdicts:
 * - `exact-minimizer`: the loss is exactly 0, decided in rational arithmetic;
 * - `minimizer-within-rounding`: in binary64, `‖R‖_F` is below a bound on the rounding error of
 *   forming `f(X) − Y` at these weights, so binary64 cannot tell the point from a zero-loss one (an
 *   exact computation may still find a tiny non-zero loss: it is reported beside the verdict);
 * - `near-minimizer`: the relative residual is small (≤ {@link NEAR_MINIMIZER_RESIDUAL}) but above
 *   rounding: analysed like a minimizer with the residual part of the Hessian bounded beside it;
 * - `not-a-minimizer`.
 *
 * The rounding bound (`docs/math.md`, certificates): a product of `N` matrices with inner
 * dimensions `k_1, …, k_{N−1}`, computed in binary64 with unit roundoff `u`, satisfies
 * `|fl(W_N⋯W_1) − W_N⋯W_1| ≤ γ_k |W_N|⋯|W_1|` entrywise with `γ_k = k·u/(1 − k·u)`, `k = Σ k_j`
 * (Higham, *Accuracy and Stability*, §3.5). Rounding the file's entries to binary64 adds `N` more
 * relative errors of `u` to every path, and the subtraction of the targets one more `u|Y|`.
 */

/** Relative residual up to which a point counts as a near-minimizer. */
export const NEAR_MINIMIZER_RESIDUAL = 1e-3;

/**
 * Relative residual up to which the end point of an optimisation run counts as converged to a
 * zero-loss minimizer (`escape`'s "settled"), when {@link classifyResidual} calls it a near-minimizer.
 * The rounding bound itself is too strict a goal for a run of finitely many steps: next to the edge
 * of stability gradient descent contracts along the top direction by `|1 − ηλ_max| ≈ 1` per step
 * and reaches it only after very many steps. At relative residual `ρ` the residual part of the
 * Hessian, and so the difference between `λ_max` there and at the minimizer the run converges to,
 * is `O(ρ)` relative (its bound `residualBound` is stated beside `λ_max`): at `10⁻⁶`, `λ_max` is that
 * of the limit to about six digits, enough to compare it with `2/η`.
 */
export const SETTLED_RESIDUAL = 1e-6;

/** Whether a run's end point counts as settled at a zero-loss minimizer: the test says so, or it is a near-minimizer within {@link SETTLED_RESIDUAL}. */
export function isSettled(t: MinimizerTest): boolean {
  return t.isZeroLoss || (t.verdict === 'near-minimizer' && t.relativeResidual <= SETTLED_RESIDUAL);
}

/** How a point relates to the zero-loss minimizers of its model. */
export type MinimizerVerdict = 'exact-minimizer' | 'minimizer-within-rounding' | 'near-minimizer' | 'not-a-minimizer';

/** The verdict with everything it was decided from. */
export interface MinimizerTest {
  readonly verdict: MinimizerVerdict;
  /** `true` for `exact-minimizer` and `minimizer-within-rounding`: the point is treated as a zero-loss minimizer. */
  readonly isZeroLoss: boolean;
  /** `'exact'` when the loss was computed in rational arithmetic, else `'float'`. */
  readonly method: 'exact' | 'float';
  /** `‖R‖_F / ‖Y‖_F` in binary64 (`0` for an exact minimizer). */
  readonly relativeResidual: number;
  /** `relativeResidual` as an exact decimal when it does not fit binary64 (e.g. `"1.0e+400"`). */
  readonly relativeResidualText?: string;
  /** The rounding bound on `relativeResidual` (see the module comment). */
  readonly tolerance: number;
  /** The exact loss as a rational string, when it was computed exactly. */
  readonly exactLoss?: string;
  /** One sentence for people: how the verdict was reached. */
  readonly explanation: string;
}

/** `γ_k = k·u/(1 − k·u)` for binary64 (`Infinity` when `k·u ≥ 1`). */
export function gamma(k: number): number {
  const ku = k * 2 ** -53;
  return ku >= 1 ? Number.POSITIVE_INFINITY : ku / (1 - ku);
}

/** What {@link classifyResidual} needs from a family's float evaluation. */
export interface ResidualEvidence {
  /** `‖fl(R)‖_F`. */
  readonly residualNorm: number;
  /** `‖Y‖_F` (`‖M‖_F`): the scale the residual is relative to. */
  readonly targetNorm: number;
  /** The absolute rounding bound on `‖fl(R) − R‖_F` at these weights. */
  readonly roundingBound: number;
  /** Set when the loss was also computed exactly. */
  readonly exactLoss?: { readonly isZero: boolean; readonly text: string };
  /** When set, the family has no zero-loss minimizers (cross-entropy): the reason. */
  readonly noZeroLoss?: string;
}

/** The one classification every family's minimizer test ends in. */
export function classifyResidual(e: ResidualEvidence): MinimizerTest {
  const scale = Math.max(e.targetNorm, Number.MIN_VALUE);
  const relativeResidual = e.residualNorm / scale;
  const tolerance = e.roundingBound / scale;
  const exactPart = e.exactLoss !== undefined ? { exactLoss: e.exactLoss.text } : {};
  const method = e.exactLoss !== undefined ? 'exact' : 'float';
  if (e.noZeroLoss !== undefined) {
    return { verdict: 'not-a-minimizer', isZeroLoss: false, method, relativeResidual, tolerance, ...exactPart, explanation: e.noZeroLoss };
  }
  if (e.exactLoss?.isZero === true) {
    return { verdict: 'exact-minimizer', isZeroLoss: true, method, relativeResidual: 0, tolerance, ...exactPart, explanation: 'the loss is exactly 0 (a global minimizer)' };
  }
  const rel = `relative residual ${relativeResidual.toExponential(3)}`;
  const exactNote = e.exactLoss !== undefined ? ` (the exact loss is ${e.exactLoss.text}, not 0)` : '';
  // Absolute comparison: also right when the targets are 0 (both relative figures are then infinite).
  if (e.residualNorm <= e.roundingBound) {
    return {
      verdict: 'minimizer-within-rounding',
      isZeroLoss: true,
      method,
      relativeResidual,
      tolerance,
      ...exactPart,
      explanation: `${rel} is within the binary64 rounding bound ${tolerance.toExponential(3)} of forming the outputs at these weights${exactNote}`,
    };
  }
  if (relativeResidual <= NEAR_MINIMIZER_RESIDUAL) {
    return {
      verdict: 'near-minimizer',
      isZeroLoss: false,
      method,
      relativeResidual,
      tolerance,
      ...exactPart,
      explanation: `${rel} is above the rounding bound ${tolerance.toExponential(3)} but at most ${NEAR_MINIMIZER_RESIDUAL}: a near-minimizer`,
    };
  }
  return {
    verdict: 'not-a-minimizer',
    isZeroLoss: false,
    method,
    relativeResidual,
    tolerance,
    ...exactPart,
    explanation: `${rel} is above ${NEAR_MINIMIZER_RESIDUAL}`,
  };
}

/** A short label for text output, e.g. `yes (within rounding: relative residual 1.2e-17 ≤ 3.4e-15)`. */
export function minimizerLabel(t: MinimizerTest): string {
  switch (t.verdict) {
    case 'exact-minimizer':
      return 'yes: the loss is exactly 0 (a global minimizer)';
    case 'minimizer-within-rounding':
      return `yes, within rounding: ${t.explanation}`;
    case 'near-minimizer':
      return `near: ${t.explanation}`;
    default:
      return `no: ${t.explanation}`;
  }
}
