/**
 * Formulas over the engine's quantities, for `dln-hessian verify` (docs/verify.md).
 *
 * Text is parsed with mathjs's `parse` and the tree is then checked against a small grammar:
 * numbers (read exactly from their text: `0.5` is 1/2), `+ − * / ^`, unary minus, parentheses, the
 * symbols `N`, `M`, `P` and bound layer variables, and the functions `d(i)`, `W(i)`, `A(i)`, `B(i)`,
 * `norm2`, `fro`, `sigma(X, k)`, `trace`, `transpose` (or `X'`), `abs`, `sqrt`, `max`, `min`,
 * `sumLayers(i, E)`, `maxLayers(i, E)`, `minLayers(i, E)`. Each sub-expression is typed as a scalar
 * or a matrix with a symbolic shape (`d_{i−1} × d_0`, …), so most misuse is refused before any
 * model is seen; shapes that depend on computed indices are checked again during evaluation.
 *
 * Every problem is a {@link FormulaError} that points at a position in the text.
 */
import { InputError } from '../errors/input-error.js';
import type { MathNode } from 'mathjs';
import { Rational, RationalParseError } from '../field/rational.js';

/** A half-open character range `[start, end)` of the formula text (0-based). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A problem with a formula: where it is (0-based span in {@link FormulaError.formula}) and what. */
export class FormulaError extends InputError {
  /** The formula text. */
  readonly formula: string;
  /** Where the problem is (0-based, end exclusive). */
  readonly span: Span;
  /** The message without the position, e.g. `unknown quantity "Q"`. */
  readonly reason: string;

  constructor(reason: string, formula: string, span: Span) {
    super(`formula: ${reason} at position ${span.start + 1}`);
    this.name = 'FormulaError';
    this.formula = formula;
    this.span = span;
    this.reason = reason;
  }

  /** The message, the formula and a caret line under the offending part. */
  override describe(): string {
    return `${this.message}\n${caretLines(this.formula, this.span)}`;
  }
}

/** Two lines: the formula indented, and `^~~~` under `span`. */
export function caretLines(formula: string, span: Span): string {
  const oneLine = formula.replace(/[\r\n\t]/g, ' ');
  const start = Math.max(0, Math.min(span.start, oneLine.length));
  const len = Math.max(1, Math.min(span.end, oneLine.length) - start);
  return `  ${oneLine}\n  ${' '.repeat(start)}^${'~'.repeat(len - 1)}`;
}

// ---------------------------------------------------------------------------------------------
// Symbolic shapes

/**
 * An affine index `c + n·N + Σ v·var` (integer coefficients) naming the width `d_index`.
 * Two dimensions are statically equal when their affine indices are.
 */
export interface AffineIndex {
  readonly c: number;
  readonly n: number;
  readonly vars: Readonly<Record<string, number>>;
}

/** A matrix dimension: `d_{index}` for an affine index, or `null` when the index is not affine (checked at evaluation). */
export type Dim = AffineIndex | null;

/** The static type of a sub-expression. */
export type FormulaType = { readonly kind: 'scalar' } | { readonly kind: 'matrix'; readonly rows: Dim; readonly cols: Dim };

const SCALAR: FormulaType = { kind: 'scalar' };

function affineAdd(a: AffineIndex, b: AffineIndex, sign: 1 | -1): AffineIndex {
  const vars: Record<string, number> = { ...a.vars };
  for (const [k, v] of Object.entries(b.vars)) vars[k] = (vars[k] ?? 0) + sign * v;
  for (const k of Object.keys(vars)) if (vars[k] === 0) delete vars[k];
  return { c: a.c + sign * b.c, n: a.n + sign * b.n, vars };
}

function affineScale(a: AffineIndex, s: number): AffineIndex {
  const vars: Record<string, number> = {};
  if (s !== 0) for (const [k, v] of Object.entries(a.vars)) vars[k] = v * s;
  return { c: a.c * s, n: a.n * s, vars };
}

function affineConst(c: number): AffineIndex {
  return { c, n: 0, vars: {} };
}

function affineEqual(a: AffineIndex, b: AffineIndex): boolean {
  if (a.c !== b.c || a.n !== b.n) return false;
  const ka = Object.keys(a.vars).filter((k) => a.vars[k] !== 0);
  const kb = Object.keys(b.vars).filter((k) => b.vars[k] !== 0);
  return ka.length === kb.length && ka.every((k) => a.vars[k] === b.vars[k]);
}

/** `N − 1`, `i + 1`, `0`: the affine index as text. */
export function formatAffine(a: AffineIndex): string {
  const terms: string[] = [];
  const term = (coef: number, name: string): void => {
    if (coef === 0) return;
    const mag = Math.abs(coef) === 1 ? name : `${Math.abs(coef)}${name}`;
    terms.push(terms.length === 0 ? (coef < 0 ? `-${mag}` : mag) : coef < 0 ? ` - ${mag}` : ` + ${mag}`);
  };
  term(a.n, 'N');
  for (const [k, v] of Object.entries(a.vars)) term(v, k);
  if (a.c !== 0 || terms.length === 0) {
    if (terms.length === 0) terms.push(String(a.c));
    else terms.push(a.c < 0 ? ` - ${-a.c}` : ` + ${a.c}`);
  }
  return terms.join('');
}

/** `d_{N - 1}`, `d_0`, or `?` for a dimension only known at evaluation. */
export function formatDim(d: Dim): string {
  if (d === null) return '?';
  const s = formatAffine(d);
  return /^[0-9A-Za-z]+$/.test(s) ? `d_${s}` : `d_{${s}}`;
}

function formatType(t: FormulaType): string {
  return t.kind === 'scalar' ? 'a scalar' : `a ${formatDim(t.rows)}×${formatDim(t.cols)} matrix`;
}

function dimsConflict(a: Dim, b: Dim): boolean {
  return a !== null && b !== null && !affineEqual(a, b);
}

// ---------------------------------------------------------------------------------------------
// The checked tree

/** Functions of one matrix argument giving a scalar. */
export type MatrixScalarFunction = 'norm2' | 'fro' | 'trace';
/** The layer-indexed matrices. */
export type LayerMatrix = 'W' | 'A' | 'B';
/** Reductions over the layers `i = 1..N`. */
export type LayerReduction = 'sumLayers' | 'maxLayers' | 'minLayers';

/** A node of a checked formula; `span` is where it stands in the text and `text` its source. */
export type FormulaNode = (
  | { readonly op: 'const'; readonly value: Rational }
  | { readonly op: 'N' }
  | { readonly op: 'var'; readonly name: string }
  | { readonly op: 'M' | 'P' }
  | { readonly op: LayerMatrix; readonly index: FormulaNode }
  | { readonly op: 'd'; readonly index: FormulaNode }
  | { readonly op: 'neg'; readonly arg: FormulaNode }
  | { readonly op: 'add' | 'sub' | 'mul' | 'div' | 'pow'; readonly left: FormulaNode; readonly right: FormulaNode }
  | { readonly op: MatrixScalarFunction | 'transpose' | 'abs' | 'sqrt'; readonly arg: FormulaNode }
  | { readonly op: 'sigma'; readonly arg: FormulaNode; readonly k: FormulaNode }
  | { readonly op: 'max' | 'min'; readonly args: readonly FormulaNode[] }
  | { readonly op: LayerReduction; readonly variable: string; readonly body: FormulaNode }
) & { readonly type: FormulaType; readonly span: Span; readonly text: string };

/** A parsed and checked formula. */
export interface Formula {
  /** The text as given. */
  readonly source: string;
  readonly root: FormulaNode;
}

/** Names with a meaning in formulas (quantities and functions). */
export const FORMULA_SYMBOLS = ['N', 'M', 'P'] as const;
export const FORMULA_FUNCTIONS = [
  'd',
  'W',
  'A',
  'B',
  'norm2',
  'fro',
  'sigma',
  'trace',
  'transpose',
  'abs',
  'sqrt',
  'max',
  'min',
  'sumLayers',
  'maxLayers',
  'minLayers',
] as const;

const FUNCTION_SET: ReadonlySet<string> = new Set(FORMULA_FUNCTIONS);
const SYMBOL_SET: ReadonlySet<string> = new Set(FORMULA_SYMBOLS);

/** Longest formula accepted, in characters. */
export const MAX_FORMULA_CHARS = 10000;

// ---------------------------------------------------------------------------------------------
// Tokens: only to find where the tree's leaves stand in the text (mathjs nodes carry no positions).

interface Token {
  readonly kind: 'ident' | 'number' | 'string' | 'other';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const IDENT = /^[\p{L}_$][\p{L}\p{N}_$]*/u;
const NUMBER = /^(?:0[xXbBoO][0-9A-Za-z.]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let k = 0;
  while (k < text.length) {
    const rest = text.slice(k);
    const ch = text[k] as string;
    if (/\s/.test(ch)) {
      k++;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ kind: 'number', text: num[0], start: k, end: k + num[0].length });
      k += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      out.push({ kind: 'ident', text: id[0], start: k, end: k + id[0].length });
      k += id[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const prev = out[out.length - 1];
      const afterValue = prev !== undefined && (prev.kind !== 'other' || prev.text === ')' || prev.text === ']' || prev.text === "'");
      if (ch === "'" && afterValue) {
        out.push({ kind: 'other', text: ch, start: k, end: k + 1 });
        k++;
        continue;
      }
      let j = k + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      const end = Math.min(text.length, j + 1);
      out.push({ kind: 'string', text: text.slice(k, end), start: k, end });
      k = end;
      continue;
    }
    out.push({ kind: 'other', text: ch, start: k, end: k + 1 });
    k++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// mathjs, loaded on first use (it takes about half a second; other commands do not need it).

type ParseFn = (expr: string) => MathNode;
let mathParse: ParseFn | undefined;

function loadParse(): ParseFn {
  if (mathParse === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mathjs = require('mathjs') as typeof import('mathjs');
    mathParse = (s) => mathjs.parse(s);
  }
  return mathParse;
}

interface MathSyntaxError {
  readonly message: string;
  readonly char: number;
}

function isMathSyntaxError(e: unknown): e is MathSyntaxError {
  return e instanceof Error && 'char' in e && typeof (e as { char: unknown }).char === 'number';
}

// Narrow views of the mathjs node types we read.
interface SymbolView {
  readonly type: 'SymbolNode';
  readonly name: string;
}
interface ConstantView {
  readonly type: 'ConstantNode';
  readonly value: unknown;
}
interface OperatorView {
  readonly type: 'OperatorNode';
  readonly fn: string;
  readonly op: string;
  readonly args: readonly MathNode[];
  readonly implicit: boolean;
}
interface FunctionView {
  readonly type: 'FunctionNode';
  readonly fn: MathNode;
  readonly args: readonly MathNode[];
}
interface ParenthesisView {
  readonly type: 'ParenthesisNode';
  readonly content: MathNode;
}

/** What the mathjs node types mean to a reader, for error messages. */
const NODE_NAMES: Readonly<Record<string, string>> = {
  AccessorNode: 'indexing or property access',
  ArrayNode: 'matrix literals',
  AssignmentNode: 'assignments',
  BlockNode: 'several expressions',
  ConditionalNode: 'conditional expressions',
  FunctionAssignmentNode: 'function definitions',
  IndexNode: 'indexing',
  ObjectNode: 'objects',
  RangeNode: 'ranges',
  RelationalNode: 'comparisons',
};

const OPERATORS: Readonly<Record<string, 'add' | 'sub' | 'mul' | 'div' | 'pow'>> = {
  add: 'add',
  subtract: 'sub',
  multiply: 'mul',
  divide: 'div',
  pow: 'pow',
};

const OPERATOR_TEXT: Readonly<Record<string, string>> = { add: '+', sub: '-', mul: '*', div: '/', pow: '^' };

/** Parses and checks a formula; throws {@link FormulaError} with the position of the first problem. */
export function parseFormula(text: string): Formula {
  if (text.length > MAX_FORMULA_CHARS) {
    throw new FormulaError(`formula has ${text.length} characters; the limit is ${MAX_FORMULA_CHARS}`, text, { start: 0, end: 1 });
  }
  if (text.trim() === '') throw new FormulaError('the formula is empty', text, { start: 0, end: 1 });
  let tree: MathNode;
  try {
    tree = loadParse()(text);
  } catch (e) {
    if (isMathSyntaxError(e)) {
      const pos = Math.max(0, Math.min(text.length, e.char - 1));
      const reason = e.message.replace(/\s*\(char \d+\)\s*$/, '');
      throw new FormulaError(`syntax error: ${reason}`, text, { start: pos, end: pos + 1 });
    }
    const msg = e instanceof Error ? e.message : String(e);
    throw new FormulaError(`syntax error: ${msg}`, text, { start: 0, end: 1 });
  }
  const checker = new Checker(text, tree);
  const root = checker.check(tree, new Set());
  if (root.type.kind !== 'scalar') {
    throw new FormulaError(
      `the formula must be a scalar, but it is ${formatType(root.type)} (take norm2(...), fro(...), trace(...) or sigma(..., k) of it)`,
      text,
      root.span,
    );
  }
  return { source: text, root };
}

class Checker {
  /** Span of each leaf (symbol or constant) of the mathjs tree. */
  private readonly leafSpans = new Map<MathNode, Token>();

  constructor(
    private readonly text: string,
    tree: MathNode,
  ) {
    // mathjs's traversal is depth first, parents before children, children left to right, which
    // is the order of the leaves in the text: pair them with the value tokens in order.
    const tokens = tokenize(text).filter((t) => t.kind !== 'other');
    let k = 0;
    tree.traverse((node) => {
      if (node.type === 'SymbolNode' || node.type === 'ConstantNode') {
        const t = tokens[k++];
        if (t !== undefined) this.leafSpans.set(node, t);
      }
    });
  }

  private fail(reason: string, span: Span): never {
    throw new FormulaError(reason, this.text, span);
  }

  /** The span of a mathjs node: from its first leaf to its last (the whole text when it has none). */
  private spanOf(node: MathNode): Span {
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    node.traverse((n) => {
      const t = this.leafSpans.get(n);
      if (t !== undefined) {
        start = Math.min(start, t.start);
        end = Math.max(end, t.end);
      }
    });
    if (!Number.isFinite(start)) return { start: 0, end: Math.max(1, this.text.length) };
    // Grow the span over the parentheses it opens or closes but does not match (function calls,
    // parenthesized operands at either end).
    let s = start;
    let e = end;
    for (;;) {
      const { open, close } = this.unmatched(s, e);
      if (open > 0) {
        const j = this.skipSpace(e, 1);
        if (this.text[j] === ')') {
          e = j + 1;
          continue;
        }
      }
      if (close > 0) {
        const j = this.skipSpace(s - 1, -1);
        if (j >= 0 && this.text[j] === '(') {
          s = j;
          continue;
        }
      }
      break;
    }
    return { start: s, end: e };
  }

  private skipSpace(j: number, dir: 1 | -1): number {
    while (j >= 0 && j < this.text.length && /\s/.test(this.text[j] as string)) j += dir;
    return j;
  }

  /** Unmatched `(` and `)` in `text[start, end)`. */
  private unmatched(start: number, end: number): { open: number; close: number } {
    let open = 0;
    let close = 0;
    for (let j = start; j < end; j++) {
      const c = this.text[j];
      if (c === '(') open++;
      else if (c === ')') {
        if (open > 0) open--;
        else close++;
      }
    }
    return { open, close };
  }

  private textOf(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  /** The position of a binary operator between its operands' spans (the gap's first operator character). */
  private operatorSpan(left: Span, right: Span, op: string, fallback: Span): Span {
    for (let j = left.end; j < right.start; j++) {
      if (this.text[j] === op) return { start: j, end: j + 1 };
    }
    return fallback;
  }

  check(node: MathNode, bound: ReadonlySet<string>): FormulaNode {
    const span = this.spanOf(node);
    const text = this.textOf(span);
    switch (node.type) {
      case 'ParenthesisNode':
        return this.check((node as unknown as ParenthesisView).content, bound);
      case 'ConstantNode':
        return this.constant(node as unknown as ConstantView, span, text);
      case 'SymbolNode':
        return this.symbol((node as unknown as SymbolView).name, bound, span, text);
      case 'OperatorNode':
        return this.operator(node as unknown as OperatorView, bound, span, text);
      case 'FunctionNode':
        return this.call(node as unknown as FunctionView, bound, span, text);
      default: {
        const what = NODE_NAMES[node.type] ?? node.type;
        return this.fail(`${what} are not part of the formula language`, span);
      }
    }
  }

  private constant(node: ConstantView, span: Span, text: string): FormulaNode {
    const token = this.leafSpans.get(node as unknown as MathNode);
    if (typeof node.value === 'number') {
      const raw = token?.text ?? String(node.value);
      if (!Number.isFinite(node.value) && token?.kind === 'ident') {
        this.fail(`non-finite value "${raw}" (formulas take finite exact numbers)`, span);
      }
      let value: Rational;
      try {
        value = Rational.parse(raw);
      } catch (e) {
        if (e instanceof RationalParseError) this.fail(`unsupported number "${raw}" (write decimal numbers such as 2, 0.5 or 1e-3)`, span);
        throw e;
      }
      return { op: 'const', value, type: SCALAR, span, text };
    }
    if (typeof node.value === 'string') return this.fail('strings are not part of the formula language', span);
    return this.fail(`unknown quantity "${token?.text ?? String(node.value)}"`, span);
  }

  private symbol(name: string, bound: ReadonlySet<string>, span: Span, text: string): FormulaNode {
    if (bound.has(name)) return { op: 'var', name, type: SCALAR, span, text };
    switch (name) {
      case 'N':
        return { op: 'N', type: SCALAR, span, text };
      case 'M':
      case 'P':
        return { op: name, type: { kind: 'matrix', rows: { c: 0, n: 1, vars: {} }, cols: affineConst(0) }, span, text };
      default:
        break;
    }
    if (FUNCTION_SET.has(name)) return this.fail(`"${name}" is a function: call it, e.g. ${name}(${exampleArgs(name)})`, span);
    if (name === 'Infinity' || name === 'NaN' || name === 'Inf' || name === 'inf' || name === 'nan') {
      return this.fail(`non-finite value "${name}" (formulas take finite exact numbers)`, span);
    }
    const hint = bound.size === 0 && /^[a-z]$/.test(name) ? ' (layer variables exist only inside sumLayers(i, …), maxLayers(i, …) and minLayers(i, …))' : '';
    return this.fail(`unknown quantity "${name}"${hint}`, span);
  }

  private operator(node: OperatorView, bound: ReadonlySet<string>, span: Span, text: string): FormulaNode {
    const fn = node.fn;
    if (fn === 'unaryMinus' || fn === 'unaryPlus') {
      const arg = this.check(node.args[0] as MathNode, bound);
      if (fn === 'unaryPlus') return arg;
      return { op: 'neg', arg, type: arg.type, span, text };
    }
    if (fn === 'ctranspose' || fn === 'transpose') {
      const arg = this.check(node.args[0] as MathNode, bound);
      if (arg.type.kind !== 'matrix') this.fail(`transpose of ${formatType(arg.type)} (only matrices can be transposed)`, span);
      return { op: 'transpose', arg, type: { kind: 'matrix', rows: arg.type.cols, cols: arg.type.rows }, span, text };
    }
    const op = OPERATORS[fn];
    if (op === undefined || node.args.length !== 2) {
      const args = node.args.map((a) => this.spanOf(a));
      const opSpan = args.length === 2 ? this.operatorSpan(args[0] as Span, args[1] as Span, node.op[0] ?? '', span) : span;
      return this.fail(`operator "${node.op}" is not part of the formula language (use + - * / ^)`, opSpan);
    }
    const left = this.check(node.args[0] as MathNode, bound);
    const right = this.check(node.args[1] as MathNode, bound);
    const opSpan = node.implicit ? { start: left.span.end, end: right.span.start } : this.operatorSpan(left.span, right.span, OPERATOR_TEXT[op] ?? '', span);
    const where = opSpan.end > opSpan.start ? opSpan : span;
    const lt = left.type;
    const rt = right.type;
    const mk = (type: FormulaType): FormulaNode => ({ op, left, right, type, span, text });
    const describe = `${left.text} ${OPERATOR_TEXT[op] ?? op} ${right.text}`;
    switch (op) {
      case 'add':
      case 'sub': {
        if (lt.kind === 'scalar' && rt.kind === 'scalar') return mk(SCALAR);
        if (lt.kind === 'matrix' && rt.kind === 'matrix') {
          if (dimsConflict(lt.rows, rt.rows) || dimsConflict(lt.cols, rt.cols)) {
            this.fail(`shapes do not fit in ${describe}: ${formatType(lt)} and ${formatType(rt)}`, where);
          }
          return mk({ kind: 'matrix', rows: lt.rows ?? rt.rows, cols: lt.cols ?? rt.cols });
        }
        return this.fail(`cannot ${op === 'add' ? 'add' : 'subtract'} ${formatType(lt)} and ${formatType(rt)} in ${describe}`, where);
      }
      case 'mul': {
        if (lt.kind === 'scalar') return mk(rt);
        if (rt.kind === 'scalar') return mk(lt);
        if (dimsConflict(lt.cols, rt.rows)) {
          this.fail(`shapes do not fit in the product ${describe}: ${formatType(lt)} times ${formatType(rt)}`, where);
        }
        return mk({ kind: 'matrix', rows: lt.rows, cols: rt.cols });
      }
      case 'div':
        if (rt.kind === 'matrix') return this.fail(`cannot divide by ${formatType(rt)} in ${describe}`, where);
        return mk(lt);
      case 'pow': {
        if (rt.kind === 'matrix') return this.fail(`the exponent in ${describe} is ${formatType(rt)}; it must be a scalar`, where);
        if (!isExactExpression(right)) {
          return this.fail(`the exponent in ${describe} must be exact (numbers, N, layer variables, d(·))`, right.span);
        }
        if (lt.kind === 'matrix') {
          if (right.op !== 'const' || !right.value.isInteger() || right.value.sign() < 0 || right.value.num > 64n) {
            return this.fail(`a matrix power needs an integer exponent 0..64, got ${right.text}`, right.span);
          }
          if (dimsConflict(lt.rows, lt.cols)) return this.fail(`a power of ${formatType(lt)}, which need not be square`, where);
          return mk(lt);
        }
        return mk(SCALAR);
      }
      default:
        return this.fail(`operator "${node.op}" is not part of the formula language`, where);
    }
  }

  private call(node: FunctionView, bound: ReadonlySet<string>, span: Span, text: string): FormulaNode {
    const fnNode = node.fn;
    const nameSpan = this.leafSpans.get(fnNode) ?? span;
    if (fnNode.type !== 'SymbolNode') return this.fail('only named functions can be called', nameSpan);
    const name = (fnNode as unknown as SymbolView).name;
    const args = node.args;
    const arity = (n: number): void => {
      if (args.length !== n) this.fail(`${name} takes ${n === 1 ? '1 argument' : `${n} arguments`}, got ${args.length}`, nameSpan);
    };
    if (!FUNCTION_SET.has(name)) {
      if (SYMBOL_SET.has(name) || bound.has(name)) return this.fail(`"${name}" is not a function`, nameSpan);
      return this.fail(`unknown function "${name}" (functions: ${FORMULA_FUNCTIONS.join(', ')})`, nameSpan);
    }
    switch (name) {
      case 'W':
      case 'A':
      case 'B':
      case 'd': {
        arity(1);
        const index = this.check(args[0] as MathNode, bound);
        this.checkIndex(name, index, name === 'd' ? 0 : 1);
        const aff = affineOf(index);
        if (name === 'd') return { op: 'd', index, type: SCALAR, span, text };
        const shift = (a: AffineIndex | null, by: number): Dim => (a === null ? null : affineAdd(a, affineConst(by), 1));
        const N: AffineIndex = { c: 0, n: 1, vars: {} };
        const type: FormulaType =
          name === 'W'
            ? { kind: 'matrix', rows: aff, cols: shift(aff, -1) }
            : name === 'A'
              ? { kind: 'matrix', rows: N, cols: aff }
              : { kind: 'matrix', rows: shift(aff, -1), cols: affineConst(0) };
        return { op: name, index, type, span, text };
      }
      case 'norm2':
      case 'fro':
      case 'trace':
      case 'transpose': {
        arity(1);
        const arg = this.check(args[0] as MathNode, bound);
        if (arg.type.kind !== 'matrix') {
          return this.fail(`${name} needs a matrix argument, got ${formatType(arg.type)} (${arg.text})`, arg.span);
        }
        if (name === 'transpose') return { op: name, arg, type: { kind: 'matrix', rows: arg.type.cols, cols: arg.type.rows }, span, text };
        if (name === 'trace' && dimsConflict(arg.type.rows, arg.type.cols)) {
          return this.fail(`trace needs a square matrix, got ${formatType(arg.type)} (${arg.text})`, arg.span);
        }
        return { op: name, arg, type: SCALAR, span, text };
      }
      case 'abs':
      case 'sqrt': {
        arity(1);
        const arg = this.check(args[0] as MathNode, bound);
        if (arg.type.kind !== 'scalar') {
          const alt = name === 'abs' ? 'norm2 or fro' : 'norm2 or sigma';
          return this.fail(`${name} needs a scalar argument, got ${formatType(arg.type)} (${arg.text}); for matrices use ${alt}`, arg.span);
        }
        return { op: name, arg, type: SCALAR, span, text };
      }
      case 'sigma': {
        arity(2);
        const arg = this.check(args[0] as MathNode, bound);
        if (arg.type.kind !== 'matrix') return this.fail(`sigma needs a matrix as its first argument, got ${formatType(arg.type)}`, arg.span);
        const k = this.check(args[1] as MathNode, bound);
        this.checkIndex('sigma', k, 1);
        return { op: 'sigma', arg, k, type: SCALAR, span, text };
      }
      case 'max':
      case 'min': {
        if (args.length === 0) return this.fail(`${name} needs at least one argument`, nameSpan);
        const list = args.map((a) => this.check(a, bound));
        for (const a of list) {
          if (a.type.kind !== 'scalar') return this.fail(`${name} takes scalars, got ${formatType(a.type)} (${a.text})`, a.span);
        }
        return { op: name, args: list, type: SCALAR, span, text };
      }
      case 'sumLayers':
      case 'maxLayers':
      case 'minLayers': {
        arity(2);
        const v = args[0] as MathNode;
        const vSpan = this.spanOf(v);
        if (v.type !== 'SymbolNode') return this.fail(`the first argument of ${name} must be a layer variable name such as i`, vSpan);
        const variable = (v as unknown as SymbolView).name;
        if (SYMBOL_SET.has(variable) || FUNCTION_SET.has(variable)) {
          return this.fail(`"${variable}" cannot be a layer variable (it already names a quantity or function)`, vSpan);
        }
        if (bound.has(variable)) return this.fail(`layer variable "${variable}" is already in use by an enclosing reduction`, vSpan);
        const inner = new Set(bound);
        inner.add(variable);
        const body = this.check(args[1] as MathNode, inner);
        if (body.type.kind !== 'scalar') {
          return this.fail(`${name} needs a scalar body, got ${formatType(body.type)} (${body.text})`, body.span);
        }
        return { op: name, variable, body, type: SCALAR, span, text };
      }
      default:
        return this.fail(`unknown function "${name}"`, nameSpan);
    }
  }

  /** An index argument: scalar, exact, and (when constant) an integer at least `min`. */
  private checkIndex(fn: string, index: FormulaNode, min: number): void {
    if (index.type.kind !== 'scalar') this.fail(`the index of ${fn}(·) must be a scalar, got ${formatType(index.type)}`, index.span);
    if (!isExactExpression(index)) this.fail(`the index of ${fn}(·) must be exact (numbers, N, layer variables, d(·))`, index.span);
    const value = constantValue(index);
    if (value !== undefined && (!value.isInteger() || value.compare(new Rational(BigInt(min))) < 0)) {
      const what = fn === 'sigma' ? 'the singular value index k must be an integer ≥ 1' : `${fn === 'd' ? 'widths d(0..N)' : 'layers 1..N'} take integer indices`;
      this.fail(`${fn}(${index.text}): ${what}`, index.span);
    }
  }
}

function exampleArgs(name: string): string {
  switch (name) {
    case 'sigma':
      return 'X, 1';
    case 'sumLayers':
    case 'maxLayers':
    case 'minLayers':
      return 'i, …';
    case 'max':
    case 'min':
      return 'a, b';
    case 'd':
    case 'W':
    case 'A':
    case 'B':
      return 'i';
    default:
      return 'X';
  }
}

/** The value of a scalar expression made of numbers only (`1/2`, `-(3)`, `2^3`), else `undefined`. */
export function constantValue(e: FormulaNode): Rational | undefined {
  switch (e.op) {
    case 'const':
      return e.value;
    case 'neg': {
      const a = constantValue(e.arg);
      return a?.neg();
    }
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow': {
      const a = constantValue(e.left);
      const b = constantValue(e.right);
      if (a === undefined || b === undefined) return undefined;
      if (e.op === 'add') return a.add(b);
      if (e.op === 'sub') return a.sub(b);
      if (e.op === 'mul') return a.mul(b);
      if (e.op === 'div') return b.isZero() ? undefined : a.div(b);
      if (!b.isInteger() || b.num > 64n || b.num < -64n || (a.isZero() && b.sign() < 0)) return undefined;
      return a.pow(Number(b.num));
    }
    default:
      return undefined;
  }
}

/** Whether a scalar expression is exact on every model (no norms, roots or traces of products of irrational values). */
export function isExactExpression(e: FormulaNode): boolean {
  switch (e.op) {
    case 'const':
    case 'N':
    case 'var':
    case 'd':
      return true;
    case 'neg':
    case 'abs':
      return isExactExpression(e.arg);
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return isExactExpression(e.left) && isExactExpression(e.right);
    case 'pow':
      return isExactExpression(e.left) && e.right.op === 'const' && e.right.value.isInteger();
    case 'max':
    case 'min':
      return e.args.every(isExactExpression);
    case 'sumLayers':
    case 'maxLayers':
    case 'minLayers':
      return isExactExpression(e.body);
    default:
      return false;
  }
}

/** The affine index an expression denotes (integers, N, layer variables, + − and integer multiples), or `null`. */
export function affineOf(e: FormulaNode): AffineIndex | null {
  switch (e.op) {
    case 'const':
      return e.value.isInteger() && e.value.num <= 1000000n && e.value.num >= -1000000n ? affineConst(Number(e.value.num)) : null;
    case 'N':
      return { c: 0, n: 1, vars: {} };
    case 'var':
      return { c: 0, n: 0, vars: { [e.name]: 1 } };
    case 'neg': {
      const a = affineOf(e.arg);
      return a === null ? null : affineScale(a, -1);
    }
    case 'add':
    case 'sub': {
      const a = affineOf(e.left);
      const b = affineOf(e.right);
      return a === null || b === null ? null : affineAdd(a, b, e.op === 'add' ? 1 : -1);
    }
    case 'mul': {
      const a = affineOf(e.left);
      const b = affineOf(e.right);
      if (a === null || b === null) return null;
      if (a.n === 0 && Object.keys(a.vars).length === 0) return affineScale(b, a.c);
      if (b.n === 0 && Object.keys(b.vars).length === 0) return affineScale(a, b.c);
      return null;
    }
    default:
      return null;
  }
}

/** Relations between the formula `F` and `λ_max`: `equal` (`F = λ_max`), `upper` (`F ≥ λ_max`), `lower` (`F ≤ λ_max`). */
export type Relation = 'equal' | 'upper' | 'lower';

export const RELATIONS: readonly Relation[] = ['equal', 'upper', 'lower'];
