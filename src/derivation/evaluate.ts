/**
 * Exact evaluation of {@link Expr} trees on an instance, over any {@link Field} (exactly over `Q`).
 *
 * Primitive symbols (`W_i`, `U_i`, `M`, `X`, `Y`, `n`) come from a lookup; composite ones (`A_i`,
 * `B_i`, `C_{ji}`, `P`, `R`, `Σ`, …) from {@link Definition}s, expanded on demand and cached. The
 * evaluator uses only the dense matrix code of `src/linalg`, never the closed forms of `src/hessian`,
 * so a document's "from the derivation" numbers and the engine's numbers are two routes.
 *
 * It is not the `verify` evaluator (src/verify/evaluate.ts), on purpose: this one is generic over a
 * field and covers the matrix calculus of the documents (Kronecker products, `vec`, commutation
 * matrices, layer chains, composite symbols), and refuses what is not a rational function of the
 * entries; that one mixes exact matrices with rigorous interval scalars (spectral norms, roots)
 * and reports positions in a user's formula. What they share is the dense exact linear algebra of
 * src/linalg, which both call.
 */
import type { Field } from '../field/field.js';
import {
  add as addM,
  frobeniusSq,
  fromColumnMajor,
  generate,
  identity as identityM,
  inner as innerM,
  kron as kronM,
  mul as mulM,
  scale as scaleM,
  trace as traceM,
  transpose as transposeM,
  type Matrix,
} from '../linalg/matrix.js';
import { type Dim, type Expr, type Size, type SymbolNode } from './expr.js';
import { ixValue, type Index } from '../symbolic/affine-index.js';
import { toMarkdown } from './render.js';

/** A value: a scalar or a matrix (vectors are one-column matrices). */
export type Value<S> = { readonly kind: 'scalar'; readonly value: S } | { readonly kind: 'matrix'; readonly value: Matrix<S> };

/** A composite symbol: `name_{params} := body` (e.g. `A_i := W_N ⋯ W_{i+1}`). */
export interface Definition {
  readonly params: readonly string[];
  readonly body: Expr;
}

/** Where the values of an instance come from. */
export interface EvalEnv<S> {
  readonly F: Field<S>;
  /** `d_0, …, d_N`; `N = widths.length − 1`. */
  readonly widths: readonly number[];
  /** The sample count `n` (data only). */
  readonly samples?: number;
  /** Primitive symbols by name and concrete 1-based indices; `undefined` when not primitive. */
  readonly lookup: (name: string, indices: readonly number[]) => Value<S> | undefined;
  readonly definitions: ReadonlyMap<string, Definition>;
}

/** A tree that cannot be evaluated: unbound symbol, shapes that do not chain, a shown-only node. */
export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

/** Scalar `x`. */
export function scalarValue<S>(value: S): Value<S> {
  return { kind: 'scalar', value };
}

/** Matrix `X`. */
export function matrixValue<S>(value: Matrix<S>): Value<S> {
  return { kind: 'matrix', value };
}

/** The value as a matrix (a scalar is `1 × 1`). */
export function asMatrix<S>(v: Value<S>): Matrix<S> {
  return v.kind === 'matrix' ? v.value : fromColumnMajor(1, 1, [v.value]);
}

function isScalarLike<S>(v: Value<S>): boolean {
  return v.kind === 'scalar' || (v.value.rows === 1 && v.value.cols === 1);
}

function scalarOf<S>(v: Value<S>): S {
  if (v.kind === 'scalar') return v.value;
  if (v.value.rows === 1 && v.value.cols === 1) return v.value.data[0] as S;
  throw new EvaluationError(`expected a scalar, got a ${v.value.rows}×${v.value.cols} matrix`);
}

function isZero<S>(F: Field<S>, v: Value<S>): boolean {
  return v.kind === 'scalar' ? F.isZero(v.value) : v.value.data.every((x) => F.isZero(x));
}

/** Exact equality of values; a scalar equals a `1 × 1` matrix holding it, and `0` equals any zero matrix. */
export function valuesEqual<S>(F: Field<S>, a: Value<S>, b: Value<S>): boolean {
  if (a.kind === 'matrix' && b.kind === 'matrix') {
    return a.value.rows === b.value.rows && a.value.cols === b.value.cols && a.value.data.every((x, k) => F.eq(x, b.value.data[k] as S));
  }
  if (isScalarLike(a) && isScalarLike(b)) return F.eq(scalarOf(a), scalarOf(b));
  if (a.kind === 'scalar' && F.isZero(a.value)) return isZero(F, b);
  if (b.kind === 'scalar' && F.isZero(b.value)) return isZero(F, a);
  return false;
}

/** Evaluates trees against one environment, caching composite symbols. */
export class Evaluator<S> {
  private readonly cache = new Map<string, Value<S>>();
  private readonly depth: number;

  constructor(readonly env: EvalEnv<S>) {
    this.depth = env.widths.length - 1;
  }

  /** The value of `e` with index variables bound by `vars` (`N` is always bound). */
  evaluate(e: Expr, vars: ReadonlyMap<string, number> = new Map()): Value<S> {
    const F = this.env.F;
    const index = (a: Index): number => {
      const all = vars.has('N') ? vars : new Map([...vars, ['N', this.depth]]);
      const v = ixValue(a, all);
      if (v === undefined) throw new EvaluationError(`unbound index variable in ${JSON.stringify(a.terms.map(([n]) => n))}`);
      return v;
    };
    const ev = (x: Expr): Value<S> => this.evaluate(x, vars);
    switch (e.kind) {
      case 'sym':
        return this.symbol(e, e.indices.map(index));
      case 'num':
        return scalarValue(F.fromRational(e.value));
      case 'identity': {
        const n = this.size(e.size, vars, 'rows');
        return matrixValue(identityM(F, n));
      }
      case 'commutation': {
        const m = this.size(e.rows, vars, 'rows');
        const n = this.size(e.cols, vars, 'cols');
        // vec(X)[a + b m] = X_ab = vec(Xᵀ)[b + a n], so T[b + a n, a + b m] = 1.
        const T = generate(m * n, m * n, (r, c) => {
          const a = c % m;
          const b = (c - a) / m;
          return r === b + a * n ? F.one : F.zero;
        });
        return matrixValue(T);
      }
      case 'mul': {
        let acc: Value<S> | undefined;
        for (const f of e.factors) {
          const v = ev(f);
          acc = acc === undefined ? v : this.multiply(acc, v, e);
        }
        if (acc === undefined) throw new EvaluationError('empty product');
        return acc;
      }
      case 'add': {
        let acc: Value<S> | undefined;
        for (const t of e.terms) {
          const v = ev(t);
          acc = acc === undefined ? v : this.plus(acc, v, e);
        }
        if (acc === undefined) throw new EvaluationError('empty sum');
        return acc;
      }
      case 'neg': {
        const v = ev(e.arg);
        return v.kind === 'scalar' ? scalarValue(F.neg(v.value)) : matrixValue(scaleM(F, F.neg(F.one), v.value));
      }
      case 'frac': {
        const d = scalarOf(ev(e.den));
        if (F.isZero(d)) throw new EvaluationError(`division by zero in ${toMarkdown(e)}`);
        const n = ev(e.num);
        const inv = F.inv(d);
        return n.kind === 'scalar' ? scalarValue(F.mul(n.value, inv)) : matrixValue(scaleM(F, inv, n.value));
      }
      case 'transpose': {
        const v = ev(e.arg);
        return v.kind === 'scalar' ? v : matrixValue(transposeM(v.value));
      }
      case 'kron':
        return matrixValue(kronM(F, asMatrix(ev(e.left)), asMatrix(ev(e.right))));
      case 'vec': {
        const X = asMatrix(ev(e.arg));
        return matrixValue(fromColumnMajor(X.rows * X.cols, 1, X.data));
      }
      case 'trace': {
        const X = asMatrix(ev(e.arg));
        if (X.rows !== X.cols) throw new EvaluationError(`trace of a ${X.rows}×${X.cols} matrix in ${toMarkdown(e)}`);
        return scalarValue(traceM(F, X));
      }
      case 'inner': {
        const l = ev(e.left);
        const r = ev(e.right);
        // An empty sum (scalar 0) stands for the zero matrix of any shape.
        if ((l.kind === 'scalar' && F.isZero(l.value)) || (r.kind === 'scalar' && F.isZero(r.value))) return scalarValue(F.zero);
        const X = asMatrix(l);
        const Y = asMatrix(r);
        if (X.rows !== Y.rows || X.cols !== Y.cols) {
          throw new EvaluationError(`inner product of ${X.rows}×${X.cols} and ${Y.rows}×${Y.cols} matrices in ${toMarkdown(e)}`);
        }
        return scalarValue(innerM(F, X, Y));
      }
      case 'fro2': {
        return scalarValue(frobeniusSq(F, asMatrix(ev(e.arg))));
      }
      case 'spec2':
      case 'lmax':
        throw new EvaluationError(`${toMarkdown(e)} is not a rational function of the entries; it is certified separately`);
      case 'sum': {
        let acc: Value<S> = scalarValue(F.zero);
        for (let k = index(e.from); k <= index(e.to); k++) acc = this.plus(acc, this.evaluate(e.body, new Map([...vars, [e.index, k]])), e);
        return acc;
      }
      case 'pairSum': {
        let acc: Value<S> = scalarValue(F.zero);
        const lo = index(e.from);
        const hi = index(e.to);
        for (let j = lo; j <= hi; j++)
          for (let i = lo; i < j; i++) acc = this.plus(acc, this.evaluate(e.body, new Map([...vars, [e.lo, i], [e.hi, j]])), e);
        return acc;
      }
      case 'max': {
        let best: S | undefined;
        for (let k = index(e.from); k <= index(e.to); k++) {
          const v = scalarOf(this.evaluate(e.body, new Map([...vars, [e.index, k]])));
          if (best === undefined || F.compare(v, best) > 0) best = v;
        }
        if (best === undefined) throw new EvaluationError(`max over an empty range in ${toMarkdown(e)}`);
        return scalarValue(best);
      }
      case 'chain': {
        const hi = index(e.hi);
        const lo = index(e.lo);
        const rest = e.symbol.indices.slice(1).map(index);
        if (hi < lo) {
          const d = this.env.widths[hi];
          if (d === undefined) throw new EvaluationError(`no width d_${hi} for the empty product in ${toMarkdown(e)}`);
          return matrixValue(identityM(F, d));
        }
        let acc: Value<S> | undefined;
        for (let k = hi; k >= lo; k--) {
          const v = this.symbol(e.symbol, [k, ...rest]);
          acc = acc === undefined ? v : this.multiply(acc, v, e);
        }
        return acc as Value<S>;
      }
      case 'blockRow': {
        const parts: Matrix<S>[] = [];
        for (let k = index(e.from); k <= index(e.to); k++) parts.push(asMatrix(this.evaluate(e.body, new Map([...vars, [e.index, k]]))));
        const rows = parts[0]?.rows ?? 0;
        if (parts.some((p) => p.rows !== rows)) throw new EvaluationError(`block row with blocks of different heights in ${toMarkdown(e)}`);
        return matrixValue(fromColumnMajor(rows, parts.reduce((s, p) => s + p.cols, 0), parts.flatMap((p) => p.data.slice())));
      }
    }
  }

  private symbol(s: SymbolNode, indices: readonly number[]): Value<S> {
    const key = `${s.name}[${indices.join(',')}]`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    let v = this.env.lookup(s.name, indices);
    if (v === undefined) {
      const def = this.env.definitions.get(s.name);
      if (def === undefined) throw new EvaluationError(`unbound symbol ${toMarkdown(s)} (indices ${indices.join(', ') || 'none'})`);
      if (def.params.length !== indices.length) throw new EvaluationError(`${s.name} takes ${def.params.length} indices, got ${indices.length}`);
      const vars = new Map<string, number>(def.params.map((p, k) => [p, indices[k] as number]));
      v = this.evaluate(def.body, vars);
    }
    this.cache.set(key, v);
    return v;
  }

  private size(s: Size, vars: ReadonlyMap<string, number>, side: 'rows' | 'cols'): number {
    if (s.dim !== undefined && (s.dim.kind !== 'named' || s.like === undefined)) return this.dim(s.dim, vars);
    if (s.like !== undefined) {
      const X = asMatrix(this.evaluate(s.like.expr, vars));
      return s.like.side === 'rows' ? X.rows : X.cols;
    }
    throw new EvaluationError(`a size (${side}) is needed to evaluate an identity or commutation matrix`);
  }

  private dim(d: Dim, vars: ReadonlyMap<string, number>): number {
    if (d.kind === 'literal') return d.value;
    if (d.kind === 'named') throw new EvaluationError(`the size ${d.name} has no value here`);
    if (d.kind === 'samples') {
      if (this.env.samples === undefined) throw new EvaluationError('the sample count n is not defined here');
      return this.env.samples;
    }
    const k = ixValue(d.index, new Map([...vars, ['N', this.depth]]));
    const w = k === undefined ? undefined : this.env.widths[k];
    if (w === undefined) throw new EvaluationError(`no width d_${k ?? '?'}`);
    return w;
  }

  private multiply(a: Value<S>, b: Value<S>, where: Expr): Value<S> {
    const F = this.env.F;
    if (a.kind === 'scalar' && b.kind === 'scalar') return scalarValue(F.mul(a.value, b.value));
    if (a.kind === 'scalar') return matrixValue(scaleM(F, a.value, asMatrix(b)));
    if (b.kind === 'scalar') return matrixValue(scaleM(F, b.value, a.value));
    if (a.value.cols === b.value.rows) return matrixValue(mulM(F, a.value, b.value));
    if (isScalarLike(a)) return matrixValue(scaleM(F, scalarOf(a), b.value));
    if (isScalarLike(b)) return matrixValue(scaleM(F, scalarOf(b), a.value));
    throw new EvaluationError(`shapes ${a.value.rows}×${a.value.cols} and ${b.value.rows}×${b.value.cols} do not chain in ${toMarkdown(where)}`);
  }

  private plus(a: Value<S>, b: Value<S>, where: Expr): Value<S> {
    const F = this.env.F;
    if (a.kind === 'scalar' && F.isZero(a.value) && b.kind === 'matrix') return b;
    if (b.kind === 'scalar' && F.isZero(b.value) && a.kind === 'matrix') return a;
    if (isScalarLike(a) && isScalarLike(b)) return scalarValue(F.add(scalarOf(a), scalarOf(b)));
    if (a.kind === 'matrix' && b.kind === 'matrix' && a.value.rows === b.value.rows && a.value.cols === b.value.cols) return matrixValue(addM(F, a.value, b.value));
    const shape = (v: Value<S>): string => (v.kind === 'scalar' ? 'scalar' : `${v.value.rows}×${v.value.cols}`);
    throw new EvaluationError(`cannot add ${shape(a)} and ${shape(b)} in ${toMarkdown(where)}`);
  }
}

/** One-shot evaluation (no cache shared between calls). */
export function evaluate<S>(e: Expr, env: EvalEnv<S>, vars: ReadonlyMap<string, number> = new Map()): Value<S> {
  return new Evaluator(env).evaluate(e, vars);
}
