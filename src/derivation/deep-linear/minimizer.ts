/**
 * Section 4 of a deep-linear document: at a zero-loss point `H = cJᵀJ`, the reduced operator
 * `K = cJJᵀ` carries the nonzero spectrum (`t^m det(tI − H) = t^p det(tI − K)`), and the bounds
 * `c max_i ‖A_i‖₂²‖B_i‖₂² ≤ λ_max ≤ c Σ_i ‖A_i‖₂²‖B_i‖₂²` with their tight cases (`docs/math.md §3`;
 * arXiv 2509.25783). Exact values on the instance come from {@link certifyLambdaMax}.
 */
import { Q } from '../../field/field.js';
import { Rational } from '../../field/rational.js';
import { gaussNewton, hessian } from '../../hessian/dense.js';
import { reducedProblem } from '../../hessian/reduced.js';
import { characteristicPolynomial } from '../../linalg/charpoly.js';
import { mul as mulM, type Matrix } from '../../linalg/matrix.js';
import { Polynomial } from '../../linalg/polynomial.js';
import { certifyLambdaMax, type LambdaMaxCertificate } from '../../spectral/certificate.js';
import { spectralNormSquaredEnclosure } from '../../spectral/singular-value-enclosure.js';
import { Chain } from '../chain.js';
import { code, display, LINE_BREAK, formula, heading, inline, list, paragraph, type Formula, type Inline } from '../document.js';
import { asMatrix, matrixValue } from '../evaluate.js';
import { frac, kron, max, mul, num, spec2, sum, transpose, vec, type Expr } from '../expr.js';
import { ixConst, ixEqual, type Index } from '../../symbolic/affine-index.js';
import { because, byIdentities } from '../identities.js';
import { toMarkdown, toTex } from '../render.js';
import { kronMixedProduct, transposeOfKron, transposeOfProduct, vecOfProduct } from '../rules.js';
import { addReals, compareReals, maxReals, mulReals, polynomialCell, polynomialFormula, realFormula, realFromCertificate, realFromEnclosure, realsAgree, scaleReal, type ExactReal, type RealOrder } from '../values.js';
import type { DocContext } from './context.js';
import { joined } from './first-order.js';
import { A, B, dP, i, J as Jsym, N, n, ONE, Sigma, U, V, X, type Variant } from './symbols.js';
import { jacobianBlock, jacobianTree } from './trees.js';

const DIGITS = 30;

const isSym = (name: string, at?: Index) => (f: Expr): boolean => f.kind === 'sym' && f.name === name && (at === undefined || ixEqual(f.indices[0] as Index, at));

/** `c e` (DMF) or `(c/n) e` (data). */
function cScaled(v: Variant, e: Expr): Expr {
  if (v.data) return mul(frac(num(v.c), n), e);
  return v.c === 1 ? e : mul(num(v.c), e);
}

/** `K = c Σ_i (B_iᵀB_i) ⊗ (A_iA_iᵀ)` (data: `(c/n) Σ_i (XᵀB_iᵀB_iX) ⊗ (A_iA_iᵀ)`). */
export function reducedTree(v: Variant): Expr {
  const right = v.data ? mul(transpose(X), transpose(B(i)), B(i), X) : mul(transpose(B(i)), B(i));
  return cScaled(v, sum('i', ONE, N, kron(right, mul(A(i), transpose(A(i))))));
}

function certify(M: Matrix<Rational>, metric: readonly Rational[] | null = null): LambdaMaxCertificate {
  return certifyLambdaMax({ K: M, metric }, { digits: DIGITS });
}

function tPower(k: number): Polynomial {
  return Polynomial.fromCoefficients([...Array.from({ length: k }, () => Rational.ZERO), Rational.ONE]);
}

function relationText(o: RealOrder): string {
  return o === 'less' ? '<' : o === 'greater' ? '>' : o === 'equal' ? '=' : '≈';
}

function relationFormula(a: ExactReal, rel: string, b: ExactReal): Formula {
  const fa = realFormula(a);
  const fb = realFormula(b);
  const tex = rel === '<' ? '<' : rel === '>' ? '>' : rel === '=' ? '=' : '\\approx';
  return formula(`${fa.tex} ${tex} ${fb.tex}`, `${fa.text} ${rel} ${fb.text}`);
}

/** Section 4. */
export function minimizerSection(ctx: DocContext): void {
  const { N: depth, v, inst } = ctx;
  const d0 = inst.widths[0] as number;
  const dN = inst.widths[depth] as number;
  const samples = inst.objective.kind === 'dln' ? inst.objective.inputs.cols : d0;
  const p = inst.widths.slice(1).reduce((s, d, k) => s + d * (inst.widths[k] as number), 0);
  const m = dN * samples;
  ctx.push(
    heading(1, '4. At a minimizer: the Jacobian factorization and the reduced operator K'),
    paragraph(
      'At a zero-loss point (',
      v.data ? formula('PX = Y', 'PX = Y') : formula('P = M', 'P = M'),
      ') the residual ',
      formula('R', 'R'),
      ' is zero, the residual blocks vanish and ',
      formula('H', 'H'),
      ' equals its Gauss–Newton part. ',
      inst.isMinimizer
        ? 'The worked instance is such a point.'
        : `The worked instance is not one, so the identities of this section are checked at the zero-loss point with the same weights and ${v.data ? 'targets Y := PX' : 'target M := P'}; there H is the Gauss–Newton part G of the instance.`,
    ),
  );
  const Ji = jacobianBlock(v, i);
  // vec of the first-order change.
  const start = vec(v.data ? mul(A(i), U(i), B(i), X) : mul(A(i), U(i), B(i)));
  ctx.push(paragraph('The first-order change of ', v.data ? formula('PX', 'PX') : formula('P', 'P'), ' is linear in ', formula('u', 'u'), ', one layer at a time:'));
  ctx.chain('vec of one layer’s change', new Chain(start).apply(vecOfProduct(isSym('U', i)), byIdentities('vecOfProduct')), 'i', 'minimizer');
  const J = jacobianTree(v);
  const Jshape = v.data ? `d_N n \\times p` : `d_N d_0 \\times p`;
  const JshapeText = v.data ? 'd_N n × p' : 'd_N d_0 × p';
  ctx.push(
    paragraph('so, with the Jacobian'),
    display(formula(`J = ${toTex(J)} \\in \\mathbb{R}^{${Jshape}}`, `J = ${toMarkdown(J)} ∈ ℝ^{${JshapeText}}`)),
  );
  const deltaLhs = v.data ? vec(mul(dP, X)) : vec(dP);
  ctx.chain('vec(δP) = J u', new Chain(deltaLhs).to(sum('i', ONE, N, mul(Ji, vec(U(i)))), because('linearity of vec, the chain above')), 'none', 'minimizer');
  const Hform = cScaled(v, mul(transpose(Jsym), Jsym));
  const K = reducedTree(v);
  ctx.push(
    paragraph(
      v.data ? 'and ' : 'and ',
      v.data ? formula('\\langle \\delta P \\Sigma, \\delta P \\rangle = \\frac{1}{n}\\|\\delta P X\\|_F^2 = \\frac{1}{n} u^{\\top} J^{\\top} J u', '⟨δPΣ, δP⟩ = (1/n)‖δPX‖_F² = (1/n) uᵀJᵀJu') : formula('\\|\\delta P\\|_F^2 = u^{\\top} J^{\\top} J u', '‖δP‖_F² = uᵀJᵀJu'),
      '. With ',
      formula('R = 0', 'R = 0'),
      ' the second derivative is this term alone, so',
    ),
    display(joined([formula(`H = ${toTex(Hform)}`, `H = ${toMarkdown(Hform)}`), formula(`K := ${toTex(cScaled(v, mul(Jsym, transpose(Jsym))))}`, `K := ${toMarkdown(cScaled(v, mul(Jsym, transpose(Jsym))))}`)])),
    paragraph('Multiplying the blocks of ', formula('J', 'J'), ' out:'),
  );
  const term = new Chain(mul(Ji, transpose(Ji))).apply(transposeOfKron, byIdentities('transposeOfKron')).apply(kronMixedProduct, byIdentities('kronMixedProduct'));
  if (v.data) term.apply(transposeOfProduct, byIdentities('transposeOfProduct'));
  ctx.chain('J_iJ_iᵀ', term, 'i', 'minimizer');
  ctx.chain('K = cJJᵀ = Σ_i …', new Chain(cScaled(v, mul(Jsym, transpose(Jsym)))).to(cScaled(v, sum('i', ONE, N, mul(Ji, transpose(Ji)))), because('block multiplication')).to(K, because('the chain above')), 'none', 'minimizer');
  const kSize = v.data ? 'd_N n' : 'd_N d_0';
  ctx.push(
    display(formula(`K = ${toTex(K)} \\in \\mathbb{R}^{${kSize} \\times ${kSize}}`, `K = ${toMarkdown(K)} ∈ ℝ^{${kSize}×${kSize}}`)),
    paragraph(
      'of size ',
      formula(`m = ${m}`, `m = ${m}`),
      ' against ',
      formula(`p = ${p}`, `p = ${p}`),
      ' for ',
      formula('H', 'H'),
      '. As an operator on matrices ',
      formula(v.data ? 'V \\in \\mathbb{R}^{d_N \\times n}' : 'V \\in \\mathbb{R}^{d_N \\times d_0}', v.data ? 'V ∈ ℝ^{d_N×n}' : 'V ∈ ℝ^{d_N×d_0}'),
      ' it never needs the Kronecker products:',
    ),
  );
  const right = v.data ? mul(transpose(X), transpose(B(i)), B(i), X) : mul(transpose(B(i)), B(i));
  const opChain = new Chain(vec(mul(A(i), transpose(A(i)), V, right))).apply(vecOfProduct(isSym('V')), byIdentities('vecOfProduct')).apply(transposeOfProduct, byIdentities('transposeOfProduct'));
  ctx.chain('operator form of K', opChain, 'i', 'minimizer');
  const opForm = cScaled(v, vec(sum('i', ONE, N, mul(A(i), transpose(A(i)), V, right))));
  ctx.push(display(formula(`K \\operatorname{vec}(V) = ${toTex(opForm)}`, `K vec(V) = ${toMarkdown(opForm)}`)));
  if (v.data) {
    ctx.push(
      paragraph(
        'Equivalently (docs/math.md §3), ',
        formula('K\' = c \\sum_i (\\Sigma^{1/2} B_i^{\\top} B_i \\Sigma^{1/2}) \\otimes (A_i A_i^{\\top})', "K' = c Σ_i (Σ^{½}B_iᵀB_iΣ^{½}) ⊗ (A_iA_iᵀ)"),
        ' of size ',
        formula('d_N d_0', 'd_N d_0'),
        ' has the same nonzero eigenvalues (it is ',
        formula("J'J'^{\\top}", "J'J'ᵀ"),
        ' for another factorization ',
        formula("H = J'^{\\top}J'", "H = J'ᵀJ'"),
        '); the engine uses its exact form with ',
        formula('\\Sigma = LDL^{\\top}', 'Σ = LDLᵀ'),
        ', and the table compares the two through their spectra.',
      ),
    );
  }
  ctx.push(
    heading(2, 'Why K carries the nonzero spectrum'),
    paragraph(
      'If ',
      formula('J^{\\top} J v = \\lambda v', 'JᵀJv = λv'),
      ' with ',
      formula('\\lambda \\neq 0', 'λ ≠ 0'),
      ', then ',
      formula('w = Jv', 'w = Jv'),
      ' is not zero (',
      formula('\\|Jv\\|^2 = \\lambda \\|v\\|^2', '‖Jv‖² = λ‖v‖²'),
      ') and ',
      formula('J J^{\\top} w = \\lambda w', 'JJᵀw = λw'),
      '; the same argument with ',
      formula('J^{\\top}', 'Jᵀ'),
      ' goes back, and both maps are injective on the eigenspaces. So ',
      formula('H', 'H'),
      ' and ',
      formula('K', 'K'),
      ' have the same nonzero eigenvalues with the same multiplicities, and the rest of the spectrum of ',
      formula('H', 'H'),
      ' is zero: at every minimizer',
    ),
    display(formula('t^{m} \\det(tI - H) = t^{p} \\det(tI - K)', 't^m det(tI − H) = t^p det(tI − K)')),
    paragraph(
      'In particular ',
      formula('\\lambda_{\\max}(H) = \\lambda_{\\max}(K)', 'λ_max(H) = λ_max(K)'),
      ', computed from the ',
      formula(`${m} \\times ${m}`, `${m}×${m}`),
      ' matrix K instead of the ',
      formula(`${p} \\times ${p}`, `${p}×${p}`),
      ' matrix H, and gradient descent with step ',
      formula('\\eta', 'η'),
      ' is linearly stable at the minimizer iff ',
      formula('\\eta \\le 2/\\lambda_{\\max}', 'η ≤ 2/λ_max'),
      '.',
    ),
  );

  // Exact spectra on the instance: the derivation's K (tree) against the engine's H and K.
  const Kd = asMatrix(ctx.value(K, 'minimizer'));
  const Hmin = hessian(ctx.ptMin);
  const charK = characteristicPolynomial(Kd);
  const charH = characteristicPolynomial(Hmin);
  const certK = certify(Kd);
  const lambda = realFromCertificate(certK);
  const red = reducedProblem(ctx.ptMin);
  const certE = certify(red.K, red.metric);
  const certH = certify(Hmin);
  ctx.push(
    paragraph('On the worked instance (at the minimizer), exactly:'),
    display(formula(`\\det(tI - K) = ${polynomialFormula(charK).tex}`, `det(tI − K) = ${polynomialFormula(charK).text}`)),
    paragraph(
      formula(`\\lambda_{\\max} = ${realFormula(lambda).tex}`, `λ_max = ${realFormula(lambda).text}`),
      certK.kind === 'rational' ? ' (rational, certified exactly: λ is a root of det(tI − K) and λI − K is positive semidefinite)' : ` (irrational: the largest root of ${certK.polynomial.toString('t')}, enclosed to ${DIGITS} digits)`,
      ', so the largest stable step is ',
      certK.kind === 'rational' && !certK.value.isZero() ? formula(`2/\\lambda_{\\max} = ${Rational.fromBigInt(2n).div(certK.value).toTex()}`, `2/λ_max = ${Rational.fromBigInt(2n).div(certK.value).toString()}`) : formula('2/\\lambda_{\\max}', '2/λ_max'),
      '.',
    ),
  );

  // Rows.
  ctx.rowTree('H = cJᵀJ at the minimizer', inline(formula('H \\text{ at the minimizer} = ' + toTex(Hform), 'H at the minimizer = ' + toMarkdown(Hform))), Hform, matrixValue(Hmin), 'hessian()', 'minimizer');
  if (!inst.isMinimizer) ctx.rowTree('G = cJᵀJ at the instance', inline(formula('G = ' + toTex(Hform) + '\\text{ at the instance}', 'G = ' + toMarkdown(Hform) + ' at the instance')), Hform, matrixValue(gaussNewton(ctx.pt)), 'gaussNewton()', 'minimizer');
  if (red.metric === null && red.K.rows === Kd.rows) {
    ctx.rowTree('K', inline(formula('K', 'K')), K, matrixValue(red.K), `reducedProblem() (${red.form})`, 'minimizer');
  } else {
    // Different sizes (covariance form): compare the nonzero spectra through the characteristic polynomials.
    const lhs = tPower(red.K.rows).mul(charK);
    const rhs = tPower(Kd.rows).mul(certE.charpoly);
    const ok = lhs.equals(rhs);
    ctx.rowCells(
      'K spectrum',
      inline(formula(`t^{${red.K.rows}} \\det(tI - K)`, `t^${red.K.rows} det(tI − K)`), ' against the engine’s ', formula(`t^{${Kd.rows}} \\det(tI - S^{-1}K')`, `t^${Kd.rows} det(tI − S⁻¹K')`)),
      [polynomialCell(lhs)],
      inline(polynomialCell(rhs), LINE_BREAK, code(`reducedProblem() (${red.form})`)),
      ok,
      ok ? 'exact' : 'polynomials differ',
    );
  }
  const idLhs = tPower(m).mul(charH);
  const idRhs = tPower(p).mul(charK);
  const idOk = idLhs.equals(idRhs);
  ctx.rowCells(
    'charpoly identity',
    inline(formula('t^{m} \\det(tI - H) = t^{p} \\det(tI - K)', 't^m det(tI − H) = t^p det(tI − K)')),
    [polynomialCell(idRhs)],
    inline(polynomialCell(idLhs), LINE_BREAK, code('hessian(), characteristicPolynomial()')),
    idOk,
    idOk ? 'exact' : 'polynomials differ',
  );
  ctx.rowReals('λ_max(K)', inline(formula('\\lambda_{\\max}(K)', 'λ_max(K)')), lambda, realFromCertificate(certE), 'certifyLambdaMax(reducedProblem())');
  ctx.rowReals('λ_max(H)', inline(formula('\\lambda_{\\max}(H) = \\lambda_{\\max}(K)', 'λ_max(H) = λ_max(K)')), lambda, realFromCertificate(certH), 'certifyLambdaMax(hessian())');

  boundsSubsection(ctx, lambda, realFromCertificate(certH));
}

/** The bounds `c max_i ‖A_i‖₂²‖B_i‖₂² ≤ λ_max ≤ c Σ_i ‖A_i‖₂²‖B_i‖₂²` and when they are tight. */
function boundsSubsection(ctx: DocContext, lambda: ExactReal, lambdaEngine: ExactReal): void {
  const { N: depth, v, inst } = ctx;
  const d0 = inst.widths[0] as number;
  const dN = inst.widths[depth] as number;
  const Bnorm = (a: Index): Expr => (v.data ? spec2(mul(B(a), { kind: 'sym', name: 'Σ^{1/2}', tex: '\\Sigma^{1/2}', text: 'Σ^{½}', indices: [], scalar: false, symmetric: true })) : spec2(B(a)));
  const termTree = (a: Index): Expr => mul(spec2(A(a)), Bnorm(a));
  const c = v.c === 1 ? (e: Expr): Expr => e : (e: Expr): Expr => mul(num(2), e);
  const lower = c(max('i', ONE, N, termTree(i)));
  const upper = c(sum('i', ONE, N, termTree(i)));
  const Ki = v.data ? formula('K_i = c (\\Sigma^{1/2} B_i^{\\top} B_i \\Sigma^{1/2}) \\otimes (A_i A_i^{\\top})', 'K_i = c (Σ^{½}B_iᵀB_iΣ^{½}) ⊗ (A_iA_iᵀ)') : formula('K_i = c (B_i^{\\top} B_i) \\otimes (A_i A_i^{\\top})', 'K_i = c (B_iᵀB_i) ⊗ (A_iA_iᵀ)');
  ctx.push(
    heading(2, 'Bounds by the layers’ spectral norms'),
    paragraph(
      'Write ',
      formula('K = \\sum_i K_i', 'K = Σ_i K_i'),
      v.data ? ' (in the equivalent form of size d_N d_0) with ' : ' with ',
      Ki,
      '. Each ',
      formula('K_i', 'K_i'),
      ' is positive semidefinite and the eigenvalues of a Kronecker product are the products of its factors’ eigenvalues, so ',
      formula(`\\lambda_{\\max}(K_i) = c\\, ${toTex(termTree(i))}`, `λ_max(K_i) = c ${toMarkdown(termTree(i))}`),
      '. Since ',
      formula('K \\succeq K_i', 'K ⪰ K_i'),
      ' for every ',
      formula('i', 'i'),
      ' and ',
      formula('\\lambda_{\\max}', 'λ_max'),
      ' is subadditive on symmetric matrices (docs/math.md §3; arXiv 2509.25783):',
    ),
    display(formula(`${toTex(lower)} \\le \\lambda_{\\max}(H) \\le ${toTex(upper)}`, `${toMarkdown(lower)} ≤ λ_max(H) ≤ ${toMarkdown(upper)}`)),
  );
  const kron2 = depth === 2 && !v.data;
  const scalarEnds = d0 === 1 && dN === 1;
  const tightTexts: Inline[] = [];
  tightTexts.push(
    ...inline(
      'The upper bound is attained for depth 2 without data: there ',
      formula('K = c\\,[(I \\otimes W_2 W_2^{\\top}) + (W_1^{\\top} W_1 \\otimes I)]', 'K = c[(I ⊗ W_2W_2ᵀ) + (W_1ᵀW_1 ⊗ I)]'),
      ' is a Kronecker sum, whose eigenvalues are the sums ',
      formula('c(\\mu_a + \\nu_b)', 'c(μ_a + ν_b)'),
      ' of eigenvalues of the two factors, so ',
      formula('\\lambda_{\\max} = c(\\|W_1\\|_2^2 + \\|W_2\\|_2^2)', 'λ_max = c(‖W_1‖₂² + ‖W_2‖₂²)'),
      '. It is also attained when ',
      formula('d_0 = d_N = 1', 'd_0 = d_N = 1'),
      ': then every ',
      formula('K_i', 'K_i'),
      ' has rank one along the same direction, and ',
      formula('\\lambda_{\\max} = c \\sum_i \\|A_i\\|_2^2 \\|B_i\\|_2^2', 'λ_max = c Σ_i ‖A_i‖₂²‖B_i‖₂²'),
      ' (for a scalar chain ',
      formula('c \\sum_i \\prod_{k \\neq i} w_k^2', 'c Σ_i Π_{k≠i} w_k²'),
      '). For ',
      formula('N \\ge 3', 'N ≥ 3'),
      ' with matrix ends the sum is in general only an upper bound (docs/math.md §3: ',
      formula('W_1 = W_3 = \\operatorname{diag}(2, \\tfrac12)', 'W_1 = W_3 = diag(2, ½)'),
      ', ',
      formula('W_2 = \\operatorname{diag}(\\tfrac14, 4)', 'W_2 = diag(¼, 4)'),
      ' has ',
      formula('\\lambda_{\\max} = \\tfrac{33}{2} < 24', 'λ_max = 33/2 < 24'),
      ')',
      v.data ? '; with data, even at depth 2 the terms need not form a Kronecker sum, and the upper bound need not be attained.' : '.',
    ),
  );
  ctx.push({ kind: 'paragraph', content: tightTexts });

  // Values: the derivation's route (certificates of the tree-evaluated Gram matrices) and the engine's.
  const width = new Rational(1n, 10n ** BigInt(DIGITS));
  const cq = Rational.fromBigInt(BigInt(v.c));
  const derivedTerms: ExactReal[] = [];
  const engineTerms: ExactReal[] = [];
  const items: Inline[][] = [];
  for (let k = 1; k <= depth; k++) {
    const kk = ixConst(k);
    const AA = asMatrix(ctx.value(mul(A(kk), transpose(A(kk))), 'minimizer'));
    const BB = asMatrix(ctx.value(v.data ? mul(B(kk), Sigma, transpose(B(kk))) : mul(transpose(B(kk)), B(kk)), 'minimizer'));
    const a = realFromCertificate(certifyLambdaMax({ K: AA, metric: null }, { digits: DIGITS }));
    const b = realFromCertificate(certifyLambdaMax({ K: BB, metric: null }, { digits: DIGITS }));
    const dTerm = scaleReal(mulReals(a, b), cq);
    derivedTerms.push(dTerm);
    const Ae = ctx.ptMin.A[k - 1] as Matrix<Rational>;
    const Be = ctx.ptMin.B[k - 1] as Matrix<Rational>;
    const ea = realFromEnclosure(spectralNormSquaredEnclosure(Ae, width));
    let eb: ExactReal;
    if (inst.objective.kind === 'dln') {
      const BX = mulM(Q, Be, inst.objective.inputs);
      eb = scaleReal(realFromEnclosure(spectralNormSquaredEnclosure(BX, width)), new Rational(1n, BigInt(inst.objective.inputs.cols)));
    } else eb = realFromEnclosure(spectralNormSquaredEnclosure(Be, width));
    const eTerm = scaleReal(mulReals(ea, eb), cq);
    engineTerms.push(eTerm);
    const label = formula(`${v.c === 1 ? '' : '2\\,'}${toTex(termTree(kk))}`, `${v.c === 1 ? '' : '2 '}${toMarkdown(termTree(kk))}`);
    items.push(inline(label, ' = ', formula(`${realFormula(a).tex} \\cdot ${realFormula(b).tex}${v.c === 1 ? '' : ' \\cdot 2'} = ${realFormula(dTerm).tex}`, `${realFormula(a).text} · ${realFormula(b).text}${v.c === 1 ? '' : ' · 2'} = ${realFormula(dTerm).text}`)));
    ctx.rowReals(`bound term ${k}`, inline(label), dTerm, eTerm, v.data ? 'spectralNormSquaredEnclosure(A_i), (B_iX)/n' : 'spectralNormSquaredEnclosure(A_i, B_i)');
  }
  const fold = (xs: ExactReal[], f: (a: ExactReal, b: ExactReal) => ExactReal): ExactReal => xs.slice(1).reduce(f, xs[0] as ExactReal);
  const lowD = fold(derivedTerms, maxReals);
  const upD = fold(derivedTerms, addReals);
  const lowE = fold(engineTerms, maxReals);
  const upE = fold(engineTerms, addReals);
  const relLow = compareReals(lowD, lambda);
  const relUp = compareReals(lambda, upD);
  ctx.push(
    paragraph('On the worked instance (each factor an exact eigenvalue certificate of the Gram matrix ', formula('A_iA_i^{\\top}', 'A_iA_iᵀ'), ' or ', v.data ? formula('B_i \\Sigma B_i^{\\top}', 'B_iΣB_iᵀ') : formula('B_i^{\\top}B_i', 'B_iᵀB_i'), '):'),
    list(...items),
    paragraph(
      'So ',
      formula(`${realFormula(lowD).tex} ${relationTex(relLow, true)} \\lambda_{\\max} = ${realFormula(lambda).tex}`, `${realFormula(lowD).text} ${relationText(relLow)} λ_max = ${realFormula(lambda).text}`),
      relLow === 'less' ? ' (the lower bound is strict) and ' : relLow === 'equal' ? ' (the lower bound is attained) and ' : ' (equal to the digits computed) and ',
      formula(`\\lambda_{\\max} ${relationTex(relUp, true)} ${realFormula(upD).tex}`, `λ_max ${relationText(relUp)} ${realFormula(upD).text}`),
      relUp === 'less' ? ' (the upper bound is strict).' : relUp === 'equal' ? ' (the upper bound is attained).' : ' (equal to the digits computed).',
    ),
  );
  const holds = (o: RealOrder): boolean => o !== 'greater';
  const lowOk = holds(relLow) && holds(compareReals(lowE, lambda)) && realsAgree(lowD, lowE);
  ctx.rowCells(
    'lower bound',
    inline(formula(`${toTex(lower)} \\le \\lambda_{\\max}`, `${toMarkdown(lower)} ≤ λ_max`)),
    inline(relationFormula(lowD, relationText(relLow), lambda)),
    inline(relationFormula(lowE, relationText(compareReals(lowE, lambda)), lambda), LINE_BREAK, code('spectralNormSquaredEnclosure()')),
    lowOk,
    lowOk ? (relLow === 'less' ? 'holds, strict' : relLow === 'equal' ? 'holds with equality' : 'holds to the digits computed') : 'violated or inconsistent',
  );
  const upOk = holds(relUp) && holds(compareReals(lambda, upE)) && realsAgree(upD, upE);
  ctx.rowCells(
    'upper bound',
    inline(formula(`\\lambda_{\\max} \\le ${toTex(upper)}`, `λ_max ≤ ${toMarkdown(upper)}`)),
    inline(relationFormula(lambda, relationText(relUp), upD)),
    inline(relationFormula(lambda, relationText(compareReals(lambda, upE)), upE), LINE_BREAK, code('spectralNormSquaredEnclosure()')),
    upOk,
    upOk ? (relUp === 'less' ? 'holds, strict' : relUp === 'equal' ? 'holds with equality' : 'holds to the digits computed') : 'violated or inconsistent',
  );
  if (kron2 || scalarEnds) {
    const tight = (relUp === 'equal' || relUp === 'overlap') && realsAgree(lambdaEngine, upE);
    ctx.rowCells(
      'tightness',
      inline(formula(`\\lambda_{\\max} = ${toTex(upper)}`, `λ_max = ${toMarkdown(upper)}`), kron2 ? ' (depth 2)' : ' (d_0 = d_N = 1)'),
      inline(relationFormula(lambda, relationText(relUp), upD)),
      inline(relationFormula(lambdaEngine, relationText(compareReals(lambdaEngine, upE)), upE), LINE_BREAK, code('certifyLambdaMax(hessian())')),
      tight,
      tight ? (relUp === 'equal' ? 'equal, as proven' : 'equal to the digits computed') : 'the upper bound is not attained',
    );
  }
}

function relationTex(o: RealOrder, strictSymbol: boolean): string {
  if (o === 'less') return strictSymbol ? '<' : '\\le';
  if (o === 'equal') return '=';
  if (o === 'greater') return '>';
  return '\\approx';
}
