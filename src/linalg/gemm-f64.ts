/**
 * Binary64 matrix product kernel on column-major arrays: returns `C = A B` with `A` m×k, `B` k×n.
 */
export function gemmF64(m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const c = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) {
      const bpj = b[p + j * k] as number;
      if (bpj === 0) continue;
      const ao = p * m;
      const co = j * m;
      for (let i = 0; i < m; i++) c[co + i] = (c[co + i] as number) + (a[ao + i] as number) * bpj;
    }
  }
  return c;
}
