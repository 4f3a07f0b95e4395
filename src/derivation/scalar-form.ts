/**
 * A tree whose every matrix is `1 × 1` as a scalar expression in mathjs syntax, for symbolic
 * comparison with mathjs derivatives: products and Kronecker products become `*`, transposes,
 * `vec`, identities and commutation matrices disappear, sums over layers are expanded, and
 * composite symbols are unfolded through their definitions.
 */
import { type Expr } from './expr.js';
import { ixValue, type Index } from '../symbolic/affine-index.js';
import type { Definition } from './evaluate.js';

/** Where the scalar symbols come from. */
export interface ScalarEnv {
  readonly depth: number;
  /** Text of a primitive symbol at concrete indices (e.g. `W_2` → `w2`), `undefined` to unfold its definition. */
  readonly symbol: (name: string, indices: readonly number[]) => string | undefined;
  readonly definitions: ReadonlyMap<string, Definition>;
}

/** A tree that has no scalar form (a block row, a norm that is not a product). */
export class NotScalarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotScalarError';
  }
}

/** The scalar expression of `e` (all dimensions 1) in mathjs syntax. */
export function scalarForm(e: Expr, env: ScalarEnv, vars: ReadonlyMap<string, number> = new Map()): string {
  const all = new Map([...vars, ['N', env.depth]]);
  const index = (a: Index): number => {
    const v = ixValue(a, all);
    if (v === undefined) throw new NotScalarError('unbound index variable');
    return v;
  };
  const go = (x: Expr, vs: ReadonlyMap<string, number> = vars): string => scalarForm(x, env, vs);
  const range = (from: Index, to: Index): number[] => {
    const out: number[] = [];
    for (let k = index(from); k <= index(to); k++) out.push(k);
    return out;
  };
  switch (e.kind) {
    case 'sym': {
      const idx = e.indices.map(index);
      const s = env.symbol(e.name, idx);
      if (s !== undefined) return s;
      const def = env.definitions.get(e.name);
      if (def === undefined) throw new NotScalarError(`no scalar form for ${e.name}`);
      return `(${scalarForm(def.body, env, new Map(def.params.map((p, k) => [p, idx[k] as number])))})`;
    }
    case 'num':
      return `(${e.value.toString()})`;
    case 'identity':
    case 'commutation':
      return '1';
    case 'mul':
      return e.factors.map((f) => `(${go(f)})`).join('*');
    case 'add':
      return e.terms.map((t) => `(${go(t)})`).join(' + ');
    case 'neg':
      return `-(${go(e.arg)})`;
    case 'frac':
      return `(${go(e.num)})/(${go(e.den)})`;
    case 'transpose':
    case 'vec':
    case 'trace':
      return go(e.arg);
    case 'kron':
    case 'inner':
      return `(${go(e.left)})*(${go(e.right)})`;
    case 'fro2':
      return `(${go(e.arg)})^2`;
    case 'sum': {
      const ks = range(e.from, e.to);
      return ks.length === 0 ? '0' : ks.map((k) => `(${go(e.body, new Map([...vars, [e.index, k]]))})`).join(' + ');
    }
    case 'pairSum': {
      const ks = range(e.from, e.to);
      const terms: string[] = [];
      for (const j of ks) for (const i of ks) if (i < j) terms.push(`(${go(e.body, new Map([...vars, [e.lo, i], [e.hi, j]]))})`);
      return terms.length === 0 ? '0' : terms.join(' + ');
    }
    case 'chain': {
      const hi = index(e.hi);
      const lo = index(e.lo);
      const rest = e.symbol.indices.slice(1).map(index);
      if (hi < lo) return '1';
      const fs: string[] = [];
      for (let k = hi; k >= lo; k--) fs.push(go({ ...e.symbol, indices: [{ c: k, terms: [] }, ...rest.map((r) => ({ c: r, terms: [] }))] }));
      return fs.join('*');
    }
    default:
      throw new NotScalarError(`no scalar form for a ${e.kind} node`);
  }
}
