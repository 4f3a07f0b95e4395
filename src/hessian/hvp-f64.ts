/**
 * The closed-form Hessian–vector product of `hvp.ts` specialised to binary64: the same sweeps, on
 * `Float64Array`s, every product one call of the float64 kernel layer ({@link gemm}) with the
 * transposes and the accumulation (`β = 1`) folded into it, and the loss-scale factor `c` applied as
 * the kernel's `α` — no transposed copies, no intermediate arrays of boxed numbers. The rounding is
 * that of the generic path (the same products and sums, in the kernel's order).
 */
import { gemm } from '../kernels/dispatch.js';
import type { Matrix } from '../linalg/matrix.js';
import { parameterCountOfWidths, parameterOffsets, type NetworkPoint } from './point.js';

/** Per-point data of {@link hvpF64}. */
export interface HvpPlanF64 {
  readonly widths: readonly number[];
  readonly offsets: readonly number[];
  readonly W: readonly Float64Array[];
  readonly A: readonly Float64Array[];
  readonly B: readonly Float64Array[];
  readonly R: Float64Array;
  readonly sigma: Float64Array | null;
  /** Whether the residual terms are kept (false at a zero-residual point). */
  readonly residual: boolean;
  /** `R B_jᵀ` per layer when {@link residual}. */
  readonly RBT: readonly Float64Array[] | null;
  readonly c: number;
}

const f64 = (M: Matrix<number>): Float64Array => Float64Array.from(M.data);

/** The plan at a binary64 point; `residual` says whether the residual terms are kept. */
export function planF64(pt: NetworkPoint<number>, residual: boolean): HvpPlanF64 {
  const w = pt.widths;
  const N = pt.depth;
  const dN = w[N] as number;
  const d0 = w[0] as number;
  const R = f64(pt.R);
  const B = pt.B.map(f64);
  let RBT: Float64Array[] | null = null;
  if (residual) {
    RBT = B.map((Bj, j) => {
      if (j === 0) return R;
      const dj = w[j] as number;
      const out = new Float64Array(dN * dj);
      gemm(false, true, dN, dj, d0, 1, R, Bj, 0, out);
      return out;
    });
  }
  return { widths: w, offsets: parameterOffsets(w), W: pt.weights.map(f64), A: pt.A.map(f64), B, R, sigma: pt.sigma === null ? null : f64(pt.sigma), residual, RBT, c: pt.c };
}

/** `H u` at the planned point (see `hessianVectorProduct` in `hvp.ts` for the formulas). */
export function hvpF64(p: HvpPlanF64, u: ArrayLike<number>): Float64Array {
  const w = p.widths;
  const N = w.length - 1;
  const dN = w[N] as number;
  const d0 = w[0] as number;
  const uu = u instanceof Float64Array ? u : Float64Array.from(u);
  const U = (j: number): Float64Array => uu.subarray(p.offsets[j] as number, p.offsets[j + 1] as number);
  // Forward sweep: dB[j] (d_j × d_0) is the derivative of B_j; dB[0] = 0 is null.
  const dB: (Float64Array | null)[] = [null];
  for (let j = 0; j < N; j++) {
    const dj = w[j] as number;
    const dj1 = w[j + 1] as number;
    const next = new Float64Array(dj1 * d0);
    if (j === 0) next.set(U(0));
    else gemm(false, false, dj1, d0, dj, 1, U(j), p.B[j] as Float64Array, 0, next);
    const prev = dB[j] ?? null;
    if (prev !== null) gemm(false, false, dj1, d0, dj, 1, p.W[j] as Float64Array, prev, 1, next);
    dB.push(next);
  }
  const dP = dB[N] as Float64Array;
  let dR = dP;
  if (p.sigma !== null) {
    dR = new Float64Array(dN * d0);
    gemm(false, false, dN, d0, d0, 1, dP, p.sigma, 0, dR);
  }
  // Backward sweep (residual terms only): dA[j] (d_N × d_{j+1}); dA[N−1] = 0 is null.
  const dA: (Float64Array | null)[] = new Array<Float64Array | null>(N).fill(null);
  if (p.residual) {
    for (let j = N - 1; j > 0; j--) {
      const dj = w[j] as number;
      const dj1 = w[j + 1] as number;
      const prev = new Float64Array(dN * dj);
      if (j === N - 1) prev.set(U(j));
      else gemm(false, false, dN, dj, dj1, 1, p.A[j] as Float64Array, U(j), 0, prev);
      const next = dA[j] ?? null;
      if (next !== null) gemm(false, false, dN, dj, dj1, 1, next, p.W[j] as Float64Array, 1, prev);
      dA[j - 1] = prev;
    }
  }
  const out = new Float64Array(parameterCountOfWidths(w));
  for (let j = 0; j < N; j++) {
    const dj = w[j] as number;
    const dj1 = w[j + 1] as number;
    // inner = δR B_jᵀ + R δB_jᵀ (d_N × d_j)
    let inner: Float64Array;
    if (j === 0) inner = dR;
    else {
      inner = new Float64Array(dN * dj);
      gemm(false, true, dN, dj, d0, 1, dR, p.B[j] as Float64Array, 0, inner);
    }
    const dBj = dB[j] ?? null;
    if (p.residual && dBj !== null) {
      if (inner === dR) inner = Float64Array.from(dR);
      gemm(false, true, dN, dj, d0, 1, p.R, dBj, 1, inner);
    }
    // block = c (A_jᵀ inner + δA_jᵀ R B_jᵀ), written in place into the output.
    const block = out.subarray(p.offsets[j] as number, p.offsets[j + 1] as number);
    if (j === N - 1) {
      const c = p.c;
      for (let i = 0; i < block.length; i++) block[i] = c * (inner[i] as number);
    } else {
      gemm(true, false, dj1, dj, dN, p.c, p.A[j] as Float64Array, inner, 0, block);
    }
    const dAj = dA[j] ?? null;
    if (p.residual && dAj !== null) gemm(true, false, dj1, dj, dN, p.c, dAj, (p.RBT as Float64Array[])[j] as Float64Array, 1, block);
  }
  return out;
}
