/**
 * Derivatives of the loss along a line from loss values alone (no gradient, no Hessian–vector
 * product): central differences with Richardson extrapolation.
 *
 * Along `t ↦ f(t) = L(θ + t u)` the central differences expand in even powers of the step,
 * ```
 *   D₂(h) = (f(h) − 2f(0) + f(−h))/h² = f''(0) + 2 Σ_{k≥2} a_{2k} h^{2k−2},
 *   D₁(h) = (f(h) − f(−h))/(2h)        = f'(0)  +   Σ_{k≥1} a_{2k+1} h^{2k},
 * ```
 * (`a_k` the Taylor coefficients of `f` at 0), so the Richardson tableau with `h_j = h₀/2^j`,
 * `T_{j,k} = T_{j,k−1} + (T_{j,k−1} − T_{j−1,k−1})/(4^k − 1)`, removes one power of `h²` per column.
 * The loss of a deep linear network is a polynomial of degree `2N` in `θ`, so `f` is a polynomial of
 * degree `2N` and `T_{N−1,N−1}` (N levels) is exactly `f''(0) = uᵀHu` (and `f'(0) = ∇Lᵀu`) in exact
 * arithmetic: no truncation error is left, only rounding (which a large `h₀` keeps small). For a
 * quadratic loss one level is exact: `D₂(h) = uᵀHu` for every `h` (`docs/math.md §6`).
 * In binary64 the depth of the tableau is chosen adaptively (see {@link ridders}): the entry with
 * the smallest error estimate wins, and the loop stops once that estimate is at the rounding level of
 * the differences — this needs no knowledge of the degree and works for non-polynomial losses too.
 */
import type { Field } from '../field/field.js';

/** The derivative computed: 1 (slope) or 2 (curvature). */
export type DerivativeOrder = 1 | 2;

/**
 * The Richardson tableau of central differences of order `order` over any field, with exactly `levels`
 * step sizes `h₀, h₀/2, …, h₀/2^{levels−1}`; returns the corner `T_{levels−1, levels−1}`.
 * `f0` is `f(0)` when the caller already has it. Uses `2·levels (+1)` evaluations of `f`.
 * Over `Q` this is exact: with `levels ≥ ⌊deg f / 2⌋` it returns `f^{(order)}(0)` exactly.
 */
export function richardsonCentral<S>(F: Field<S>, f: (t: S) => S, order: DerivativeOrder, h0: S, levels: number, f0?: S): S {
  if (!Number.isInteger(levels) || levels < 1) throw new RangeError(`richardsonCentral: levels must be a positive integer, got ${levels}`);
  const base = order === 2 ? (f0 ?? f(F.zero)) : F.zero;
  const two = F.fromInt(2);
  let h = h0;
  let prev: S[] = [];
  for (let j = 0; j < levels; j++) {
    const plus = f(h);
    const minus = f(F.neg(h));
    const d = order === 2 ? F.div(F.add(F.sub(plus, F.mul(two, base)), minus), F.mul(h, h)) : F.div(F.sub(plus, minus), F.mul(two, h));
    const row: S[] = [d];
    for (let k = 1; k <= j; k++) {
      const a = row[k - 1] as S;
      const b = prev[k - 1] as S;
      row.push(F.add(a, F.div(F.sub(a, b), F.fromInt(4 ** k - 1))));
    }
    prev = row;
    h = F.div(h, two);
  }
  return prev[levels - 1] as S;
}

/** The outcome of {@link ridders}. */
export interface FiniteDifferenceResult {
  /** The extrapolated derivative. */
  readonly value: number;
  /** Ridders' error estimate (differences within the tableau). */
  readonly error: number;
  /** Step sizes used (levels of the tableau). */
  readonly levels: number;
  /** Loss evaluations made, not counting `f(0)` when it was supplied. */
  readonly evaluations: number;
  /** The first (largest) step `h₀`. */
  readonly step: number;
}

/** Options of {@link ridders}. */
export interface RiddersOptions {
  /** At most this many step sizes (default 10: down to `h₀/512`). */
  readonly maxLevels?: number;
}

/**
 * Adaptive Richardson extrapolation of the central difference of order `order` of `f` at 0, in
 * binary64, starting from step `h0` and halving it (Ridders 1982; Numerical Recipes §5.7): every
 * entry of the tableau gets the error estimate `max(|T_{j,k} − T_{j,k−1}|, |T_{j,k} − T_{j−1,k−1}|)`
 * and the entry with the smallest one is returned. The loop stops when that estimate has reached the
 * rounding level of the current difference, `ρ(h) = 8ε·max|f|/h²` (`2ε·max|f|/h` for the slope), i.e.
 * when smaller steps can only add rounding error — after `N` levels or so for a depth-`N` linear
 * network, whose tableau is exact — or after `maxLevels` levels. (Numerical Recipes' early stop
 * "the error grew by a factor 2" is not used: from a large first step, a non-polynomial function's
 * tableau is erratic before it converges.)
 */
export function ridders(f: (t: number) => number, order: DerivativeOrder, h0: number, f0?: number, options: RiddersOptions = {}): FiniteDifferenceResult {
  if (!(h0 > 0) || !Number.isFinite(h0)) throw new RangeError(`ridders: the step must be positive and finite, got ${h0}`);
  const maxLevels = options.maxLevels ?? 10;
  let evaluations = 0;
  const ev = (t: number): number => {
    evaluations++;
    return f(t);
  };
  const base = order === 2 ? (f0 ?? ev(0)) : 0;
  let rounding = 0;
  const central = (h: number): number => {
    const p = ev(h);
    const m = ev(-h);
    const big = Math.max(Math.abs(p), Math.abs(m), Math.abs(base));
    rounding = order === 2 ? (8 * Number.EPSILON * big) / (h * h) : (2 * Number.EPSILON * big) / h;
    return order === 2 ? (p - 2 * base + m) / (h * h) : (p - m) / (2 * h);
  };
  let h = h0;
  let prev: number[] = [central(h)];
  let best = prev[0] as number;
  let err = Infinity;
  let levels = 1;
  for (let i = 1; i < maxLevels; i++) {
    h /= 2;
    const row: number[] = [central(h)];
    levels++;
    for (let k = 1; k <= i; k++) {
      const a = row[k - 1] as number;
      const b = prev[k - 1] as number;
      const t = a + (a - b) / (4 ** k - 1);
      row.push(t);
      const errt = Math.max(Math.abs(t - a), Math.abs(t - b));
      if (errt <= err) {
        err = errt;
        best = t;
      }
    }
    prev = row;
    if (!Number.isFinite(row[i] as number)) break;
    if (err <= 10 * rounding) break;
  }
  if (!Number.isFinite(err)) err = Math.abs(best);
  return { value: best, error: err, levels, evaluations, step: h0 };
}

/**
 * The default first step for a direction `u`: a perturbation of norm `½·max(‖θ‖, 1)`, i.e.
 * `h₀ = max(‖θ‖, 1)/(2‖u‖)`. Large on purpose: Richardson extrapolation removes the truncation error
 * (entirely, for a polynomial loss), and rounding error falls like `ε·|L|/h²`.
 */
export function defaultStep(thetaNorm: number, directionNorm: number): number {
  return Math.max(thetaNorm, 1) / (2 * directionNorm);
}

/** The line `t ↦ L(θ + t u)` of a loss given as a function of θ. */
export function lineFunction(loss: (theta: readonly number[]) => number, theta: readonly number[], u: ArrayLike<number>): (t: number) => number {
  const n = theta.length;
  return (t) => {
    const x = new Array<number>(n);
    for (let i = 0; i < n; i++) x[i] = (theta[i] as number) + t * (u[i] as number);
    return loss(x);
  };
}
