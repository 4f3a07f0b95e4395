/**
 * The type checker of the formula language: syntax tree → {@link FormulaNode} tree. Checks the
 * grammar of names and calls, reads numbers exactly from their text (`0.5` is 1/2), and types every
 * node as a scalar or a matrix with a symbolic shape, so most misuse is refused before any model is
 * seen; shapes that depend on computed indices are checked again during evaluation.
 *
 * Recursive over a tree at most `MAX_FORMULA_DEPTH` deep (the parser refuses deeper ones).
 */
import { Rational, RationalParseError } from '../field/rational.js';
import { ix, ixConst, ixShift, type Index } from '../symbolic/affine-index.js';
import { FormulaError, type Span } from './formula-error.js';
import { affineOf, constantValue, isExactExpression } from './formula-analysis.js';
import { dimsConflict, FORMULA_FUNCTIONS, FORMULA_SYMBOLS, formatType, SCALAR, type Dim, type FormulaNode, type FormulaType } from './formula-tree.js';
import { MAX_MATRIX_POWER, MAX_VALUE_BITS } from './limits.js';
import type { BinaryOperator, SyntaxNode } from './syntax.js';

const FUNCTION_SET: ReadonlySet<string> = new Set(FORMULA_FUNCTIONS);
const SYMBOL_SET: ReadonlySet<string> = new Set(FORMULA_SYMBOLS);

const OPERATORS: Readonly<Record<BinaryOperator, 'add' | 'sub' | 'mul' | 'div' | 'pow'>> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' };

const NON_FINITE = new Set(['Infinity', 'NaN', 'Inf', 'inf', 'nan']);

type Node<K extends SyntaxNode['kind']> = Extract<SyntaxNode, { kind: K }>;

/** Checks and types a syntax tree of `text`; throws {@link FormulaError} at the first problem. */
export function checkSyntax(text: string, tree: SyntaxNode): FormulaNode {
  return new Checker(text).check(tree, new Set());
}

class Checker {
  constructor(private readonly text: string) {}

  private fail(reason: string, span: Span): never {
    throw new FormulaError(reason, this.text, span);
  }

  check(node: SyntaxNode, bound: ReadonlySet<string>): FormulaNode {
    const span = node.span;
    const text = this.text.slice(span.start, span.end);
    switch (node.kind) {
      case 'number':
        return this.constant(node.text, span, text);
      case 'name':
        return this.symbol(node.name, bound, span, text);
      case 'unary': {
        const arg = this.check(node.arg, bound);
        if (node.op === '+') return arg;
        return { op: 'neg', arg, type: arg.type, span, text };
      }
      case 'transpose': {
        const arg = this.check(node.arg, bound);
        if (arg.type.kind !== 'matrix') this.fail(`transpose of ${formatType(arg.type)} (only matrices can be transposed)`, span);
        return { op: 'transpose', arg, type: { kind: 'matrix', rows: arg.type.cols, cols: arg.type.rows }, span, text };
      }
      case 'binary':
        return this.operator(node, bound, span, text);
      case 'call':
        return this.call(node, bound, span, text);
    }
  }

  private constant(raw: string, span: Span, text: string): FormulaNode {
    // Bound the size before reading: `1e99999` would be a 330 000-bit integer.
    const m = /^(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(raw);
    if (m !== null) {
      const digits = (m[1] ?? '').length + (m[2] ?? '').length;
      const exp = Math.abs(Number(m[3] ?? '0'));
      const estBits = Math.ceil((digits + exp) * Math.log2(10));
      if (estBits > MAX_VALUE_BITS) {
        this.fail(`the number "${raw}" needs about ${estBits} bits; the limit is ${MAX_VALUE_BITS} bits (about ${Math.floor(MAX_VALUE_BITS / Math.log2(10))} decimal digits and exponent together)`, span);
      }
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

  private symbol(name: string, bound: ReadonlySet<string>, span: Span, text: string): FormulaNode {
    if (bound.has(name)) return { op: 'var', name, type: SCALAR, span, text };
    switch (name) {
      case 'N':
        return { op: 'N', type: SCALAR, span, text };
      case 'M':
      case 'P':
        return { op: name, type: { kind: 'matrix', rows: ix('N'), cols: ixConst(0) }, span, text };
      default:
        break;
    }
    if (FUNCTION_SET.has(name)) return this.fail(`"${name}" is a function: call it, e.g. ${name}(${exampleArgs(name)})`, span);
    if (NON_FINITE.has(name)) return this.fail(`non-finite value "${name}" (formulas take finite exact numbers)`, span);
    const hint = bound.size === 0 && /^[a-z]$/.test(name) ? ' (layer variables exist only inside sumLayers(i, …), maxLayers(i, …) and minLayers(i, …))' : '';
    return this.fail(`unknown quantity "${name}"${hint}`, span);
  }

  private operator(node: Node<'binary'>, bound: ReadonlySet<string>, span: Span, text: string): FormulaNode {
    const op = OPERATORS[node.op];
    const left = this.check(node.left, bound);
    const right = this.check(node.right, bound);
    const where = node.opSpan.end > node.opSpan.start ? node.opSpan : span;
    const lt = left.type;
    const rt = right.type;
    const mk = (type: FormulaType): FormulaNode => ({ op, left, right, type, span, text });
    const describe = `${left.text} ${node.op} ${right.text}`;
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
          if (right.op !== 'const' || !right.value.isInteger() || right.value.sign() < 0 || right.value.num > BigInt(MAX_MATRIX_POWER)) {
            return this.fail(`a matrix power needs an integer exponent 0..${MAX_MATRIX_POWER}, got ${right.text}`, right.span);
          }
          if (dimsConflict(lt.rows, lt.cols)) return this.fail(`a power of ${formatType(lt)}, which need not be square`, where);
          return mk(lt);
        }
        return mk(SCALAR);
      }
    }
  }

  private call(node: Node<'call'>, bound: ReadonlySet<string>, span: Span, text: string): FormulaNode {
    const name = node.name;
    const nameSpan = node.nameSpan;
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
        const index = this.check(args[0] as SyntaxNode, bound);
        this.checkIndex(name, index, name === 'd' ? 0 : 1);
        const aff = affineOf(index);
        if (name === 'd') return { op: 'd', index, type: SCALAR, span, text };
        const shift = (a: Index | null, by: number): Dim => (a === null ? null : ixShift(a, by));
        const type: FormulaType =
          name === 'W'
            ? { kind: 'matrix', rows: aff, cols: shift(aff, -1) }
            : name === 'A'
              ? { kind: 'matrix', rows: ix('N'), cols: aff }
              : { kind: 'matrix', rows: shift(aff, -1), cols: ixConst(0) };
        return { op: name, index, type, span, text };
      }
      case 'norm2':
      case 'fro':
      case 'trace':
      case 'transpose': {
        arity(1);
        const arg = this.check(args[0] as SyntaxNode, bound);
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
        const arg = this.check(args[0] as SyntaxNode, bound);
        if (arg.type.kind !== 'scalar') {
          const alt = name === 'abs' ? 'norm2 or fro' : 'norm2 or sigma';
          return this.fail(`${name} needs a scalar argument, got ${formatType(arg.type)} (${arg.text}); for matrices use ${alt}`, arg.span);
        }
        return { op: name, arg, type: SCALAR, span, text };
      }
      case 'sigma': {
        arity(2);
        const arg = this.check(args[0] as SyntaxNode, bound);
        if (arg.type.kind !== 'matrix') return this.fail(`sigma needs a matrix as its first argument, got ${formatType(arg.type)}`, arg.span);
        const k = this.check(args[1] as SyntaxNode, bound);
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
        const v = args[0] as SyntaxNode;
        if (v.kind !== 'name') return this.fail(`the first argument of ${name} must be a layer variable name such as i`, v.span);
        const variable = v.name;
        if (SYMBOL_SET.has(variable) || FUNCTION_SET.has(variable)) {
          return this.fail(`"${variable}" cannot be a layer variable (it already names a quantity or function)`, v.span);
        }
        if (bound.has(variable)) return this.fail(`layer variable "${variable}" is already in use by an enclosing reduction`, v.span);
        const inner = new Set(bound);
        inner.add(variable);
        const body = this.check(args[1] as SyntaxNode, inner);
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
