/**
 * Rigorous interval arithmetic in binary64, without directed rounding: the field {@link F64I} of
 * midpoint–radius enclosures `⟨m, r⟩ = [m − r, m + r]`, so that every closed form written against
 * `Field<S>` (the Hessian blocks, the reduced operator `K`, the partial products) runs unchanged and
 * returns, entry by entry, an enclosure of the EXACT value at the exact rational inputs.
 *
 * JavaScript rounds to nearest only, so each radius is an upper bound computed from a priori error
 * bounds (`docs/sharpness.md`, "Verified floating point"):
 * - a product or sum of two binary64 numbers rounded to nearest is within `u·|fl(x)|/(1 − u)` of the exact
 *   one (`u = 2^−53`), plus `2^−1075` when a product underflows;
 * - a nonnegative expression of at most 7 operations evaluated in binary64 (the radius itself) is
 *   at most `fl(T)·(1 + γ_7)`; {@link up} returns `fl(T)·(1 + 2^−49) + 2^−1070`, which exceeds it
 *   (`γ_7 < 2^−49 − u`, and the additive term covers the underflow of the products).
 *
 * Exact binary64 inputs have radius 0; a rational that is not a binary64 number gets the radius
 * `2^−51·|m|` (one ulp of the correctly rounded value, with room).
 */
import type { Field } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { gemmF64 } from '../linalg/gemm-f64.js';
// Types only: linalg/matrix.ts dispatches interval products here, so no runtime import back.
import type { Matrix } from '../linalg/matrix.js';

const at = <S>(A: Matrix<S>, i: number, j: number): S => A.data[i + j * A.rows] as S;

/** `[m − r, m + r]` with `r ≥ 0`: an enclosure of one real number. */
export interface Enclosed {
  readonly m: number;
  readonly r: number;
}

const U2 = 2 ** -52; // 2u: covers u/(1 − u)
const INFLATE = 1 + 2 ** -49;
const ETA = 2 ** -1070;

/**
 * An upper bound of the exact value of a nonnegative expression of at most 7 binary64 operations on
 * nonnegative operands, given its binary64 value `t` (see the module comment).
 */
export function up(t: number): number {
  return t * INFLATE + ETA;
}

/**
 * An upper bound of the exact value of a sum of `k` nonnegative terms, each itself an upper bound,
 * given the binary64 sum `t` computed in any order: `t·(1 + γ_{k})` with room (valid for `k·u < 0.01`).
 */
export function upSum(t: number, k: number): number {
  return t * (1 + (k + 8) * U2) + (k + 1) * ETA;
}

/** `γ_k = k u/(1 − k u)`, rounded up (for `k u < 0.01`). */
export function gammaUp(k: number): number {
  return (k + 1) * 1.02 * 2 ** -53;
}

function enclosed(m: number, r: number): Enclosed {
  if (!Number.isFinite(m) || !Number.isFinite(r)) throw new RangeError(`binary64 interval overflow (midpoint ${m}, radius ${r})`);
  return { m, r };
}

const ZERO: Enclosed = { m: 0, r: 0 };
const ONE: Enclosed = { m: 1, r: 0 };

function fromRational(q: Rational): Enclosed {
  const m = q.toNumber();
  if (!Number.isFinite(m)) throw new RangeError(`${q.toString()} does not fit binary64`);
  if (Rational.fromNumber(m).equals(q)) return { m, r: 0 };
  return { m, r: up(2 ** -51 * Math.abs(m)) };
}

function mul(a: Enclosed, b: Enclosed): Enclosed {
  const m = a.m * b.m;
  if (a.r === 0 && b.r === 0 && m === 0 && (a.m === 0 || b.m === 0)) return ZERO;
  const am = Math.abs(a.m);
  const bm = Math.abs(b.m);
  return enclosed(m, up(am * b.r + a.r * (bm + b.r) + U2 * Math.abs(m)));
}

function add(a: Enclosed, b: Enclosed): Enclosed {
  if (a.r === 0 && a.m === 0) return b;
  if (b.r === 0 && b.m === 0) return a;
  const m = a.m + b.m;
  return enclosed(m, up(a.r + b.r + U2 * Math.abs(m)));
}

function neg(a: Enclosed): Enclosed {
  return { m: -a.m, r: a.r };
}

function inv(b: Enclosed): Enclosed {
  const bm = Math.abs(b.m);
  if (!(bm > b.r)) throw new RangeError(`division by an interval that may contain 0 (${b.m} ± ${b.r})`);
  const m = 1 / b.m;
  if (b.r === 0) return enclosed(m, up(U2 * Math.abs(m)));
  // |1/x − 1/b.m| ≤ r/(|b.m|(|b.m| − r)) for |x − b.m| ≤ r; the denominator rounded down with room.
  const denominator = (bm - b.r) * bm * (1 - 2 ** -48);
  return enclosed(m, up(b.r / denominator + U2 * Math.abs(m)));
}

/**
 * The field of rigorous binary64 intervals. Comparisons (`compare`, `sign`) look at midpoints only and
 * serve no rigorous decision; `isZero`/`eq` are true only for exact point values.
 */
export const F64I: Field<Enclosed> = {
  name: 'F64I',
  exact: false,
  unitRoundoff: 2 ** -53,
  zero: ZERO,
  one: ONE,
  add,
  sub: (a, b) => add(a, neg(b)),
  mul,
  div: (a, b) => mul(a, inv(b)),
  neg,
  inv,
  isZero: (a) => a.m === 0 && a.r === 0,
  eq: (a, b) => a.m === b.m && a.r === 0 && b.r === 0,
  compare: (a, b) => (a.m < b.m ? -1 : a.m > b.m ? 1 : 0),
  sign: (a) => (a.m < 0 ? -1 : a.m > 0 ? 1 : 0),
  fromInt: (n) => fromRational(Rational.fromBigInt(typeof n === 'bigint' ? n : BigInt(n))),
  fromNumber: (x) => {
    if (!Number.isFinite(x)) throw new RangeError(`non-finite number ${x}`);
    return { m: x, r: 0 };
  },
  fromRational,
  toNumber: (a) => a.m,
  toRational: (a) => Rational.fromNumber(a.m),
  toString: (a) => (a.r === 0 ? String(a.m) : `${a.m}±${a.r}`),
  parse: (text) => fromRational(Rational.parse(text)),
};

/** Upper bound of `|x|` over the enclosure. */
export function magnitude(a: Enclosed): number {
  return up(Math.abs(a.m) + a.r);
}

/**
 * A square interval matrix as two column-major binary64 arrays: `mid` exactly symmetric (the mean of
 * the two mirrored midpoints), `rad` symmetric and covering both mirrored enclosures, so that every
 * symmetric matrix inside the original enclosure lies in `mid ± rad`.
 */
export interface SymmetricEnclosure {
  readonly n: number;
  readonly mid: Float64Array;
  readonly rad: Float64Array;
}

/** The {@link SymmetricEnclosure} of a square matrix over {@link F64I}. */
export function symmetricEnclosure(A: Matrix<Enclosed>): SymmetricEnclosure {
  if (A.rows !== A.cols) throw new RangeError(`symmetricEnclosure: ${A.rows}×${A.cols} is not square`);
  return symmetrized(A.rows, (i, j) => at(A, i, j));
}

/**
 * A square interval matrix accumulated as sums of products of enclosed factors, straight into
 * binary64 arrays (no per-entry objects): {@link add} each term `a·b` of entry `k`, then
 * {@link finish}. With at most `terms` products per entry, the midpoint sum is within
 * `γ_{terms}·Σ|a_m b_m|` of the exact sum of midpoint products, which the radius covers.
 */
export class IntervalAccumulator {
  private readonly mid: Float64Array;
  private readonly rad: Float64Array;
  private readonly mag: Float64Array;
  constructor(
    readonly n: number,
    private readonly terms: number,
  ) {
    this.mid = new Float64Array(n * n);
    this.rad = new Float64Array(n * n);
    this.mag = new Float64Array(n * n);
  }

  add(k: number, a: Enclosed, b: Enclosed): void {
    const p = a.m * b.m;
    this.mid[k] = (this.mid[k] as number) + p;
    this.mag[k] = (this.mag[k] as number) + Math.abs(p);
    if (a.r !== 0 || b.r !== 0) this.rad[k] = (this.rad[k] as number) + Math.abs(a.m) * b.r + a.r * (Math.abs(b.m) + b.r);
  }

  /** The symmetric enclosure (radii rounded up, midpoints made exactly symmetric). */
  finish(): SymmetricEnclosure {
    const g = gammaUp(this.terms + 1);
    const { mid, rad, mag } = this;
    const termsOps = 6 * this.terms + 4;
    return symmetrized(this.n, (i, j) => {
      const k = i + j * this.n;
      return { m: mid[k] as number, r: upSum((rad[k] as number) + g * (mag[k] as number), termsOps) + this.terms * ETA };
    });
  }
}

function symmetrized(n: number, entry: (i: number, j: number) => Enclosed): SymmetricEnclosure {
  const mid = new Float64Array(n * n);
  const rad = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = j; i < n; i++) {
      const a = entry(i, j);
      const b = entry(j, i);
      // The midpoint of the two: exact halves unless it underflows; its distance to each end point is
      // covered by |a.m − b.m| (with room for the rounding of the half sum).
      const m = a.m === b.m ? a.m : (a.m + b.m) / 2;
      const r = a.m === b.m ? Math.max(a.r, b.r) : up(Math.max(a.r, b.r) + Math.abs(a.m - b.m) + U2 * Math.abs(m));
      mid[i + j * n] = m;
      mid[j + i * n] = m;
      rad[i + j * n] = r;
      rad[j + i * n] = r;
    }
  return { n, mid, rad };
}

/**
 * The product of two interval matrices by three binary64 matrix products (Rump's midpoint–radius
 * product, without directed rounding): `C_m = fl(A_m B_m)` and
 * `C_r ≥ |A_m|(γ_k|B_m| + B_r) + A_r(|B_m| + B_r)`, which bounds `|XY − A_mB_m|` for every `X ∈ A`, `Y ∈ B`
 * together with the rounding `|fl(A_mB_m) − A_mB_m| ≤ γ_k|A_m||B_m|` (any summation order, with or
 * without fused multiply–add); the radius products are nonnegative and inflated by `γ_{k+4}`.
 */
export function mulEnclosed(m: number, n: number, k: number, A: readonly Enclosed[], B: readonly Enclosed[]): Enclosed[] {
  const am = new Float64Array(m * k);
  const aAbs = new Float64Array(m * k);
  const ar = new Float64Array(m * k);
  for (let t = 0; t < m * k; t++) {
    const x = A[t] as Enclosed;
    am[t] = x.m;
    aAbs[t] = Math.abs(x.m);
    ar[t] = x.r;
  }
  const bm = new Float64Array(k * n);
  const right1 = new Float64Array(k * n);
  const right2 = new Float64Array(k * n);
  const g = gammaUp(k);
  let anyRadius = false;
  for (let t = 0; t < k * n; t++) {
    const y = B[t] as Enclosed;
    bm[t] = y.m;
    right1[t] = g * Math.abs(y.m) + y.r;
    right2[t] = Math.abs(y.m) + y.r;
  }
  for (let t = 0; t < m * k && !anyRadius; t++) anyRadius = (ar[t] as number) > 0;
  const mid = gemmF64(m, n, k, am, bm);
  const rad = gemmF64(m, n, k, aAbs, right1);
  const rad2 = anyRadius ? gemmF64(m, n, k, ar, right2) : null;
  const out = new Array<Enclosed>(m * n);
  for (let t = 0; t < m * n; t++) {
    const c = mid[t] as number;
    const r = upSum((rad[t] as number) + (rad2 === null ? 0 : (rad2[t] as number)), k + 4) + (k + 1) * ETA;
    out[t] = enclosed(c, r);
  }
  return out;
}

/** The float entries of a matrix, rounded once, as a {@link Matrix} over {@link F64I} (exact rationals enclosed). */
export function encloseMatrix(A: Matrix<Rational>): Matrix<Enclosed> {
  return { rows: A.rows, cols: A.cols, data: A.data.map(fromRational) };
}

const view = new DataView(new ArrayBuffer(8));

/** The next binary64 number above `x` (finite `x`). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The next binary64 number below `x` (finite `x`). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** The largest binary64 number `≤ q`. */
export function floatBelow(q: Rational): number {
  let x = q.toNumber();
  while (Rational.fromNumber(x).compare(q) > 0) x = nextDown(x);
  return x;
}

/** The smallest binary64 number `≥ q`. */
export function floatAbove(q: Rational): number {
  let x = q.toNumber();
  while (Rational.fromNumber(x).compare(q) < 0) x = nextUp(x);
  return x;
}
