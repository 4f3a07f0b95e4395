import { Rational } from '../field/rational.js';
import { flattenRowMajor, toIntegerMatrix } from './integer-matrix.js';
import { ShapeError, type Matrix } from './matrix.js';

/**
 * Determinant of a square integer matrix given row-major (`a[i·n + j]`), by fraction-free
 * Bareiss elimination (Bareiss 1968): with `a^{(0)} = Ã`, `a^{(−1)}_{kk} := 1` and row pivoting,
 * ```
 *   a^{(k)}_{ij} = ( a^{(k−1)}_{kk} a^{(k−1)}_{ij} − a^{(k−1)}_{ik} a^{(k−1)}_{kj} ) / a^{(k−2)}_{k−1,k−1}
 * ```
 * where every division is exact (each `a^{(k)}_{ij}` is a `(k+1)×(k+1)` minor of `Ã`), and
 * `det Ã = ± a^{(n−2)}_{n−1,n−1}` with the sign of the row permutation. The array is overwritten.
 */
export function integerDeterminantInPlace(n: number, a: bigint[]): bigint {
  if (n === 0) return 1n;
  let sign = 1n;
  let prev = 1n;
  for (let k = 0; k < n - 1; k++) {
    // Row pivoting: any non-zero entry in column k at or below the diagonal.
    let p = k;
    while (p < n && a[p * n + k] === 0n) p++;
    if (p === n) return 0n;
    if (p !== k) {
      for (let j = k; j < n; j++) {
        const t = a[k * n + j] as bigint;
        a[k * n + j] = a[p * n + j] as bigint;
        a[p * n + j] = t;
      }
      sign = -sign;
    }
    const akk = a[k * n + k] as bigint;
    for (let i = k + 1; i < n; i++) {
      const aik = a[i * n + k] as bigint;
      const ri = i * n;
      const rk = k * n;
      if (aik === 0n) {
        // a_ij ← a_kk a_ij / prev (still exact).
        for (let j = k + 1; j < n; j++) a[ri + j] = (akk * (a[ri + j] as bigint)) / prev;
      } else {
        for (let j = k + 1; j < n; j++) a[ri + j] = (akk * (a[ri + j] as bigint) - aik * (a[rk + j] as bigint)) / prev;
      }
    }
    prev = akk;
  }
  return sign * (a[n * n - 1] as bigint);
}

/**
 * Determinant of a square integer matrix given as row lists, by Bareiss elimination
 * (see {@link integerDeterminantInPlace}). The input is not modified.
 */
export function integerDeterminant(entries: readonly (readonly bigint[])[]): bigint {
  const n = entries.length;
  const flat = new Array<bigint>(n * n);
  entries.forEach((row, i) => {
    if (row.length !== n) throw new ShapeError(`determinant: row ${i + 1} has ${row.length} entries, expected ${n}`);
    for (let j = 0; j < n; j++) flat[i * n + j] = row[j] as bigint;
  });
  return integerDeterminantInPlace(n, flat);
}

/**
 * Exact determinant of a square rational matrix. The denominators are cleared first
 * (`Ã = s·A` with `s` the lcm of the denominators, see {@link toIntegerMatrix}), then
 * ```
 *   det(A) = det(Ã) / s^n
 * ```
 * with `det(Ã)` from fraction-free Bareiss elimination ({@link integerDeterminantInPlace}),
 * `O(n³)` bigint operations on numbers no larger than the minors of `Ã`. `det` of a `0×0` matrix is 1.
 *
 * @throws ShapeError when `A` is not square.
 */
export function determinant(A: Matrix<Rational>): Rational {
  if (A.rows !== A.cols) throw new ShapeError(`determinant of a non-square ${A.rows}×${A.cols} matrix`);
  const n = A.rows;
  const M = toIntegerMatrix(A);
  const d = integerDeterminantInPlace(n, flattenRowMajor(M));
  return new Rational(d, M.scale ** BigInt(n));
}
