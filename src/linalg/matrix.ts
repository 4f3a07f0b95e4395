import { InputError } from '../errors/input-error.js';
import type { Field } from '../field/field.js';
import { toNumberArray } from '../kernels/arrays.js';
import { gemmF64 } from './gemm-f64.js';
import { mulEnclosed, type Enclosed } from '../verify/float-interval.js';

/**
 * A dense matrix over a field, stored column-major: entry `(i, j)` is `data[i + j * rows]`.
 * Column-major storage makes `vec(A)` (the engine's parameter order) the storage itself.
 * Matrices are treated as immutable values; every operation returns a new one.
 */
export interface Matrix<S> {
  readonly rows: number;
  readonly cols: number;
  /** Column-major entries, length `rows * cols`. */
  readonly data: readonly S[];
}

/** Thrown when operand shapes do not fit. */
export class ShapeError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** Entry `(i, j)` (0-based). */
export function at<S>(A: Matrix<S>, i: number, j: number): S {
  return A.data[i + j * A.rows] as S;
}

/** A matrix from its column-major entries. */
export function fromColumnMajor<S>(rows: number, cols: number, data: readonly S[]): Matrix<S> {
  if (data.length !== rows * cols) throw new ShapeError(`expected ${rows * cols} entries for ${rows}×${cols}, got ${data.length}`);
  return { rows, cols, data };
}

/** A matrix from a list of rows (all of equal length). */
export function fromRows<S>(rowList: readonly (readonly S[])[]): Matrix<S> {
  const rows = rowList.length;
  const cols = rows === 0 ? 0 : (rowList[0] as readonly S[]).length;
  const data = new Array<S>(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = rowList[i] as readonly S[];
    if (r.length !== cols) throw new ShapeError(`row ${i + 1}: expected ${cols} entries, got ${r.length}`);
    for (let j = 0; j < cols; j++) data[i + j * rows] = r[j] as S;
  }
  return { rows, cols, data };
}

/** The rows of `A` as nested arrays. */
export function toRows<S>(A: Matrix<S>): S[][] {
  const out: S[][] = [];
  for (let i = 0; i < A.rows; i++) {
    const r = new Array<S>(A.cols);
    for (let j = 0; j < A.cols; j++) r[j] = at(A, i, j);
    out.push(r);
  }
  return out;
}

/** A `rows × cols` matrix with entries `f(i, j)`. */
export function generate<S>(rows: number, cols: number, f: (i: number, j: number) => S): Matrix<S> {
  const data = new Array<S>(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) data[i + j * rows] = f(i, j);
  return { rows, cols, data };
}

export function zeros<S>(F: Field<S>, rows: number, cols: number): Matrix<S> {
  return { rows, cols, data: new Array<S>(rows * cols).fill(F.zero) };
}

export function identity<S>(F: Field<S>, n: number): Matrix<S> {
  return generate(n, n, (i, j) => (i === j ? F.one : F.zero));
}

/** Entry-wise map, possibly into another field (an explicit conversion). */
export function map<S, T>(A: Matrix<S>, f: (x: S) => T): Matrix<T> {
  return { rows: A.rows, cols: A.cols, data: A.data.map(f) };
}

export function transpose<S>(A: Matrix<S>): Matrix<S> {
  return generate(A.cols, A.rows, (i, j) => at(A, j, i));
}

function sameShape<S>(A: Matrix<S>, B: Matrix<S>, op: string): void {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new ShapeError(`${op}: shapes ${A.rows}×${A.cols} and ${B.rows}×${B.cols} differ`);
  }
}

export function add<S>(F: Field<S>, A: Matrix<S>, B: Matrix<S>): Matrix<S> {
  sameShape(A, B, 'add');
  return { rows: A.rows, cols: A.cols, data: A.data.map((a, k) => F.add(a, B.data[k] as S)) };
}

export function sub<S>(F: Field<S>, A: Matrix<S>, B: Matrix<S>): Matrix<S> {
  sameShape(A, B, 'sub');
  return { rows: A.rows, cols: A.cols, data: A.data.map((a, k) => F.sub(a, B.data[k] as S)) };
}

export function scale<S>(F: Field<S>, s: S, A: Matrix<S>): Matrix<S> {
  return { rows: A.rows, cols: A.cols, data: A.data.map((a) => F.mul(s, a)) };
}

/**
 * Matrix product `A B`. Over binary64 it runs the blocked {@link gemmF64} kernel; over other fields
 * it accumulates in the field (skipping zero entries of `A`, which keeps sparse exact products cheap).
 */
export function mul<S>(F: Field<S>, A: Matrix<S>, B: Matrix<S>): Matrix<S> {
  if (A.cols !== B.rows) throw new ShapeError(`mul: ${A.rows}×${A.cols} times ${B.rows}×${B.cols}`);
  const m = A.rows;
  const k = A.cols;
  const n = B.cols;
  if (F.name === 'F64') {
    const c = gemmF64(m, n, k, A.data as readonly number[], B.data as readonly number[]);
    return { rows: m, cols: n, data: toNumberArray(c) as unknown as S[] };
  }
  if (F.name === 'F64I') return { rows: m, cols: n, data: mulEnclosed(m, n, k, A.data as unknown as Enclosed[], B.data as unknown as Enclosed[]) as unknown as S[] };
  const data = new Array<S>(m * n).fill(F.zero);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) {
      const b = B.data[p + j * k] as S;
      if (F.isZero(b)) continue;
      for (let i = 0; i < m; i++) {
        const a = A.data[i + p * m] as S;
        if (F.isZero(a)) continue;
        data[i + j * m] = F.add(data[i + j * m] as S, F.mul(a, b));
      }
    }
  }
  return { rows: m, cols: n, data };
}

/** Product of a list of matrices, left to right; `identity(F, n)` for an empty list. */
export function product<S>(F: Field<S>, factors: readonly Matrix<S>[], n: number): Matrix<S> {
  let P: Matrix<S> | undefined;
  for (const W of factors) P = P === undefined ? W : mul(F, P, W);
  return P ?? identity(F, n);
}

/** Kronecker product `A ⊗ B`: block `(i, j)` is `a_ij B`. */
export function kron<S>(F: Field<S>, A: Matrix<S>, B: Matrix<S>): Matrix<S> {
  return generate(A.rows * B.rows, A.cols * B.cols, (i, j) =>
    F.mul(at(A, Math.floor(i / B.rows), Math.floor(j / B.cols)), at(B, i % B.rows, j % B.cols)),
  );
}

/** A block matrix; block rows must agree in height and block columns in width. */
export function blocks<S>(grid: readonly (readonly Matrix<S>[])[]): Matrix<S> {
  const heights = grid.map((row, bi) => {
    const h = (row[0] as Matrix<S> | undefined)?.rows ?? 0;
    row.forEach((B, bj) => {
      if (B.rows !== h) throw new ShapeError(`blocks: block (${bi + 1}, ${bj + 1}) has ${B.rows} rows, expected ${h}`);
    });
    return h;
  });
  const first = grid[0] ?? [];
  const widths = first.map((B) => B.cols);
  grid.forEach((row, bi) => {
    if (row.length !== widths.length) throw new ShapeError(`blocks: block row ${bi + 1} has ${row.length} blocks, expected ${widths.length}`);
    row.forEach((B, bj) => {
      if (B.cols !== widths[bj]) throw new ShapeError(`blocks: block (${bi + 1}, ${bj + 1}) has ${B.cols} columns, expected ${widths[bj]}`);
    });
  });
  const rows = heights.reduce((s, h) => s + h, 0);
  const cols = widths.reduce((s, w) => s + w, 0);
  const data = new Array<S>(rows * cols);
  let r0 = 0;
  grid.forEach((row, bi) => {
    let c0 = 0;
    row.forEach((B, bj) => {
      for (let j = 0; j < B.cols; j++) for (let i = 0; i < B.rows; i++) data[r0 + i + (c0 + j) * rows] = at(B, i, j);
      c0 += widths[bj] as number;
    });
    r0 += heights[bi] as number;
  });
  return { rows, cols, data };
}

/** The sub-matrix with rows `r0 ≤ i < r0 + h` and columns `c0 ≤ j < c0 + w`. */
export function slice<S>(A: Matrix<S>, r0: number, c0: number, h: number, w: number): Matrix<S> {
  if (r0 < 0 || c0 < 0 || r0 + h > A.rows || c0 + w > A.cols) throw new ShapeError('slice out of range');
  return generate(h, w, (i, j) => at(A, r0 + i, c0 + j));
}

/** `vec(A)`: the columns stacked (column-major). */
export function vec<S>(A: Matrix<S>): S[] {
  return A.data.slice();
}

/** Inverse of {@link vec}. */
export function unvec<S>(v: readonly S[], rows: number, cols: number): Matrix<S> {
  return fromColumnMajor(rows, cols, v.slice());
}

export function trace<S>(F: Field<S>, A: Matrix<S>): S {
  if (A.rows !== A.cols) throw new ShapeError(`trace of a non-square ${A.rows}×${A.cols} matrix`);
  let t = F.zero;
  for (let i = 0; i < A.rows; i++) t = F.add(t, at(A, i, i));
  return t;
}

/** Frobenius inner product `⟨A, B⟩ = tr(Aᵀ B)`. */
export function inner<S>(F: Field<S>, A: Matrix<S>, B: Matrix<S>): S {
  sameShape(A, B, 'inner');
  let s = F.zero;
  for (let k = 0; k < A.data.length; k++) s = F.add(s, F.mul(A.data[k] as S, B.data[k] as S));
  return s;
}

/** `‖A‖_F²`. */
export function frobeniusSq<S>(F: Field<S>, A: Matrix<S>): S {
  return inner(F, A, A);
}

export function equals<S>(F: Field<S>, A: Matrix<S>, B: Matrix<S>): boolean {
  return A.rows === B.rows && A.cols === B.cols && A.data.every((a, k) => F.eq(a, B.data[k] as S));
}

/** Whether `A = Aᵀ` exactly. */
export function isSymmetric<S>(F: Field<S>, A: Matrix<S>): boolean {
  if (A.rows !== A.cols) return false;
  for (let j = 0; j < A.cols; j++) for (let i = j + 1; i < A.rows; i++) if (!F.eq(at(A, i, j), at(A, j, i))) return false;
  return true;
}

/** Largest absolute entry, as a float (0 for an empty matrix). */
export function maxAbs<S>(F: Field<S>, A: Matrix<S>): number {
  let m = 0;
  for (const a of A.data) m = Math.max(m, Math.abs(F.toNumber(a)));
  return m;
}
