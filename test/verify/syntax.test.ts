/**
 * The formula parser against mathjs's parser as an oracle: on formulas of the language (generated),
 * and on random soups of the language's tokens, both give the same tree or both refuse. mathjs's
 * parser is recursive (it is why the project has its own); the oracle sees only shallow formulas.
 */
import fc from 'fast-check';
import type { MathNode } from 'mathjs';
import { FormulaError } from '../../src/verify/formula-error.js';
import { parseSyntax, type SyntaxNode } from '../../src/verify/syntax.js';
import { checkProperty } from '../support/property.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mathjs = require('mathjs') as typeof import('mathjs');

/** A canonical prefix form of a mathjs tree: `(* a b)`, `(*i a b)` for implicit, `(neg a)`, `(' a)`, `(call f a b)`. */
function fromMathjs(n: MathNode): string {
  const node = n as unknown as Record<string, unknown> & { type: string };
  switch (node.type) {
    case 'ConstantNode':
      // Strings parse in mathjs but are outside the language (the project's parser refuses them).
      if (typeof node.value === 'string') throw new Error('a string');
      return `#${String(node.value)}`;
    case 'SymbolNode':
      return String(node.name);
    case 'ParenthesisNode':
      return fromMathjs(node.content as MathNode);
    case 'FunctionNode':
      return `(call ${fromMathjs(node.fn as MathNode)}${(node.args as MathNode[]).map((a) => ` ${fromMathjs(a)}`).join('')})`;
    case 'OperatorNode': {
      const args = node.args as MathNode[];
      if (node.fn === 'unaryMinus') return `(neg ${fromMathjs(args[0] as MathNode)})`;
      if (node.fn === 'unaryPlus') return `(pos ${fromMathjs(args[0] as MathNode)})`;
      if (node.fn === 'ctranspose') return `(' ${fromMathjs(args[0] as MathNode)})`;
      return `(${String(node.op)}${node.implicit === true ? 'i' : ''} ${fromMathjs(args[0] as MathNode)} ${fromMathjs(args[1] as MathNode)})`;
    }
    default:
      return `?${node.type}`;
  }
}

function fromOurs(n: SyntaxNode): string {
  switch (n.kind) {
    case 'number':
      return `#${String(Number(n.text))}`;
    case 'name':
      return n.name;
    case 'call':
      return `(call ${n.name}${n.args.map((a) => ` ${fromOurs(a)}`).join('')})`;
    case 'unary':
      return `(${n.op === '-' ? 'neg' : 'pos'} ${fromOurs(n.arg)})`;
    case 'transpose':
      return `(' ${fromOurs(n.arg)})`;
    case 'binary':
      return `(${n.op}${n.implicit ? 'i' : ''} ${fromOurs(n.left)} ${fromOurs(n.right)})`;
  }
}

type Outcome = { ok: true; tree: string } | { ok: false };

function oracle(text: string): Outcome {
  try {
    return { ok: true, tree: fromMathjs(mathjs.parse(text)) };
  } catch {
    return { ok: false };
  }
}

function ours(text: string): Outcome {
  try {
    return { ok: true, tree: fromOurs(parseSyntax(text)) };
  } catch (e) {
    if (e instanceof FormulaError) return { ok: false };
    throw e;
  }
}

const names = fc.constantFrom('N', 'M', 'P', 'x', 'i');
const numbers = fc.constantFrom('2', '3', '0.5', '10', '1e-3', '.5');
const fnames = fc.constantFrom('W', 'norm2', 'sigma', 'max');

/** Formulas of the language (syntactically), with spaces or none between tokens. */
const formula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numbers,
    names,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', ' ', ''), tie('e'), fc.constantFrom('', ' ')).map(([a, op, b, s]) => `${a}${s}${op}${s}${b}`),
    tie('e').map((a) => `(${a})`),
    tie('e').map((a) => `-${a}`),
    tie('e').map((a) => `${a}'`),
    fc.tuple(fnames, fc.array(tie('e'), { minLength: 1, maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
  ),
})).e;

const soup = fc
  .array(fc.constantFrom('N', 'M', 'W', '2', '3', '0.5', '+', '-', '*', '/', '^', "'", '(', ')', ',', ' ', 'x'), { maxLength: 14 })
  .map((ts) => ts.join(''))
  .filter((s) => s.trim() !== ''); // the empty formula is refused before parsing

describe('the parser agrees with mathjs on the language', () => {
  test('precedence examples', () => {
    const cases: [string, string][] = [
      ['1/2 N', '(*i (/ #1 #2) N)'],
      ['1/2N', '(*i (/ #1 #2) N)'],
      ['N/2 N', '(/ N (*i #2 N))'],
      ['-2^2', '(neg (^ #2 #2))'],
      ['2^-3 N', '(*i (^ #2 (neg #3)) N)'],
      ['2^3^2', '(^ #2 (^ #3 #2))'],
      ["-M'", "(neg (' M))"],
      ['(N-1)(N+1)', '(*i (- N #1) (+ N #1))'],
      ['N 2', '(*i N #2)'],
      ['W(1) 2', '(*i (call W #1) #2)'],
    ];
    for (const [text, tree] of cases) {
      expect(ours(text)).toEqual({ ok: true, tree });
      expect(oracle(text)).toEqual({ ok: true, tree });
    }
    for (const text of ['2 3', 'N^2 3', "M' 2", '(', ')', 'N +', '* N', 'W(1,)', ',']) {
      expect(ours(text)).toEqual({ ok: false });
      expect(oracle(text)).toEqual({ ok: false });
    }
  });

  test('generated formulas: the same tree', () => {
    checkProperty(
      fc.property(formula, (text) => {
        expect(ours(text)).toEqual(oracle(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('token soup: the same tree, or both refuse', () => {
    checkProperty(
      fc.property(soup, (text) => {
        expect(ours(text)).toEqual(oracle(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('positions', () => {
  test('every node spans its own text; parentheses are outside the span, inside the outer span', () => {
    const text = '2 * (N - 1)^2 + norm2(W(1))';
    const t = parseSyntax(text);
    if (t.kind !== 'binary') throw new Error('expected a sum');
    expect(text.slice(t.span.start, t.span.end)).toBe(text);
    expect(text.slice(t.opSpan.start, t.opSpan.end)).toBe('+');
    const prod = t.left;
    if (prod.kind !== 'binary' || prod.right.kind !== 'binary') throw new Error('expected 2 * (…)^2');
    const base = prod.right.left;
    expect(text.slice(base.span.start, base.span.end)).toBe('N - 1');
    expect(text.slice(base.outer.start, base.outer.end)).toBe('(N - 1)');
    expect(text.slice(t.right.span.start, t.right.span.end)).toBe('norm2(W(1))');
  });
});
