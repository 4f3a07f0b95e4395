/**
 * The identities behind the rewrite rules of {@link ./rules.js}, as trees: each with its statement
 * `lhs = rhs`, the rule that rewrites `lhs` into `rhs`, and the shapes of its letters (so tests and
 * documents can check it on random rational matrices of compatible shapes).
 */
import { Rational } from '../field/rational.js';
import { generate, type Matrix } from '../linalg/matrix.js';
import { seededRandom } from '../generators/orthogonal.js';
import { Q } from '../field/field.js';
import { add, commutation, inner, kron, mul, sym, trace, transpose, vec, fro2, type Expr } from './expr.js';
import { Evaluator, matrixValue, valuesEqual, type Value } from './evaluate.js';
import { formula, type Formula } from './document.js';
import { toMarkdown, toTex } from './render.js';
import * as R from './rules.js';

/** One identity of matrix calculus with its rewrite rule. */
export interface Identity {
  readonly key: IdentityKey;
  /** What it says in words. */
  readonly name: string;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly rule: R.Rule;
  /** Shape of each letter as `[rows, cols]` size names (`'1'` for a scalar). */
  readonly shapes: Readonly<Record<string, readonly [string, string]>>;
}

/** Keys of {@link IDENTITIES}. */
export type IdentityKey =
  | 'transposeOfProduct'
  | 'transposeOfTranspose'
  | 'transposeOfKron'
  | 'kronMixedProduct'
  | 'vecOfProduct'
  | 'vecOfTranspose'
  | 'traceCyclic'
  | 'traceOfKron'
  | 'innerMoveLeft'
  | 'innerMoveRight'
  | 'innerSymmetric'
  | 'innerAsTrace'
  | 'innerAsVec'
  | 'frobeniusAsInner'
  | 'innerOfSum'
  | 'innerOfScalar';

const A = sym('A');
const B = sym('B');
const C = sym('C');
const D = sym('D');
const X = sym('X');
const s = sym('s', [], { scalar: true });
const named = (name: string) => ({ dim: { kind: 'named' as const, name }, like: { expr: X, side: name === 'm' ? ('rows' as const) : ('cols' as const) } });

/** The identities, in the order documents list them. */
export const IDENTITIES: readonly Identity[] = [
  { key: 'transposeOfProduct', name: 'transpose of a product', lhs: transpose(mul(A, B)), rhs: mul(transpose(B), transpose(A)), rule: R.transposeOfProduct, shapes: { A: ['m', 'p'], B: ['p', 'q'] } },
  { key: 'transposeOfTranspose', name: 'double transpose', lhs: transpose(transpose(A)), rhs: A, rule: R.transposeOfTranspose, shapes: { A: ['m', 'p'] } },
  { key: 'transposeOfKron', name: 'transpose of a Kronecker product', lhs: transpose(kron(A, B)), rhs: kron(transpose(A), transpose(B)), rule: R.transposeOfKron, shapes: { A: ['m', 'p'], B: ['q', 'r'] } },
  {
    key: 'kronMixedProduct',
    name: 'mixed product',
    lhs: mul(kron(A, B), kron(C, D)),
    rhs: kron(mul(A, C), mul(B, D)),
    rule: R.kronMixedProduct,
    shapes: { A: ['m', 'p'], C: ['p', 'q'], B: ['r', 's'], D: ['s', 't'] },
  },
  { key: 'vecOfProduct', name: 'vec of a product', lhs: vec(mul(A, X, B)), rhs: mul(kron(transpose(B), A), vec(X)), rule: R.vecOfProduct((f) => f.kind === 'sym' && f.name === 'X'), shapes: { A: ['m', 'p'], X: ['p', 'q'], B: ['q', 'r'] } },
  { key: 'vecOfTranspose', name: 'vec of a transpose (commutation matrix)', lhs: vec(transpose(X)), rhs: mul(commutation(named('m'), named('n')), vec(X)), rule: R.vecOfTranspose({ kind: 'named', name: 'm' }, { kind: 'named', name: 'n' }), shapes: { X: ['m', 'n'] } },
  { key: 'traceCyclic', name: 'cyclic trace', lhs: trace(mul(A, B)), rhs: trace(mul(B, A)), rule: R.traceCyclic(1), shapes: { A: ['m', 'p'], B: ['p', 'm'] } },
  { key: 'traceOfKron', name: 'trace of a Kronecker product', lhs: trace(kron(A, B)), rhs: mul(trace(A), trace(B)), rule: R.traceOfKron, shapes: { A: ['m', 'm'], B: ['p', 'p'] } },
  { key: 'innerMoveLeft', name: 'moving a left factor across the inner product', lhs: inner(A, mul(B, C)), rhs: inner(mul(transpose(B), A), C), rule: R.innerMoveLeft(1), shapes: { A: ['m', 'q'], B: ['m', 'p'], C: ['p', 'q'] } },
  { key: 'innerMoveRight', name: 'moving a right factor across the inner product', lhs: inner(A, mul(C, B)), rhs: inner(mul(A, transpose(B)), C), rule: R.innerMoveRight(1), shapes: { A: ['m', 'q'], C: ['m', 'p'], B: ['p', 'q'] } },
  { key: 'innerSymmetric', name: 'symmetry of the inner product', lhs: inner(A, B), rhs: inner(B, A), rule: R.innerSymmetric, shapes: { A: ['m', 'p'], B: ['m', 'p'] } },
  { key: 'innerAsTrace', name: 'inner product as a trace', lhs: inner(A, B), rhs: trace(mul(transpose(A), B)), rule: R.innerAsTrace, shapes: { A: ['m', 'p'], B: ['m', 'p'] } },
  { key: 'innerAsVec', name: 'inner product of vecs', lhs: inner(A, B), rhs: mul(transpose(vec(A)), vec(B)), rule: R.innerAsVec, shapes: { A: ['m', 'p'], B: ['m', 'p'] } },
  { key: 'frobeniusAsInner', name: 'Frobenius norm', lhs: fro2(A), rhs: inner(A, A), rule: R.frobeniusAsInner, shapes: { A: ['m', 'p'] } },
  { key: 'innerOfSum', name: 'linearity', lhs: inner(A, add(B, C)), rhs: add(inner(A, B), inner(A, C)), rule: R.innerOfSum, shapes: { A: ['m', 'p'], B: ['m', 'p'], C: ['m', 'p'] } },
  { key: 'innerOfScalar', name: 'scalars', lhs: inner(A, mul(s, B)), rhs: mul(s, inner(A, B)), rule: R.innerOfScalar, shapes: { A: ['m', 'p'], B: ['m', 'p'], s: ['1', '1'] } },
];

/** The identity with this key. */
export function identityNamed(key: IdentityKey): Identity {
  const id = IDENTITIES.find((x) => x.key === key);
  if (id === undefined) throw new RangeError(`no identity ${key}`);
  return id;
}

/** `lhs = rhs` of an identity as a formula. */
export function identityFormula(key: IdentityKey): Formula {
  const id = identityNamed(key);
  return formula(`${toTex(id.lhs)} = ${toTex(id.rhs)}`, `${toMarkdown(id.lhs)} = ${toMarkdown(id.rhs)}`);
}

/** The reason shown after a step that uses identities: `\text{by } (AB)ᵀ = BᵀAᵀ, …`. */
export function byIdentities(...keys: IdentityKey[]): Formula {
  const fs = keys.map(identityFormula);
  return formula(`\\text{by } ${fs.map((f) => f.tex).join(',\\ ')}`, `by ${fs.map((f) => f.text).join(', ')}`);
}

/** A reason in words with formulas: `because('definition of ', dP)` → `\text{definition of } \delta P`. */
export function because(...parts: (string | Formula | Expr)[]): Formula {
  const tex = parts.map((p) => (typeof p === 'string' ? `\\text{${p.replace(/[\\{}$&#%_^~]/g, (c) => `\\${c}`)}}` : 'kind' in p ? toTex(p) : p.tex)).join('');
  const text = parts.map((p) => (typeof p === 'string' ? p : 'kind' in p ? toMarkdown(p) : p.text)).join('');
  return formula(tex, text);
}

/** Result of checking an identity on random matrices. */
export interface IdentityCheck {
  readonly key: IdentityKey;
  /** `lhs` and `rhs` evaluate to the same matrix, and the rule rewrites `lhs` to something equal to both. */
  readonly holds: boolean;
  readonly sizes: Readonly<Record<string, number>>;
}

/**
 * Checks an identity exactly over `Q` on random rational matrices (entries `p/q`, `|p| ≤ 4`,
 * `q ≤ 3`) with random sizes `1..4` from the seed: evaluates `lhs`, `rhs` and the rule's rewrite of `lhs`.
 */
export function checkIdentity(id: Identity, seed: number): IdentityCheck {
  const rng = seededRandom(seed);
  const sizes: Record<string, number> = { '1': 1 };
  const sizeOf = (name: string): number => {
    const v = sizes[name] ?? rng.int(1, 4);
    sizes[name] = v;
    return v;
  };
  const values = new Map<string, Value<Rational>>();
  for (const [letter, [r, c]] of Object.entries(id.shapes)) {
    const M: Matrix<Rational> = generate(sizeOf(r), sizeOf(c), () => new Rational(BigInt(rng.int(-4, 4)), BigInt(rng.int(1, 3))));
    values.set(letter, letter === 's' ? { kind: 'scalar', value: M.data[0] as Rational } : matrixValue(M));
  }
  const ev = new Evaluator<Rational>({ F: Q, widths: [1], lookup: (name) => values.get(name), definitions: new Map() });
  const lhs = ev.evaluate(id.lhs);
  const rhs = ev.evaluate(id.rhs);
  const rewritten = id.rule(id.lhs);
  const holds = valuesEqual(Q, lhs, rhs) && rewritten !== null && valuesEqual(Q, lhs, ev.evaluate(rewritten));
  return { key: id.key, holds, sizes };
}
