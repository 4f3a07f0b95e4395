/**
 * Minimum and maximum of long lists of numbers. `Math.max(...list)` passes every element as an
 * argument and overflows the call stack near 10^5 elements (a 401×401 landscape grid, 100000 SLQ
 * vectors); these loop instead. Same results as `Math.min`/`Math.max`: `Infinity`/`-Infinity` for
 * an empty list, `NaN` when an element is `NaN`.
 */

/** The least of `values` (`Infinity` when empty). */
export function minOf(...lists: readonly ArrayLike<number>[]): number {
  let m = Infinity;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const v = list[i] as number;
      if (Number.isNaN(v)) return NaN;
      if (v < m) m = v;
    }
  }
  return m;
}

/** The greatest of `values` (`-Infinity` when empty). */
export function maxOf(...lists: readonly ArrayLike<number>[]): number {
  let m = -Infinity;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const v = list[i] as number;
      if (Number.isNaN(v)) return NaN;
      if (v > m) m = v;
    }
  }
  return m;
}
