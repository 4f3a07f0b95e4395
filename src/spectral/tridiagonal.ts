/**
 * Extreme eigenpairs of a symmetric tridiagonal matrix `T` (diagonal `α_0 … α_{p−1}`, off-diagonal
 * `β_0 … β_{p−2}`) in O(p) per eigenvalue: the Lanczos convergence test, which needs a few Ritz
 * values and the last component of their Ritz vectors every iteration, without an O(p³) dense
 * eigendecomposition each time.
 *
 * Eigenvalues by bisection on the Sturm count of `T − xI` (the number of negative pivots of its
 * LDLᵀ factorisation, Kahan's 1966 result: the count is the exact one of a matrix within a few ulps
 * of `T` entrywise, so each eigenvalue is found to a few ulps of `‖T‖`); eigenvectors by two steps of
 * inverse iteration with the tridiagonal LU of LAPACK's `dgttrf` (partial pivoting).
 */

const EPS = 2 ** -52;

/** The number of eigenvalues of `T` below `x` (negative pivots of `T − xI = LDLᵀ`). */
export function sturmCount(alpha: ArrayLike<number>, beta: ArrayLike<number>, x: number, pivotFloor: number): number {
  let count = 0;
  let q = 1;
  for (let i = 0; i < alpha.length; i++) {
    const b = i > 0 ? (beta[i - 1] as number) : 0;
    q = (alpha[i] as number) - x - (i > 0 ? (b * b) / q : 0);
    // A zero pivot is moved off zero by a rounding-sized amount (Kahan): the count stays that of a nearby matrix.
    if (Math.abs(q) < pivotFloor) q = -pivotFloor;
    if (q < 0) count++;
  }
  return count;
}

/** `max |α_i| + |β_{i−1}| + |β_i|`: a bound on `‖T‖₂` (Gershgorin). */
function gershgorinRadius(alpha: ArrayLike<number>, beta: ArrayLike<number>): { lo: number; hi: number; scale: number } {
  let lo = Infinity;
  let hi = -Infinity;
  const p = alpha.length;
  for (let i = 0; i < p; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1] as number) : 0) + (i < p - 1 ? Math.abs(beta[i] as number) : 0);
    lo = Math.min(lo, (alpha[i] as number) - r);
    hi = Math.max(hi, (alpha[i] as number) + r);
  }
  return { lo, hi, scale: Math.max(Math.abs(lo), Math.abs(hi)) };
}

/**
 * Eigenvalues of `T` by index (ascending, from 0), each by bisection to `2ε‖T‖` (a few ulps of the
 * largest eigenvalue's size).
 */
export function tridiagonalEigenvalues(alpha: ArrayLike<number>, beta: ArrayLike<number>, indices: readonly number[]): number[] {
  const p = alpha.length;
  if (p === 0) return [];
  const g = gershgorinRadius(alpha, beta);
  if (g.scale === 0) return indices.map(() => 0);
  const pivotFloor = EPS * EPS * g.scale;
  const width = 2 * EPS * g.scale;
  return indices.map((idx) => {
    if (!Number.isInteger(idx) || idx < 0 || idx >= p) throw new RangeError(`tridiagonalEigenvalues: index ${idx} is outside [0, ${p - 1}]`);
    let lo = g.lo - width;
    let hi = g.hi + width;
    // λ_idx is the smallest x with count(x) ≥ idx + 1 (count: eigenvalues below x).
    for (let it = 0; it < 200 && hi - lo > width; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      if (sturmCount(alpha, beta, mid, pivotFloor) >= idx + 1) hi = mid;
      else lo = mid;
    }
    return 0.5 * (lo + hi);
  });
}

/**
 * A unit eigenvector of `T` for the (accurate) eigenvalue `theta`, by two steps of inverse
 * iteration from a constant vector: `(T − θI) y = b` solved with partial pivoting, zero pivots moved
 * to `ε‖T‖`. For a simple eigenvalue computed to a few ulps one step is already accurate to
 * `O(ε‖T‖/gap)`; the second removes the start's influence.
 */
export function tridiagonalEigenvector(alpha: ArrayLike<number>, beta: ArrayLike<number>, theta: number): Float64Array {
  const p = alpha.length;
  const y = new Float64Array(p).fill(1 / Math.sqrt(p));
  if (p === 1) return Float64Array.of(1);
  const g = gershgorinRadius(alpha, beta);
  const tiny = EPS * Math.max(g.scale, Number.MIN_VALUE);
  // dgttrf: T − θI = P L U, U with two superdiagonals.
  const d = new Float64Array(p);
  const dl = new Float64Array(p - 1);
  const du = new Float64Array(p - 1);
  const du2 = new Float64Array(Math.max(0, p - 2));
  const swap = new Uint8Array(p - 1);
  for (let i = 0; i < p; i++) d[i] = (alpha[i] as number) - theta;
  for (let i = 0; i < p - 1; i++) {
    dl[i] = beta[i] as number;
    du[i] = beta[i] as number;
  }
  for (let i = 0; i < p - 1; i++) {
    const di = d[i] as number;
    const li = dl[i] as number;
    if (Math.abs(di) >= Math.abs(li)) {
      const fact = di !== 0 ? li / di : 0;
      dl[i] = fact;
      d[i + 1] = (d[i + 1] as number) - fact * (du[i] as number);
    } else {
      const fact = di / li;
      d[i] = li;
      dl[i] = fact;
      const temp = du[i] as number;
      du[i] = d[i + 1] as number;
      d[i + 1] = temp - fact * (d[i + 1] as number);
      if (i < p - 2) {
        du2[i] = du[i + 1] as number;
        du[i + 1] = -fact * (du[i + 1] as number);
      }
      swap[i] = 1;
    }
  }
  for (let i = 0; i < p; i++) if (Math.abs(d[i] as number) < tiny) d[i] = tiny;
  for (let step = 0; step < 2; step++) {
    for (let i = 0; i < p - 1; i++) {
      if (swap[i] === 0) y[i + 1] = (y[i + 1] as number) - (dl[i] as number) * (y[i] as number);
      else {
        const t = y[i] as number;
        y[i] = y[i + 1] as number;
        y[i + 1] = t - (dl[i] as number) * (y[i] as number);
      }
    }
    y[p - 1] = (y[p - 1] as number) / (d[p - 1] as number);
    y[p - 2] = ((y[p - 2] as number) - (du[p - 2] as number) * (y[p - 1] as number)) / (d[p - 2] as number);
    for (let i = p - 3; i >= 0; i--) y[i] = ((y[i] as number) - (du[i] as number) * (y[i + 1] as number) - (du2[i] as number) * (y[i + 2] as number)) / (d[i] as number);
    let m = 0;
    for (let i = 0; i < p; i++) m = Math.max(m, Math.abs(y[i] as number));
    let s = 0;
    for (let i = 0; i < p; i++) s += ((y[i] as number) / m) ** 2;
    const nrm = m * Math.sqrt(s);
    for (let i = 0; i < p; i++) y[i] = (y[i] as number) / nrm;
  }
  return y;
}
