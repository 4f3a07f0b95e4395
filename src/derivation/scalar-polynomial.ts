/**
 * Multivariate polynomials with exact rational coefficients, read from mathjs expression trees.
 *
 * Used to decide identities of the scalar-chain Hessian symbolically and independently of mathjs's
 * heuristic `simplify`: two polynomial expressions are equal iff their expansions have the same
 * coefficients. Also evaluates a polynomial exactly at rational points.
 */
import type { MathNode } from 'mathjs';
import { Rational } from '../field/rational.js';

/** A monomial key: variables with exponents, sorted (`"w1^2*w3"`; `""` for the constant monomial). */
type MonomialKey = string;

function monomialKey(powers: ReadonlyMap<string, number>): MonomialKey {
  return [...powers.entries()]
    .filter(([, k]) => k > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([v, k]) => (k === 1 ? v : `${v}^${k}`))
    .join('*');
}

function parseKey(key: MonomialKey): Map<string, number> {
  const m = new Map<string, number>();
  if (key === '') return m;
  for (const part of key.split('*')) {
    const [v, k] = part.split('^');
    m.set(v as string, k === undefined ? 1 : Number(k));
  }
  return m;
}

/** A polynomial `Σ c_α x^α` over ℚ. */
export class MultiPolynomial {
  private constructor(readonly terms: ReadonlyMap<MonomialKey, Rational>) {}

  /** The constant `c`. */
  static constant(c: Rational): MultiPolynomial {
    return new MultiPolynomial(c.isZero() ? new Map() : new Map([['', c]]));
  }

  /** The variable `name`. */
  static variable(name: string): MultiPolynomial {
    return new MultiPolynomial(new Map([[name, Rational.ONE]]));
  }

  /** `p + q`. */
  add(q: MultiPolynomial): MultiPolynomial {
    const out = new Map(this.terms);
    for (const [k, c] of q.terms) {
      const s = (out.get(k) ?? Rational.ZERO).add(c);
      if (s.isZero()) out.delete(k);
      else out.set(k, s);
    }
    return new MultiPolynomial(out);
  }

  /** `−p`. */
  neg(): MultiPolynomial {
    return new MultiPolynomial(new Map([...this.terms].map(([k, c]) => [k, c.neg()])));
  }

  /** `p − q`. */
  sub(q: MultiPolynomial): MultiPolynomial {
    return this.add(q.neg());
  }

  /** `p · q`. */
  mul(q: MultiPolynomial): MultiPolynomial {
    let out = MultiPolynomial.constant(Rational.ZERO);
    for (const [ka, ca] of this.terms)
      for (const [kb, cb] of q.terms) {
        const powers = parseKey(ka);
        for (const [v, k] of parseKey(kb)) powers.set(v, (powers.get(v) ?? 0) + k);
        out = out.add(new MultiPolynomial(new Map([[monomialKey(powers), ca.mul(cb)]])));
      }
    return out;
  }

  /** `p^k` for an integer `k ≥ 0`. */
  pow(k: number): MultiPolynomial {
    let out = MultiPolynomial.constant(Rational.ONE);
    for (let n = 0; n < k; n++) out = out.mul(this);
    return out;
  }

  /** Whether `p` is the zero polynomial. */
  isZero(): boolean {
    return this.terms.size === 0;
  }

  /** The constant value when `p` has no variables, else `undefined`. */
  constantValue(): Rational | undefined {
    if (this.terms.size === 0) return Rational.ZERO;
    if (this.terms.size === 1 && this.terms.has('')) return this.terms.get('');
    return undefined;
  }

  /** `p(values)` exactly; throws when a variable has no value. */
  evaluate(values: ReadonlyMap<string, Rational>): Rational {
    let s = Rational.ZERO;
    for (const [k, c] of this.terms) {
      let t = c;
      for (const [v, e] of parseKey(k)) {
        const x = values.get(v);
        if (x === undefined) throw new RangeError(`no value for ${v}`);
        t = t.mul(x.pow(e));
      }
      s = s.add(t);
    }
    return s;
  }

  /**
   * The polynomial in mathjs syntax, expanded, highest total degree first, then by monomial
   * (`2*w1*w2^2*w3 - m*w2`); `"0"` for the zero polynomial.
   */
  toMathjs(): string {
    if (this.terms.size === 0) return '0';
    const degree = (k: MonomialKey): number => [...parseKey(k).values()].reduce((s, e) => s + e, 0);
    const entries = [...this.terms.entries()].sort(([a], [b]) => degree(b) - degree(a) || (a < b ? -1 : a > b ? 1 : 0));
    return entries
      .map(([k, c], n) => {
        const mag = c.abs();
        const coef = k === '' ? mag.toString() : mag.equals(Rational.ONE) ? '' : `${mag.isInteger() ? mag.toString() : `(${mag.toString()})`}*`;
        const body = `${coef}${k}`;
        return n === 0 ? (c.sign() < 0 ? `-${body}` : body) : c.sign() < 0 ? ` - ${body}` : ` + ${body}`;
      })
      .join('');
  }

  /** Canonical text, monomials in key order (`"1/2*m^2 - m*w1 + …"`), for messages. */
  toString(): string {
    if (this.terms.size === 0) return '0';
    return [...this.terms.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, c]) => (k === '' ? c.toString() : `${c.toString()}*${k}`))
      .join(' + ');
  }
}

interface NodeView {
  readonly type: string;
  readonly name?: string;
  readonly value?: unknown;
  readonly op?: string;
  readonly fn?: unknown;
  readonly args?: readonly MathNode[];
  readonly content?: MathNode;
}

/** Thrown for a mathjs tree that is not a polynomial (division by a variable, a function call, a fractional power). */
export class NotPolynomialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPolynomialError';
  }
}

/** The polynomial a mathjs expression tree denotes (`+ − * /` by constants, `^` integer ≥ 0, parentheses). */
export function polynomialFromMathNode(node: MathNode): MultiPolynomial {
  const n = node as unknown as NodeView;
  switch (n.type) {
    case 'ConstantNode': {
      const v = n.value;
      if (typeof v === 'number') return MultiPolynomial.constant(Rational.fromNumber(v));
      if (typeof v === 'string') return MultiPolynomial.constant(Rational.parse(v));
      throw new NotPolynomialError(`constant of type ${typeof v}`);
    }
    case 'SymbolNode':
      return MultiPolynomial.variable(n.name ?? '?');
    case 'ParenthesisNode':
      if (n.content === undefined) throw new NotPolynomialError('empty parentheses');
      return polynomialFromMathNode(n.content);
    case 'OperatorNode': {
      const args = (n.args ?? []).map(polynomialFromMathNode);
      const [a, b] = args;
      if (a === undefined) throw new NotPolynomialError(`operator ${n.op ?? '?'} without operands`);
      switch (n.fn) {
        case 'unaryMinus':
          return a.neg();
        case 'unaryPlus':
          return a;
        case 'add':
          return args.slice(1).reduce((s, x) => s.add(x), a);
        case 'subtract':
          if (b === undefined) throw new NotPolynomialError('subtraction needs two operands');
          return a.sub(b);
        case 'multiply':
          return args.slice(1).reduce((s, x) => s.mul(x), a);
        case 'divide': {
          const d = b?.constantValue();
          if (d === undefined || d.isZero()) throw new NotPolynomialError('division by a non-constant (or zero)');
          return a.mul(MultiPolynomial.constant(d.inv()));
        }
        case 'pow': {
          const k = b?.constantValue();
          if (k === undefined || !k.isInteger() || k.sign() < 0) throw new NotPolynomialError('only integer powers ≥ 0 are polynomial');
          return a.pow(Number(k.num));
        }
        default:
          throw new NotPolynomialError(`operator ${String(n.fn)}`);
      }
    }
    default:
      throw new NotPolynomialError(`node ${n.type}`);
  }
}
