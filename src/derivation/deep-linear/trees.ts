/**
 * The trees of a deep-linear derivation that several sections share: Hessian blocks, the Jacobian,
 * the Hessian–vector product, and the definitions the evaluator expands (`docs/math.md §1–3`).
 */
import {
  add,
  blockRow,
  chain,
  children,
  commutation,
  frac,
  identity,
  kron,
  mapSymbols,
  mul,
  num,
  pairSum,
  sub,
  substituteIndices,
  sum,
  transpose,
  width,
  withChildren,
  type Expr,
} from '../expr.js';
import { ix, ixConst, type Index } from '../../symbolic/affine-index.js';
import type { Definition } from '../evaluate.js';
import { A, B, C, dP, i, j, M, N, n, ONE, P, R, rightGram, Sigma, U, W, withC, X, Y, type Variant } from './symbols.js';

/** `(B_aΣB_bᵀ) ⊗ (A_aᵀA_b)` (without `c`). */
export function gnBlock(v: Variant, a: Index, b: Index): Expr {
  return kron(rightGram(v, a, b), mul(transpose(A(a)), A(b)));
}

/** `(C_{ab} ⊗ A_aᵀRB_bᵀ) T_{d_b, d_{b−1}}` for `a > b` (without `c`). */
export function residualBlock(a: Index, b: Index): Expr {
  return mul(kron(C(a, b), mul(transpose(A(a)), R, transpose(B(b)))), commutation({ dim: width(b) }, { dim: width({ c: b.c - 1, terms: b.terms }) }));
}

/** The block `H_{ab}` at concrete layers as a tree (`a < b`: the transpose of `H_{ba}`). */
export function blockTree(v: Variant, a: number, b: number): Expr {
  const ia = ixConst(a);
  const ib = ixConst(b);
  if (a === b) return withC(v, gnBlock(v, ia, ia));
  if (a > b) return withC(v, add(gnBlock(v, ia, ib), residualBlock(ia, ib)));
  return transpose(blockTree(v, b, a));
}

/** The block `J_i` of the Jacobian: `B_iᵀ ⊗ A_i` (data: `(B_iX)ᵀ ⊗ A_i`). */
export function jacobianBlock(v: Variant, a: Index): Expr {
  return kron(transpose(v.data ? mul(B(a), X) : B(a)), A(a));
}

/** `J = [J_1, …, J_N]`. */
export function jacobianTree(v: Variant): Expr {
  return blockRow('i', ONE, N, jacobianBlock(v, i));
}

/** The matrix form of block `j` of `Hu` (a `d_j × d_{j−1}` matrix). */
export function hvpTree(v: Variant, jj: Index): Expr {
  const first = v.data ? mul(transpose(A(jj)), dP, Sigma, transpose(B(jj))) : mul(transpose(A(jj)), dP, transpose(B(jj)));
  const below = sum('i', ONE, { c: jj.c - 1, terms: jj.terms }, mul(transpose(A(jj)), R, transpose(B(i)), transpose(U(i)), transpose(C(jj, i))));
  const above = sum('k', { c: jj.c + 1, terms: jj.terms }, N, mul(transpose(C(ix('k'), jj)), transpose(U(ix('k'))), transpose(A(ix('k'))), R, transpose(B(jj))));
  return withC(v, add(first, below, above));
}

/** The definitions of the composite symbols for a variant. */
export function definitions(v: Variant): Map<string, Definition> {
  const defs = new Map<string, Definition>([
    ['A', { params: ['i'], body: chain(W(i), N, ix('i', 1)) }],
    ['B', { params: ['i'], body: chain(W(i), ix('i', -1), ONE) }],
    ['C', { params: ['j', 'i'], body: chain(W(i), ix('j', -1), ix('i', 1)) }],
    ['P', { params: [], body: chain(W(i), N, ONE) }],
    ['δP', { params: [], body: sum('i', ONE, N, mul(A(i), U(i), B(i))) }],
    ['δ²P', { params: [], body: pairSum('i', 'j', ONE, N, mul(A(j), U(j), C(j, i), U(i), B(i))) }],
    ['G', { params: ['i', 'j'], body: withC(v, gnBlock(v, i, j)) }],
    ['Hᴿ', { params: ['j', 'i'], body: withC(v, residualBlock(j, i)) }],
    ['J', { params: [], body: jacobianTree(v) }],
    ['(Hu)', { params: ['j'], body: hvpTree(v, j) }],
  ]);
  if (v.data) {
    defs.set('Σ', { params: [], body: mul(frac(num(1), n), X, transpose(X)) });
    defs.set('E', { params: [], body: sub(mul(P, X), Y) });
    defs.set('R', { params: [], body: mul(frac(num(1), n), sub(mul(P, X), Y), transpose(X)) });
  } else {
    defs.set('E', { params: [], body: sub(P, M) });
    defs.set('R', { params: [], body: sub(P, M) });
  }
  return defs;
}

/**
 * `e` with the partial products `A`, `B`, `C` at concrete layers replaced by their products of
 * weights, identities dropped from products: `A_2ᵀA_1` → `W_3ᵀW_3W_2` for `N = 3`. For display
 * ("for this network"); the unfolded tree evaluates to the same value.
 */
export function unfoldPartialProducts(e: Expr, depth: number, v: Variant, names: readonly string[] = ['A', 'B', 'C']): Expr {
  const defs = definitions(v);
  const concrete = substituteIndices(e, new Map([['N', ixConst(depth)]]));
  const unfolded = mapSymbols(concrete, (s) => {
    if (!names.includes(s.name)) return undefined;
    const def = defs.get(s.name);
    if (def === undefined || s.indices.some((a) => a.terms.length > 0)) return undefined;
    const env = new Map<string, Index>(def.params.map((p, q) => [p, s.indices[q] as Index]));
    env.set('N', ixConst(depth));
    return substituteIndices(def.body, env);
  });
  return dropIdentities(unfolded);
}

/** Concrete empty chains become identities `I_{d_k}`; identities are dropped from products; `Iᵀ = I`. */
export function dropIdentities(e: Expr): Expr {
  switch (e.kind) {
    case 'chain':
      return e.hi.terms.length === 0 && e.lo.terms.length === 0 && e.hi.c < e.lo.c ? identity({ dim: width(e.hi) }, true) : e;
    case 'mul': {
      const fs = e.factors.map(dropIdentities);
      const kept = fs.filter((f) => f.kind !== 'identity');
      return kept.length === 0 ? (fs[0] as Expr) : mul(...kept);
    }
    case 'transpose': {
      const a = dropIdentities(e.arg);
      return a.kind === 'identity' ? a : transpose(a);
    }
    default:
      return withChildren(e, children(e).map(dropIdentities));
  }
}



