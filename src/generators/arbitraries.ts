/**
 * fast-check arbitraries of exact minimizers (`W_N ⋯ W_1 = M` exactly) of deep matrix factorization.
 *
 * Every model is built from small integer parameters whose shrink target (all zero, depth and widths
 * at their minimum, the first listed kind) is the simplest case: identity-like factors (`W_i = I`
 * or a partial identity), singular values 1, depth and widths minimal. So a failing property shrinks
 * to a small, readable counterexample. The parameters are drawn independently of depth and widths
 * (fixed-length pools, read as far as needed), which keeps shrinking effective.
 */
import fc from 'fast-check';
import { Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { exactInverse as inverse } from '../linalg/exact.js';
import { cayley, skewFromUpper } from './orthogonal.js';
import { generate, mul, slice, transpose, type Matrix } from '../linalg/matrix.js';
import { makeDmfModel, type DmfModel } from '../models/model.js';
import { MINIMIZER_KINDS, productOf, type MinimizerKind } from './minimizers.js';

/** Options of {@link minimizerArbitrary}. */
export interface MinimizerArbitraryOptions {
  /** Inclusive range of the depth `N` (`1 ≤ min ≤ max ≤ 12`). */
  readonly depth: readonly [number, number];
  /** Inclusive range of every width `d_i` (`1 ≤ min ≤ max ≤ 8`). With `min = 1`, scalar chains occur. */
  readonly width: readonly [number, number];
  /** Kinds to draw from (non-empty); shrinking moves towards the first. */
  readonly kinds: readonly MinimizerKind[];
}

/** A generated minimizer together with the kind it was built as. */
export interface MinimizerCase {
  readonly kind: MinimizerKind;
  readonly model: DmfModel<Rational>;
}

const R = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));

/** Roots `t_p` of singular values (`s_p = t_p^N`); index 0 (the shrink target) is 1. */
const ROOTS: readonly Rational[] = [R(1), R(2), R(1, 2), R(3, 2), R(3), R(2, 3)];
/** Non-zero diagonal entries (diagonal layers, GL scalings); index 0 is 1. */
const NONZERO: readonly Rational[] = [R(1), R(2), R(-1), R(1, 2), R(-2), R(3, 2), R(-1, 2), R(3)];
/** Diagonal target entries; index 0 is 1, and 0 occurs (rank-deficient diagonal targets). */
const TARGET_DIAGONAL: readonly Rational[] = [R(1), R(2), R(0), R(-1), R(3), R(1, 2), R(-2), R(4)];

interface Params {
  readonly kindIndex: number;
  readonly depth: number;
  readonly widths: readonly number[];
  readonly deficit: number;
  readonly skew: readonly number[];
  readonly roots: readonly number[];
  readonly glLower: readonly number[];
  readonly glScale: readonly number[];
  readonly diagonal: readonly number[];
  readonly targetDiagonal: readonly number[];
  readonly entries: readonly number[];
}

function checkRange(name: string, range: readonly [number, number], lo: number, hi: number): void {
  const [a, b] = range;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < lo || b > hi || a > b) {
    throw new RangeError(`minimizerArbitrary: ${name} must be integers ${lo} ≤ min ≤ max ≤ ${hi}, got [${a}, ${b}]`);
  }
}

function pool(length: number, min: number, max: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min, max }), { minLength: length, maxLength: length });
}

const pick = <T>(list: readonly T[], index: number | undefined): T => list[index ?? 0] ?? (list[0] as T);
const num = (xs: readonly number[], k: number): number => xs[k] ?? 0;

/** Rational orthogonal `d × d` from the skew pool of layer `layer` (all zero: `I`), first `r` columns. */
function orthonormal(p: Params, wmax: number, layer: number, d: number, r: number): Matrix<Rational> {
  const stride = (wmax * (wmax - 1)) / 2;
  const upper = Array.from({ length: (d * (d - 1)) / 2 }, (_, k) => R(num(p.skew, layer * stride + k)));
  return slice(cayley(skewFromUpper(d, upper)), 0, 0, d, r);
}

function diagonalMatrix(values: readonly Rational[]): Matrix<Rational> {
  return generate(values.length, values.length, (i, j) => (i === j ? (values[i] as Rational) : Rational.ZERO));
}

function balancedWeights(p: Params, wmax: number, widths: readonly number[]): Matrix<Rational>[] {
  const N = p.depth;
  const r = Math.max(1, Math.min(...widths) - p.deficit);
  const T = diagonalMatrix(Array.from({ length: r }, (_, k) => pick(ROOTS, p.roots[k])));
  const Us = widths.map((d, i) => orthonormal(p, wmax, i, d, r));
  return Array.from({ length: N }, (_, i) => mul(Q, mul(Q, Us[i + 1] as Matrix<Rational>, T), transpose(Us[i] as Matrix<Rational>)));
}

function glOrbitWeights(p: Params, wmax: number, widths: readonly number[]): Matrix<Rational>[] {
  const weights = balancedWeights(p, wmax, widths);
  for (let i = 1; i < p.depth; i++) {
    const d = widths[i] as number;
    const base = (i - 1) * wmax * wmax;
    const L = generate(d, d, (a, b) => (a === b ? Rational.ONE : a > b ? R(num(p.glLower, base + a * wmax + b)) : Rational.ZERO));
    const D = diagonalMatrix(Array.from({ length: d }, (_, k) => pick(NONZERO, p.glScale[(i - 1) * wmax + k])));
    const G = mul(Q, L, D);
    weights[i] = mul(Q, weights[i] as Matrix<Rational>, G);
    weights[i - 1] = mul(Q, inverse(G), weights[i - 1] as Matrix<Rational>);
  }
  return weights;
}

function diagonalWeights(p: Params, wmax: number, n: number): Matrix<Rational>[] {
  const N = p.depth;
  const entries: Rational[][] = Array.from({ length: N }, () => new Array<Rational>(n).fill(Rational.ZERO));
  for (let k = 0; k < n; k++) {
    const m = pick(TARGET_DIAGONAL, p.targetDiagonal[k]);
    let prod = Rational.ONE;
    for (let i = 0; i < N - 1; i++) {
      const e = pick(NONZERO, p.diagonal[i * wmax + k]);
      (entries[i] as Rational[])[k] = e;
      prod = prod.mul(e);
    }
    (entries[N - 1] as Rational[])[k] = m.div(prod);
  }
  return entries.map((e) => diagonalMatrix(e));
}

function randomWeights(p: Params, wmax: number, widths: readonly number[]): Matrix<Rational>[] {
  return Array.from({ length: p.depth }, (_, i) => {
    const rows = widths[i + 1] as number;
    const cols = widths[i] as number;
    return generate(rows, cols, (a, b) => R((a === b ? 1 : 0) + num(p.entries, i * wmax * wmax + a * wmax + b)));
  });
}

function build(p: Params, kinds: readonly MinimizerKind[], wmax: number): MinimizerCase {
  const kind = pick(kinds, p.kindIndex);
  const N = p.depth;
  const widths = kind === 'diagonal' ? new Array<number>(N + 1).fill(p.widths[0] ?? 1) : p.widths.slice(0, N + 1);
  let weights: Matrix<Rational>[];
  switch (kind) {
    case 'balanced':
      weights = balancedWeights(p, wmax, widths);
      break;
    case 'gl-orbit':
      weights = glOrbitWeights(p, wmax, widths);
      break;
    case 'diagonal':
      weights = diagonalWeights(p, wmax, widths[0] as number);
      break;
    case 'random':
      weights = randomWeights(p, wmax, widths);
      break;
  }
  // Every kind's target is its product, so the model is an exact minimizer by construction.
  const target = productOf(weights);
  const model = makeDmfModel(weights, target, {
    name: `${kind}-minimizer`,
    description: `${kind} minimizer (fast-check minimizerArbitrary), depth ${N}, widths ${widths.join(', ')}`,
  });
  return { kind, model };
}

/** Like {@link minimizerArbitrary}, with the kind each model was built as. */
export function minimizerCaseArbitrary(options: MinimizerArbitraryOptions): fc.Arbitrary<MinimizerCase> {
  checkRange('depth', options.depth, 1, 12);
  checkRange('width', options.width, 1, 8);
  const kinds = options.kinds.slice();
  if (kinds.length === 0) throw new RangeError('minimizerArbitrary: kinds must not be empty');
  for (const k of kinds) if (!MINIMIZER_KINDS.includes(k)) throw new RangeError(`minimizerArbitrary: unknown kind ${JSON.stringify(String(k))}`);
  const [dmin, dmax] = options.depth;
  const [wmin, wmax] = options.width;
  const params: fc.Arbitrary<Params> = fc.record({
    kindIndex: fc.integer({ min: 0, max: kinds.length - 1 }),
    depth: fc.integer({ min: dmin, max: dmax }),
    widths: pool(dmax + 1, wmin, wmax),
    deficit: fc.integer({ min: 0, max: wmax - 1 }),
    skew: pool((dmax + 1) * ((wmax * (wmax - 1)) / 2), -2, 2),
    roots: pool(wmax, 0, ROOTS.length - 1),
    glLower: pool(dmax * wmax * wmax, -1, 1),
    glScale: pool(dmax * wmax, 0, NONZERO.length - 1),
    diagonal: pool(dmax * wmax, 0, NONZERO.length - 1),
    targetDiagonal: pool(wmax, 0, TARGET_DIAGONAL.length - 1),
    entries: pool(dmax * wmax * wmax, -2, 2),
  });
  return params.map((p) => build(p, kinds, wmax));
}

/**
 * Exact minimizers (`W_N ⋯ W_1 = M`, loss exactly 0) of the given kinds, depths and widths:
 * `'balanced'` (`W_i = U_i T U_{i−1}ᵀ` with Cayley-orthogonal `U_i`, any rank `1..min d_i`, rectangular
 * widths), `'gl-orbit'` (balanced moved by unit-lower-triangular-times-diagonal `G_i`), `'diagonal'`
 * (square, diagonal target possibly with zeros), `'random'` (identity plus small integers, possibly
 * rank-deficient). The target of each model is its product. Shrinks towards the minimum depth and
 * widths, the first kind, identity-like factors and small integers.
 */
export function minimizerArbitrary(options: MinimizerArbitraryOptions): fc.Arbitrary<DmfModel<Rational>> {
  return minimizerCaseArbitrary(options).map((c) => c.model);
}
