/**
 * Section 3 of a deep-linear document: the second-order expansion, the Gauss–Newton blocks
 * `G_{ij} = c(B_iΣB_jᵀ) ⊗ (A_iᵀA_j)`, the residual blocks `H^R_{ji} = c(C_{ji} ⊗ A_jᵀRB_iᵀ)T_{d_i,d_{i−1}}`,
 * the full quadratic form, the trace, and the Hessian–vector product in matrix form (`docs/math.md §2`).
 */
import type { Rational } from '../../field/rational.js';
import { hessian, hessianBlocks } from '../../hessian/dense.js';
import { hessianVectorProduct } from '../../hessian/hvp.js';
import { parameterOffsets } from '../../hessian/point.js';
import { fromColumnMajor, trace as traceM } from '../../linalg/matrix.js';
import { Chain } from '../chain.js';
import { display, formula, heading, inline, list, paragraph } from '../document.js';
import { matrixValue, scalarValue } from '../evaluate.js';
import {
  add,
  fro2,
  frac,
  inner,
  mul,
  num,
  pairSum,
  substituteIndices,
  sum,
  trace,
  transpose,
  vec,
  width,
  type Expr,
} from '../expr.js';
import { ix, ixConst, ixEqual, type Index } from '../../symbolic/affine-index.js';
import { because, byIdentities } from '../identities.js';
import { toMarkdown, toTex } from '../render.js';
import { frobeniusAsInner, innerAsVec, innerMoveLeft, innerMoveRight, innerOfSum, innerSymmetric, traceOfKron, transposeOfProduct, vecOfProduct, vecOfTranspose } from '../rules.js';
import type { DocContext } from './context.js';
import { eq, engineLossAlongDirection } from './first-order.js';
import { A, B, C, d2P, dP, i, j, N, n, ONE, R, rightGram, Sigma, U, X, withC, G, HR, Hu, type Variant } from './symbols.js';
import { blockTree, gnBlock, hvpTree, residualBlock, unfoldPartialProducts } from './trees.js';

/** The first-term expression of the second derivative: `‖δP‖²` or `⟨δPΣ, δP⟩`. */
function gaussNewtonTerm(v: Variant): Expr {
  return v.data ? inner(mul(dP, Sigma), dP) : fro2(dP);
}

/** `d²/dt² L(W + tU)|₀` as a tree. */
export function secondDerivativeTree(v: Variant): Expr {
  return withC(v, add(gaussNewtonTerm(v), mul(num(2), inner(R, d2P))));
}

const isU = (at: Index) => (f: Expr): boolean => f.kind === 'sym' && f.name === 'U' && ixEqual(f.indices[0] as Index, at);
const isUt = (at: Index) => (f: Expr): boolean => f.kind === 'transpose' && isU(at)(f.arg);

/** Section 3. */
export function secondOrderSection(ctx: DocContext): void {
  const { N: depth, v } = ctx;
  ctx.push(
    heading(1, '3. Second-order expansion and the Hessian'),
    paragraph('The terms of order ', formula('t^2', 't²'), ' of the loss along the direction give its second derivative at ', formula('t = 0', 't = 0'), ':'),
    display(formula(`\\frac{d^2}{dt^2} L(W + tU)\\Big|_{t=0} = ${toTex(secondDerivativeTree(v))}`, `d²/dt² L(W + tU)|₀ = ${toMarkdown(secondDerivativeTree(v))}`)),
  );
  if (v.data) {
    ctx.push(paragraph('(with data the first term comes from ', formula('\\frac{1}{n}\\|\\delta P X\\|_F^2', '(1/n)‖δPX‖_F²'), ', and the second from ', formula('\\frac{2}{n}\\langle PX - Y, \\delta^{2} P X \\rangle = 2 \\langle R, \\delta^{2} P \\rangle', '(2/n)⟨PX − Y, δ²PX⟩ = 2⟨R, δ²P⟩'), ' as in Section 2):'));
    ctx.chain(
      '(1/n)‖δPX‖² = ⟨δPΣ, δP⟩',
      new Chain(mul(frac(num(1), n), fro2(mul(dP, X)))).apply(frobeniusAsInner, byIdentities('frobeniusAsInner')).apply(innerMoveRight(), byIdentities('innerMoveRight')).to(inner(mul(dP, Sigma), dP), because('definition of ', Sigma)),
      'none',
    );
  }
  ctx.push(
    paragraph(
      'With ',
      formula('u = (\\operatorname{vec} U_1, \\ldots, \\operatorname{vec} U_N)', 'u = (vec U_1, …, vec U_N)'),
      ' this second derivative is the quadratic form ',
      formula('u^{\\top} H u', 'uᵀHu'),
      ', so the blocks of ',
      formula('H', 'H'),
      ' are read off its two terms.',
    ),
    heading(2, 'Gauss–Newton part'),
    paragraph('Expanding ', formula('\\delta P', 'δP'), ' in the first term gives a double sum over pairs of layers:'),
  );
  const sumI = (body: Expr): Expr => sum('i', ONE, N, body);
  const sumJ = (body: Expr): Expr => sum('j', ONE, N, body);
  const AUB = (a: Index): Expr => mul(A(a), U(a), B(a));
  const gnSum = new Chain(gaussNewtonTerm(v));
  if (v.data) {
    gnSum.to(inner(mul(sumI(AUB(i)), Sigma), sumJ(AUB(j))), because('definition of ', dP)).to(sumJ(sumI(inner(mul(A(i), U(i), B(i), Sigma), AUB(j)))), because('bilinearity'));
  } else {
    gnSum
      .to(fro2(sumI(AUB(i))), because('definition of ', dP))
      .apply(frobeniusAsInner, byIdentities('frobeniusAsInner'))
      .to(inner(sumI(AUB(i)), sumJ(AUB(j))), because('renaming an index'))
      .apply(innerOfSum, byIdentities('innerOfSum'))
      .apply(innerOfSum, byIdentities('innerOfSum'));
  }
  ctx.chain('Gauss–Newton term as a double sum', gnSum, 'none');
  const pair = new Chain(inner(v.data ? mul(A(i), U(i), B(i), Sigma) : AUB(i), AUB(j)))
    .apply(innerMoveLeft(), byIdentities('innerMoveLeft'))
    .apply(innerMoveRight(), byIdentities('innerMoveRight'))
    .apply(innerSymmetric, byIdentities('innerSymmetric'))
    .apply(innerAsVec, byIdentities('innerAsVec'))
    .apply(vecOfProduct(isU(i)), byIdentities('vecOfProduct'))
    .apply(transposeOfProduct, byIdentities('transposeOfProduct'));
  ctx.push(paragraph('Each pair, moving the outer factors across the inner product and vectorising:'));
  ctx.chain('Gauss–Newton pair (i, j)', pair, 'i,j');
  ctx.push(
    paragraph('So the Gauss–Newton part of block ', formula('(j, i)', '(j, i)'), ' is ', formula(`G_{ji} = ${toTex(withC(v, gnBlock(v, j, i)))}`, `G_{ji} = ${toMarkdown(withC(v, gnBlock(v, j, i)))}`), '; renaming the indices,'),
    display(eq(`G_{ij}`, 'G_{ij}', withC(v, gnBlock(v, i, j)))),
    heading(2, 'Residual part'),
    paragraph('Expanding ', formula('\\delta^{2} P', 'δ²P'), ' in the second term:'),
  );
  const pairBody = mul(A(j), U(j), C(j, i), U(i), B(i));
  ctx.chain(
    '2⟨R, δ²P⟩ as a sum over pairs',
    new Chain(mul(num(2), inner(R, d2P))).to(mul(num(2), inner(R, pairSum('i', 'j', ONE, N, pairBody))), because('definition of ', d2P)).apply(innerOfSum, byIdentities('innerOfSum')),
    'none',
  );
  const res = new Chain(inner(R, pairBody))
    .apply(innerMoveLeft(), byIdentities('innerMoveLeft'))
    .apply(innerMoveRight(), byIdentities('innerMoveRight'))
    .apply(innerMoveRight(2), byIdentities('innerMoveRight', 'transposeOfProduct'))
    .apply(innerSymmetric, byIdentities('innerSymmetric'))
    .apply(innerAsVec, byIdentities('innerAsVec'))
    .apply(vecOfProduct(isUt(i)), byIdentities('vecOfProduct', 'transposeOfTranspose'))
    .apply(vecOfTranspose(width(i), width(ix('i', -1))), byIdentities('vecOfTranspose'));
  if (depth >= 2) {
    ctx.push(paragraph('Each pair ', formula('i < j', 'i < j'), ':'));
    ctx.chain('residual pair (i < j)', res, 'i<j');
  } else {
    ctx.push(paragraph('With one layer there are no pairs ', formula('i < j', 'i < j'), ' and the residual part is zero; for deeper networks each pair gives'), display(formula(`${toTex(res.expressions[0] as Expr)} = ${toTex(res.last)}`, `${toMarkdown(res.expressions[0] as Expr)} = ${toMarkdown(res.last)}`)));
  }
  ctx.push(
    paragraph(
      'where ',
      formula('T_{m,n}', 'T_{m,n}'),
      ' is the commutation matrix, ',
      formula('\\operatorname{vec}(X^{\\top}) = T_{m,n} \\operatorname{vec}(X)', 'vec(Xᵀ) = T_{m,n} vec(X)'),
      ' for ',
      formula('X \\in \\mathbb{R}^{m \\times n}', 'X ∈ ℝ^{m×n}'),
      '. The factor 2 is shared between block ',
      formula('(j, i)', '(j, i)'),
      ' and its transpose ',
      formula('(i, j)', '(i, j)'),
      ', so for ',
      formula('j > i', 'j > i'),
    ),
    display(eq('H^{R}_{ji}', 'Hᴿ_{ji}', withC(v, residualBlock(j, i)))),
    paragraph(
      'and the diagonal blocks have no residual part. Entrywise, the entry of ',
      formula('H^{R}_{ji}', 'Hᴿ_{ji}'),
      ' in row ',
      formula('(a, b)', '(a, b)'),
      ' (entry ',
      formula('(W_j)_{ab}', '(W_j)_{ab}'),
      ') and column ',
      formula('(p, q)', '(p, q)'),
      ' (entry ',
      formula('(W_i)_{pq}', '(W_i)_{pq}'),
      ') is ',
      formula('c\\,(A_j^{\\top} R B_i^{\\top})_{aq} (C_{ji})_{bp}', 'c (A_jᵀRB_iᵀ)_{aq}(C_{ji})_{bp}'),
      '. At a zero-loss point ',
      formula('R = 0', 'R = 0'),
      ' and the residual part vanishes.',
    ),
    heading(2, 'Hessian blocks and the quadratic form'),
    paragraph('With ', G(i, j), ' and ', HR(j, i), ' as above, the blocks of the Hessian are'),
    display(eq('H_{ii}', 'H_{ii}', withC(v, gnBlock(v, i, i)))),
    display(eq('H_{ji}', 'H_{ji}', withC(v, add(gnBlock(v, j, i), residualBlock(j, i))))),
    paragraph('for ', formula('j > i', 'j > i'), ', and ', formula('H_{ij} = H_{ji}^{\\top}', 'H_{ij} = H_{ji}ᵀ'), '.'),
  );
  if (depth <= 4) {
    const items = [];
    for (let a = 1; a <= depth; a++)
      for (let b = 1; b <= a; b++) items.push(inline(eq(`H_{${a}${b}}`, `H_${a}${b}`, unfoldPartialProducts(blockTree(v, a, b), depth, v))));
    ctx.push(paragraph('For this network (lower blocks; ', formula('H_{ij} = H_{ji}^{\\top}', 'H_{ij} = H_{ji}ᵀ'), '):'), list(...items));
  }
  // The quadratic form in blocks, checked against the second derivative.
  const qf = add(sum('i', ONE, N, sum('j', ONE, N, mul(transpose(vec(U(i))), G(i, j), vec(U(j))))), mul(num(2), pairSum('i', 'j', ONE, N, mul(transpose(vec(U(j))), HR(j, i), vec(U(i))))));
  ctx.push(paragraph('Together, the full quadratic form:'));
  ctx.chain('quadratic form in blocks', new Chain(secondDerivativeTree(v)).to(qf, because('the two parts above')), 'none');
  ctx.push(
    paragraph('The trace of the Hessian is the sum of the traces of its diagonal blocks:'),
  );
  ctx.chain('trace of a diagonal block', new Chain(trace(gnBlock(v, i, i))).apply(traceOfKron, byIdentities('traceOfKron')), 'i');
  const traceTree = withC(v, sum('i', ONE, N, mul(trace(rightGram(v, i, i)), trace(mul(transpose(A(i)), A(i))))));
  ctx.push(display(formula(`\\operatorname{tr} H = ${toTex(traceTree)}`, `tr H = ${toMarkdown(traceTree)}`)));

  // Hessian–vector product.
  ctx.push(
    heading(2, 'Hessian–vector product'),
    paragraph(
      'Every chain above ends in an inner product with one ',
      formula('U_j', 'U_j'),
      '; collecting, for each layer, the terms that contain ',
      formula('U_j', 'U_j'),
      ' gives block ',
      formula('j', 'j'),
      ' of ',
      formula('Hu', 'Hu'),
      ' as a matrix shaped like ',
      formula('W_j', 'W_j'),
      ', without forming ',
      formula('H', 'H'),
      ' (',
      formula('O(N d^3)', 'O(N d³)'),
      ' work):',
    ),
    display(eq('(Hu)_j', '(Hu)_j', hvpTree(v, j))),
  );
  const hvpBlocks = add(
    sum('i', ONE, N, mul(G(j, i), vec(U(i)))),
    sum('i', ONE, ix('j', -1), mul(HR(j, i), vec(U(i)))),
    sum('k', ix('j', 1), N, mul(transpose(HR(ix('k'), j)), vec(U(ix('k'))))),
  );
  ctx.chain('vec((Hu)_j) = Σ_i H_{ji} vec(U_i)', new Chain(vec(Hu(j))).to(hvpBlocks, because('the blocks above')), 'j');

  // Engine comparisons.
  const blocks = hessianBlocks(ctx.pt);
  for (let a = 1; a <= depth; a++)
    for (let b = 1; b <= a; b++) {
      const E = blocks[a - 1]?.[b - 1];
      if (E !== undefined) ctx.rowTree(`H_${a}${b}`, inline(formula(`H_{${a}${b}}`, `H_${a}${b}`)), blockTree(v, a, b), matrixValue(E), 'hessianBlocks()');
    }
  const u = ctx.inst.direction.flatMap((Um) => Um.data.slice());
  const engineHu = hessianVectorProduct(ctx.pt, u);
  const offsets = parameterOffsets(ctx.inst.widths);
  let uHu: Rational | undefined;
  engineHu.forEach((x, k) => {
    const t = x.mul(u[k] as Rational);
    uHu = uHu === undefined ? t : uHu.add(t);
  });
  const lossPoly = engineLossAlongDirection(ctx);
  ctx.rowTree(
    'd²L/dt²',
    inline(formula('\\tfrac{d^2}{dt^2} L(W + tU)|_{t=0}', 'd²/dt² L(W + tU)|₀')),
    secondDerivativeTree(v),
    scalarValue(lossPoly.coefficient(2).mul(ctx.pt.F.fromInt(2))),
    'loss(W+tU), t=0..2N',
  );
  if (uHu !== undefined) ctx.rowTree('uᵀHu', inline(formula('u^{\\top} H u', 'uᵀHu')), qf, scalarValue(uHu), 'hessianVectorProduct()');
  for (let b = 1; b <= depth; b++) {
    const o0 = offsets[b - 1] as number;
    const o1 = offsets[b] as number;
    const rows = ctx.inst.widths[b] as number;
    const cols = ctx.inst.widths[b - 1] as number;
    const engineBlock = fromColumnMajor(rows, cols, engineHu.slice(o0, o1));
    ctx.rowTree(`(Hu)_${b}`, inline(formula(`(Hu)_{${b}}`, `(Hu)_${b}`)), substituteIndices(hvpTree(v, j), new Map([['j', ixConst(b)]])), matrixValue(engineBlock), 'hessianVectorProduct()');
  }
  const Hfull = hessian(ctx.pt);
  ctx.rowTree('tr H', inline(formula('\\operatorname{tr} H', 'tr H')), traceTree, scalarValue(traceM(ctx.pt.F, Hfull)), 'trace(hessian())');
}
