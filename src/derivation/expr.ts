/**
 * Expression trees for the matrix calculus of the derivation documents (issue 4).
 *
 * A tree describes a matrix (or scalar) expression over named symbols with layer indices
 * (`W_i`, `A_i`, `C_{ji}`, `R`, `Σ`, …): products, sums, transposes, Kronecker products, `vec`,
 * traces, Frobenius inner products and norms, sums over layers and descending layer products
 * `W_N ⋯ W_{i+1}`. The same tree is rendered ({@link ./render.js}), rewritten by named identities
 * ({@link ./rules.js}) and evaluated exactly on an instance ({@link ./evaluate.js}), so every formula
 * a document shows is the formula it checks.
 *
 * Conventions are those of `docs/math.md §1`: `W_i ∈ R^{d_i × d_{i−1}}`, `P = W_N ⋯ W_1`, column-major `vec`.
 */
import { Rational } from '../field/rational.js';
import { ixSubstitute, type Index } from '../symbolic/affine-index.js';

// ---------------------------------------------------------------------------------------------
// Sizes of identities and commutation matrices

/**
 * A dimension: the width `d_k` at an index, the sample count `n`, a literal number, or a name
 * (`m`, shown only; such sizes are evaluated from {@link Size.like}). Used for
 * the subscripts of `I_{d_0}` and `T_{d_i, d_{i−1}}` and, when concrete, to evaluate them.
 */
export type Dim =
  | { readonly kind: 'width'; readonly index: Index }
  | { readonly kind: 'samples' }
  | { readonly kind: 'literal'; readonly value: number }
  | { readonly kind: 'named'; readonly name: string };

/** `d_k` for an index. */
export function width(index: Index): Dim {
  return { kind: 'width', index };
}

/**
 * How an identity or commutation matrix gets its size when evaluated: from a {@link Dim}, or from
 * the rows or columns of another expression (`like`), e.g. the identity that `vec(X B) = (Bᵀ ⊗ I) vec X`
 * introduces has as many rows as `X`.
 */
export interface Size {
  readonly dim?: Dim;
  readonly like?: { readonly expr: Expr; readonly side: 'rows' | 'cols' };
}

// ---------------------------------------------------------------------------------------------
// Nodes

/**
 * A symbol: a matrix or scalar quantity with layer indices (`W_i`, `C_{ji}`, `R`, `Σ`, `n`).
 * `tex` and `text` are the symbol's name in LaTeX and in plain Unicode. `symmetric` lets the
 * rules simplify `Σᵀ = Σ`.
 */
export interface SymbolNode {
  readonly kind: 'sym';
  readonly name: string;
  readonly tex: string;
  readonly text: string;
  readonly indices: readonly Index[];
  readonly scalar: boolean;
  readonly symmetric: boolean;
}

/** An exact rational constant. */
export interface NumberNode {
  readonly kind: 'num';
  readonly value: Rational;
}

/** The identity matrix `I` (size from {@link Size}; rendered with a subscript when `show` is set). */
export interface IdentityNode {
  readonly kind: 'identity';
  readonly size: Size;
  readonly show: boolean;
}

/** The commutation matrix `T_{m,n}` with `vec(Xᵀ) = T_{m,n} vec(X)` for `X ∈ R^{m×n}`. */
export interface CommutationNode {
  readonly kind: 'commutation';
  readonly rows: Size;
  readonly cols: Size;
}

/** A product of factors (scalars and matrices, in order). */
export interface MulNode {
  readonly kind: 'mul';
  readonly factors: readonly Expr[];
}

/** A sum of terms (subtraction is a {@link NegNode} term). */
export interface AddNode {
  readonly kind: 'add';
  readonly terms: readonly Expr[];
}

/** `−x`. */
export interface NegNode {
  readonly kind: 'neg';
  readonly arg: Expr;
}

/** `num / den` for scalar denominators (`1/(2n)`). */
export interface FracNode {
  readonly kind: 'frac';
  readonly num: Expr;
  readonly den: Expr;
}

/** `Xᵀ`. */
export interface TransposeNode {
  readonly kind: 'transpose';
  readonly arg: Expr;
}

/** `X ⊗ Y`. */
export interface KronNode {
  readonly kind: 'kron';
  readonly left: Expr;
  readonly right: Expr;
}

/** `vec(X)`, column-major. */
export interface VecNode {
  readonly kind: 'vec';
  readonly arg: Expr;
}

/** `tr(X)`. */
export interface TraceNode {
  readonly kind: 'trace';
  readonly arg: Expr;
}

/** The Frobenius inner product `⟨X, Y⟩ = tr(XᵀY)`. */
export interface InnerNode {
  readonly kind: 'inner';
  readonly left: Expr;
  readonly right: Expr;
}

/** `‖X‖_F²`. */
export interface FrobeniusSqNode {
  readonly kind: 'fro2';
  readonly arg: Expr;
}

/** `‖X‖₂²` (squared spectral norm; shown, evaluated through exact eigenvalue certificates, not by {@link ./evaluate.js}). */
export interface SpectralSqNode {
  readonly kind: 'spec2';
  readonly arg: Expr;
}

/** `λ_max(X)` (shown only, like {@link SpectralSqNode}). */
export interface LambdaMaxNode {
  readonly kind: 'lmax';
  readonly arg: Expr;
}

/** `Σ_{v=from}^{to} body` over an index variable. */
export interface SumNode {
  readonly kind: 'sum';
  readonly index: string;
  readonly from: Index;
  readonly to: Index;
  readonly body: Expr;
}

/** `Σ_{from ≤ lo < hi ≤ to} body` over pairs of index variables (`lo < hi`). */
export interface PairSumNode {
  readonly kind: 'pairSum';
  readonly lo: string;
  readonly hi: string;
  readonly from: Index;
  readonly to: Index;
  readonly body: Expr;
}

/** `max_{v=from..to} body` (scalar body; shown, and evaluated). */
export interface MaxNode {
  readonly kind: 'max';
  readonly index: string;
  readonly from: Index;
  readonly to: Index;
  readonly body: Expr;
}

/**
 * The descending product of a layer family `X_hi X_{hi−1} ⋯ X_lo` (e.g. `W_N ⋯ W_{i+1}`), the
 * identity `I_{d_hi}` when `hi < lo`. The symbol template's first index is the layer.
 */
export interface ChainNode {
  readonly kind: 'chain';
  readonly symbol: SymbolNode;
  readonly hi: Index;
  readonly lo: Index;
}

/** The block row `[body(from), …, body(to)]` over an index variable. */
export interface BlockRowNode {
  readonly kind: 'blockRow';
  readonly index: string;
  readonly from: Index;
  readonly to: Index;
  readonly body: Expr;
}

/** A node of a matrix expression tree. */
export type Expr =
  | SymbolNode
  | NumberNode
  | IdentityNode
  | CommutationNode
  | MulNode
  | AddNode
  | NegNode
  | FracNode
  | TransposeNode
  | KronNode
  | VecNode
  | TraceNode
  | InnerNode
  | FrobeniusSqNode
  | SpectralSqNode
  | LambdaMaxNode
  | SumNode
  | PairSumNode
  | MaxNode
  | ChainNode
  | BlockRowNode;

// ---------------------------------------------------------------------------------------------
// Constructors

/** Options of {@link sym}. */
export interface SymbolOptions {
  /** LaTeX of the name (default: the name). */
  readonly tex?: string;
  /** Plain-text name (default: the name). */
  readonly text?: string;
  readonly scalar?: boolean;
  readonly symmetric?: boolean;
}

/** A symbol with indices: `sym('W', [ix('i')])` is `W_i`. */
export function sym(name: string, indices: readonly Index[] = [], options: SymbolOptions = {}): SymbolNode {
  return {
    kind: 'sym',
    name,
    tex: options.tex ?? name,
    text: options.text ?? name,
    indices,
    scalar: options.scalar ?? false,
    symmetric: options.symmetric ?? false,
  };
}

/** The same symbol family at other indices (`W_i` → `W_{i+1}`). */
export function reindex(s: SymbolNode, indices: readonly Index[]): SymbolNode {
  return { ...s, indices };
}

/** An exact constant. */
export function num(value: Rational | number | bigint): NumberNode {
  return { kind: 'num', value: value instanceof Rational ? value : Rational.fromBigInt(BigInt(value)) };
}

/** `p/q` as a constant. */
export function ratio(p: number, q: number): NumberNode {
  return { kind: 'num', value: new Rational(BigInt(p), BigInt(q)) };
}

/** The identity with a size (shown as `I_{d}` when `show`). */
export function identity(size: Size, show = false): IdentityNode {
  return { kind: 'identity', size, show };
}

/** The commutation matrix `T_{m,n}`. */
export function commutation(rows: Size, cols: Size): CommutationNode {
  return { kind: 'commutation', rows, cols };
}

/** The product of the factors; nested products are flattened and a single factor is returned as is. */
export function mul(...factors: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const f of factors) {
    if (f.kind === 'mul') flat.push(...f.factors);
    else flat.push(f);
  }
  if (flat.length === 0) throw new RangeError('mul: at least one factor is required');
  return flat.length === 1 ? (flat[0] as Expr) : { kind: 'mul', factors: flat };
}

/** The sum of the terms (flattened; a single term is returned as is). */
export function add(...terms: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const t of terms) {
    if (t.kind === 'add') flat.push(...t.terms);
    else flat.push(t);
  }
  if (flat.length === 0) throw new RangeError('add: at least one term is required');
  return flat.length === 1 ? (flat[0] as Expr) : { kind: 'add', terms: flat };
}

/** `a − b`. */
export function sub(a: Expr, b: Expr): Expr {
  return add(a, neg(b));
}

/** `−x`. */
export function neg(arg: Expr): NegNode {
  return { kind: 'neg', arg };
}

/** `num / den`. */
export function frac(numerator: Expr, denominator: Expr): FracNode {
  return { kind: 'frac', num: numerator, den: denominator };
}

/** `Xᵀ`. */
export function transpose(arg: Expr): TransposeNode {
  return { kind: 'transpose', arg };
}

/** `X ⊗ Y`. */
export function kron(left: Expr, right: Expr): KronNode {
  return { kind: 'kron', left, right };
}

/** `vec(X)`. */
export function vec(arg: Expr): VecNode {
  return { kind: 'vec', arg };
}

/** `tr(X)`. */
export function trace(arg: Expr): TraceNode {
  return { kind: 'trace', arg };
}

/** `⟨X, Y⟩`. */
export function inner(left: Expr, right: Expr): InnerNode {
  return { kind: 'inner', left, right };
}

/** `‖X‖_F²`. */
export function fro2(arg: Expr): FrobeniusSqNode {
  return { kind: 'fro2', arg };
}

/** `‖X‖₂²`. */
export function spec2(arg: Expr): SpectralSqNode {
  return { kind: 'spec2', arg };
}

/** `λ_max(X)`. */
export function lmax(arg: Expr): LambdaMaxNode {
  return { kind: 'lmax', arg };
}

/** `Σ_{index=from}^{to} body`. */
export function sum(index: string, from: Index, to: Index, body: Expr): SumNode {
  return { kind: 'sum', index, from, to, body };
}

/** `Σ_{from ≤ lo < hi ≤ to} body`. */
export function pairSum(lo: string, hi: string, from: Index, to: Index, body: Expr): PairSumNode {
  return { kind: 'pairSum', lo, hi, from, to, body };
}

/** `max_{index=from..to} body`. */
export function max(index: string, from: Index, to: Index, body: Expr): MaxNode {
  return { kind: 'max', index, from, to, body };
}

/** `X_hi ⋯ X_lo` for the family of `symbol` (its first index is replaced by the layer). */
export function chain(symbol: SymbolNode, hi: Index, lo: Index): ChainNode {
  return { kind: 'chain', symbol, hi, lo };
}

/** `[body(from), …, body(to)]`. */
export function blockRow(index: string, from: Index, to: Index, body: Expr): BlockRowNode {
  return { kind: 'blockRow', index, from, to, body };
}

// ---------------------------------------------------------------------------------------------
// Traversal

/** The direct children of a node, in order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'mul':
      return [...e.factors];
    case 'add':
      return [...e.terms];
    case 'neg':
    case 'transpose':
    case 'vec':
    case 'trace':
    case 'fro2':
    case 'spec2':
    case 'lmax':
      return [e.arg];
    case 'frac':
      return [e.num, e.den];
    case 'kron':
    case 'inner':
      return [e.left, e.right];
    case 'sum':
    case 'pairSum':
    case 'max':
    case 'blockRow':
      return [e.body];
    default:
      return [];
  }
}

/** The node with its children replaced (same count and order as {@link children}). */
export function withChildren(e: Expr, cs: readonly Expr[]): Expr {
  const c = (k: number): Expr => {
    const x = cs[k];
    if (x === undefined) throw new RangeError(`withChildren: missing child ${k} of ${e.kind}`);
    return x;
  };
  switch (e.kind) {
    case 'mul':
      return mul(...cs);
    case 'add':
      return add(...cs);
    case 'neg':
    case 'transpose':
    case 'vec':
    case 'trace':
    case 'fro2':
    case 'spec2':
    case 'lmax':
      return { ...e, arg: c(0) };
    case 'frac':
      return { ...e, num: c(0), den: c(1) };
    case 'kron':
    case 'inner':
      return { ...e, left: c(0), right: c(1) };
    case 'sum':
    case 'pairSum':
    case 'max':
    case 'blockRow':
      return { ...e, body: c(0) };
    default:
      return e;
  }
}

/** Replaces index variables everywhere (symbol indices, sizes, bounds); bound variables of sums are left alone. */
export function substituteIndices(e: Expr, env: ReadonlyMap<string, Index>): Expr {
  if (env.size === 0) return e;
  const sub1 = (a: Index): Index => ixSubstitute(a, env);
  const subDim = (d: Dim): Dim => (d.kind === 'width' ? { kind: 'width', index: sub1(d.index) } : d);
  const subSize = (s: Size): Size => ({
    ...(s.dim !== undefined ? { dim: subDim(s.dim) } : {}),
    ...(s.like !== undefined ? { like: { expr: substituteIndices(s.like.expr, env), side: s.like.side } } : {}),
  });
  const without = (...names: string[]): Map<string, Index> => {
    const m = new Map(env);
    for (const n of names) m.delete(n);
    return m;
  };
  switch (e.kind) {
    case 'sym':
      return { ...e, indices: e.indices.map(sub1) };
    case 'identity':
      return { ...e, size: subSize(e.size) };
    case 'commutation':
      return { ...e, rows: subSize(e.rows), cols: subSize(e.cols) };
    case 'chain':
      return { ...e, hi: sub1(e.hi), lo: sub1(e.lo) };
    case 'sum':
    case 'max':
    case 'blockRow':
      return { ...e, from: sub1(e.from), to: sub1(e.to), body: substituteIndices(e.body, without(e.index)) };
    case 'pairSum':
      return { ...e, from: sub1(e.from), to: sub1(e.to), body: substituteIndices(e.body, without(e.lo, e.hi)) };
    default:
      return withChildren(
        e,
        children(e).map((c) => substituteIndices(c, env)),
      );
  }
}

/** Replaces every symbol for which `f` returns an expression (post-order; sizes included). */
export function mapSymbols(e: Expr, f: (s: SymbolNode) => Expr | undefined): Expr {
  switch (e.kind) {
    case 'sym':
      return f(e) ?? e;
    case 'identity':
      return e.size.like === undefined ? e : { ...e, size: { ...e.size, like: { ...e.size.like, expr: mapSymbols(e.size.like.expr, f) } } };
    default:
      return withChildren(
        e,
        children(e).map((c) => mapSymbols(c, f)),
      );
  }
}

/** Structural equality of two trees. */
export function exprEqual(a: Expr, b: Expr): boolean {
  return JSON.stringify(a, replacer) === JSON.stringify(b, replacer);
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Rational ? value.toString() : value;
}
