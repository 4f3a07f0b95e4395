/**
 * Sections 1 and 2 of a deep-linear document: setup and conventions (`docs/math.md §1`), the expansion
 * of `P(W + tU)` and the gradient `∂L/∂W_i = c A_iᵀ R B_iᵀ`.
 */
import { Q } from '../../field/field.js';
import { Rational } from '../../field/rational.js';
import { gradient, loss } from '../../hessian/gradient.js';
import { preparePoint } from '../../hessian/point.js';
import { add as addM, fromColumnMajor, scale as scaleM, type Matrix } from '../../linalg/matrix.js';
import { Polynomial } from '../../linalg/polynomial.js';
import { Chain } from '../chain.js';
import { display, formula, heading, inline, list, paragraph, type Formula } from '../document.js';
import { matrixValue, scalarValue } from '../evaluate.js';
import { chain, frac, inner, mul, num, ratio, sub, sum, transpose, vec, fro2, type Expr, substituteIndices } from '../expr.js';
import { ix, ixConst } from '../../symbolic/affine-index.js';
import { because, byIdentities } from '../identities.js';
import { toMarkdown, toTex } from '../render.js';
import { innerMoveLeft, innerMoveRight, innerOfSum, vecOfProduct } from '../rules.js';
import type { DocContext } from './context.js';
import { A, B, C, d2P, dP, i, j, M, N, n, ONE, P, R, Sigma, U, W, withC, X, Y } from './symbols.js';
import { unfoldPartialProducts } from './trees.js';

/** `lhs = rhs` from a hand-written left side and a tree. */
export function eq(lhsTex: string, lhsText: string, rhs: Expr): Formula {
  return formula(`${lhsTex} = ${toTex(rhs)}`, `${lhsText} = ${toMarkdown(rhs)}`);
}

/** `a := b` for trees. */
function defines(a: Expr, b: Expr): Formula {
  return formula(`${toTex(a)} := ${toTex(b)}`, `${toMarkdown(a)} := ${toMarkdown(b)}`);
}

/** Joins formulas with a wide space. */
export function joined(fs: readonly Formula[], sep = ',\\qquad '): Formula {
  return formula(fs.map((f) => f.tex).join(sep), fs.map((f) => f.text).join(sep.includes('qquad') ? ',   ' : ' '));
}

/** The loss as a tree: `(c/2)‖P − M‖_F²` or `(c/2n)‖PX − Y‖_F²`. */
export function lossTree(ctx: DocContext): Expr {
  const err = ctx.v.data ? sub(mul(P, X), Y) : sub(P, M);
  if (ctx.v.data) return mul(ctx.v.c === 1 ? frac(num(1), mul(num(2), n)) : frac(num(1), n), fro2(err));
  return ctx.v.c === 1 ? mul(ratio(1, 2), fro2(err)) : fro2(err);
}

/** Coefficients `a_0..a_deg` of the polynomial through `(t, f(t))`, `t = 0..deg`, exactly (Lagrange). */
export function interpolate(values: readonly Rational[]): Polynomial {
  let p = Polynomial.ZERO;
  const ts = values.map((_, k) => Rational.fromBigInt(BigInt(k)));
  values.forEach((y, k) => {
    const others = ts.filter((_, m) => m !== k);
    let den = Rational.ONE;
    for (const t of others) den = den.mul((ts[k] as Rational).sub(t));
    p = p.add(Polynomial.fromRoots(others).scale(y.div(den)));
  });
  return p;
}

/** The weights moved along the direction: `W_i + tU_i`. */
export function movedWeights(ctx: DocContext, t: Rational): Matrix<Rational>[] {
  return ctx.inst.weights.map((Wm, k) => addM(Q, Wm, scaleM(Q, t, ctx.inst.direction[k] as Matrix<Rational>)));
}

/** `L(W + tU)` as an exact polynomial in `t` (degree `2N`), from the engine's loss at `t = 0..2N`. */
export function engineLossAlongDirection(ctx: DocContext): Polynomial {
  const values: Rational[] = [];
  for (let t = 0; t <= 2 * ctx.N; t++) {
    const pt = preparePoint(Q, { weights: movedWeights(ctx, Rational.fromBigInt(BigInt(t))), objective: ctx.inst.objective, reduction: ctx.inst.reduction });
    values.push(loss(pt));
  }
  return interpolate(values);
}

/** Section 1. */
export function setupSection(ctx: DocContext): void {
  const { N: depth, v, inst } = ctx;
  const w = inst.widths;
  const p = w.slice(1).reduce((s, d, k) => s + d * (w[k] as number), 0);
  const concreteN = new Map([['N', ixConst(depth)]]);
  const Pchain = chain(W(i), N, ONE);
  ctx.push(
    heading(1, '1. Setup and conventions'),
    paragraph(
      'The network has ',
      formula(`N = ${depth}`, `N = ${depth}`),
      depth === 1 ? ' layer ' : ' layers ',
      formula('W_i \\in \\mathbb{R}^{d_i \\times d_{i-1}}', 'W_i ∈ ℝ^{d_i×d_{i−1}}'),
      ', ',
      formula('i = 1, \\ldots, N', 'i = 1, …, N'),
      ', applied first to last, with widths ',
      depth <= 2
        ? formula(`(${w.map((_, k) => `d_${k}`).join(', ')}) = (${w.join(', ')})`, `(${w.map((_, k) => `d_${k}`).join(', ')}) = (${w.join(', ')})`)
        : formula(`(d_0, \\ldots, d_{${depth}}) = (${w.join(', ')})`, `(d_0, …, d_${depth}) = (${w.join(', ')})`),
      ' and ',
      formula(`p = \\sum_i d_i d_{i-1} = ${p}`, `p = Σ_i d_i d_{i−1} = ${p}`),
      ' parameters. The end-to-end matrix is',
    ),
    display(formula(`P = ${toTex(Pchain)} = ${toTex(substituteIndices(Pchain, concreteN))} \\in \\mathbb{R}^{d_N \\times d_0}`, `P = ${toMarkdown(Pchain)} = ${toMarkdown(substituteIndices(Pchain, concreteN))} ∈ ℝ^{d_N×d_0}`)),
  );
  const half = v.c === 1 ? 'the ½ convention of docs/math.md §1' : 'the "sum" convention (no ½), so every derivative below carries the factor c = 2 and every Hessian eigenvalue is twice its ½-convention value';
  if (v.data) {
    ctx.push(
      paragraph(
        'It is fitted to data: ',
        formula('X \\in \\mathbb{R}^{d_0 \\times n}', 'X ∈ ℝ^{d_0×n}'),
        ' holds one input per column and ',
        formula('Y \\in \\mathbb{R}^{d_N \\times n}', 'Y ∈ ℝ^{d_N×n}'),
        ' the targets. The loss (',
        half,
        ') and the uncentred input second moment are',
      ),
      display(joined([formula(`L = ${toTex(lossTree(ctx))}`, `L = ${toMarkdown(lossTree(ctx))}`), defines(Sigma, mul(frac(num(1), n), X, transpose(X)))])),
      paragraph('Deep matrix factorization is the case of whitened data, ', formula('X = I', 'X = I'), '.'),
    );
  } else {
    ctx.push(
      paragraph('It is a deep matrix factorization of a target ', formula('M \\in \\mathbb{R}^{d_N \\times d_0}', 'M ∈ ℝ^{d_N×d_0}'), ', with the loss (', half, ')'),
      display(formula(`L = ${toTex(lossTree(ctx))}`, `L = ${toMarkdown(lossTree(ctx))}`)),
    );
  }
  ctx.push(
    paragraph(
      'Matrices are vectorised column by column, so that ',
      formula('\\operatorname{vec}(AXB) = (B^{\\top} \\otimes A) \\operatorname{vec}(X)', 'vec(AXB) = (Bᵀ ⊗ A) vec(X)'),
      ', and the parameter vector is ',
      formula('\\theta = (\\operatorname{vec} W_1, \\ldots, \\operatorname{vec} W_N)', 'θ = (vec W_1, …, vec W_N)'),
      '; the Hessian is indexed in this order, ',
      formula('H_{ij} = \\partial^2 L / \\partial \\operatorname{vec} W_i\\, \\partial \\operatorname{vec} W_j^{\\top}', 'H_{ij} = ∂²L/∂vec W_i ∂vec W_jᵀ'),
      '. The partial products on either side of a layer are',
    ),
    display(joined([defines(A(i), chain(W(i), N, ix('i', 1))), defines(B(i), chain(W(i), ix('i', -1), ONE)), defines(C(j, i), chain(W(i), ix('j', -1), ix('i', 1)))])),
    paragraph(
      'with ',
      formula('A_N = B_1 = C_{i+1,i} = I', 'A_N = B_1 = C_{i+1,i} = I'),
      depth === 1 ? ' (empty products). They factor the end-to-end matrix through a layer:' : ' (empty products). They factor the end-to-end matrix through one layer, or two:',
    ),
  );
  ctx.chain('P = A_iW_iB_i', new Chain(P).to(mul(A(i), W(i), B(i)), because('definitions of ', A(i), ' and ', B(i))), 'i');
  if (depth >= 2) ctx.chain('P = A_jW_jC_{ji}W_iB_i', new Chain(P).to(mul(A(j), W(j), C(j, i), W(i), B(i)), because('definitions, for ', formula('i < j', 'i < j'))), 'i<j');
  if (depth <= 6) {
    const items = [];
    for (let k = 1; k <= depth; k++) {
      const kk = ixConst(k);
      items.push(inline(formula(`A_{${k}} = ${toTex(unfoldPartialProducts(A(kk), depth, v))}`, `A_${k} = ${toMarkdown(unfoldPartialProducts(A(kk), depth, v))}`), ',  ', formula(`B_{${k}} = ${toTex(unfoldPartialProducts(B(kk), depth, v))}`, `B_${k} = ${toMarkdown(unfoldPartialProducts(B(kk), depth, v))}`)));
    }
    ctx.push(paragraph('For this network:'), list(...items));
  }
  if (v.data) {
    ctx.push(paragraph('The residual, the derivative of the loss with respect to ', formula('P', 'P'), ' (up to the factor c), is'));
    ctx.chain(
      'R = PΣ − YXᵀ/n',
      new Chain(R).to(mul(frac(num(1), n), sub(mul(P, X), Y), transpose(X)), because('definition of ', R)).to(sub(mul(P, Sigma), mul(frac(num(1), n), Y, transpose(X))), because('definition of ', Sigma)),
      'none',
    );
  } else {
    ctx.push(paragraph('The residual, the derivative of the loss with respect to ', formula('P', 'P'), ' (up to the factor c), is the fitting error'), display(defines(R, sub(P, M))));
  }
  ctx.rowTree('loss', inline(formula('L', 'L')), lossTree(ctx), scalarValue(loss(ctx.pt)), 'loss()');
  ctx.rowTree('P', inline(formula('P', 'P')), P, matrixValue(ctx.pt.P), 'NetworkPoint.P');
  ctx.rowTree('R', inline(formula('R', 'R')), R, matrixValue(ctx.pt.R), 'NetworkPoint.R');
}

/** Section 2. */
export function firstOrderSection(ctx: DocContext): void {
  const { N: depth, v } = ctx;
  ctx.push(
    heading(1, '2. First-order expansion and the gradient'),
    paragraph('Move every layer along a direction, ', formula('W_i \\to W_i + t U_i', 'W_i → W_i + tU_i'), '. Multiplying out the product and collecting powers of ', formula('t', 't'), ','),
    display(formula('P(W + tU) = P + t\\, \\delta P + t^2\\, \\delta^{2} P + O(t^3)', 'P(W + tU) = P + t δP + t² δ²P + O(t³)')),
    display(joined([defines(dP, sum('i', ONE, N, mul(A(i), U(i), B(i)))), defines(d2P, { kind: 'pairSum', lo: 'i', hi: 'j', from: ONE, to: N, body: mul(A(j), U(j), C(j, i), U(i), B(i)) })])),
    paragraph(
      'Both coefficients are checked against the exact polynomial ',
      formula('t \\mapsto P(W + tU)', 't ↦ P(W + tU)'),
      ' interpolated at ',
      formula(`t = 0, \\ldots, ${depth}`, `t = 0, …, ${depth}`),
      ' (see the verification table).',
    ),
  );
  // P(W + tU) from the engine's prepared points, interpolated entry by entry.
  const Ps = Array.from({ length: depth + 1 }, (_, t) => preparePoint(Q, { weights: movedWeights(ctx, Rational.fromBigInt(BigInt(t))), objective: ctx.inst.objective, reduction: ctx.inst.reduction }).P);
  const P0 = Ps[0] as Matrix<Rational>;
  const coefficient = (k: number): Matrix<Rational> => fromColumnMajor(P0.rows, P0.cols, P0.data.map((_, e) => interpolate(Ps.map((Pt) => Pt.data[e] as Rational)).coefficient(k)));
  ctx.rowTree('δP', inline(formula('\\delta P \\text{ (coefficient of } t)', 'δP (coefficient of t)')), dP, matrixValue(coefficient(1)), 'preparePoint(W+tU).P, t=0..N');
  ctx.rowTree('δ²P', inline(formula('\\delta^{2} P \\text{ (coefficient of } t^2)', 'δ²P (coefficient of t²)')), d2P, matrixValue(coefficient(2)), 'preparePoint(W+tU).P, t=0..N');

  if (v.data) {
    ctx.push(paragraph('The loss along the direction is ', formula(`L(W + tU) = \\frac{c}{2n} \\|(PX - Y) + t\\, \\delta P X + t^2\\, \\delta^{2} P X + O(t^3)\\|_F^2`, 'L(W + tU) = (c/2n)‖(PX − Y) + t δPX + t² δ²PX + O(t³)‖_F²'), ', so its derivative at ', formula('t = 0', 't = 0'), ' is c times'));
    ctx.chain(
      '(1/n)⟨PX − Y, δPX⟩ = ⟨R, δP⟩',
      new Chain(mul(frac(num(1), n), inner(sub(mul(P, X), Y), mul(dP, X)))).apply(innerMoveRight(), byIdentities('innerMoveRight')).to(inner(R, dP), because('definition of ', R)),
      'none',
    );
  } else {
    ctx.push(paragraph('The loss along the direction is ', formula(`L(W + tU) = \\frac{c}{2} \\|R + t\\, \\delta P + t^2\\, \\delta^{2} P + O(t^3)\\|_F^2`, 'L(W + tU) = (c/2)‖R + t δP + t² δ²P + O(t³)‖_F²'), ', so its derivative at ', formula('t = 0', 't = 0'), ' is c times ', formula('\\langle R, \\delta P \\rangle', '⟨R, δP⟩'), '. Moving the partial products across the inner product:'));
  }
  const grad = new Chain(inner(R, dP))
    .to(inner(R, sum('i', ONE, N, mul(A(i), U(i), B(i)))), because('definition of ', dP))
    .apply(innerOfSum, byIdentities('innerOfSum'))
    .apply(innerMoveLeft(), byIdentities('innerMoveLeft'))
    .apply(innerMoveRight(), byIdentities('innerMoveRight'));
  if (v.data) ctx.push(paragraph('Moving the partial products across the inner product:'));
  ctx.chain('⟨R, δP⟩ = Σ_i ⟨A_iᵀRB_iᵀ, U_i⟩', grad, 'none');
  const gi = mul(transpose(A(i)), R, transpose(B(i)));
  ctx.push(
    paragraph('This holds for every direction, so the gradient of layer ', formula('i', 'i'), ' (docs/math.md §1–2) is'),
    display(eq('\\frac{\\partial L}{\\partial W_i}', '∂L/∂W_i', withC(v, gi))),
    paragraph('and in vectorised form'),
  );
  ctx.chain('vec(A_iᵀRB_iᵀ) = (B_i ⊗ A_iᵀ) vec(R)', new Chain(vec(gi)).apply(vecOfProduct((f) => f.kind === 'sym' && f.name === 'R'), byIdentities('vecOfProduct', 'transposeOfTranspose')), 'i');
  const items = [];
  for (let k = 1; k <= depth; k++) {
    const gk = withC(v, unfoldPartialProducts(mul(transpose(A(ixConst(k))), R, transpose(B(ixConst(k)))), depth, v));
    items.push(inline(eq(`\\frac{\\partial L}{\\partial W_{${k}}}`, `∂L/∂W_${k}`, gk)));
  }
  ctx.push(paragraph('For this network:'), list(...items));
  const g = gradient(ctx.pt);
  for (let k = 1; k <= depth; k++) {
    ctx.rowTree(`∂L/∂W_${k}`, inline(formula(`\\partial L / \\partial W_{${k}}`, `∂L/∂W_${k}`)), withC(v, substituteIndices(gi, new Map([['i', ixConst(k)]]))), matrixValue(g[k - 1] as Matrix<Rational>), 'gradient()');
  }
  const lossPoly = engineLossAlongDirection(ctx);
  ctx.rowTree(
    'dL/dt',
    inline(formula('\\tfrac{d}{dt} L(W + tU)|_{t=0} = \\sum_i \\langle \\partial L/\\partial W_i, U_i \\rangle', 'd/dt L(W + tU)|₀ = Σ_i ⟨∂L/∂W_i, U_i⟩')),
    withC(v, sum('i', ONE, N, inner(gi, U(i)))),
    scalarValue(lossPoly.coefficient(1)),
    'loss(W+tU), t=0..2N',
  );
}
