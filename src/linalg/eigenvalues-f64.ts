import { kernelSymmetricEigen } from '../kernels/dispatch.js';
import { KernelConvergenceError } from '../kernels/kernel.js';
import { preparedSymmetric, timesPowerOfTwo } from './eigen-f64.js';
import { ShapeError, type Matrix } from './matrix.js';

/**
 * Eigenvalues only (ascending) of a real symmetric matrix in binary64, without eigenvectors (about
 * `4n³/3` flops instead of about `9n³`). The same preparation as {@link symmetricEigen}: the input is
 * symmetrised as `(A + Aᵀ)/2`, scaled by a power of two so that its largest entry is about 1 (exact;
 * undone on the eigenvalues), and entries below `FLUSH_BELOW` (2^-511) of that are set to zero.
 *
 * Where it runs: on the active float64 kernel's LAPACK when it has one and `n > 24` (native kernel: OpenBLAS
 * `dsyevd` without vectors = Householder tridiagonalisation `dsytrd` + `dsterf`'s root-free QL/QR,
 * with the kernel's threads), else — under `DLN_KERNEL=js` or `wasm`, or when LAPACK reports
 * non-convergence — in JavaScript: the Householder tridiagonalisation and implicit QL iteration of
 * EISPACK's tred2/tql2 (as in JAMA and ml-matrix) without accumulating the transformations.
 *
 * Backward stable either way: the exact eigenvalues of `A + E`, `‖E‖₂ ≤ p(n) u ‖A‖₂`, `u = 2^-53`
 * (a-priori `p(n) = O(n²)`, observed `O(n)`: see docs/performance.md), hence each within `‖E‖₂` of
 * the true one (Weyl). Positions only: exact code uses them to choose where to look, never to decide.
 *
 * @throws ShapeError when `A` is not square; RangeError when an entry is not finite.
 */
export function symmetricEigenvalues(A: Matrix<number>): number[] {
  const n = A.rows;
  if (A.cols !== n || A.data.length !== n * n) throw new ShapeError(`symmetricEigenvalues: expected a square matrix, got ${A.rows}×${A.cols}`);
  let maxAbs = 0;
  for (let idx = 0; idx < n * n; idx++) {
    const x = A.data[idx] as number;
    if (!Number.isFinite(x)) throw new RangeError(`symmetricEigenvalues: entry (${(idx % n) + 1}, ${Math.floor(idx / n) + 1}) is ${x}; entries must be finite`);
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  if (n === 0) return [];
  // The prepared matrix is symmetric, so its column-major array is also the row-major working copy
  // V of the JavaScript path (whose upper triangle carries the reduction).
  const { S: V, e: ex } = preparedSymmetric(A.data, n, maxAbs);
  try {
    const native = kernelSymmetricEigen(n, V, false);
    if (native !== undefined) return Array.from(native.values, (x) => timesPowerOfTwo(x, ex)).sort((a, b) => a - b);
  } catch (err) {
    if (!(err instanceof KernelConvergenceError)) throw err;
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(n, V, d, e);
  implicitQl(n, d, e);
  return Array.from(d, (x) => timesPowerOfTwo(x, ex)).sort((a, b) => a - b);
}

/** tred2's reduction (Householder, bottom-up) without accumulation: diagonal in `d`, sub-diagonal in `e[1..]`. */
function tridiagonalize(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[j * n + (n - 1)] as number;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = V[j * n + (i - 1)] as number;
        V[j * n + i] = 0;
        V[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = (d[k] as number) / scale;
        h += (d[k] as number) * (d[k] as number);
      }
      let f = d[i - 1] as number;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        V[i * n + j] = f;
        g = (e[j] as number) + (V[j * n + j] as number) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vjk = V[j * n + k] as number;
          g += vjk * (d[k] as number);
          e[k] = (e[k] as number) + vjk * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = (e[j] as number) / h;
        f += (e[j] as number) * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        const row = j * n;
        for (let k = j; k <= i - 1; k++) V[row + k] = (V[row + k] as number) - (f * (e[k] as number) + g * (d[k] as number));
        d[j] = V[row + (i - 1)] as number;
        V[row + i] = 0;
      }
    }
    d[i] = h;
  }
  // The diagonal of the tridiagonal matrix is left on V's diagonal (row n − 1 is never transformed).
  for (let j = 0; j < n; j++) d[j] = V[j * n + j] as number;
  e[0] = 0;
}

/** tql2's implicit QL iteration without eigenvectors: eigenvalues of the tridiagonal `(d, e)` into `d`. */
function implicitQl(n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m] as number) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error('symmetricEigenvalues: QL iteration did not converge');
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;
        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * (e[i] as number);
          h = c * p;
          r = Math.hypot(p, e[i] as number);
          e[i + 1] = s * r;
          s = (e[i] as number) / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = h + s * (c * g + s * (d[i] as number));
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > eps * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
}
