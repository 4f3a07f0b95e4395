import type { Field } from '../field/field.js';
import { fromColumnMajor, ShapeError, type Matrix } from '../linalg/matrix.js';

/**
 * A linear map `S^cols → S^rows` known only through its action on vectors: the one contract every
 * curvature matrix in the engine satisfies (dense Hessians, Hessian–vector products, the reduced
 * operator `K`). Spectral code reads operators without caring where they came from.
 */
export interface LinearOperator<S> {
  readonly field: Field<S>;
  /** `[rows, cols]`. */
  readonly shape: readonly [number, number];
  /** `A v` for a vector of length `cols`; returns a new array of length `rows`. */
  matvec(v: readonly S[]): S[];
  /** Whether the operator is known to be symmetric (a promise its builder makes, checked in tests). */
  readonly symmetric: boolean;
  /** A short human-readable description, e.g. `"Hessian (HVP, closed form)"`. */
  readonly label: string;
  /**
   * Binary64 operators only, optional: `A V` for a block of `b` vectors (`cols × b`, column-major),
   * for operators with a faster block product than `b` products (layer blocks, dense matrices).
   * Read it through {@link applyBlock}, which falls back to `matvec` column by column.
   */
  matmat?(V: Float64Array, b: number): Float64Array;
}

/** `A V` for a block of `b` column-major vectors: the operator's `matmat` when it has one, else `b` products. */
export function applyBlock(op: LinearOperator<number>, V: Float64Array, b: number): Float64Array {
  if (op.matmat !== undefined) return op.matmat(V, b);
  const [rows, cols] = op.shape;
  const out = new Float64Array(rows * b);
  const col = new Array<number>(cols);
  for (let j = 0; j < b; j++) {
    for (let i = 0; i < cols; i++) col[i] = V[cols * j + i] as number;
    out.set(op.matvec(col), rows * j);
  }
  return out;
}

function checkLength<S>(op: LinearOperator<S>, v: readonly S[]): void {
  if (v.length !== op.shape[1]) throw new ShapeError(`${op.label}: expected a vector of length ${op.shape[1]}, got ${v.length}`);
}

/** The operator of a dense matrix. */
export function denseOperator<S>(F: Field<S>, A: Matrix<S>, options: { symmetric?: boolean; label?: string } = {}): LinearOperator<S> {
  const op: LinearOperator<S> = {
    field: F,
    shape: [A.rows, A.cols],
    symmetric: options.symmetric ?? false,
    label: options.label ?? `dense ${A.rows}×${A.cols}`,
    matvec(v) {
      checkLength(op, v);
      const out = new Array<S>(A.rows).fill(F.zero);
      for (let j = 0; j < A.cols; j++) {
        const vj = v[j] as S;
        if (F.isZero(vj)) continue;
        for (let i = 0; i < A.rows; i++) out[i] = F.add(out[i] as S, F.mul(A.data[i + j * A.rows] as S, vj));
      }
      return out;
    },
  };
  return op;
}

/** An operator from a shape and a matvec function (lengths are checked). */
export function operatorFrom<S>(
  F: Field<S>,
  shape: readonly [number, number],
  matvec: (v: readonly S[]) => S[],
  options: { symmetric?: boolean; label?: string } = {},
): LinearOperator<S> {
  const op: LinearOperator<S> = {
    field: F,
    shape,
    symmetric: options.symmetric ?? false,
    label: options.label ?? `operator ${shape[0]}×${shape[1]}`,
    matvec(v) {
      checkLength(op, v);
      const out = matvec(v);
      if (out.length !== shape[0]) throw new ShapeError(`${op.label}: matvec returned ${out.length} entries, expected ${shape[0]}`);
      return out;
    },
  };
  return op;
}

/** The dense matrix of an operator, column by column (`cols` matvecs with unit vectors). */
export function toDense<S>(op: LinearOperator<S>): Matrix<S> {
  const [rows, cols] = op.shape;
  const F = op.field;
  const data = new Array<S>(rows * cols);
  const e = new Array<S>(cols).fill(F.zero);
  for (let j = 0; j < cols; j++) {
    e[j] = F.one;
    const col = op.matvec(e);
    for (let i = 0; i < rows; i++) data[i + j * rows] = col[i] as S;
    e[j] = F.zero;
  }
  return fromColumnMajor(rows, cols, data);
}

/** `A + B`. */
export function sumOperator<S>(A: LinearOperator<S>, B: LinearOperator<S>): LinearOperator<S> {
  if (A.shape[0] !== B.shape[0] || A.shape[1] !== B.shape[1]) {
    throw new ShapeError(`sum: shapes ${A.shape.join('×')} and ${B.shape.join('×')} differ`);
  }
  const F = A.field;
  return operatorFrom(F, A.shape, (v) => {
    const a = A.matvec(v);
    const b = B.matvec(v);
    return a.map((x, i) => F.add(x, b[i] as S));
  }, { symmetric: A.symmetric && B.symmetric, label: `(${A.label}) + (${B.label})` });
}

/** `s A`. */
export function scaleOperator<S>(s: S, A: LinearOperator<S>): LinearOperator<S> {
  const F = A.field;
  return operatorFrom(F, A.shape, (v) => A.matvec(v).map((x) => F.mul(s, x)), {
    symmetric: A.symmetric,
    label: `${F.toString(s)}·(${A.label})`,
  });
}

/** `A B` (apply `B` first). */
export function composeOperators<S>(A: LinearOperator<S>, B: LinearOperator<S>): LinearOperator<S> {
  if (A.shape[1] !== B.shape[0]) throw new ShapeError(`compose: ${A.shape.join('×')} after ${B.shape.join('×')}`);
  return operatorFrom(A.field, [A.shape[0], B.shape[1]], (v) => A.matvec(B.matvec(v)), {
    label: `(${A.label})·(${B.label})`,
  });
}

/** `A − s I` (square operators; the spectrum-shift used by Lanczos for the bottom of the spectrum). */
export function shiftOperator<S>(A: LinearOperator<S>, s: S): LinearOperator<S> {
  if (A.shape[0] !== A.shape[1]) throw new ShapeError(`shift of a non-square ${A.shape.join('×')} operator`);
  const F = A.field;
  return operatorFrom(F, A.shape, (v) => A.matvec(v).map((x, i) => F.sub(x, F.mul(s, v[i] as S))), {
    symmetric: A.symmetric,
    label: `(${A.label}) − ${F.toString(s)}·I`,
  });
}
