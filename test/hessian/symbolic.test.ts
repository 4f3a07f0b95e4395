/**
 * The closed-form Hessian, entry by entry, against mathjs's symbolic `derivative` of the polynomial
 * loss, evaluated exactly (mathjs configured with Fractions) at rational points. Nothing here uses the
 * engine's formulas: the loss is written out as text from the definition in docs/math.md §1.
 */
import { all, create, type MathNode } from 'mathjs';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at, fromRows, type Matrix } from '../../src/linalg/matrix.js';
import { gradientVector, hessian, loss, preparePoint, type NetworkSpec } from '../../src/hessian/index.js';

if (all === undefined) throw new Error('mathjs: the `all` factory bundle is missing');
const math = create(all, { number: 'Fraction' });

type Frac = { s: bigint; n: bigint; d: bigint };
const toRational = (f: Frac): Rational => new Rational(f.s * f.n, f.d);
const r = (s: string): Rational => Rational.parse(s);
const mat = (rows: string[][]): Matrix<Rational> => fromRows(rows.map((row) => row.map(r)));

/** Variable name of entry (row a, column b) of layer l (all 0-based), in θ order. */
function variables(spec: NetworkSpec<Rational>): { names: string[]; values: Map<string, Rational> } {
  const names: string[] = [];
  const values = new Map<string, Rational>();
  spec.weights.forEach((W, l) => {
    for (let b = 0; b < W.cols; b++)
      for (let a = 0; a < W.rows; a++) {
        const name = `w${l}_${a}_${b}`;
        names.push(name);
        values.set(name, at(W, a, b));
      }
  });
  return { names, values };
}

/** Symbolic matrix product on expression strings. */
function symMul(X: string[][], Y: string[][]): string[][] {
  return X.map((row) => (Y[0] as string[]).map((_, j) => `(${row.map((x, k) => `${x}*${(Y[k] as string[])[j]}`).join(' + ')})`));
}

function lossExpression(spec: NetworkSpec<Rational>): string {
  let P: string[][] | null = null;
  spec.weights.forEach((W, l) => {
    const S = Array.from({ length: W.rows }, (_, a) => Array.from({ length: W.cols }, (_, b) => `w${l}_${a}_${b}`));
    P = P === null ? S : symMul(S, P);
  });
  const Psym = P as unknown as string[][];
  const lit = (x: Rational): string => `(${x.toString()})`;
  const terms: string[] = [];
  let norm = '1/2';
  const obj = spec.objective;
  if (obj.kind === 'dmf') {
    Psym.forEach((row, a) => row.forEach((p, b) => terms.push(`(${p} - ${lit(at(obj.target, a, b))})^2`)));
  } else {
    const X = obj.inputs;
    const n = X.cols;
    norm = `1/(2*${n})`;
    for (let s = 0; s < n; s++)
      Psym.forEach((row, a) => {
        const px = row.map((p, k) => `${p}*${lit(at(X, k, s))}`).join(' + ');
        terms.push(`(${px} - ${lit(at(obj.targets, a, s))})^2`);
      });
  }
  // The reductions from their definitions (docs/conventions.md): half ½·mean over samples, sample-mean
  // mean over samples, sum Σ of all squares, mean over all entries of the residual.
  const n = obj.kind === 'dmf' ? 1 : obj.inputs.cols;
  const entries = obj.kind === 'dmf' ? obj.target.rows * obj.target.cols : obj.targets.rows * n;
  const sum = `(${terms.join(' + ')})`;
  switch (spec.reduction) {
    case 'half':
      return `${norm} * ${sum}`;
    case 'sample-mean':
      return `1/${n} * ${sum}`;
    case 'sum':
      return sum;
    case 'mean':
      return `1/${entries} * ${sum}`;
  }
}

function symbolicDerivatives(spec: NetworkSpec<Rational>): { loss: Rational; grad: Rational[]; hess: Rational[][] } {
  const { names, values } = variables(spec);
  const scope: Record<string, unknown> = {};
  values.forEach((v, k) => {
    scope[k] = math.fraction(v.toString());
  });
  const L = math.parse(lossExpression(spec));
  const evalExact = (node: MathNode): Rational => {
    const v = node.evaluate(scope) as Frac | number;
    if (typeof v === 'number') throw new Error('expected an exact Fraction');
    return toRational(v);
  };
  const first = names.map((x) => math.derivative(L, x, { simplify: false }));
  return {
    loss: evalExact(L),
    grad: first.map(evalExact),
    hess: first.map((dx) => names.map((y) => evalExact(math.derivative(dx, y, { simplify: false })))),
  };
}

function expectExactAgreement(spec: NetworkSpec<Rational>): void {
  const sym = symbolicDerivatives(spec);
  const pt = preparePoint(Q, spec);
  expect(loss(pt).toString()).toBe(sym.loss.toString());
  expect(gradientVector(pt).map(String)).toEqual(sym.grad.map(String));
  const H = hessian(pt);
  const engine = sym.hess.map((row, i) => row.map((_, j) => at(H, i, j).toString()));
  expect(engine).toEqual(sym.hess.map((row) => row.map(String)));
}

describe('exact Hessian equals the symbolic Hessian of the loss (mathjs derivative, Fractions)', () => {
  test('scalar chain w = (1, 2), m = 2 (docs/math.md §2: H = [[4,2],[2,1]])', () => {
    const spec: NetworkSpec<Rational> = {
      weights: [mat([['1']]), mat([['2']])],
      objective: { kind: 'dmf', target: mat([['2']]) },
      reduction: 'half',
    };
    expectExactAgreement(spec);
    const H = hessian(preparePoint(Q, spec));
    expect([0, 1].map((i) => [0, 1].map((j) => at(H, i, j).toString()))).toEqual([['4', '2'], ['2', '1']]);
  });

  test('scalar chain of depth 4 away from a minimizer', () => {
    expectExactAgreement({
      weights: [mat([['1/2']]), mat([['-3']]), mat([['2/3']]), mat([['5/4']])],
      objective: { kind: 'dmf', target: mat([['7/3']]) },
      reduction: 'half',
    });
  });

  test('2×2 layers, depth 2, non-minimizer, both loss scales', () => {
    for (const reduction of ['half', 'sample-mean', 'sum', 'mean'] as const) {
      expectExactAgreement({
        weights: [mat([['1', '-1/2'], ['2/3', '3']]), mat([['-2', '1/4'], ['1', '5/2']])],
        objective: { kind: 'dmf', target: mat([['1', '2'], ['-3', '1/2']]) },
        reduction,
      });
    }
  });

  test('with data, n = 3 samples, d_N = 2 outputs: every reduction (half, sample-mean, sum, mean)', () => {
    for (const reduction of ['half', 'sample-mean', 'sum', 'mean'] as const) {
      expectExactAgreement({
        weights: [mat([['1', '-1/2'], ['2/3', '3']]), mat([['-2', '1/4'], ['1', '5/2']])],
        objective: { kind: 'dln', inputs: mat([['1', '0', '2'], ['-1', '1/2', '1']]), targets: mat([['1', '2', '0'], ['-3', '1/2', '1']]) },
        reduction,
      });
    }
  });

  test('2×2 layers, depth 3, non-minimizer', () => {
    expectExactAgreement({
      weights: [mat([['1', '-1/2'], ['2/3', '3']]), mat([['-2', '1/4'], ['1', '5/2']]), mat([['1/3', '0'], ['-1', '2']])],
      objective: { kind: 'dmf', target: mat([['1', '2'], ['-3', '1/2']]) },
      reduction: 'half',
    });
  });

  test('rectangular widths 3 → 2 → 1 → 2', () => {
    expectExactAgreement({
      weights: [mat([['1', '0', '-1'], ['1/2', '2', '1']]), mat([['3', '-1/3']]), mat([['2'], ['-1/2']])],
      objective: { kind: 'dmf', target: mat([['1', '0', '2'], ['0', '1', '-1']]) },
      reduction: 'half',
    });
  });

  test('deep linear network with data (2 → 2 → 1, 3 samples)', () => {
    expectExactAgreement({
      weights: [mat([['1', '-1/2'], ['2/3', '3']]), mat([['-2', '1/4']])],
      objective: { kind: 'dln', inputs: mat([['1', '0', '2'], ['-1', '1/2', '1']]), targets: mat([['1', '-2', '1/3']]) },
      reduction: 'half',
    });
  });
});
