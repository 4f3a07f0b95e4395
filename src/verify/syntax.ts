/**
 * The parser of the formula language: text → syntax tree, iteratively (an operator-precedence
 * parser with explicit stacks), so no formula can exhaust the call stack however deeply it nests.
 *
 * Precedence, loosest first, as in mathjs (whose syntax the language is a subset of, and whose
 * parser the tests use as an oracle): `+ -`; explicit `* /`; implicit multiplication (`2 N`,
 * `(N - 1)(N + 1)`, `2 W(1)`); division of a number by a number directly followed by a name or a
 * parenthesis (`1/2 N` is `(1/2)·N`, mathjs's "rule 2"); unary `- +`; `^` (right associative, its
 * exponent may carry a unary sign: `2^-1`); postfix transpose `'`; calls and parentheses.
 * Implicit multiplication needs a name or `(` after any value, or a number after a value that is
 * neither a number nor an operation (`N 2`, `(N) 2`, `W(1) 2`, not `2 3` nor `N^2 3`).
 *
 * The tree keeps every node's place in the text; nodes deeper than {@link MAX_FORMULA_DEPTH} are
 * refused while they are built, so the checker and evaluator may recurse over the tree.
 */
import { FormulaError, type Span } from './formula-error.js';
import { tokenize, type Token } from './lexer.js';
import { MAX_FORMULA_DEPTH } from './limits.js';

/** A binary operator of the language. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

interface NodeBase {
  /** Where the node stands, without parentheses around it. */
  readonly span: Span;
  /** Where it stands with the parentheses around it (equal to `span` when there are none). */
  readonly outer: Span;
  /** Whether parentheses enclose it. */
  readonly parenthesized: boolean;
  /** The height of the tree below it (a leaf is 1). */
  readonly depth: number;
}

/** A node of the syntax tree. */
export type SyntaxNode = NodeBase &
  (
    | { readonly kind: 'number'; readonly text: string }
    | { readonly kind: 'name'; readonly name: string }
    | { readonly kind: 'call'; readonly name: string; readonly nameSpan: Span; readonly args: readonly SyntaxNode[] }
    | { readonly kind: 'unary'; readonly op: '-' | '+'; readonly opSpan: Span; readonly arg: SyntaxNode }
    | { readonly kind: 'transpose'; readonly opSpan: Span; readonly arg: SyntaxNode }
    | {
        readonly kind: 'binary';
        readonly op: BinaryOperator;
        /** Implicit multiplication (`2 N`); `opSpan` is then the gap between the operands. */
        readonly implicit: boolean;
        readonly opSpan: Span;
        readonly left: SyntaxNode;
        readonly right: SyntaxNode;
      }
  );

type Frame =
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly prec: number; readonly implicit: boolean; readonly opSpan: Span }
  | { readonly kind: 'unary'; readonly op: '-' | '+'; readonly prec: number; readonly opSpan: Span }
  | { readonly kind: 'paren'; readonly open: Token }
  | { readonly kind: 'call'; readonly name: Token; readonly open: Token; argc: number };

const PREC_ADD = 1;
const PREC_MUL = 2;
const PREC_IMPLICIT = 3;
const PREC_RULE2 = 4;
const PREC_UNARY = 5;
const PREC_POW = 6;

/** Words that are operators in mathjs; refused by name rather than read as unknown quantities. */
const OPERATOR_WORDS = new Set(['mod', 'and', 'or', 'xor', 'not', 'to', 'in']);

const RELATIONAL = new Set(['==', '!=', '<', '>', '<=', '>=']);

/**
 * Parses `text` into a syntax tree; throws {@link FormulaError} at the first problem (syntax,
 * constructs outside the language, nesting deeper than {@link MAX_FORMULA_DEPTH}).
 */
export function parseSyntax(text: string): SyntaxNode {
  return new Parser(text).parse();
}

class Parser {
  private readonly tokens: Token[];
  private readonly operands: SyntaxNode[] = [];
  private readonly frames: Frame[] = [];

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  private fail(reason: string, span: Span): never {
    throw new FormulaError(reason, this.text, span);
  }

  private syntax(reason: string, span: Span): never {
    return this.fail(`syntax error: ${reason}`, span);
  }

  parse(): SyntaxNode {
    const toks = this.tokens;
    let expectOperand = true;
    let p = 0;
    for (;;) {
      const t = toks[p] as Token;
      if (expectOperand) {
        if (t.kind === 'number') {
          this.leaf({ kind: 'number', text: t.text }, t);
          expectOperand = false;
          p++;
        } else if (t.kind === 'ident') {
          if (t.text === 'not') this.fail('operator "not" is not part of the formula language (use + - * / ^)', t);
          const next = toks[p + 1] as Token;
          if (next.kind === 'punct' && next.text === '(') {
            const after = toks[p + 2] as Token;
            if (after.kind === 'punct' && after.text === ')') {
              this.push(this.node({ kind: 'call', name: t.text, nameSpan: span(t), args: [] }, { start: t.start, end: after.end }, 1));
              expectOperand = false;
              p += 3;
            } else {
              this.frames.push({ kind: 'call', name: t, open: next, argc: 0 });
              p += 2;
            }
          } else {
            this.leaf({ kind: 'name', name: t.text }, t);
            expectOperand = false;
            p++;
          }
        } else if (t.kind === 'punct' && t.text === '(') {
          this.frames.push({ kind: 'paren', open: t });
          p++;
        } else if (t.kind === 'punct' && (t.text === '-' || t.text === '+')) {
          this.frames.push({ kind: 'unary', op: t.text, prec: PREC_UNARY, opSpan: span(t) });
          p++;
        } else if (t.kind === 'end') {
          this.syntax('unexpected end of the formula (a value is missing)', span(t));
        } else if (t.kind === 'punct') {
          this.syntax(`a value is expected here, got "${t.text}"`, span(t));
        } else {
          this.refuse(t, false);
        }
        continue;
      }
      // After a value: an operator, a closing parenthesis or comma, the end, or an implicit product.
      if (t.kind === 'punct') {
        switch (t.text) {
          case '+':
          case '-':
            this.binary(t.text, PREC_ADD, false, span(t));
            expectOperand = true;
            break;
          case '*':
            this.binary('*', PREC_MUL, false, span(t));
            expectOperand = true;
            break;
          case '/':
            this.binary('/', this.isRule2(p) ? PREC_RULE2 : PREC_MUL, false, span(t));
            expectOperand = true;
            break;
          case '^':
            this.binary('^', PREC_POW, true, span(t));
            expectOperand = true;
            break;
          case "'": {
            const arg = this.operands.pop() as SyntaxNode;
            this.push(this.node({ kind: 'transpose', opSpan: span(t), arg }, { start: arg.outer.start, end: t.end }, arg.depth + 1, span(t)));
            break;
          }
          case '(':
            this.implicit(t);
            this.frames.push({ kind: 'paren', open: t });
            expectOperand = true;
            break;
          case ')':
            this.close(t);
            break;
          case ',':
            this.comma(t);
            expectOperand = true;
            break;
          default:
            this.syntax(`unexpected "${t.text}"`, span(t));
        }
        p++;
        continue;
      }
      if (t.kind === 'ident') {
        if (OPERATOR_WORDS.has(t.text)) this.fail(`operator "${t.text}" is not part of the formula language (use + - * / ^)`, span(t));
        this.implicit(t);
        expectOperand = true;
        continue;
      }
      if (t.kind === 'number') {
        this.reduce(PREC_IMPLICIT + 1);
        const last = this.operands[this.operands.length - 1] as SyntaxNode;
        if (!last.parenthesized && last.kind !== 'name' && last.kind !== 'call') {
          this.syntax(`an operator is missing before "${t.text}"`, span(t));
        }
        this.implicit(t);
        expectOperand = true;
        continue;
      }
      if (t.kind === 'end') return this.finish(t);
      this.refuse(t, true);
    }
  }

  /** Refuses a string or an operator of another language, by name. */
  private refuse(t: Token, afterValue: boolean): never {
    const at = span(t);
    if (t.kind === 'string') return this.fail('strings are not part of the formula language', at);
    const s = t.text;
    if (s === '=') return this.fail('assignments are not part of the formula language', at);
    if (RELATIONAL.has(s)) return this.fail(`operator "${s}" is not part of the formula language (use + - * / ^)`, at);
    if (s === '[') return this.fail(afterValue ? 'indexing or property access are not part of the formula language' : 'matrix literals are not part of the formula language', at);
    if (s === '.' || s === '?.') return this.fail('indexing or property access are not part of the formula language', at);
    if (s === '?') return this.fail('conditional expressions are not part of the formula language', at);
    if (s === ':') return this.fail('ranges are not part of the formula language', at);
    if (s === ';') return this.fail('several expressions are not part of the formula language', at);
    if (s === '{' || s === '}') return this.fail('objects are not part of the formula language', at);
    if (s === '#') return this.fail('comments are not part of the formula language', at);
    if (s === ']') return this.syntax('unexpected "]"', at);
    if (['!', '%', '&', '|', '~', '<<', '>>', '>>>', '.*', './', '.^', '&&', '||', '??'].includes(s)) {
      return this.fail(`operator "${s}" is not part of the formula language (use + - * / ^)`, at);
    }
    return this.syntax(`unexpected character "${s}"`, at);
  }

  /** mathjs's "rule 2": `number / number` followed by a name or `(` divides before the implicit product. */
  private isRule2(p: number): boolean {
    this.reduce(PREC_RULE2 + 1);
    const last = this.operands[this.operands.length - 1] as SyntaxNode;
    const constant = (n: SyntaxNode): boolean => !n.parenthesized && n.kind === 'number';
    const rule2Node = constant(last) || (!last.parenthesized && last.kind === 'unary' && constant(last.arg));
    const next = this.tokens[p + 1] as Token;
    const after = this.tokens[p + 2] as Token;
    return rule2Node && next.kind === 'number' && (after.kind === 'ident' || (after.kind === 'punct' && after.text === '('));
  }

  private implicit(next: Token): void {
    this.reduce(PREC_IMPLICIT);
    const left = this.operands[this.operands.length - 1] as SyntaxNode;
    this.frames.push({ kind: 'binary', op: '*', prec: PREC_IMPLICIT, implicit: true, opSpan: { start: left.outer.end, end: next.start } });
  }

  private binary(op: BinaryOperator, prec: number, rightAssoc: boolean, opSpan: Span): void {
    this.reduce(rightAssoc ? prec + 1 : prec);
    this.frames.push({ kind: 'binary', op, prec, implicit: false, opSpan });
  }

  /** Applies the pending operators of precedence at least `minPrec` (down to the nearest parenthesis or call). */
  private reduce(minPrec: number): void {
    for (;;) {
      const f = this.frames[this.frames.length - 1];
      if (f === undefined || f.kind === 'paren' || f.kind === 'call' || f.prec < minPrec) return;
      this.frames.pop();
      if (f.kind === 'unary') {
        const arg = this.operands.pop() as SyntaxNode;
        this.push(this.node({ kind: 'unary', op: f.op, opSpan: f.opSpan, arg }, { start: f.opSpan.start, end: arg.outer.end }, arg.depth + 1, f.opSpan));
      } else {
        const right = this.operands.pop() as SyntaxNode;
        const left = this.operands.pop() as SyntaxNode;
        const s = { start: left.outer.start, end: right.outer.end };
        const at = f.opSpan.end > f.opSpan.start ? f.opSpan : s;
        this.push(this.node({ kind: 'binary', op: f.op, implicit: f.implicit, opSpan: f.opSpan, left, right }, s, Math.max(left.depth, right.depth) + 1, at));
      }
    }
  }

  private close(t: Token): void {
    this.reduce(0);
    const f = this.frames.pop();
    if (f === undefined) return this.syntax('unmatched ")"', span(t));
    if (f.kind === 'paren') {
      const inner = this.operands.pop() as SyntaxNode;
      this.push({ ...inner, parenthesized: true, outer: { start: f.open.start, end: t.end } });
      return;
    }
    if (f.kind !== 'call') throw new Error('parser: operator frame left by reduce');
    const argc = f.argc + 1;
    const args = this.operands.splice(this.operands.length - argc, argc);
    const depth = 1 + Math.max(...args.map((a) => a.depth));
    this.push(this.node({ kind: 'call', name: f.name.text, nameSpan: span(f.name), args }, { start: f.name.start, end: t.end }, depth, span(f.name)));
  }

  private comma(t: Token): void {
    this.reduce(0);
    const f = this.frames[this.frames.length - 1];
    if (f === undefined || f.kind !== 'call') return this.syntax('"," outside the arguments of a function', span(t));
    f.argc++;
  }

  private finish(t: Token): SyntaxNode {
    this.reduce(0);
    const open = this.frames.find((f): f is Extract<Frame, { kind: 'paren' | 'call' }> => f.kind === 'paren' || f.kind === 'call');
    if (open !== undefined) this.syntax(`the "(" at position ${open.open.start + 1} is not closed`, span(t));
    if (this.operands.length !== 1) throw new Error(`parser: ${this.operands.length} operands at the end`);
    return this.operands[0] as SyntaxNode;
  }

  private leaf(n: { kind: 'number'; text: string } | { kind: 'name'; name: string }, t: Token): void {
    const s = span(t);
    this.push({ ...n, span: s, outer: s, parenthesized: false, depth: 1 });
  }

  private node<T extends object>(n: T, s: Span, depth: number, at: Span = s): T & NodeBase {
    if (depth > MAX_FORMULA_DEPTH) {
      this.fail(`the formula nests operations and calls more than ${MAX_FORMULA_DEPTH} levels deep (the limit is ${MAX_FORMULA_DEPTH})`, at);
    }
    return { ...n, span: s, outer: s, parenthesized: false, depth };
  }

  private push(n: SyntaxNode): void {
    this.operands.push(n);
  }
}

function span(t: Token): Span {
  return { start: t.start, end: t.end };
}
