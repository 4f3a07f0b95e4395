/**
 * Zero-loss points (global minimizers) of deep matrix factorization `L = ½‖W_N ⋯ W_1 − M‖_F²`,
 * built exactly over the rationals (`docs/math.md §3`):
 *
 * - `'balanced'`: `W_i = U_i S^{1/N} U_{i−1}ᵀ` from an exact SVD `M = U_N S U_0ᵀ` with rational
 *   orthogonal hidden `U_i` (Cayley transforms); exact when every singular value of `M` is rational,
 *   a perfect `N`-th power, with rational singular vectors. Otherwise binary64 (see {@link generateMinimizer}).
 * - `'gl-orbit'`: a balanced (or random exact) minimizer moved along `W_{i+1} → W_{i+1} G_i`, `W_i → G_i^{-1} W_i`.
 * - `'diagonal'`: diagonal factors of a diagonal target.
 * - `'random'`: random small rational `W_1..W_{N−1}` and `W_N = M B⁺`, `B = W_{N−1} ⋯ W_1`.
 *
 * Every exact model is checked (`W_N ⋯ W_1 = M` exactly) before it is returned.
 * See docs/minimizers.md.
 */
import { InputError } from '../errors/input-error.js';
import { F64, Q } from '../field/field.js';
import { bigGcd, Rational } from '../field/rational.js';
import {
  at,
  equals,
  fromRows,
  generate,
  map,
  mul,
  slice,
  sub,
  frobeniusSq,
  transpose,
  type Matrix,
} from '../linalg/matrix.js';
import { svd } from '../linalg/svd-f64.js';
import { exactInverse, exactRank, exactSvd, pseudoInverse, rationalRoot, rref, type ExactSvd } from '../linalg/exact.js';
import { makeDmfModel, type DmfModel, type Reduction } from '../models/model.js';
import { randomOrthogonal, seededRandom, type SeededRandom } from './orthogonal.js';

/** How a minimizer is built (see docs/minimizers.md). */
export type MinimizerKind = 'balanced' | 'gl-orbit' | 'diagonal' | 'random';

/** The kinds, in the order the CLI and the arbitraries list them. */
export const MINIMIZER_KINDS: readonly MinimizerKind[] = ['balanced', 'gl-orbit', 'diagonal', 'random'];

/** Why {@link generateMinimizer} refused: bad options, no factorization, or an inexact balanced minimizer where exactness was required. */
export type MinimizerErrorCode = 'bad-options' | 'no-factorization' | 'not-rational';

/** A request {@link generateMinimizer} or `randomTarget` (random-target.ts) cannot satisfy; the message says why. */
export class MinimizerError extends InputError {
  readonly code: MinimizerErrorCode;
  /** The message without advice on what to do instead (for `'not-rational'`: `balanced minimizer of this target is not rational: …`). */
  readonly reason: string;
  constructor(message: string, code: MinimizerErrorCode = 'bad-options', reason: string = message) {
    super(message);
    this.name = 'MinimizerError';
    this.code = code;
    this.reason = reason;
  }
}

/** Options of {@link generateMinimizer}. */
export interface GenerateMinimizerOptions {
  /** `M`, `d_N × d_0`. */
  readonly target: Matrix<Rational>;
  /** `N ≥ 1`. */
  readonly depth: number;
  /**
   * `d_0, …, d_N` (length `N + 1`); `d_0` and `d_N` must be the target's columns and rows, hidden
   * widths at least `rank M`. Default: every hidden width `max(d_0, d_N)`.
   */
  readonly widths?: readonly number[];
  readonly kind: MinimizerKind;
  /** Seed of the random choices (default 1). The same options give the same model. */
  readonly seed?: number;
  /**
   * Only `'balanced'` and `'gl-orbit'` can be inexact. Left out: exact when possible, otherwise a
   * binary64 balanced minimizer (`'gl-orbit'`: a random exact start instead). `true`: exact or a
   * {@link MinimizerError} (code `'not-rational'`; `'gl-orbit'` still falls back to a random exact start).
   * `false`: the balanced factors are computed in binary64 (from the float SVD) even when an exact
   * one exists. `'diagonal'` and `'random'` are always exact.
   */
  readonly exact?: boolean;
  /** Loss scale of the model (default `'half'`). */
  readonly reduction?: Reduction;
}

/** What {@link generateMinimizer} returns. */
export interface GeneratedMinimizer {
  readonly model: DmfModel<Rational>;
  /** Whether `W_N ⋯ W_1 = M` holds exactly (the loss is exactly 0). */
  readonly exact: boolean;
  /** How the model was built: fallbacks taken, the relative residual of a float64 model, and so on. */
  readonly notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Exact linear algebra over Q (small dense matrices).

/** `W_N ⋯ W_1` (`weights[0]` is `W_1`). */
export function productOf(weights: readonly Matrix<Rational>[]): Matrix<Rational> {
  const first = weights[0];
  if (first === undefined) throw new RangeError('productOf: no layers');
  let P = first;
  for (let i = 1; i < weights.length; i++) P = mul(Q, weights[i] as Matrix<Rational>, P);
  return P;
}

/** Whether the factors are balanced: `W_{i+1}ᵀ W_{i+1} = W_i W_iᵀ` exactly for `i = 1..N−1`. */
export function isBalanced(weights: readonly Matrix<Rational>[]): boolean {
  for (let i = 0; i + 1 < weights.length; i++) {
    const W = weights[i] as Matrix<Rational>;
    const V = weights[i + 1] as Matrix<Rational>;
    if (!equals(Q, mul(Q, transpose(V), V), mul(Q, W, transpose(W)))) return false;
  }
  return true;
}

/** `2nd`, `3rd`, `4th`, `11th`, `21st`. */
export function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

// ---------------------------------------------------------------------------------------------
// Generators.

const R = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));

/** Non-zero diagonal entries for `'diagonal'` layers and GL scalings. */
const DIAGONAL_CHOICES: readonly Rational[] = [R(1, 2), R(-1, 2), R(2), R(-2), R(3, 4), R(-3, 4), R(3, 2), R(-2, 3), R(1), R(-1)];
/** Diagonal entries of `G_i` in `'gl-orbit'` (never 1, so `G_i ≠ I`). */
const GL_SCALINGS: readonly Rational[] = [R(2), R(1, 2), R(-2), R(-1, 2), R(3, 2), R(2, 3), R(-1), R(3)];
/** Entries of random layers in `'random'`. */
const RANDOM_ENTRIES: readonly Rational[] = [R(-2), R(-1), R(-1, 2), R(0), R(1, 2), R(1), R(2)];

interface Context {
  readonly M: Matrix<Rational>;
  readonly N: number;
  readonly widths: readonly number[];
  readonly rank: number;
  readonly rng: SeededRandom;
  readonly exact: boolean | undefined;
}

interface Built {
  readonly weights: Matrix<Rational>[];
  /** Whether the construction is exact (then `P = M` is verified); false for the float64 route. */
  readonly exactRoute: boolean;
  readonly notes: string[];
}

function widthsText(widths: readonly number[]): string {
  return widths.join(', ');
}

function validate(o: GenerateMinimizerOptions): { widths: number[]; rank: number } {
  const M = o.target;
  if (M.rows < 1 || M.cols < 1) throw new MinimizerError(`target must be a non-empty matrix, got ${M.rows}×${M.cols}`);
  if (!MINIMIZER_KINDS.includes(o.kind)) {
    throw new MinimizerError(`unknown kind ${JSON.stringify(String(o.kind))} (kinds: ${MINIMIZER_KINDS.join(', ')})`);
  }
  const N = o.depth;
  if (!Number.isInteger(N) || N < 1) throw new MinimizerError(`depth must be an integer N ≥ 1, got ${N}`);
  if (o.seed !== undefined && !Number.isFinite(o.seed)) throw new MinimizerError(`seed must be a finite number, got ${o.seed}`);
  let widths: number[];
  if (o.widths === undefined) {
    const h = Math.max(M.rows, M.cols);
    widths = Array.from({ length: N + 1 }, (_, i) => (i === 0 ? M.cols : i === N ? M.rows : h));
  } else {
    widths = o.widths.slice();
    if (widths.length !== N + 1) {
      throw new MinimizerError(`widths: expected N + 1 = ${N + 1} widths d_0..d_N for depth ${N}, got ${widths.length} (${widthsText(widths)})`);
    }
    widths.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 1) throw new MinimizerError(`widths: d_${i} must be a positive integer, got ${d}`);
    });
    if (widths[0] !== M.cols) throw new MinimizerError(`widths: d_0 = ${widths[0]} must equal the number of columns of the ${M.rows}×${M.cols} target (${M.cols})`);
    if (widths[N] !== M.rows) throw new MinimizerError(`widths: d_${N} = ${widths[N]} must equal the number of rows of the ${M.rows}×${M.cols} target (${M.rows})`);
  }
  const rank = exactRank(M);
  for (let i = 1; i < N; i++) {
    const d = widths[i] as number;
    if (d < rank) {
      throw new MinimizerError(
        `hidden width d_${i} = ${d} is below rank(M) = ${rank}: W_N ⋯ W_1 has rank at most ${d}, so no factorization with these widths fits the target`,
        'no-factorization',
      );
    }
  }
  return { widths, rank };
}

/** The first `r` columns of a random rational orthogonal `d × d` matrix. */
function orthonormalColumns(d: number, r: number, rng: SeededRandom): Matrix<Rational> {
  return slice(randomOrthogonal(d, { random: rng }), 0, 0, d, r);
}

/** The diagonal matrix of `values`. */
export function diag(values: readonly Rational[]): Matrix<Rational> {
  return generate(values.length, values.length, (i, j) => (i === j ? (values[i] as Rational) : Rational.ZERO));
}

/** Why the balanced minimizer of `M` at depth `N` is not rational, or its exact ingredients. */
function exactBalancedParts(M: Matrix<Rational>, N: number): { ok: true; svd: ExactSvd; roots: Rational[] } | { ok: false; reason: string } {
  const res = exactSvd(M);
  if (!res.ok) return res;
  const roots: Rational[] = [];
  for (const s of res.svd.s) {
    const t = rationalRoot(s, N);
    if (t === undefined) return { ok: false, reason: `singular value ${s.toString()} is not a perfect ${ordinal(N)} power` };
    roots.push(t);
  }
  return { ok: true, svd: res.svd, roots };
}

function balancedExact(ctx: Context, svdM: ExactSvd, roots: readonly Rational[]): Matrix<Rational>[] {
  const { N, widths, rng } = ctx;
  const r = roots.length;
  const Us: Matrix<Rational>[] = [svdM.V];
  for (let i = 1; i < N; i++) Us.push(orthonormalColumns(widths[i] as number, r, rng));
  Us.push(svdM.U);
  const T = diag(roots);
  return Array.from({ length: N }, (_, i) => mul(Q, mul(Q, Us[i + 1] as Matrix<Rational>, T), transpose(Us[i] as Matrix<Rational>)));
}

function balancedFloat(ctx: Context): Matrix<Rational>[] {
  const { M, N, widths, rank: r, rng } = ctx;
  const dec = svd(map(M, (x) => x.toNumber()));
  const take = (A: Matrix<number>): Matrix<number> => slice(A, 0, 0, A.rows, r);
  const Us: Matrix<number>[] = [take(dec.V)];
  for (let i = 1; i < N; i++) Us.push(map(orthonormalColumns(widths[i] as number, r, rng), (x) => x.toNumber()));
  Us.push(take(dec.U));
  const T = generate(r, r, (i, j) => (i === j ? Math.pow(dec.s[i] ?? 0, 1 / N) : 0));
  return Array.from({ length: N }, (_, i) =>
    map(mul(F64, mul(F64, Us[i + 1] as Matrix<number>, T), transpose(Us[i] as Matrix<number>)), (x) => Rational.fromNumber(x)),
  );
}

function buildBalanced(ctx: Context): Built {
  const { M, N } = ctx;
  if (N === 1) return { weights: [M], exactRoute: true, notes: ['depth 1: W_1 = M (nothing to balance)'] };
  if (ctx.exact !== false) {
    const parts = exactBalancedParts(M, N);
    if (parts.ok) {
      const sv = parts.svd.s.map((s) => s.toString()).join(', ');
      return {
        weights: balancedExact(ctx, parts.svd, parts.roots),
        exactRoute: true,
        notes: [
          `exact SVD M = U_N S U_0ᵀ with singular values ${sv === '' ? '(none: M = 0)' : sv}; W_i = U_i S^{1/${N}} U_{i−1}ᵀ with rational orthogonal (Cayley) hidden U_i`,
        ],
      };
    }
    if (ctx.exact === true) {
      const reason = `balanced minimizer of this target is not rational: ${parts.reason}`;
      throw new MinimizerError(
        `${reason}; use kind gl-orbit or random (always exact), leave exact unset to accept a float64 balanced minimizer, or use a target with an exact SVD whose singular values are perfect ${ordinal(N)} powers`,
        'not-rational',
        reason,
      );
    }
    return { weights: balancedFloat(ctx), exactRoute: false, notes: [`the balanced minimizer is not rational (${parts.reason}); computed in float64 from the SVD instead`] };
  }
  return { weights: balancedFloat(ctx), exactRoute: false, notes: ['float64 requested: W_i = U_i S^{1/N} U_{i−1}ᵀ from the float64 SVD'] };
}

/** A random `d × d` invertible `G = L D` (`L` unit triangular with entries in {−1, 0, 1}, `D` diagonal, never `I`), and its inverse. */
function randomGl(d: number, rng: SeededRandom): { G: Matrix<Rational>; Ginv: Matrix<Rational> } {
  const lower = rng.next() < 0.5;
  const L = generate(d, d, (i, j) => (i === j ? Rational.ONE : (lower ? i > j : i < j) ? R(rng.int(-1, 1)) : Rational.ZERO));
  const D = diag(Array.from({ length: d }, () => rng.pick(GL_SCALINGS)));
  const G = mul(Q, L, D);
  return { G, Ginv: exactInverse(G) };
}

function buildGlOrbit(ctx: Context): Built {
  const { N, widths, rng } = ctx;
  let start: Built;
  const notes: string[] = [];
  if (ctx.exact === false) {
    start = buildBalanced(ctx);
    notes.push('start: balanced minimizer in float64 (the transformation itself is exact, so P is that of the start)');
  } else {
    const parts = N === 1 ? undefined : exactBalancedParts(ctx.M, N);
    if (parts === undefined || parts.ok) {
      start = buildBalanced({ ...ctx, exact: true });
      notes.push('start: exact balanced minimizer');
    } else {
      start = buildRandom(ctx);
      notes.push(`start: random exact minimizer (the balanced one is not rational: ${parts.reason})`);
    }
  }
  if (N === 1) return { weights: start.weights, exactRoute: start.exactRoute, notes: [...notes, 'depth 1: no hidden layer, so the GL orbit is a single point'] };
  let weights = start.weights;
  for (let attempt = 0; attempt < 8; attempt++) {
    weights = start.weights.slice();
    for (let i = 1; i < N; i++) {
      // Between layer i and i+1 (0-based weights[i-1], weights[i]), acting on R^{d_i}.
      const { G, Ginv } = randomGl(widths[i] as number, rng);
      weights[i] = mul(Q, weights[i] as Matrix<Rational>, G);
      weights[i - 1] = mul(Q, Ginv, weights[i - 1] as Matrix<Rational>);
    }
    if (weights.some((W, i) => !equals(Q, W, start.weights[i] as Matrix<Rational>))) break;
  }
  notes.push(`W_{i+1} → W_{i+1} G_i, W_i → G_i^{-1} W_i for i = 1..${N - 1}, G_i = L_i D_i (unit triangular times diagonal, rational)`);
  return { weights, exactRoute: start.exactRoute, notes };
}

function buildDiagonal(ctx: Context): Built {
  const { M, N, widths, rng } = ctx;
  const n = M.rows;
  if (M.rows !== M.cols) throw new MinimizerError(`kind diagonal needs a square diagonal target, got a ${M.rows}×${M.cols} target`);
  if (widths.some((d) => d !== n)) {
    throw new MinimizerError(`kind diagonal needs equal widths d_0 = … = d_N = ${n}, got ${widthsText(widths)}`);
  }
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++)
      if (i !== j && !at(M, i, j).isZero()) throw new MinimizerError(`kind diagonal needs a diagonal target; entry (${i + 1}, ${j + 1}) is ${at(M, i, j).toString()}`);
  const entries: Rational[][] = Array.from({ length: N }, () => new Array<Rational>(n).fill(Rational.ZERO));
  for (let k = 0; k < n; k++) {
    const m = at(M, k, k);
    if (m.isZero()) {
      const zeroLayer = rng.int(0, N - 1);
      for (let i = 0; i < N; i++) (entries[i] as Rational[])[k] = i === zeroLayer ? Rational.ZERO : rng.pick(DIAGONAL_CHOICES);
    } else {
      let prod = Rational.ONE;
      for (let i = 0; i < N - 1; i++) {
        const e = rng.pick(DIAGONAL_CHOICES);
        (entries[i] as Rational[])[k] = e;
        prod = prod.mul(e);
      }
      (entries[N - 1] as Rational[])[k] = m.div(prod);
    }
  }
  return {
    weights: entries.map((e) => diag(e)),
    exactRoute: true,
    notes: ['diagonal factors: layers 1..N−1 random in {±1/2, ±2, ±3/4, 3/2, −2/3, ±1}, the last solved exactly; a zero target entry zeroes one random factor'],
  };
}

function randomMatrix(rows: number, cols: number, rng: SeededRandom): Matrix<Rational> {
  return generate(rows, cols, () => rng.pick(RANDOM_ENTRIES));
}

function buildRandom(ctx: Context): Built {
  const { M, N, widths, rank: r, rng } = ctx;
  if (N === 1) return { weights: [M], exactRoute: true, notes: ['depth 1: W_1 = M'] };
  const d0 = widths[0] as number;
  const k = Math.min(...widths.slice(0, N));
  // A basis of rowspace(M), scaled to integer rows.
  const basis = rref(M).rows.map((row) => {
    let l = 1n;
    for (const q of row) if (q.den !== 1n) l = (l * q.den) / bigGcd(l, q.den);
    return row.map((q) => q.mul(Rational.fromBigInt(l)));
  });
  // Each random factor is redrawn (up to 64 times) until the partial product B_i = W_i⋯W_1 keeps
  // rank k: at depth 30 a product of unchecked random factors is singular almost surely.
  const keepsRank = (draw: () => Matrix<Rational>, below: Matrix<Rational> | undefined): Matrix<Rational> | undefined => {
    for (let t = 0; t < 64; t++) {
      const W = draw();
      if (exactRank(below === undefined ? W : mul(Q, W, below)) === k) return W;
    }
    return undefined;
  };
  for (let attempt = 0; attempt < 64; attempt++) {
    const weights: Matrix<Rational>[] = [];
    let first: Matrix<Rational> | undefined;
    if (k === d0) first = keepsRank(() => randomMatrix(widths[1] as number, d0, rng), undefined);
    else {
      // Bottleneck: make rowspace(W_1) = span(basis of rowspace(M), k − r random rows).
      const rows = [...basis, ...Array.from({ length: k - r }, () => Array.from({ length: d0 }, () => rng.pick(RANDOM_ENTRIES)))];
      const Rk = fromRows(rows);
      if (exactRank(Rk) < k) continue;
      const E = keepsRank(() => randomMatrix(widths[1] as number, k, rng), Rk);
      first = E === undefined ? undefined : mul(Q, E, Rk);
    }
    if (first === undefined) continue;
    weights.push(first);
    let partial = first;
    let ok = true;
    for (let i = 2; i < N && ok; i++) {
      const W = keepsRank(() => randomMatrix(widths[i] as number, widths[i - 1] as number, rng), partial);
      if (W === undefined) ok = false;
      else {
        weights.push(W);
        partial = mul(Q, W, partial);
      }
    }
    if (!ok) continue;
    const B = productOf(weights);
    if (exactRank(B) < k) continue;
    const WN = mul(Q, M, pseudoInverse(B));
    if (!equals(Q, mul(Q, WN, B), M)) continue;
    weights.push(WN);
    const how =
      k === d0
        ? `B = W_${N - 1}⋯W_1 has full column rank ${d0}`
        : `bottleneck width ${k} < d_0 = ${d0}: W_1 = E [R; Z] with R a basis of rowspace(M), so rowspace(B) ⊇ rowspace(M)`;
    return { weights, exactRoute: true, notes: [`random W_1..W_${N - 1} with entries in {0, ±1/2, ±1, ±2}; W_${N} = M B⁺ (${how})`] };
  }
  throw new MinimizerError(`no random exact factorization of rank ${k} found after 64 attempts at widths ${widthsText(widths)}`);
}

/**
 * A global minimizer (`W_N ⋯ W_1 = M`, loss 0) of `½‖W_N ⋯ W_1 − M‖_F²` of the requested kind
 * (see {@link MinimizerKind} and docs/minimizers.md). Exact models are verified before they are
 * returned; a float64 balanced model (`exact: false`) has weights that are the exact values of the
 * doubles and its relative residual in `notes`.
 *
 * @throws MinimizerError for bad options (depth, widths, kind), a hidden width below `rank M`, a
 *   non-diagonal target or unequal widths for `'diagonal'`, and (code `'not-rational'`) a balanced
 *   minimizer that is not rational when `exact: true`.
 */
export function generateMinimizer(options: GenerateMinimizerOptions): GeneratedMinimizer {
  const { widths, rank } = validate(options);
  const seed = options.seed ?? 1;
  const ctx: Context = { M: options.target, N: options.depth, widths, rank, rng: seededRandom(seed), exact: options.exact };
  let built: Built;
  switch (options.kind) {
    case 'balanced':
      built = buildBalanced(ctx);
      break;
    case 'gl-orbit':
      built = buildGlOrbit(ctx);
      break;
    case 'diagonal':
      built = buildDiagonal(ctx);
      break;
    case 'random':
      built = buildRandom(ctx);
      break;
  }
  const M = options.target;
  const P = productOf(built.weights);
  const exact = equals(Q, P, M);
  if (built.exactRoute && !exact) throw new Error(`internal error: the ${options.kind} construction did not reproduce the target exactly`);
  const notes = built.notes.slice();
  if (!exact) {
    const res = Math.sqrt(frobeniusSq(Q, sub(Q, P, M)).toNumber());
    const norm = Math.sqrt(frobeniusSq(Q, M).toNumber());
    notes.push(
      norm > 0
        ? `not exact: relative residual ‖P − M‖_F / ‖M‖_F = ${res / norm}`
        : `not exact: residual ‖P − M‖_F = ${res}`,
    );
  }
  const N = options.depth;
  const model = makeDmfModel(built.weights, M, {
    name: `${options.kind}-minimizer`,
    description: `${options.kind} minimizer of a ${M.rows}×${M.cols} target (depth ${N}, widths ${widthsText(widths)}, seed ${seed}), ${
      exact ? 'exact: W_N⋯W_1 = M' : 'float64: W_N⋯W_1 ≈ M'
    }; generated by dln-hessian`,
    ...(options.reduction !== undefined ? { reduction: options.reduction } : {}),
  });
  return { model, exact, notes };
}
