/**
 * The identities of matrix calculus the derivations use, as named rewrite rules on {@link Expr}
 * trees (column-major `vec`, Frobenius inner product `⟨X, Y⟩ = tr(XᵀY)`):
 *
 * | rule | identity |
 * |---|---|
 * | {@link transposeOfProduct} | `(X_1 ⋯ X_k)ᵀ = X_kᵀ ⋯ X_1ᵀ` |
 * | {@link transposeOfTranspose} | `(Xᵀ)ᵀ = X` |
 * | {@link transposeOfKron} | `(A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ` |
 * | {@link kronMixedProduct} | `(A ⊗ B)(C ⊗ D) = (AC) ⊗ (BD)` |
 * | {@link vecOfProduct} | `vec(A X B) = (Bᵀ ⊗ A) vec(X)` |
 * | {@link vecOfTranspose} | `vec(Xᵀ) = T_{m,n} vec(X)` for `X ∈ R^{m×n}` |
 * | {@link traceCyclic} | `tr(X_1 ⋯ X_k) = tr(X_{s+1} ⋯ X_k X_1 ⋯ X_s)` |
 * | {@link traceOfKron} | `tr(A ⊗ B) = tr(A) tr(B)` |
 * | {@link innerMoveLeft} | `⟨A, B C⟩ = ⟨Bᵀ A, C⟩` |
 * | {@link innerMoveRight} | `⟨A, C B⟩ = ⟨A Bᵀ, C⟩` |
 * | {@link innerSymmetric} | `⟨A, B⟩ = ⟨B, A⟩` |
 * | {@link innerAsTrace} | `⟨A, B⟩ = tr(AᵀB)` |
 * | {@link innerAsVec} | `⟨A, B⟩ = vec(A)ᵀ vec(B)` |
 * | {@link frobeniusAsInner} | `‖A‖_F² = ⟨A, A⟩` |
 * | {@link innerOfSum} | `⟨A, Σ_i B_i⟩ = Σ_i ⟨A, B_i⟩` (also on the left, and for `+`) |
 * | {@link innerOfScalar} | `⟨A, s B⟩ = s ⟨A, B⟩` (also on the left) |
 *
 * A rule is a function from a node to its rewrite, or `null` where it does not apply at that node;
 * {@link rewrite} applies a rule at the first node (pre-order) where it applies. Rules simplify the
 * trivial transposes they create (`(Xᵀ)ᵀ = X`, `Σᵀ = Σ` for symmetric symbols, `Iᵀ = I`, scalars).
 */
import { children, commutation, identity, inner, kron, mul, sum, trace, transpose, vec, withChildren, add, type Dim, type Expr } from './expr.js';
import { toMarkdown } from './render.js';

/** A rewrite rule: the rewritten node, or `null` where the rule does not apply. */
export type Rule = (e: Expr) => Expr | null;

/** A rule that applies nowhere in an expression. */
export class RewriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RewriteError';
  }
}

/** Whether an expression is a scalar (numbers, scalar symbols, traces, inner products, norms, and products of them). */
export function isScalar(e: Expr): boolean {
  switch (e.kind) {
    case 'num':
    case 'trace':
    case 'inner':
    case 'fro2':
    case 'spec2':
    case 'lmax':
    case 'max':
      return true;
    case 'sym':
      return e.scalar;
    case 'frac':
      return isScalar(e.num) && isScalar(e.den);
    case 'mul':
      return e.factors.every(isScalar);
    case 'neg':
      return isScalar(e.arg);
    case 'add':
      return e.terms.every(isScalar);
    case 'sum':
    case 'pairSum':
      return isScalar(e.body);
    default:
      return false;
  }
}

/** `Xᵀ`, simplified: `(Yᵀ)ᵀ = Y`, `Σᵀ = Σ` for symmetric symbols, `Iᵀ = I`, `sᵀ = s` for scalars. */
export function smartTranspose(e: Expr): Expr {
  if (e.kind === 'transpose') return e.arg;
  if (e.kind === 'identity' || isScalar(e)) return e;
  if (e.kind === 'sym' && e.symmetric) return e;
  return transpose(e);
}

/** `(X_1 ⋯ X_k)ᵀ = X_kᵀ ⋯ X_1ᵀ` (the reversed product of simplified transposes). */
export function transposeOfProduct(e: Expr): Expr | null {
  if (e.kind !== 'transpose' || e.arg.kind !== 'mul') return null;
  return mul(...[...e.arg.factors].reverse().map(smartTranspose));
}

/** `(Xᵀ)ᵀ = X`. */
export function transposeOfTranspose(e: Expr): Expr | null {
  return e.kind === 'transpose' && e.arg.kind === 'transpose' ? e.arg.arg : null;
}

/** `(A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ`. */
export function transposeOfKron(e: Expr): Expr | null {
  if (e.kind !== 'transpose' || e.arg.kind !== 'kron') return null;
  return kron(smartTranspose(e.arg.left), smartTranspose(e.arg.right));
}

/** `(A ⊗ B)(C ⊗ D) = (AC) ⊗ (BD)`, at the first adjacent pair of Kronecker factors of a product. */
export function kronMixedProduct(e: Expr): Expr | null {
  if (e.kind !== 'mul') return null;
  const f = e.factors;
  for (let k = 0; k + 1 < f.length; k++) {
    const a = f[k] as Expr;
    const b = f[k + 1] as Expr;
    if (a.kind === 'kron' && b.kind === 'kron') {
      const merged = kron(mul(a.left, b.left), mul(a.right, b.right));
      return mul(...f.slice(0, k), merged, ...f.slice(k + 2));
    }
  }
  return null;
}

/** Splits a product into its scalar factors and its matrix factors (order kept). */
function splitScalars(factors: readonly Expr[]): { scalars: Expr[]; matrices: Expr[] } {
  const scalars: Expr[] = [];
  const matrices: Expr[] = [];
  for (const f of factors) (isScalar(f) ? scalars : matrices).push(f);
  return { scalars, matrices };
}

/**
 * `vec(A X B) = (Bᵀ ⊗ A) vec(X)`: `X` is the matrix factor of the product for which `select`
 * holds (the first one), `A` the factors before it and `B` those after (an identity of the right
 * size where there are none); scalar factors move to the front.
 */
export function vecOfProduct(select: (factor: Expr) => boolean): Rule {
  return (e) => {
    if (e.kind !== 'vec') return null;
    const factors = e.arg.kind === 'mul' ? e.arg.factors : [e.arg];
    const { scalars, matrices } = splitScalars(factors);
    const k = matrices.findIndex(select);
    if (k < 0) return null;
    const X = matrices[k] as Expr;
    const before = matrices.slice(0, k);
    const after = matrices.slice(k + 1);
    const A = before.length === 0 ? identity({ like: { expr: X, side: 'rows' } }) : mul(...before);
    const B = after.length === 0 ? identity({ like: { expr: X, side: 'cols' } }) : mul(...after);
    const Bt = after.length === 0 ? B : after.length === 1 ? smartTranspose(B) : transpose(B);
    return mul(...scalars, kron(Bt, A), vec(X));
  };
}

/** `vec(Xᵀ) = T_{m,n} vec(X)` for `X ∈ R^{m×n}` (`rows`, `cols` name `m`, `n` for display). */
export function vecOfTranspose(rows?: Dim, cols?: Dim): Rule {
  return (e) => {
    if (e.kind !== 'vec' || e.arg.kind !== 'transpose') return null;
    const X = e.arg.arg;
    return mul(
      commutation({ ...(rows !== undefined ? { dim: rows } : {}), like: { expr: X, side: 'rows' } }, { ...(cols !== undefined ? { dim: cols } : {}), like: { expr: X, side: 'cols' } }),
      vec(X),
    );
  };
}

/** `tr(X_1 ⋯ X_k) = tr(X_{s+1} ⋯ X_k X_1 ⋯ X_s)` (cyclic shift by `shift` factors). */
export function traceCyclic(shift: number): Rule {
  return (e) => {
    if (e.kind !== 'trace' || e.arg.kind !== 'mul') return null;
    const f = e.arg.factors;
    const s = ((shift % f.length) + f.length) % f.length;
    return trace(mul(...f.slice(s), ...f.slice(0, s)));
  };
}

/** `tr(A ⊗ B) = tr(A) tr(B)`. */
export function traceOfKron(e: Expr): Expr | null {
  if (e.kind !== 'trace' || e.arg.kind !== 'kron') return null;
  return mul(trace(e.arg.left), trace(e.arg.right));
}

/** `⟨A, B_1 ⋯ B_c C⟩ = ⟨B_cᵀ ⋯ B_1ᵀ A, C⟩`: moves the first `count` matrix factors of the right argument to the left one. */
export function innerMoveLeft(count = 1): Rule {
  return (e) => {
    if (e.kind !== 'inner' || e.right.kind !== 'mul') return null;
    const { scalars, matrices } = splitScalars(e.right.factors);
    if (scalars.length > 0 || matrices.length <= count) return null;
    const moved = matrices.slice(0, count).reverse().map(smartTranspose);
    return inner(mul(...moved, e.left), mul(...matrices.slice(count)));
  };
}

/** `⟨A, C B_1 ⋯ B_c⟩ = ⟨A B_cᵀ ⋯ B_1ᵀ, C⟩`: moves the last `count` matrix factors of the right argument to the left one. */
export function innerMoveRight(count = 1): Rule {
  return (e) => {
    if (e.kind !== 'inner' || e.right.kind !== 'mul') return null;
    const { scalars, matrices } = splitScalars(e.right.factors);
    if (scalars.length > 0 || matrices.length <= count) return null;
    const moved = matrices.slice(matrices.length - count).reverse().map(smartTranspose);
    return inner(mul(e.left, ...moved), mul(...matrices.slice(0, matrices.length - count)));
  };
}

/** `⟨A, B⟩ = ⟨B, A⟩`. */
export function innerSymmetric(e: Expr): Expr | null {
  return e.kind === 'inner' ? inner(e.right, e.left) : null;
}

/** `⟨A, B⟩ = tr(AᵀB)`. */
export function innerAsTrace(e: Expr): Expr | null {
  return e.kind === 'inner' ? trace(mul(smartTranspose(e.left), e.right)) : null;
}

/** `⟨A, B⟩ = vec(A)ᵀ vec(B)`. */
export function innerAsVec(e: Expr): Expr | null {
  return e.kind === 'inner' ? mul(transpose(vec(e.left)), vec(e.right)) : null;
}

/** `‖A‖_F² = ⟨A, A⟩`. */
export function frobeniusAsInner(e: Expr): Expr | null {
  return e.kind === 'fro2' ? inner(e.arg, e.arg) : null;
}

/** `⟨A, Σ_i B_i⟩ = Σ_i ⟨A, B_i⟩`, `⟨Σ_i A_i, B⟩ = Σ_i ⟨A_i, B⟩`, and the same for finite sums `B + C`. */
export function innerOfSum(e: Expr): Expr | null {
  if (e.kind !== 'inner') return null;
  const r = e.right;
  const l = e.left;
  if (r.kind === 'sum') return sum(r.index, r.from, r.to, inner(l, r.body));
  if (r.kind === 'pairSum') return { ...r, body: inner(l, r.body) };
  if (r.kind === 'add') return add(...r.terms.map((t) => inner(l, t)));
  if (l.kind === 'sum') return sum(l.index, l.from, l.to, inner(l.body, r));
  if (l.kind === 'pairSum') return { ...l, body: inner(l.body, r) };
  if (l.kind === 'add') return add(...l.terms.map((t) => inner(t, r)));
  return null;
}

/** `⟨A, s B⟩ = s ⟨A, B⟩` and `⟨s A, B⟩ = s ⟨A, B⟩` for scalar factors `s`. */
export function innerOfScalar(e: Expr): Expr | null {
  if (e.kind !== 'inner') return null;
  const l = e.left.kind === 'mul' ? splitScalars(e.left.factors) : { scalars: [], matrices: [e.left] };
  const r = e.right.kind === 'mul' ? splitScalars(e.right.factors) : { scalars: [], matrices: [e.right] };
  if (l.scalars.length === 0 && r.scalars.length === 0) return null;
  if (l.matrices.length === 0 || r.matrices.length === 0) return null;
  return mul(...l.scalars, ...r.scalars, inner(mul(...l.matrices), mul(...r.matrices)));
}

/** Applies `rule` at the first node (pre-order) where it applies; throws {@link RewriteError} when it applies nowhere. */
export function rewrite(e: Expr, rule: Rule, name = 'rule'): Expr {
  const out = rewriteFirst(e, rule);
  if (out === null) throw new RewriteError(`${name} does not apply anywhere in ${toMarkdown(e)}`);
  return out;
}

function rewriteFirst(e: Expr, rule: Rule): Expr | null {
  const here = rule(e);
  if (here !== null) return here;
  const cs = children(e);
  for (let k = 0; k < cs.length; k++) {
    const r = rewriteFirst(cs[k] as Expr, rule);
    if (r !== null) {
      const next = [...cs];
      next[k] = r;
      return withChildren(e, next);
    }
  }
  return null;
}

/** Applies `rule` at every node where it applies (children first), once per node. */
export function rewriteEverywhere(e: Expr, rule: Rule): Expr {
  const inner0 = withChildren(
    e,
    children(e).map((c) => rewriteEverywhere(c, rule)),
  );
  return rule(inner0) ?? inner0;
}
