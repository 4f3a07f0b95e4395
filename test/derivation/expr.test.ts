/**
 * Expression trees: rendering (LaTeX and the Unicode of docs/math.md, written out by hand), exact evaluation
 * against hand-computed values and the dense matrix code, the scalar forms and polynomials used
 * for the scalar chain, exact reals, and the LaTeX/HTML helpers.
 */
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { fromRows, identity as identityM, kron as kronM, mul as mulM, transpose as transposeM } from '../../src/linalg/matrix.js';
import { Evaluator, EvaluationError, matrixValue, scalarValue, valuesEqual, type Value } from '../../src/derivation/evaluate.js';
import {
  add,
  blockRow,
  chain,
  commutation,
  fro2,
  frac,
  inner,
  kron,
  mul,
  neg,
  num,
  pairSum,
  ratio,
  spec2,
  substituteIndices,
  sum,
  sym,
  transpose,
  vec,
  width,
} from '../../src/derivation/expr.js';
import { ix, ixConst } from '../../src/symbolic/affine-index.js';
import { toMarkdown, toTex } from '../../src/derivation/render.js';
import { MultiPolynomial, NotPolynomialError, polynomialFromMathNode } from '../../src/derivation/scalar-polynomial.js';
import { scalarForm } from '../../src/derivation/scalar-form.js';
import { compareReals, enclosureDecimal, exactReal, mulReals, truncatedDecimal } from '../../src/derivation/values.js';
import { escapeLatexText } from '../../src/derivation/latex.js';
import { classesIn, usedFontFamilies } from '../../src/derivation/katex-assets.js';
import { CheckLedger } from '../../src/derivation/checks.js';
import { definitions } from '../../src/derivation/deep-linear/trees.js';
import { loadMathjs } from '../../src/derivation/mathjs.js';

const q = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));
const i = ix('i');
const j = ix('j');
const N = ix('N');
const W = (a: ReturnType<typeof ix>) => sym('W', [a]);
const A = (a: ReturnType<typeof ix>) => sym('A', [a]);
const B = (a: ReturnType<typeof ix>) => sym('B', [a]);
const Sigma = sym('Σ', [], { tex: '\\Sigma', text: 'Σ', symmetric: true });

describe('rendering', () => {
  test('the Gauss–Newton block in the notation of docs/math.md §2', () => {
    const G = kron(mul(B(i), Sigma, transpose(B(j))), mul(transpose(A(i)), A(j)));
    expect(toMarkdown(G)).toBe('(B_iΣB_jᵀ) ⊗ (A_iᵀA_j)');
    expect(toTex(G)).toBe('\\left(B_{i} \\Sigma B_{j}^{\\top}\\right) \\otimes \\left(A_{i}^{\\top} A_{j}\\right)');
  });

  test('indices, chains, sums and pair sums', () => {
    expect(toMarkdown(sym('C', [j, i]))).toBe('C_{ji}');
    expect(toMarkdown(sym('C', [ix('j', -1), ix('i', 1)]))).toBe('C_{j−1,i+1}');
    expect(toMarkdown(chain(W(i), N, ix('i', 1)))).toBe('W_N⋯W_{i+1}');
    expect(toTex(chain(W(i), N, ix('i', 1)))).toBe('W_{N} \\cdots W_{i+1}');
    // Concrete chains are listed; an empty one is the identity.
    expect(toMarkdown(substituteIndices(chain(W(i), N, ixConst(2)), new Map([['N', ixConst(4)]])))).toBe('W_4W_3W_2');
    expect(toMarkdown(chain(W(i), ixConst(1), ixConst(2)))).toBe('I');
    expect(toMarkdown(sum('i', ixConst(1), N, mul(A(i), sym('U', [i]), B(i))))).toBe('Σ_{i=1}^{N} A_iU_iB_i');
    expect(toTex(pairSum('i', 'j', ixConst(1), N, inner(sym('R'), mul(A(j), B(i)))))).toBe('\\sum_{1 \\le i < j \\le N} \\langle R, A_{j} B_{i} \\rangle');
  });

  test('parentheses from precedence', () => {
    expect(toMarkdown(transpose(mul(A(i), B(i))))).toBe('(A_iB_i)ᵀ');
    expect(toMarkdown(transpose(transpose(A(i))))).toBe('(A_iᵀ)ᵀ');
    expect(toTex(transpose(transpose(A(i))))).toBe('\\left(A_{i}^{\\top}\\right)^{\\top}');
    expect(toMarkdown(mul(add(A(i), B(i)), sym('X')))).toBe('(A_i + B_i)X');
    expect(toMarkdown(add(sym('P'), neg(sym('M'))))).toBe('P − M');
    expect(toMarkdown(mul(ratio(1, 2), fro2(add(sym('P'), neg(sym('M'))))))).toBe('(1/2)‖P − M‖_F²');
    expect(toTex(mul(frac(num(1), sym('n', [], { scalar: true })), sym('X')))).toBe('\\frac{1}{n} X');
    // A symbol whose name has a superscript is grouped before a transpose.
    expect(toTex(transpose(sym('Hᴿ', [j, i], { tex: 'H^{R}' })))).toBe('{H^{R}_{ji}}^{\\top}');
    expect(toMarkdown(commutation({ dim: width(i) }, { dim: width(ix('i', -1)) }))).toBe('T_{d_i,d_{i−1}}');
    expect(toMarkdown(spec2(A(i)))).toBe('‖A_i‖₂²');
    expect(toMarkdown(blockRow('i', ixConst(1), N, kron(transpose(B(i)), A(i))))).toBe('[B_1ᵀ ⊗ A_1, …, B_Nᵀ ⊗ A_N]');
  });
});

describe('exact evaluation', () => {
  // W_1 = [[1, 2]] (1×2), W_2 = [[3], [1/2]] (2×1), W_3 = [[2, -1]] (1×2); d = (2, 1, 2, 1).
  const Ws = [fromRows([[q(1), q(2)]]), fromRows([[q(3)], [q(1, 2)]]), fromRows([[q(2), q(-1)]])];
  const ev = new Evaluator<Rational>({
    F: Q,
    widths: [2, 1, 2, 1],
    definitions: definitions({ data: false, c: 1 }),
    lookup: (name, idx) => {
      if (name === 'W') {
        const M = Ws[(idx[0] as number) - 1];
        return M === undefined ? undefined : matrixValue(M);
      }
      if (name === 'M') return matrixValue(fromRows([[q(1), q(1)]]));
      return undefined;
    },
  });
  const m = (rows: number[][]): Value<Rational> => matrixValue(fromRows(rows.map((r) => r.map((x) => Rational.fromNumber(x)))));

  test('partial products and P by hand', () => {
    // P = W_3 W_2 W_1 = (2·3 − 1·½)[1, 2] = 11/2 · [1, 2].
    expect(valuesEqual(Q, ev.evaluate(sym('P')), m([[5.5, 11]]))).toBe(true);
    // A_1 = W_3 W_2 = [11/2]; B_3 = W_2 W_1 = [[3, 6], [1/2, 1]]; A_3 = I_1; B_1 = I_2; C_31 = W_2.
    expect(valuesEqual(Q, ev.evaluate(A(ixConst(1))), m([[5.5]]))).toBe(true);
    expect(valuesEqual(Q, ev.evaluate(B(ixConst(3))), m([[3, 6], [0.5, 1]]))).toBe(true);
    expect(valuesEqual(Q, ev.evaluate(A(ixConst(3))), m([[1]]))).toBe(true);
    expect(valuesEqual(Q, ev.evaluate(B(ixConst(1))), m([[1, 0], [0, 1]]))).toBe(true);
    expect(valuesEqual(Q, ev.evaluate(sym('C', [ixConst(3), ixConst(1)])), m([[3], [0.5]]))).toBe(true);
    // R = P − M = [9/2, 10]; ½‖R‖² = ½(81/4 + 100) = 481/8.
    expect(valuesEqual(Q, ev.evaluate(mul(ratio(1, 2), fro2(sym('R')))), scalarValue(q(481, 8)))).toBe(true);
  });

  test('sums over layers bind the index; the Kronecker product matches the matrix code', () => {
    const e = sum('i', ixConst(1), N, fro2(W(i)));
    // ‖W_1‖² + ‖W_2‖² + ‖W_3‖² = 5 + 37/4 + 5.
    expect(valuesEqual(Q, ev.evaluate(e), scalarValue(q(77, 4)))).toBe(true);
    const K = ev.evaluate(kron(W(ixConst(2)), W(ixConst(1))));
    expect(valuesEqual(Q, K, matrixValue(kronM(Q, Ws[1] as never, Ws[0] as never)))).toBe(true);
    // An empty sum is 0, and 0 plus a matrix is the matrix.
    expect(valuesEqual(Q, ev.evaluate(add(sum('i', ixConst(2), ixConst(1), W(i)), W(ixConst(1)))), matrixValue(Ws[0] as never))).toBe(true);
  });

  test('the commutation matrix: vec(Xᵀ) = T vec(X)', () => {
    const e = mul(commutation({ dim: { kind: 'literal', value: 2 } }, { dim: { kind: 'literal', value: 1 } }), vec(W(ixConst(2))));
    expect(valuesEqual(Q, ev.evaluate(e), ev.evaluate(vec(transpose(W(ixConst(2))))))).toBe(true);
  });

  test('shape errors and shown-only nodes name the expression', () => {
    expect(() => ev.evaluate(mul(W(ixConst(1)), W(ixConst(3))))).toThrow(/shapes 1×2 and 1×2 do not chain in W_1W_3/);
    expect(() => ev.evaluate(spec2(W(ixConst(1))))).toThrow(EvaluationError);
    expect(() => ev.evaluate(sym('Z'))).toThrow(/unbound symbol Z/);
  });

  test('a chain that does not hold is reported by the ledger, with the assignment', () => {
    const ledger = new CheckLedger();
    ledger.chain('wrong', [mul(transpose(A(i)), B(i)), transpose(mul(transpose(B(i)), A(i))), mul(num(2), transpose(A(i)), B(i))], [new Map([['i', 3]])], ev, Q);
    expect(ledger.equalities).toBe(2);
    expect(ledger.failures).toHaveLength(1);
    expect(ledger.failures[0]?.what).toBe('wrong (i = 3)');
    expect(ledger.failures[0]?.detail).toMatch(/step 2/);
  });
});

describe('scalar chains: scalar forms and polynomials', () => {
  test('the residual block of a scalar chain is C_{ji} A_j R B_i', () => {
    const defs = definitions({ data: false, c: 1 });
    const symbol = (name: string, idx: readonly number[]): string | undefined => (name === 'W' ? `w${idx[0]}` : name === 'M' ? 'm' : undefined);
    const HR = mul(kron(sym('C', [ixConst(3), ixConst(1)]), mul(transpose(A(ixConst(3))), sym('R'), transpose(B(ixConst(1))))), commutation({ dim: width(ixConst(1)) }, { dim: width(ixConst(0)) }));
    const text = scalarForm(HR, { depth: 3, symbol, definitions: defs });
    const math = loadMathjs();
    const p = polynomialFromMathNode(math.parse(text));
    // C_31 = w2, A_3 = 1, B_1 = 1, R = w3 w2 w1 − m: H^R_31 = w2 (w1 w2 w3 − m).
    const expected = polynomialFromMathNode(math.parse('w1*w2^2*w3 - m*w2'));
    expect(p.sub(expected).isZero()).toBe(true);
  });

  test('polynomials: expansion, evaluation, refusal of non-polynomials', () => {
    const math = loadMathjs();
    const p = polynomialFromMathNode(math.parse('(x + 1/2)^3 - x^3'));
    // 3/2 x² + 3/4 x + 1/8 at x = 2: 6 + 3/2 + 1/8 = 61/8.
    expect(p.evaluate(new Map([['x', q(2)]])).equals(q(61, 8))).toBe(true);
    expect(MultiPolynomial.variable('x').mul(MultiPolynomial.variable('y')).sub(MultiPolynomial.variable('y').mul(MultiPolynomial.variable('x'))).isZero()).toBe(true);
    expect(() => polynomialFromMathNode(math.parse('1/x'))).toThrow(NotPolynomialError);
    expect(() => polynomialFromMathNode(math.parse('x^(1/2)'))).toThrow(NotPolynomialError);
  });
});

describe('exact reals and helpers', () => {
  test('truncated decimals and enclosure digits', () => {
    expect(truncatedDecimal(q(-1, 3), 5)).toBe('-0.33333');
    expect(truncatedDecimal(q(33, 2), 2)).toBe('16.50');
    // √2 ∈ [1.41421356, 1.41421357]: the shared digits.
    expect(enclosureDecimal(q(141421356, 100000000), q(141421357, 100000000))).toBe('1.4142135…');
  });

  test('comparisons are rigorous', () => {
    const a = { lower: q(1), upper: q(2) };
    expect(compareReals(a, exactReal(q(3)))).toBe('less');
    expect(compareReals(a, exactReal(q(3, 2)))).toBe('overlap');
    expect(compareReals(exactReal(q(3, 2)), exactReal(q(3, 2)))).toBe('equal');
    expect(mulReals(a, exactReal(q(2)))).toEqual({ lower: q(2), upper: q(4) });
  });

  test('LaTeX text escaping', () => {
    expect(escapeLatexText('50% of {x}_1 & $y')).toBe('50\\% of \\{x\\}\\_1 \\& \\$y');
    expect(escapeLatexText('docs/math.md §3 – ½')).toBe('docs/math.md \\S{}3 -- $\\frac{1}{2}$');
  });

  test('KaTeX fonts: only families the classes can use', () => {
    const css = '.katex{font:normal 1.21em KaTeX_Main,serif}.katex .mathnormal{font-family:KaTeX_Math}.katex .delimsizing.size1{font-family:KaTeX_Size1}.katex .mathcal{font-family:KaTeX_Caligraphic}';
    const classes = classesIn('<span class="katex"><span class="mord mathnormal">x</span><span class="delimsizing size1">(</span></span>');
    expect([...usedFontFamilies(css, classes)].sort()).toEqual(['KaTeX_Main', 'KaTeX_Math', 'KaTeX_Size1']);
  });
});

describe('the identity of the partial products', () => {
  test('B_i Σ B_jᵀ with Σ = I equals the matrix code', () => {
    const B2 = fromRows([[q(1), q(2)], [q(0), q(1)]]);
    const ev = new Evaluator<Rational>({ F: Q, widths: [2], definitions: new Map(), lookup: (name) => (name === 'B' ? matrixValue(B2) : name === 'Σ' ? matrixValue(identityM(Q, 2)) : undefined) });
    const e = mul(sym('B'), Sigma, transpose(sym('B')));
    expect(valuesEqual(Q, ev.evaluate(e), matrixValue(mulM(Q, B2, transposeM(B2))))).toBe(true);
  });
});
