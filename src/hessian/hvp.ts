import { add, fromColumnMajor, mul, scale, transpose, type Matrix } from '../linalg/matrix.js';
import { operatorFrom, type LinearOperator } from '../linop/linear-operator.js';
import { toNumberArray } from '../kernels/arrays.js';
import { hvpF64, planF64 } from './hvp-f64.js';
import { parameterCountOfWidths, parameterOffsets, type NetworkPoint } from './point.js';

/** What every Hessian–vector product at one point reuses: transposes, `R B_jᵀ`, and which factors are identities. */
interface HvpPlan<S> {
  readonly AT: readonly Matrix<S>[];
  readonly BT: readonly Matrix<S>[];
  /** `R B_jᵀ` for every layer, or `null` at a zero-residual point (where the residual terms vanish). */
  readonly RBT: readonly Matrix<S>[] | null;
}

/**
 * Whether the residual `R` is zero: exactly in an exact field; in binary64 when `‖R‖_F` is below the
 * rounding error of forming it, `8 (N + d_max) u Π_i ‖W_i‖_F` (times `‖X‖_F²/n` with data) — then the
 * residual terms of the product are below the rounding of the Gauss–Newton terms and are skipped.
 */
function residualIsZero<S>(pt: NetworkPoint<S>): boolean {
  const F = pt.F;
  if (F.exact) return pt.R.data.every((x) => F.isZero(x));
  const fro = (M: Matrix<S>): number => Math.sqrt(M.data.reduce((s, x) => s + F.toNumber(x) ** 2, 0));
  let scale = pt.weights.reduce((s, W) => s * fro(W), 1);
  const obj = pt.spec.objective;
  if (obj.kind === 'dln') scale *= fro(obj.inputs) ** 2 / obj.inputs.cols;
  const tolerance = 8 * (pt.depth + Math.max(...pt.widths)) * F.unitRoundoff * scale;
  return fro(pt.R) <= tolerance;
}

/** `X Y`, skipping the product when `X` is an identity (`A_N = I` and `B_1 = I` are). */
function mulLeft<S>(pt: NetworkPoint<S>, X: Matrix<S>, Y: Matrix<S>, xIsIdentity: boolean): Matrix<S> {
  return xIsIdentity ? Y : mul(pt.F, X, Y);
}

function plan<S>(pt: NetworkPoint<S>): HvpPlan<S> {
  const BT = pt.B.map((B) => transpose(B));
  const residual = !residualIsZero(pt);
  return {
    AT: pt.A.map((A) => transpose(A)),
    BT,
    RBT: residual ? BT.map((Bt, j) => (j === 0 ? pt.R : mul(pt.F, pt.R, Bt))) : null,
  };
}

function apply<S>(pt: NetworkPoint<S>, p: HvpPlan<S>, u: readonly S[]): S[] {
  const F = pt.F;
  const N = pt.depth;
  const W = pt.weights;
  const offsets = parameterOffsets(pt.widths);
  const U: Matrix<S>[] = W.map((Wi, i) => fromColumnMajor(Wi.rows, Wi.cols, u.slice(offsets[i] as number, offsets[i + 1] as number)));
  // Forward sweep: δB[j] is the derivative of B_j (input side of layer j + 1); δB[0] = 0 is `null`.
  // B_1 = I, so U_1 B_1 = U_1.
  const dB: (Matrix<S> | null)[] = [null];
  for (let j = 0; j < N; j++) {
    const UB = j === 0 ? (U[0] as Matrix<S>) : mul(F, U[j] as Matrix<S>, pt.B[j] as Matrix<S>);
    const prev = dB[j] ?? null;
    dB.push(prev === null ? UB : add(F, mul(F, W[j] as Matrix<S>, prev), UB));
  }
  const dP = dB[N] as Matrix<S>; // δP = δ(W_N ⋯ W_1)
  const dR = pt.sigma === null ? dP : mul(F, dP, pt.sigma);
  // Backward sweep (only needed for the residual terms): δA[j] for layer j + 1; δA[N−1] = 0 is `null`.
  const dA: (Matrix<S> | null)[] = new Array<Matrix<S> | null>(N).fill(null);
  if (p.RBT !== null) {
    for (let j = N - 1; j > 0; j--) {
      const AU = mulLeft(pt, pt.A[j] as Matrix<S>, U[j] as Matrix<S>, j === N - 1);
      const next = dA[j] ?? null;
      dA[j - 1] = next === null ? AU : add(F, mul(F, next, W[j] as Matrix<S>), AU);
    }
  }
  const out = new Array<S>(parameterCountOfWidths(pt.widths));
  for (let j = 0; j < N; j++) {
    // A_jᵀ (δR B_jᵀ + R δB_jᵀ) + δA_jᵀ R B_jᵀ
    let inner = j === 0 ? dR : mul(F, dR, p.BT[j] as Matrix<S>);
    const dBj = dB[j] ?? null;
    if (p.RBT !== null && dBj !== null) inner = add(F, inner, mul(F, pt.R, transpose(dBj)));
    let block = mulLeft(pt, p.AT[j] as Matrix<S>, inner, j === N - 1);
    const dAj = dA[j] ?? null;
    if (p.RBT !== null && dAj !== null) block = add(F, block, mul(F, transpose(dAj), p.RBT[j] as Matrix<S>));
    if (!F.eq(pt.c, F.one)) block = scale(F, pt.c, block);
    const o = offsets[j] as number;
    block.data.forEach((x, k) => {
      out[o + k] = x;
    });
  }
  return out;
}

/**
 * Matrix-free Hessian–vector product `H u` for `u = (vec U_1, …, vec U_N)`, never forming `H`.
 *
 * Differentiating `∇_{W_j} L = c A_jᵀ R B_jᵀ` along `U`:
 * `(H u)_j = c [ (δA_j)ᵀ R B_jᵀ + A_jᵀ (δP Σ) B_jᵀ + A_jᵀ R (δB_j)ᵀ ]`, with the directional
 * derivatives of the partial products accumulated in one sweep each way:
 * `δB_1 = 0`, `δB_{j+1} = W_j δB_j + U_j B_j`; `δA_N = 0`, `δA_{j−1} = δA_j W_j + A_j U_j`;
 * `δP = W_N δB_N + U_N B_N` (and `δR = δP Σ`).
 * Cost: about `8N` products of width-`d` matrices, `O(N d³)`, against `4N` for a gradient from scratch;
 * `4N` at a zero-residual point (a minimizer), where the residual terms vanish and are skipped.
 */
export function hessianVectorProduct<S>(pt: NetworkPoint<S>, u: readonly S[]): S[] {
  if (isF64(pt)) return toNumberArray(hvpF64(planF64(pt, !residualIsZero(pt)), u as readonly number[])) as S[];
  return apply(pt, plan(pt), u);
}

/** Binary64 points run the kernel-layer specialisation (`hvp-f64.ts`). */
function isF64<S>(pt: NetworkPoint<S>): pt is NetworkPoint<S> & NetworkPoint<number> {
  return pt.F.name === 'F64';
}

/**
 * The Hessian as a symmetric {@link LinearOperator} over θ, backed by {@link hessianVectorProduct};
 * the per-point work (transposes, `R B_jᵀ`) is done once for all products.
 */
export function hessianOperator<S>(pt: NetworkPoint<S>): LinearOperator<S> {
  const n = parameterCountOfWidths(pt.widths);
  if (isF64(pt)) {
    const pf = planF64(pt, !residualIsZero(pt));
    return operatorFrom<S>(pt.F, [n, n], (v) => toNumberArray(hvpF64(pf, v as readonly number[])) as S[], { symmetric: true, label: 'Hessian (closed-form HVP)' });
  }
  const p = plan(pt);
  return operatorFrom(pt.F, [n, n], (v) => apply(pt, p, v), { symmetric: true, label: 'Hessian (closed-form HVP)' });
}
