/**
 * Exact linear algebra over Q for small dense matrices: reduced row echelon form, rank, null space,
 * inverse, Moore–Penrose pseudo-inverse, rational roots, and an exact thin SVD where one exists
 * (recognized from the float SVD and verified exactly). Used by the minimizer generators.
 */
import { Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { rationalCandidates } from '../field/rational-recognition.js';
import { integerRoot } from '../field/integer-roots.js';
import { at, equals, fromRows, generate, identity, map, mul, ShapeError, sub, transpose, zeros, type Matrix } from './matrix.js';
import { singularValues } from './svd-f64.js';

export class SingularMatrixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SingularMatrixError';
  }
}

/** `A^{-1}` of a square rational matrix by Gauss–Jordan elimination; throws {@link SingularMatrixError} when `A` is singular. */
export function exactInverse(A: Matrix<Rational>): Matrix<Rational> {
  if (A.rows !== A.cols) throw new ShapeError(`inverse of a non-square ${A.rows}×${A.cols} matrix`);
  const n = A.rows;
  // Row-major working copies of A and of the identity.
  const a: Rational[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => at(A, i, j)));
  const b: Rational[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? Rational.ONE : Rational.ZERO)));
  for (let k = 0; k < n; k++) {
    let p = k;
    while (p < n && (a[p]?.[k] as Rational).isZero()) p++;
    if (p === n) throw new SingularMatrixError(`matrix is singular (no pivot in column ${k + 1})`);
    if (p !== k) {
      [a[p], a[k]] = [a[k] as Rational[], a[p] as Rational[]];
      [b[p], b[k]] = [b[k] as Rational[], b[p] as Rational[]];
    }
    const ak = a[k] as Rational[];
    const bk = b[k] as Rational[];
    const pivInv = (ak[k] as Rational).inv();
    for (let j = 0; j < n; j++) {
      ak[j] = (ak[j] as Rational).mul(pivInv);
      bk[j] = (bk[j] as Rational).mul(pivInv);
    }
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const ai = a[i] as Rational[];
      const bi = b[i] as Rational[];
      const f = ai[k] as Rational;
      if (f.isZero()) continue;
      for (let j = 0; j < n; j++) {
        const akj = ak[j] as Rational;
        if (!akj.isZero()) ai[j] = (ai[j] as Rational).sub(f.mul(akj));
        const bkj = bk[j] as Rational;
        if (!bkj.isZero()) bi[j] = (bi[j] as Rational).sub(f.mul(bkj));
      }
    }
  }
  return generate(n, n, (i, j) => b[i]?.[j] as Rational);
}

/** Reduced row echelon form: the non-zero rows (`rank × cols`, row-major) and the pivot columns. */
export interface Rref {
  readonly rows: Rational[][];
  readonly pivots: number[];
  readonly cols: number;
}

export function rref(A: Matrix<Rational>): Rref {
  const m = A.rows;
  const n = A.cols;
  const a: Rational[][] = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => at(A, i, j)));
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < n && r < m; c++) {
    let p = r;
    while (p < m && (a[p]?.[c] as Rational).isZero()) p++;
    if (p === m) continue;
    [a[p], a[r]] = [a[r] as Rational[], a[p] as Rational[]];
    const ar = a[r] as Rational[];
    const inv = (ar[c] as Rational).inv();
    for (let j = c; j < n; j++) ar[j] = (ar[j] as Rational).mul(inv);
    for (let i = 0; i < m; i++) {
      if (i === r) continue;
      const ai = a[i] as Rational[];
      const f = ai[c] as Rational;
      if (f.isZero()) continue;
      for (let j = c; j < n; j++) {
        const arj = ar[j] as Rational;
        if (!arj.isZero()) ai[j] = (ai[j] as Rational).sub(f.mul(arj));
      }
    }
    pivots.push(c);
    r++;
  }
  return { rows: a.slice(0, r), pivots, cols: n };
}

/** The rank of a rational matrix, exactly. */
export function exactRank(A: Matrix<Rational>): number {
  return rref(A).pivots.length;
}

/** A basis of the null space `{x : A x = 0}` (each vector has a 1 in one free position and 0 in the others). */
export function exactNullspace(A: Matrix<Rational>): Rational[][] {
  const { rows, pivots, cols } = rref(A);
  const basis: Rational[][] = [];
  for (let f = 0; f < cols; f++) {
    if (pivots.includes(f)) continue;
    const x = new Array<Rational>(cols).fill(Rational.ZERO);
    x[f] = Rational.ONE;
    pivots.forEach((p, k) => {
      x[p] = (rows[k]?.[f] as Rational).neg();
    });
    basis.push(x);
  }
  return basis;
}

/**
 * The Moore–Penrose pseudo-inverse `A⁺` (`n × m`), exactly, from the rank factorization `A = C F`
 * (`C` the pivot columns of `A`, `F` the non-zero rows of its reduced echelon form):
 * `A⁺ = Fᵀ(F Fᵀ)^{-1}(CᵀC)^{-1}Cᵀ`.
 */
export function pseudoInverse(A: Matrix<Rational>): Matrix<Rational> {
  const { rows, pivots } = rref(A);
  const r = pivots.length;
  if (r === 0) return zeros(Q, A.cols, A.rows);
  const C = generate(A.rows, r, (i, k) => at(A, i, pivots[k] as number));
  const F = fromRows(rows);
  const Ft = transpose(F);
  const Ct = transpose(C);
  const left = mul(Q, Ft, exactInverse(mul(Q, F, Ft)));
  const right = mul(Q, exactInverse(mul(Q, Ct, C)), Ct);
  return mul(Q, left, right);
}


/** The exact `k`-th root of a rational when it is rational (`q ≥ 0`, or `q < 0` with `k` odd), else `undefined`. */
export function rationalRoot(q: Rational, k: number): Rational | undefined {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`rationalRoot: k must be a positive integer, got ${k}`);
  if (k === 1) return q;
  if (q.sign() < 0) {
    if (k % 2 === 0) return undefined;
    const r = rationalRoot(q.neg(), k);
    return r?.neg();
  }
  const K = BigInt(k);
  const n = integerRoot(q.num, k);
  if (n ** K !== q.num) return undefined;
  const d = integerRoot(q.den, k);
  if (d ** K !== q.den) return undefined;
  return new Rational(n, d);
}

function show(x: number): string {
  return Number(x.toPrecision(10)).toString();
}

/** An exact thin SVD `M = U diag(s) Vᵀ`: `U` is `m × r`, `V` is `n × r`, both with orthonormal columns; `s` positive, descending; `r = rank M`. */
export interface ExactSvd {
  readonly U: Matrix<Rational>;
  readonly s: readonly Rational[];
  readonly V: Matrix<Rational>;
}

/** {@link exactSvd}'s answer: the decomposition, or why none was found. */
export type ExactSvdResult = { readonly ok: true; readonly svd: ExactSvd } | { readonly ok: false; readonly reason: string };

const MAX_DENOMINATOR = 1n << 40n;

/**
 * An exact rational SVD of `M`, when one exists and can be recognized: the singular values are
 * guessed from the float64 SVD (continued fractions) and then verified exactly (`MᵀM − σ²I` singular
 * with a null space of the right dimension); singular vectors come from the exact null space,
 * orthonormalized by Gram–Schmidt, which needs every squared norm to be the square of a rational.
 * The decomposition is checked (`M = U diag(s) Vᵀ`, orthonormal columns) before it is returned, so an
 * `ok` answer is always right; a refusal may (rarely) be a miss, e.g. singular values with denominators
 * above 2^40 or two singular values closer than about 1e-9·‖M‖₂.
 */
export function exactSvd(M: Matrix<Rational>): ExactSvdResult {
  const m = M.rows;
  const n = M.cols;
  const r = exactRank(M);
  if (r === 0) return { ok: true, svd: { U: zeros(Q, m, 0), s: [], V: zeros(Q, n, 0) } };
  // Work with A = M or Mᵀ so that the Gram matrix AᵀA is the smaller one.
  const transposed = m < n;
  const A = transposed ? transpose(M) : M;
  const At = transpose(A);
  const G = mul(Q, At, A);
  const k = G.rows;
  const sv = singularValues(map(M, (x) => x.toNumber()));
  const top = sv[0] ?? 0;
  const tol = 1e-9 * top;
  const found: { sigma: Rational; vectors: Rational[][] }[] = [];
  const nullOf = (lambda: Rational): Rational[][] => exactNullspace(sub(Q, G, generate(k, k, (i, j) => (i === j ? lambda : Rational.ZERO))));
  for (let idx = 0; idx < r; idx++) {
    const x = sv[idx] ?? 0;
    if (found.some((f) => Math.abs(f.sigma.toNumber() - x) <= tol)) continue;
    const candidates = rationalCandidates(x, MAX_DENOMINATOR)
      .filter((c) => Math.abs(c.toNumber() - x) <= tol)
      .slice(0, 6);
    let hit: { sigma: Rational; vectors: Rational[][] } | undefined;
    for (const c of candidates) {
      if (c.isZero()) continue;
      const vs = nullOf(c.mul(c));
      if (vs.length > 0) {
        hit = { sigma: c, vectors: vs };
        break;
      }
    }
    if (hit === undefined) {
      const squares = rationalCandidates(x * x, MAX_DENOMINATOR)
        .filter((c) => Math.abs(c.toNumber() - x * x) <= 4 * tol * Math.max(top, 1))
        .slice(0, 6);
      for (const c of squares) {
        if (c.isZero()) continue;
        if (nullOf(c).length > 0) return { ok: false, reason: `singular value √(${c.toString()}) ≈ ${show(x)} is irrational` };
      }
      return { ok: false, reason: `singular value ≈ ${show(x)} is not rational (or not recognized as one)` };
    }
    found.push(hit);
  }
  const total = found.reduce((s, f) => s + f.vectors.length, 0);
  if (total !== r) return { ok: false, reason: `singular values could not be separated (found ${total} of rank ${r} singular directions)` };
  found.sort((p, q) => q.sigma.compare(p.sigma));
  // Orthonormal rational bases of each right singular subspace (of A).
  const vCols: Rational[][] = [];
  const sigmas: Rational[] = [];
  for (const f of found) {
    const ortho: Rational[][] = [];
    for (const v of f.vectors) {
      let w = v.slice();
      for (const u of ortho) {
        const c = dot(w, u).div(dot(u, u));
        w = w.map((wi, i) => wi.sub(c.mul(u[i] as Rational)));
      }
      ortho.push(w);
    }
    for (const w of ortho) {
      const norm = rationalRoot(dot(w, w), 2);
      if (norm === undefined) {
        const what = f.vectors.length === 1 ? 'its singular vector has' : `its ${f.vectors.length}-dimensional singular subspace has`;
        return { ok: false, reason: `singular value ${f.sigma.toString()} is rational but ${what} no rational unit basis (squared norm ${dot(w, w).toString()} is not a square)` };
      }
      vCols.push(w.map((wi) => wi.div(norm)));
      sigmas.push(f.sigma);
    }
  }
  const VA = generate(k, r, (i, j) => vCols[j]?.[i] as Rational);
  const AV = mul(Q, A, VA);
  const UA = generate(A.rows, r, (i, j) => at(AV, i, j).div(sigmas[j] as Rational));
  const U = transposed ? VA : UA;
  const V = transposed ? UA : VA;
  const S = generate(r, r, (i, j) => (i === j ? (sigmas[i] as Rational) : Rational.ZERO));
  const ok =
    equals(Q, mul(Q, mul(Q, U, S), transpose(V)), M) &&
    equals(Q, mul(Q, transpose(U), U), identity(Q, r)) &&
    equals(Q, mul(Q, transpose(V), V), identity(Q, r));
  if (!ok) return { ok: false, reason: 'the recognized singular vectors do not reproduce M exactly' };
  return { ok: true, svd: { U, s: sigmas, V } };
}

function dot(a: readonly Rational[], b: readonly Rational[]): Rational {
  let s = Rational.ZERO;
  for (let i = 0; i < a.length; i++) s = s.add((a[i] as Rational).mul(b[i] as Rational));
  return s;
}

