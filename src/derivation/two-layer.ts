/**
 * The derivation document of a two-layer network `f(x) = W_2 σ(W_1 x)` (`docs/math.md §5`; arXiv 2010.04261,
 * "Dissecting Hessian"): setup, gradient, the second directional derivative, every Hessian block
 * (with the `σ''` and residual terms), the activation's derivatives and what happens at a ReLU kink,
 * the layer-wise Kronecker structure, and a worked instance with its verification table.
 *
 * Checks: on an exact instance (squared loss with identity, quadratic or ReLU away from kinks) the
 * loss, gradient and every Hessian entry of the engine (src/twolayer) are compared exactly with
 * mathjs's symbolic derivatives of the loss written out from its definition (up to 24 parameters;
 * above, with the exact matrix-free Hessian–vector product); on a float instance (cross-entropy,
 * tanh, sigmoid) with central finite differences of the loss within their error bound.
 */
import type { MathNode } from 'mathjs';
import { F64, Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { LimitError } from '../hessian/limits.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { at, generate, map, type Matrix } from '../linalg/matrix.js';
import { loadNetwork } from '../families/registry.js';
import { twoLayerHessian, twoLayerHessianBlocks } from '../twolayer/dense.js';
import { twoLayerHessianVectorProduct } from '../twolayer/hvp.js';
import { supportsExact, toFloat64TwoLayer, twoLayerDims, type TwoLayerModel } from '../twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from '../twolayer/point.js';
import { CheckLedger } from './checks.js';
import { code, countFormulas, display, formula, heading, inline, list, paragraph, valueInline, type Block, type DerivationDocument, type Formula, type Inline } from './document.js';
import { loadMathjs } from './mathjs.js';
import { derivationCoefficient, DERIVE_LIMITS, DerivationInputError, type DeriveRequest } from './request.js';
import type { DerivationResult } from './result.js';
import { matrixFormula, rationalFormula } from './values.js';

/** Largest exact instance checked against mathjs's symbolic Hessian (above: the exact HVP). */
const MAX_SYMBOLIC_PARAMS = 24;

const f = formula;

/** The built-in instance: quadratic activation (exact, with a nonzero `σ''` term), squared loss, n = 3. */
function builtinTwoLayer(widths: readonly number[]): TwoLayerModel<Rational> {
  const [d, h, c] = widths as [number, number, number];
  const n = 3;
  const values = [-3n, -2n, -1n, 1n, 2n, 3n];
  const entry = (layer: number, i: number, j: number): Rational => new Rational(values[(7 * i + 3 * j + 5 * layer + 2 * i * j) % 6] ?? 1n, 2n);
  return {
    kind: 'two-layer',
    activation: 'quadratic',
    loss: 'squared',
    weights: [generate(h, d, (i, j) => entry(1, i, j)), generate(c, h, (i, j) => entry(2, i, j))],
    data: { inputs: generate(d, n, (i, j) => entry(3, i, j)), targets: { kind: 'values', values: generate(c, n, (i, j) => entry(4, i, j)) } },
    reduction: 'half',
    name: 'built-in two-layer instance',
  };
}

function instanceOf(req: DeriveRequest): { model: TwoLayerModel<Rational>; source: string | null } {
  if (req.modelSource !== undefined) {
    const any = loadNetwork(req.modelSource).model;
    if (any.family !== 'two-layer') throw new DerivationInputError(`--arch two-layer needs a two-layer model file ("kind": "two-layer"); ${req.modelSource} is a deep linear network`);
    return { model: any.model, source: req.modelSource };
  }
  if (req.depth !== undefined && req.depth !== 2) throw new DerivationInputError(`--arch two-layer: a two-layer network has depth 2, got --depth ${req.depth}`);
  const widths = req.widths ?? [2, 2, 1];
  if (widths.length !== 3) throw new DerivationInputError(`--arch two-layer: --widths gives d,h,c (three widths), got ${widths.length}`);
  return { model: builtinTwoLayer(widths), source: null };
}

/** Variable names of θ in order: `u{i}_{j}` for `(W_1)_{ij}`, `v{a}_{i}` for `(W_2)_{ai}` (0-based). */
function variableNames(d: number, h: number, c: number): string[] {
  const out: string[] = [];
  for (let j = 0; j < d; j++) for (let i = 0; i < h; i++) out.push(`u${i}_${j}`);
  for (let i = 0; i < h; i++) for (let a = 0; a < c; a++) out.push(`v${a}_${i}`);
  return out;
}

/** The loss written out from its definition as mathjs text (squared loss; ReLU through the instance's active set). */
function lossText(m: TwoLayerModel<Rational>): string {
  const [W1, W2] = m.weights;
  const X = m.data.inputs;
  const t = m.data.targets;
  if (t.kind !== 'values') throw new Error('squared loss expected');
  const lit = (x: Rational): string => `(${x.toString()})`;
  const terms: string[] = [];
  for (let s = 0; s < X.cols; s++) {
    const act = Array.from({ length: W1.rows }, (_, i) => {
      const z = Array.from({ length: W1.cols }, (_, j) => `u${i}_${j}*${lit(at(X, j, s))}`).join(' + ');
      if (m.activation === 'identity') return `(${z})`;
      if (m.activation === 'quadratic') return `(${z})^2`;
      let zv = Rational.ZERO;
      for (let j = 0; j < W1.cols; j++) zv = zv.add(at(W1, i, j).mul(at(X, j, s)));
      return zv.sign() > 0 ? `(${z})` : '0';
    });
    for (let a = 0; a < W2.rows; a++) terms.push(`(${act.map((x, i) => `v${a}_${i}*${x}`).join(' + ')} - ${lit(at(t.values, a, s))})^2`);
  }
  return `${derivationCoefficient(m.reduction, { samples: X.cols, outputs: W2.rows })}/(2*${X.cols}) * (${terms.join(' + ')})`;
}

/** The loss at θ from the definition, in binary64 (for finite differences). */
function referenceLoss(m: TwoLayerModel<number>, theta: readonly number[]): number {
  const [W1, W2] = m.weights;
  const h = W1.rows;
  const d = W1.cols;
  const c = W2.rows;
  const X = m.data.inputs;
  const sigma = (z: number): number =>
    m.activation === 'identity' ? z : m.activation === 'relu' ? Math.max(0, z) : m.activation === 'tanh' ? Math.tanh(z) : m.activation === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z * z;
  let total = 0;
  for (let s = 0; s < X.cols; s++) {
    const a = Array.from({ length: h }, (_, i) => sigma(Array.from({ length: d }, (_, j) => (theta[i + h * j] as number) * at(X, j, s)).reduce((x, y) => x + y, 0)));
    const out = Array.from({ length: c }, (_, k) => a.reduce((acc, ai, i) => acc + (theta[h * d + k + c * i] as number) * ai, 0));
    const t = m.data.targets;
    if (t.kind === 'values') total += (derivationCoefficient(m.reduction, { samples: X.cols, outputs: W2.rows }) / 2) * out.reduce((acc, o, k) => acc + (o - at(t.values, k, s)) ** 2, 0);
    else {
      const mx = Math.max(...out);
      total += mx + Math.log(out.reduce((acc, o) => acc + Math.exp(o - mx), 0)) - (out[t.labels[s] as number] as number);
    }
  }
  return total / X.cols;
}

function fmt(x: number): string {
  return x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(10))) : x.toExponential(6);
}

function numberCell(x: number): Inline {
  const s = fmt(x);
  return valueInline({ tex: s.replace(/e([+-]?\d+)/, '\\times 10^{$1}'), text: s });
}

function cellText(text: string): Inline[] {
  return inline(text);
}

function activationRows(act: TwoLayerModel<Rational>['activation']): Formula {
  switch (act) {
    case 'identity':
      return f("\\sigma(z) = z,\\quad \\sigma'(z) = 1,\\quad \\sigma''(z) = 0", "σ(z) = z, σ'(z) = 1, σ''(z) = 0");
    case 'quadratic':
      return f("\\sigma(z) = z^2,\\quad \\sigma'(z) = 2z,\\quad \\sigma''(z) = 2", "σ(z) = z², σ'(z) = 2z, σ''(z) = 2");
    case 'relu':
      return f("\\sigma(z) = \\max(z, 0),\\quad \\sigma'(z) = [z > 0]\\ (z \\neq 0),\\quad \\sigma''(z) = 0\\ (z \\neq 0)", "σ(z) = max(z, 0), σ'(z) = [z > 0] (z ≠ 0), σ''(z) = 0 (z ≠ 0)");
    case 'tanh':
      return f("\\sigma(z) = \\tanh z,\\quad \\sigma' = 1 - \\sigma^2,\\quad \\sigma'' = -2\\sigma(1 - \\sigma^2)", "σ(z) = tanh z, σ' = 1 − σ², σ'' = −2σ(1 − σ²)");
    case 'sigmoid':
      return f("\\sigma(z) = \\frac{1}{1 + e^{-z}},\\quad \\sigma' = \\sigma(1 - \\sigma),\\quad \\sigma'' = \\sigma(1 - \\sigma)(1 - 2\\sigma)", "σ(z) = 1/(1 + e^{−z}), σ' = σ(1 − σ), σ'' = σ(1 − σ)(1 − 2σ)");
  }
}

/** Builds the two-layer document (see the module comment). */
export function twoLayerDocument(req: DeriveRequest): DerivationResult {
  const { model, source } = instanceOf(req);
  const { d, h, c, n, params, bias1, bias2 } = twoLayerDims(model);
  if (bias1 || bias2) {
    throw new DerivationInputError(
      'derive: the two-layer derivation document covers f(x) = W_2 σ(W_1 x) without biases; this model has biases. ' +
        'Its loss, gradient and every Hessian block (bias blocks included) are available from check, hessian, hessian-vector, spectrum and structure (docs/two-layer.md, "Biases")',
    );
  }
  if (params > DERIVE_LIMITS.maxParams) throw new LimitError(`derive: the instance has ${params} parameters; the document limit is ${DERIVE_LIMITS.maxParams}`);
  if (n > DERIVE_LIMITS.maxSamples) throw new LimitError(`derive: the instance has ${n} samples; the document limit is ${DERIVE_LIMITS.maxSamples}`);
  const exact = supportsExact(model);
  const ledger = new CheckLedger();
  const blocks: Block[] = [];
  const ce = model.loss === 'cross-entropy';
  const kappa = model.loss === 'squared' ? String(derivationCoefficient(model.reduction, { samples: n, outputs: c })) : '1';

  // 1. Setup.
  blocks.push(
    heading(1, '1. Setup'),
    paragraph(
      'A two-layer network ',
      f('f(x) = W_2\\,\\sigma(W_1 x)', 'f(x) = W_2 σ(W_1 x)'),
      ' with ',
      f('W_1 \\in \\mathbb{R}^{h \\times d}', 'W_1 ∈ ℝ^{h×d}'),
      ', ',
      f('W_2 \\in \\mathbb{R}^{c \\times h}', 'W_2 ∈ ℝ^{c×h}'),
      ` (here d = ${d}, h = ${h}, c = ${c}), samples `,
      f('x_s', 'x_s'),
      ` as the columns of X (n = ${n}), activation ${model.activation} and `,
      ce ? 'the mean softmax cross-entropy' : 'the squared loss',
      ':',
    ),
    display(
      ce
        ? f('L = \\frac{1}{n} \\sum_{s=1}^{n} \\ell_s,\\qquad \\ell_s = \\log \\sum_{a} e^{f_a(x_s)} - f_{y_s}(x_s)', 'L = (1/n) Σ_s ℓ_s, ℓ_s = log Σ_a e^{f_a(x_s)} − f_{y_s}(x_s)')
        : f(`L = \\frac{1}{n} \\sum_{s=1}^{n} \\ell_s,\\qquad \\ell_s = \\frac{\\kappa}{2}\\|f(x_s) - y_s\\|^2,\\ \\kappa = ${kappa}`, `L = (1/n) Σ_s ℓ_s, ℓ_s = (κ/2)‖f(x_s) − y_s‖², κ = ${kappa}`),
    ),
    paragraph('Per sample: pre-activations, activations, the loss derivative and curvature with respect to the output, and the activation slopes:'),
    display(
      f(
        "z_s = W_1 x_s,\\quad \\sigma_s = \\sigma(z_s),\\quad r_s = \\frac{\\partial \\ell_s}{\\partial f},\\quad A_s = \\frac{\\partial^2 \\ell_s}{\\partial f^2},\\quad D_s = \\operatorname{diag} \\sigma'(z_s)",
        "z_s = W_1 x_s, σ_s = σ(z_s), r_s = ∂ℓ_s/∂f, A_s = ∂²ℓ_s/∂f², D_s = diag σ'(z_s)",
      ),
    ),
    paragraph(
      ce ? 'For softmax cross-entropy ' : 'For the squared loss ',
      ce
        ? f('r_s = p_s - e_{y_s},\\ A_s = \\operatorname{diag}(p_s) - p_s p_s^{\\top},\\ p_s = \\operatorname{softmax}(f(x_s))', 'r_s = p_s − e_{y_s}, A_s = diag(p_s) − p_s p_sᵀ, p_s = softmax(f(x_s))')
        : f('r_s = \\kappa(f(x_s) - y_s),\\ A_s = \\kappa I_c', 'r_s = κ(f(x_s) − y_s), A_s = κ I_c'),
      '. Conventions (docs/math.md §1): column-major ',
      f('\\operatorname{vec}', 'vec'),
      ', ',
      f('\\theta = (\\operatorname{vec} W_1, \\operatorname{vec} W_2)', 'θ = (vec W_1, vec W_2)'),
      ', and ',
      f('\\operatorname{vec}(A U B) = (B^{\\top} \\otimes A) \\operatorname{vec} U', 'vec(AUB) = (Bᵀ ⊗ A) vec U'),
      '.',
    ),
  );

  // 2. Gradient.
  blocks.push(
    heading(1, '2. Gradient'),
    paragraph('Along a direction ', f('(U_1, U_2)', '(U_1, U_2)'), ' the output moves by'),
    display(f("\\delta f_s = U_2 \\sigma_s + W_2 D_s U_1 x_s,\\qquad \\delta^2 f_s = 2\\, U_2 D_s U_1 x_s + W_2\\big(\\sigma''(z_s) \\odot (U_1 x_s)^{\\odot 2}\\big)", "δf_s = U_2 σ_s + W_2 D_s U_1 x_s, δ²f_s = 2 U_2 D_s U_1 x_s + W_2 (σ''(z_s) ⊙ (U_1 x_s)^{⊙2})")),
    paragraph('so ', f('\\delta \\ell_s = r_s^{\\top} \\delta f_s', 'δℓ_s = r_sᵀ δf_s'), ' and, reading off the coefficients of ', f('U_1', 'U_1'), ' and ', f('U_2', 'U_2'), ':'),
    display(f("\\frac{\\partial L}{\\partial W_2} = \\frac{1}{n} \\sum_s r_s \\sigma_s^{\\top},\\qquad \\frac{\\partial L}{\\partial W_1} = \\frac{1}{n} \\sum_s \\big(\\sigma'(z_s) \\odot W_2^{\\top} r_s\\big) x_s^{\\top}", "∂L/∂W_2 = (1/n) Σ_s r_s σ_sᵀ, ∂L/∂W_1 = (1/n) Σ_s (σ'(z_s) ⊙ W_2ᵀ r_s) x_sᵀ")),
  );

  // 3. Hessian.
  blocks.push(
    heading(1, '3. Hessian blocks'),
    paragraph('The second directional derivative is'),
    display(f('\\delta^2 \\ell_s = \\delta f_s^{\\top} A_s\\, \\delta f_s + r_s^{\\top} \\delta^2 f_s', 'δ²ℓ_s = δf_sᵀ A_s δf_s + r_sᵀ δ²f_s')),
    paragraph('The first term is the Gauss–Newton part; the second holds the ', f("\\sigma''", "σ''"), ' term (on the ', f('W_1', 'W_1'), ' block) and the residual cross term ', f('2\\,r_s^{\\top} U_2 D_s U_1 x_s', '2 r_sᵀ U_2 D_s U_1 x_s'), '. With ', f('\\operatorname{vec}(U_1 x_s) = (x_s^{\\top} \\otimes I_h) \\operatorname{vec} U_1', 'vec(U_1 x_s) = (x_sᵀ ⊗ I_h) vec U_1'), ':'),
    display(f("H_{11} = \\frac{1}{n} \\sum_s (x_s x_s^{\\top}) \\otimes M_s,\\qquad M_s = D_s W_2^{\\top} A_s W_2 D_s + \\operatorname{diag}\\big(W_2^{\\top} r_s \\odot \\sigma''(z_s)\\big)", "H_11 = (1/n) Σ_s (x_s x_sᵀ) ⊗ M_s, M_s = D_s W_2ᵀ A_s W_2 D_s + diag(W_2ᵀ r_s ⊙ σ''(z_s))")),
    display(f("(H_{12})_{(i,j),(a,b)} = \\frac{1}{n} \\sum_s x_{js}\\, \\sigma'(z_s)_i \\big[(W_2^{\\top} A_s)_{ia}\\, \\sigma_{bs} + r_{as}\\, \\delta_{bi}\\big]", "(H_12)_{(i,j),(a,b)} = (1/n) Σ_s x_{js} σ'(z_s)_i [(W_2ᵀ A_s)_{ia} σ_{bs} + r_{as} δ_{bi}]")),
    display(f('H_{22} = \\frac{1}{n} \\sum_s (\\sigma_s \\sigma_s^{\\top}) \\otimes A_s', 'H_22 = (1/n) Σ_s (σ_s σ_sᵀ) ⊗ A_s')),
    paragraph('Row ', f('(i, j)', '(i, j)'), ' of a block is the column-major index ', f('i + h\\,j', 'i + h·j'), ' of ', f('(W_1)_{ij}', '(W_1)_{ij}'), ' (', f('a + c\\,b', 'a + c·b'), ' for ', f('(W_2)_{ab}', '(W_2)_{ab}'), '). The full Hessian is ', f('\\begin{bmatrix} H_{11} & H_{12} \\\\ H_{12}^{\\top} & H_{22} \\end{bmatrix}', '[[H_11, H_12], [H_12ᵀ, H_22]]'), '.'),
  );

  // 4. Activation.
  blocks.push(
    heading(1, '4. The activation'),
    display(activationRows(model.activation)),
    paragraph(
      exact
        ? 'With this activation and the squared loss every quantity above is a rational function of the entries, so the loss, gradient and Hessian of the worked instance are exact rationals. '
        : 'With this activation or loss the formulas need exp, so the worked instance is computed in binary64. ',
      model.activation === 'relu'
        ? "At a kink, a pre-activation exactly 0, σ' is not defined and the loss has no Hessian: exact arithmetic refuses (naming the sample and the unit); binary64 uses the convention σ'(0) = σ''(0) = 0 and warns."
        : '',
    ),
  );

  // 5. Structure.
  blocks.push(
    heading(1, '5. Layer-wise structure'),
    paragraph('Each layer block has the form ', f('H_l = \\frac{1}{n}\\sum_s (x_{l,s} x_{l,s}^{\\top}) \\otimes M_{l,s}', 'H_l = (1/n) Σ_s (x_{l,s} x_{l,s}ᵀ) ⊗ M_{l,s}'), ' (layer input ', f('x_{1,s} = x_s', 'x_{1,s} = x_s'), ', ', f('x_{2,s} = \\sigma_s', 'x_{2,s} = σ_s'), '; ', f('M_{2,s} = A_s', 'M_{2,s} = A_s'), '). The decoupling approximation of arXiv 2010.04261 replaces the mean of products by the product of means:'),
    display(f('H_l \\approx K_l = \\mathbb{E}[x_l x_l^{\\top}] \\otimes \\mathbb{E}[M_l]', 'H_l ≈ K_l = E[x_l x_lᵀ] ⊗ E[M_l]')),
    paragraph('(the paper writes ', f('\\mathbb{E}[M] \\otimes \\mathbb{E}[xx^{\\top}]', 'E[M] ⊗ E[xxᵀ]'), ' for row-major vec). It is exact when ', f('M_{l,s}', 'M_{l,s}'), ' does not depend on the sample: for ', f('H_{22}', 'H_22'), ' with the squared loss (', f('A_s = \\kappa I', 'A_s = κ I'), ') and for ', f('H_{11}', 'H_11'), ' with the identity activation (a deep linear network). ', ce ? 'With cross-entropy, ' : '', ce ? f('A_s \\mathbf{1} = 0', 'A_s 1 = 0') : '', ce ? ', so the Hessian annihilates every shift of all logits, and E[A] has rank at most c − 1.' : ''),
  );

  // 6. Worked instance.
  blocks.push(heading(1, '6. Worked instance and verification'));
  const [W1, W2] = model.weights;
  const shown: Inline[][] = [
    inline(f(`W_1 = ${matrixFormula(W1, W1.rows * W1.cols <= 24).tex}`, `W_1 = ${matrixFormula(W1, true).text}`)),
    inline(f(`W_2 = ${matrixFormula(W2, W2.rows * W2.cols <= 24).tex}`, `W_2 = ${matrixFormula(W2, true).text}`)),
    inline(f(`X = ${matrixFormula(model.data.inputs, model.data.inputs.data.length <= 24).tex}`, `X = ${matrixFormula(model.data.inputs, true).text}`)),
  ];
  const t = model.data.targets;
  if (t.kind === 'values') shown.push(inline(f(`Y = ${matrixFormula(t.values, t.values.data.length <= 24).tex}`, `Y = ${matrixFormula(t.values, true).text}`)));
  else shown.push(inline('labels (0-based) ', code(t.labels.join(', '))));
  blocks.push(paragraph(source === null ? 'The built-in instance (quadratic activation, squared loss):' : 'The instance ', ...(source === null ? [] : [code(source), ':'])), list(...shown));

  const rows: Block = { kind: 'table', header: ['quantity', 'from the derivation', 'from the engine', 'agrees'], rows: [] };
  const tableRows: Inline[][][] = [];
  const addRow = (name: string, quantity: string, derivation: Inline, engine: Inline, agrees: boolean, how: string): void => {
    ledger.row({ quantity: cellText(quantity), derivation: [derivation], engine: [engine], agrees, how }, name);
    tableRows.push([cellText(quantity), [derivation], [engine], cellText(agrees ? how : `NO (${how})`)]);
  };
  const vars = variableNames(d, h, c);
  if (exact) {
    const pt = prepareTwoLayerPoint(Q, model);
    const L = twoLayerLoss(pt);
    const g = twoLayerGradientVector(pt);
    const H = twoLayerHessian(pt);
    const { H11, H12, H22 } = twoLayerHessianBlocks(pt);
    let refLoss: Rational;
    let refGrad: Rational[];
    let refHess: Rational[][];
    let method: string;
    if (params <= MAX_SYMBOLIC_PARAMS) {
      const math = loadMathjs().create(loadMathjs().all ?? {}, { number: 'Fraction' });
      const scope: Record<string, unknown> = {};
      vars.forEach((name, k) => {
        scope[name] = math.fraction((k < h * d ? (W1.data[k] as Rational) : (W2.data[k - h * d] as Rational)).toString());
      });
      const Lx = math.parse(lossText(model));
      const ev = (node: MathNode): Rational => {
        const v = node.evaluate(scope) as { s: bigint; n: bigint; d: bigint } | number;
        if (typeof v === 'number') throw new Error('expected an exact fraction');
        return new Rational(v.s * v.n, v.d);
      };
      const first = vars.map((x) => math.derivative(Lx, x, { simplify: false }));
      refLoss = ev(Lx);
      refGrad = first.map(ev);
      refHess = first.map((dx) => vars.map((y) => ev(math.derivative(dx, y, { simplify: false }))));
      method = 'symbolic derivatives of the loss (mathjs, exact fractions)';
    } else {
      refLoss = L;
      refGrad = g;
      refHess = vars.map((_, j) => twoLayerHessianVectorProduct(pt, vars.map((__, k) => (k === j ? Rational.ONE : Rational.ZERO))));
      method = 'the exact matrix-free Hessian–vector product (columns H e_j)';
    }
    blocks.push(paragraph(`Every quantity below is exact. The derivation column comes from ${method}; the engine column from the closed forms of src/twolayer.`));
    addRow('loss', 'L', valueInline(rationalFormula(refLoss)), valueInline(rationalFormula(L)), refLoss.equals(L), 'exact');
    addRow('gradient', '∇L (all entries)', valueInline(f(`\\|\\nabla L\\|^2 = ${refGrad.reduce((s, x) => s.add(x.mul(x)), Rational.ZERO).toTex()}`, `‖∇L‖² = ${refGrad.reduce((s, x) => s.add(x.mul(x)), Rational.ZERO).toString()}`)), valueInline(f(`\\|\\nabla L\\|^2 = ${g.reduce((s, x) => s.add(x.mul(x)), Rational.ZERO).toTex()}`, `‖∇L‖² = ${g.reduce((s, x) => s.add(x.mul(x)), Rational.ZERO).toString()}`)), refGrad.every((x, k) => x.equals(g[k] as Rational)), 'exact, entry by entry');
    const p1 = h * d;
    const blockOf = (r0: number, c0: number, rr: number, cc: number): Matrix<Rational> => generate(rr, cc, (i, j) => (refHess[r0 + i] as Rational[])[c0 + j] as Rational);
    for (const [name, M, r0, c0] of [['H_11', H11, 0, 0], ['H_12', H12, 0, p1], ['H_22', H22, p1, p1]] as const) {
      const ref = blockOf(r0, c0, M.rows, M.cols);
      const ok = ref.data.every((x, k) => x.equals(M.data[k] as Rational));
      addRow(name, name, valueInline(matrixFormula(ref)), valueInline(matrixFormula(M)), ok, 'exact, entry by entry');
    }
    const fro = (M: Matrix<Rational>): Rational => M.data.reduce((s, x) => s.add(x.mul(x)), Rational.ZERO);
    // Kronecker structure of each layer block, exactly.
    const Sx1 = generate(d, d, (i, j) => {
      let s = Rational.ZERO;
      for (let k = 0; k < n; k++) s = s.add(at(pt.X, i, k).mul(at(pt.X, j, k)));
      return s.div(Rational.fromBigInt(BigInt(n)));
    });
    const Sx2 = generate(h, h, (i, j) => {
      let s = Rational.ZERO;
      for (let k = 0; k < n; k++) s = s.add(at(pt.A1, i, k).mul(at(pt.A1, j, k)));
      return s.div(Rational.fromBigInt(BigInt(n)));
    });
    const kap = Rational.fromBigInt(BigInt(derivationCoefficient(model.reduction, { samples: model.data.inputs.cols, outputs: model.weights[1].rows })));
    const K2 = generate(h * c, h * c, (r, col) => (r % c === col % c ? at(Sx2, Math.floor(r / c), Math.floor(col / c)).mul(kap) : Rational.ZERO));
    const e2 = fro(generate(K2.rows, K2.cols, (i, j) => at(H22, i, j).sub(at(K2, i, j))));
    addRow('H_22 Kronecker', '‖H_22 − E[σσᵀ] ⊗ κI‖_F²', valueInline(rationalFormula(Rational.ZERO)), valueInline(rationalFormula(e2)), e2.isZero(), 'exact (A_s = κI for every sample)');
    if (model.activation === 'identity') {
      const G = generate(h, h, (i, k) => {
        let s = Rational.ZERO;
        for (let a = 0; a < c; a++) s = s.add(at(W2, a, i).mul(at(W2, a, k)));
        return s.mul(kap);
      });
      const K1 = generate(h * d, h * d, (r, col) => at(Sx1, Math.floor(r / h), Math.floor(col / h)).mul(at(G, r % h, col % h)));
      const e1 = fro(generate(K1.rows, K1.cols, (i, j) => at(H11, i, j).sub(at(K1, i, j))));
      addRow('H_11 Kronecker', '‖H_11 − E[xxᵀ] ⊗ E[M_1]‖_F²', valueInline(rationalFormula(Rational.ZERO)), valueInline(rationalFormula(e1)), e1.isZero(), 'exact (identity: a deep linear network)');
    }
    const eig = symmetricEigen(map(H, (x) => x.toNumber())).values;
    blocks.push(rows);
    blocks.push(paragraph('Eigenvalues of the full Hessian (binary64, from the exact matrix rounded once): ', code(eig.map(fmt).join(', ')), '.'));
  } else {
    const fm = toFloat64TwoLayer(model);
    const pt = prepareTwoLayerPoint(F64, fm);
    const theta = [...pt.W1.data, ...pt.W2.data];
    const Lref = referenceLoss(fm, theta);
    const L = twoLayerLoss(pt);
    const scaleL = Math.max(1, Math.abs(L));
    addRow('loss', 'L', numberCell(Lref), numberCell(L), Math.abs(L - Lref) <= 1e-12 * scaleL, 'to 12 digits');
    const g = twoLayerGradientVector(pt);
    const step = 1e-5;
    const fd = theta.map((_, i) => {
      const p = theta.slice();
      const m = theta.slice();
      p[i] = (p[i] as number) + step;
      m[i] = (m[i] as number) - step;
      return (referenceLoss(fm, p) - referenceLoss(fm, m)) / (2 * step);
    });
    const gErr = Math.max(...g.map((x, i) => Math.abs(x - (fd[i] as number))));
    const gScale = Math.max(1, ...g.map(Math.abs));
    addRow('gradient', 'max |∇L − central differences|', numberCell(0), numberCell(gErr), gErr <= 1e-7 * gScale, 'within the step-1e-5 error bound');
    const H = twoLayerHessian(pt);
    const e = 1e-3;
    let hErr = 0;
    for (let i = 0; i < params; i++)
      for (let j = i; j < params; j++) {
        const sh = (si: number, sj: number): number => {
          const tt = theta.slice();
          tt[i] = (tt[i] as number) + si * e;
          tt[j] = (tt[j] as number) + sj * e;
          return referenceLoss(fm, tt);
        };
        hErr = Math.max(hErr, Math.abs(at(H, i, j) - (sh(1, 1) - sh(1, -1) - sh(-1, 1) + sh(-1, -1)) / (4 * e * e)));
      }
    const hScale = Math.max(1, ...H.data.map(Math.abs));
    addRow('Hessian', 'max |H − four-point differences|', numberCell(0), numberCell(hErr), hErr <= 1e-4 * hScale, 'within the step-1e-3 error bound');
    const v = Array.from({ length: params }, (_, k) => Math.sin(k + 1));
    const hv = twoLayerHessianVectorProduct(pt, v);
    const dv = Array.from({ length: params }, (_, r) => v.reduce((s, x, k) => s + at(H, r, k) * x, 0));
    const hvErr = Math.max(...hv.map((x, k) => Math.abs(x - (dv[k] as number))));
    addRow('HVP', 'max |Hv (matrix-free) − Hv (dense)|', numberCell(0), numberCell(hvErr), hvErr <= 1e-12 * hScale * params, 'to rounding');
    blocks.push(paragraph('The instance needs exp, so it is computed in binary64; the derivation column evaluates the loss from its definition and differentiates it numerically.'));
    blocks.push(rows);
    blocks.push(paragraph('Eigenvalues of the full Hessian (binary64): ', code(symmetricEigen(H).values.map(fmt).join(', ')), '.'));
  }
  const table = { ...rows, rows: tableRows } as Block;
  const final = blocks.map((b) => (b === rows ? table : b));

  const failures = ledger.failures;
  const summary = failures.length === 0 ? 'all agree.' : `${failures.length} DISAGREE (see the verification table).`;
  const command =
    req.command ??
    ['dln-hessian derive --arch two-layer', ...(source !== null ? [`--model ${source}`] : req.widths !== undefined ? [`--widths ${req.widths.join(',')}`] : [])].join(' ');
  const intro: Block[] = [
    paragraph(
      'This document derives, in the conventions of docs/math.md §1 and §5, the gradient and every block of the Hessian of a two-layer network, the role of the activation, and the layer-wise Kronecker structure studied in arXiv 2010.04261. ',
      `The closed forms were compared on the worked instance of Section 6 with an independent computation (${ledger.rows.length} rows of the verification table): ${summary}`,
    ),
    paragraph('Generated by'),
    { kind: 'code', text: command },
  ];
  const document: DerivationDocument = {
    title: `The Hessian of a two-layer network (${model.activation}, ${model.loss}; d = ${d}, h = ${h}, c = ${c}, n = ${n})`,
    blocks: [...intro, ...final],
  };
  return { document, rows: ledger.rows, failures, stats: { chains: 0, equalities: 0, rows: ledger.rows.length, identities: 0, formulas: countFormulas(document) } };
}
