/**
 * Eigen-decomposition of a small real symmetric tridiagonal matrix by the implicit QL method with
 * Wilkinson-type shifts (Bowdler, Martin, Reinsch & Wilkinson 1968, the `tql2` procedure of
 * EISPACK). The device Lanczos needs it next to the tfjs ops, in the browser page too, where the
 * host's ml-matrix wrapper cannot run; it has no imports for that reason.
 */

/** Eigenvalues (ascending) and orthonormal eigenvectors (`vectors[i]` for `values[i]`). */
export interface TridiagonalEigen {
  readonly values: number[];
  readonly vectors: number[][];
}

/**
 * Eigenpairs of the symmetric tridiagonal matrix with diagonal `alpha` (length m) and
 * off-diagonal `beta` (length m − 1).
 */
export function tridiagonalEigen(alpha: readonly number[], beta: readonly number[]): TridiagonalEigen {
  const m = alpha.length;
  if (beta.length !== Math.max(0, m - 1)) throw new Error(`tridiagonalEigen: expected ${Math.max(0, m - 1)} off-diagonal entries, got ${beta.length}`);
  const d = alpha.slice();
  const e = [...beta, 0];
  // z[i][k]: component i of eigenvector k, starting from the identity.
  const z = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, k) => (i === k ? 1 : 0)));
  for (let l = 0; l < m; l++) {
    let iterations = 0;
    for (;;) {
      // Find the first negligible off-diagonal entry at or after l.
      let mm = l;
      while (mm < m - 1) {
        const dd = Math.abs(d[mm] as number) + Math.abs(d[mm + 1] as number);
        if (Math.abs(e[mm] as number) <= Number.EPSILON * dd) break;
        mm++;
      }
      if (mm === l) break;
      if (++iterations > 60) throw new Error('tridiagonalEigen: no convergence after 60 QL sweeps');
      // Shift from the leading 2×2 block.
      let g = ((d[l + 1] as number) - (d[l] as number)) / (2 * (e[l] as number));
      let r = Math.hypot(g, 1);
      g = (d[mm] as number) - (d[l] as number) + (e[l] as number) / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = mm - 1;
      let underflow = false;
      for (; i >= l; i--) {
        let f = s * (e[i] as number);
        const b = c * (e[i] as number);
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = (d[i + 1] as number) - p;
          e[mm] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = (d[i + 1] as number) - p;
        r = ((d[i] as number) - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        for (let k = 0; k < m; k++) {
          const row = z[k] as number[];
          f = row[i + 1] as number;
          row[i + 1] = s * (row[i] as number) + c * f;
          row[i] = c * (row[i] as number) - s * f;
        }
      }
      if (underflow) continue;
      d[l] = (d[l] as number) - p;
      e[l] = g;
      e[mm] = 0;
    }
  }
  const order = d.map((_, i) => i).sort((a, b) => (d[a] as number) - (d[b] as number));
  return {
    values: order.map((k) => d[k] as number),
    vectors: order.map((k) => z.map((row) => row[k] as number)),
  };
}
