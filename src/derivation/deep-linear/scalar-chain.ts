/**
 * The scalar-chain section (every width 1): the loss as a polynomial in `w_1, …, w_N`, its
 * gradient and Hessian from mathjs `derivative`/`simplify`, shown to agree with the matrix form of
 * Section 3 (mathjs `simplify` of the difference is 0, and both sides expand to the same polynomial
 * over ℚ), and evaluated exactly on the instance against the engine (`docs/math.md §2–3`).
 */
import type { MathNode } from 'mathjs';
import { Q } from '../../field/field.js';
import { Rational } from '../../field/rational.js';
import { hessian } from '../../hessian/dense.js';
import { at, mul as mulM, transpose as transposeM, type Matrix } from '../../linalg/matrix.js';
import { certifyLambdaMax } from '../../spectral/certificate.js';
import { code, display, LINE_BREAK, formula, heading, inline, list, paragraph, type Inline } from '../document.js';
import { loadMathjs, mathTex, mathText } from '../mathjs.js';
import { polynomialFromMathNode } from '../scalar-polynomial.js';
import { scalarForm } from '../scalar-form.js';
import { realCell, realFromCertificate, realsAgree, exactReal, compareReals } from '../values.js';
import type { DocContext } from './context.js';
import { blockTree, definitions } from './trees.js';

/** The symbolic scalar chain of a context (every width 1). */
export interface ScalarChain {
  /** mathjs source of the loss. */
  readonly loss: string;
  /** `∂L/∂w_i`, simplified. */
  readonly gradient: readonly MathNode[];
  /** `∂²L/∂w_i∂w_j` for `i ≤ j` (row-major upper triangle), simplified. */
  readonly hessian: ReadonlyMap<string, MathNode>;
  /** The matrix form of block `(i, j)` specialised to scalars, expanded (mathjs source). */
  readonly matrixForm: ReadonlyMap<string, string>;
}

const key = (a: number, b: number): string => `${a},${b}`;

/** Largest depth for which the whole symbolic Hessian is shown as one matrix. */
const SHOW_MATRIX_UP_TO = 4;
/** Largest depth for which mathjs also simplifies each difference (it is slow on long polynomials). */
const SIMPLIFY_DIFFERENCE_UP_TO = 4;

function product(depth: number): string {
  return Array.from({ length: depth }, (_, k) => `w${k + 1}`).join(' * ');
}

/** The loss of a scalar chain in mathjs syntax: `c/2·(P − m)²` or `(c/2)(σP² − 2ρP + τ)`. */
export function scalarLossSource(depth: number, data: boolean, c: 1 | 2): string {
  const P = product(depth);
  const half = c === 1 ? '1/2 * ' : '';
  if (data) return `${half}(sigma * (${P})^2 - 2 * rho * (${P}) + tau)`;
  return `${half}(${P} - m)^2`;
}

/** The symbolic scalar chain (mathjs derivatives, and the matrix form of Section 3 as scalars). */
export function scalarChain(ctx: DocContext): ScalarChain {
  const math = loadMathjs();
  const { N: depth, v } = ctx;
  const loss = scalarLossSource(depth, v.data, v.c);
  const L = math.parse(loss);
  const gradient = Array.from({ length: depth }, (_, k) => math.simplify(math.derivative(L, `w${k + 1}`)));
  const hessianMap = new Map<string, MathNode>();
  const matrixForm = new Map<string, string>();
  const P = `(${product(depth)})`;
  const defs = definitions(v);
  for (let a = 1; a <= depth; a++)
    for (let b = a; b <= depth; b++) {
      hessianMap.set(key(a, b), math.derivative(gradient[a - 1] as MathNode, `w${b}`));
      // R = P − m, or (PX − Y)Xᵀ/n = σP − ρ for scalars; Σ = σ.
      const form = scalarForm(blockTree(v, b, a), {
        depth,
        definitions: defs,
        symbol: (name, idx) => (name === 'W' ? `w${idx[0]}` : name === 'M' ? 'm' : name === 'Σ' ? 'sigma' : name === 'R' ? (v.data ? `(sigma * ${P} - rho)` : `(${P} - m)`) : undefined),
      });
      // Expanded once into a canonical polynomial, so that mathjs simplifies short expressions.
      matrixForm.set(key(a, b), polynomialFromMathNode(math.parse(form)).toMathjs());
    }
  return { loss, gradient, hessian: hessianMap, matrixForm };
}

/** The instance's values of the scalar symbols: `w_k`, `m`, or `σ = XXᵀ/n`, `ρ = YXᵀ/n`, `τ = YYᵀ/n`. */
function scalarValues(ctx: DocContext): Map<string, Rational> {
  const vals = new Map<string, Rational>();
  ctx.inst.weights.forEach((W, k) => vals.set(`w${k + 1}`, at(W, 0, 0)));
  const obj = ctx.inst.objective;
  if (obj.kind === 'dmf') vals.set('m', at(obj.target, 0, 0));
  else {
    const n = new Rational(1n, BigInt(obj.inputs.cols));
    const g = (A: Matrix<Rational>, B: Matrix<Rational>): Rational => at(mulM(Q, A, transposeM(B)), 0, 0).mul(n);
    vals.set('sigma', g(obj.inputs, obj.inputs));
    vals.set('rho', g(obj.targets, obj.inputs));
    vals.set('tau', g(obj.targets, obj.targets));
  }
  return vals;
}

/** The scalar-chain section (numbered `number`). */
export function scalarChainSection(ctx: DocContext, number: number): void {
  const math = loadMathjs();
  const { N: depth, v } = ctx;
  const sc = scalarChain(ctx);
  const L = math.parse(sc.loss);
  ctx.push(
    heading(1, `${number}. The scalar chain, fully symbolic`),
    paragraph(
      'With every width 1 the layers are numbers ',
      formula(`w_1, \\ldots, w_{${depth}}`, `w_1, …, w_${depth}`),
      ', every Kronecker product is a product and every commutation matrix is 1, so the loss is a polynomial and its Hessian can be computed symbolically. ',
      v.data ? 'With data, write ' : '',
      ...(v.data
        ? inline(
            formula('\\sigma = \\Sigma = \\tfrac{1}{n} X X^{\\top}', 'σ = Σ = (1/n)XXᵀ'),
            ', ',
            formula('\\rho = \\tfrac{1}{n} Y X^{\\top}', 'ρ = (1/n)YXᵀ'),
            ' and ',
            formula('\\tau = \\tfrac{1}{n} Y Y^{\\top}', 'τ = (1/n)YYᵀ'),
            ' (all ',
            formula('1 \\times 1', '1×1'),
            '), so that ',
            formula('R = \\sigma P - \\rho', 'R = σP − ρ'),
            '. ',
          )
        : []),
      'mathjs (',
      code('derivative'),
      ', ',
      code('simplify'),
      ') differentiates',
    ),
    display(formula(`L = ${mathTex(L)}`, `L = ${mathText(L)}`)),
    paragraph('once:'),
    list(...sc.gradient.map((g, k) => inline(formula(`\\frac{\\partial L}{\\partial w_{${k + 1}}} = ${mathTex(g)}`, `∂L/∂w_${k + 1} = ${mathText(g)}`)))),
    paragraph('and twice, giving the Hessian'),
  );
  const entry = (a: number, b: number): MathNode => sc.hessian.get(key(Math.min(a, b), Math.max(a, b))) as MathNode;
  if (depth <= SHOW_MATRIX_UP_TO) {
    const rowsTex: string[] = [];
    const rowsText: string[] = [];
    for (let a = 1; a <= depth; a++) {
      const r = Array.from({ length: depth }, (_, b) => entry(a, b + 1));
      rowsTex.push(r.map(mathTex).join(' & '));
      rowsText.push(`[${r.map(mathText).join(', ')}]`);
    }
    ctx.push(display(formula(`H = \\begin{bmatrix} ${rowsTex.join(' \\\\ ')} \\end{bmatrix}`, `H = [${rowsText.join(', ')}]`)));
  } else {
    ctx.push(paragraph('whose entries ', formula('H_{ij} = \\partial^2 L / \\partial w_i \\partial w_j', 'H_{ij} = ∂²L/∂w_i∂w_j'), ' (for ', formula('i \\le j', 'i ≤ j'), ') are the second column of the table below.'));
  }

  // Symbolic agreement with the matrix form: the difference expands to the zero polynomial over ℚ;
  // for small depths mathjs's simplify of the difference is shown as well.
  const simplifyDifference = depth <= SIMPLIFY_DIFFERENCE_UP_TO;
  const rows: Inline[][][] = [];
  let allZero = true;
  for (let a = 1; a <= depth; a++)
    for (let b = a; b <= depth; b++) {
      const sym = entry(a, b);
      const mf = math.parse(sc.matrixForm.get(key(a, b)) as string);
      const difference = polynomialFromMathNode(sym).sub(polynomialFromMathNode(mf));
      const polyZero = difference.isZero();
      if (!polyZero) {
        allZero = false;
        ctx.ledger.fail(`scalar chain H_${a}${b}`, `mathjs ∂²L/∂w_${a}∂w_${b} = ${sym.toString()} differs from the matrix form ${mf.toString()}`);
      }
      const diff = simplifyDifference ? math.simplify(math.parse(`(${sym.toString()}) - (${mf.toString()})`)) : math.parse(difference.toMathjs());
      rows.push([
        inline(formula(`H_{${a}${b}}`, `H_${a}${b}`)),
        inline(formula(mathTex(sym), mathText(sym))),
        inline(formula(mathTex(mf), mathText(mf))),
        inline(formula(mathTex(diff), mathText(diff)), polyZero ? '' : ' (NOT zero)'),
      ]);
    }
  ctx.push(
    paragraph(
      'The matrix form of Section 3, with ',
      formula('A_i', 'A_i'),
      ', ',
      formula('B_i', 'B_i'),
      ', ',
      formula('C_{ji}', 'C_{ji}'),
      ' the products of the other ',
      formula('w_k', 'w_k'),
      ' and ',
      formula('T_{1,1} = 1', 'T_{1,1} = 1'),
      ', gives the same entries: ',
      simplifyDifference ? 'mathjs simplifies each difference to zero, and expanding both sides into polynomials over ℚ gives identical coefficients' : 'expanding both sides into polynomials over ℚ gives identical coefficients (the difference is the zero polynomial)',
      allZero ? '.' : ' (EXCEPT where marked).',
    ),
    { kind: 'table', header: ['entry', 'mathjs derivative', 'matrix form (Section 3), expanded', simplifyDifference ? 'difference, simplified by mathjs' : 'difference, expanded'], rows },
  );

  // At a minimizer: H = c σ g gᵀ with g_i = ∂P/∂w_i, a rank-one matrix with λ_max = c σ Σ_i g_i².
  const P = math.parse(product(depth));
  const g = Array.from({ length: depth }, (_, k) => math.simplify(math.derivative(P, `w${k + 1}`)));
  const gSquares = g.map((x) => `(${x.toString()})^2`).join(' + ');
  const closed = math.simplify(math.parse(`${v.c === 2 ? '2 * ' : ''}${v.data ? 'sigma * ' : ''}(${gSquares})`));
  ctx.push(
    paragraph(
      'At a zero-loss point the Hessian is ',
      formula(`H = ${v.c === 2 ? '2\\,' : ''}${v.data ? '\\sigma\\,' : ''} g g^{\\top}`, `H = ${v.c === 2 ? '2 ' : ''}${v.data ? 'σ ' : ''}ggᵀ`),
      ' with ',
      formula('g_i = \\partial P / \\partial w_i = \\prod_{k \\neq i} w_k', 'g_i = ∂P/∂w_i = Π_{k≠i} w_k'),
      ': rank one, with the single nonzero eigenvalue',
    ),
    display(formula(`\\lambda_{\\max} = ${mathTex(closed)}`, `λ_max = ${mathText(closed)}`)),
    paragraph('which is the bound of Section 4 with equality.'),
  );

  // Rows: the mathjs Hessian evaluated exactly against the engine, and the closed form of λ_max.
  const values = scalarValues(ctx);
  const H = hessian(ctx.pt);
  for (let a = 1; a <= depth; a++)
    for (let b = a; b <= depth; b++) {
      const value = polynomialFromMathNode(entry(a, b)).evaluate(values);
      ctx.rowValues(`mathjs H_${a}${b}`, inline(formula(`\\partial^2 L / \\partial w_{${a}} \\partial w_{${b}}`, `∂²L/∂w_${a}∂w_${b}`), ' (mathjs)'), { kind: 'scalar', value }, { kind: 'scalar', value: at(H, a - 1, b - 1) }, 'hessian()');
    }
  const minValues = new Map(values);
  if (ctx.inst.minimizerObjective.kind === 'dmf') minValues.set('m', at(ctx.inst.minimizerObjective.target, 0, 0));
  const lam = exactReal(polynomialFromMathNode(closed).evaluate(minValues));
  const cert = realFromCertificate(certifyLambdaMax({ K: hessian(ctx.ptMin), metric: null }, { digits: 30 }));
  const ok = realsAgree(lam, cert);
  ctx.rowCells(
    'scalar λ_max',
    inline(formula(`\\lambda_{\\max} = ${mathTex(closed)}`, `λ_max = ${mathText(closed)}`), ' at the minimizer'),
    [realCell(lam)],
    inline(realCell(cert), LINE_BREAK, code('certifyLambdaMax(hessian())')),
    ok,
    ok ? (compareReals(lam, cert) === 'equal' ? 'exact' : 'enclosures intersect') : 'differ',
  );
}
