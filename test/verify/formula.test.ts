/** Formula parsing and static checks: accepted grammar, exact numbers, errors that point at a position. */
import { FormulaError } from '../../src/verify/formula-error.js';
import { parseFormula } from '../../src/verify/formula.js';
import { formatDim, type FormulaNode } from '../../src/verify/formula-tree.js';

function error(text: string): FormulaError {
  try {
    parseFormula(text);
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error(`expected "${text}" to be refused`);
}

/** The 1-based position in the message and the caret column must agree with `at` (0-based index in the text). */
function expectAt(e: FormulaError, at: number): void {
  expect(e.span.start).toBe(at);
  expect(e.message).toMatch(new RegExp(`at position ${at + 1}$`));
  const lines = e.describe().split('\n');
  expect(lines[2]?.indexOf('^')).toBe(at + 2);
}

describe('accepted formulas', () => {
  test.each([
    'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)',
    'N * norm2(M)^(2 - 2/N)',
    'maxLayers(i, norm2(A(i))^2 * norm2(B(i))^2)',
    'minLayers(j, fro(W(j)))',
    "norm2(W(2)' * W(2)) + fro(P - M)",
    'sigma(M, 1)^2 + sigma(M, min(d(0), d(N)))',
    'trace(transpose(M) * M) / N',
    'sqrt(abs(-2)) * max(1, 2, 3)',
    'sumLayers(i, sumLayers(j, norm2(W(i)) * norm2(W(j))))',
    'norm2(W(N) * W(N - 1))',
    'sumLayers(i, norm2(A(i) * W(i) * B(i)))',
    'norm2(M * M\')',
    '2 N',
    'norm2(M)^2',
  ])('%s', (text) => {
    const f = parseFormula(text);
    expect(f.root.type.kind).toBe('scalar');
    expect(f.source).toBe(text);
  });

  test('numbers are exact from their text: 0.5 is 1/2, 1e-3 is 1/1000, 0.1 is 1/10', () => {
    const f = parseFormula('0.5 + 1e-3 * 0.1');
    const r = f.root;
    if (r.op !== 'add') throw new Error('expected a sum');
    const left = r.left as FormulaNode & { op: 'const' };
    expect(left.value.toString()).toBe('1/2');
    const right = r.right;
    if (right.op !== 'mul' || right.left.op !== 'const' || right.right.op !== 'const') throw new Error('expected a product of constants');
    expect(right.left.value.toString()).toBe('1/1000');
    expect(right.right.value.toString()).toBe('1/10');
  });

  test('symbolic shapes: W(i) is d_i × d_{i-1}, A(i) is d_N × d_i, B(i) is d_{i-1} × d_0', () => {
    const f = parseFormula('sumLayers(i, norm2(A(i) * W(i) * B(i)))');
    if (f.root.op !== 'sumLayers' || f.root.body.op !== 'norm2') throw new Error('unexpected tree');
    const t = f.root.body.arg.type;
    if (t.kind !== 'matrix') throw new Error('expected a matrix');
    expect(formatDim(t.rows)).toBe('d_N');
    expect(formatDim(t.cols)).toBe('d_0');
  });
});

describe('refused formulas point at the problem', () => {
  test('unknown quantity', () => {
    const e = error('sumLayers(i, Q)');
    expect(e.reason).toBe('unknown quantity "Q"');
    expectAt(e, 13);
    expect(e.describe()).toContain('  sumLayers(i, Q)\n               ^');
  });

  test('unknown quantity in the middle of a longer formula', () => {
    const e = error('N * norm2(M) + foo');
    expect(e.reason).toBe('unknown quantity "foo"');
    expectAt(e, 15);
    expect(e.describe()).toContain('^~~');
  });

  test('unknown function, with the function list', () => {
    const e = error('N + norm(M)');
    expect(e.reason).toMatch(/^unknown function "norm" \(functions: d, W, A, B, norm2/);
    expectAt(e, 4);
  });

  test('the layer variable outside a reduction', () => {
    const e = error('norm2(W(i))');
    expect(e.reason).toMatch(/unknown quantity "i" \(layer variables exist only inside sumLayers/);
    expectAt(e, 8);
  });

  test('syntax errors carry mathjs positions', () => {
    const e = error('norm2(M) +');
    expect(e.reason).toMatch(/^syntax error: /);
    expectAt(e, 10);
    const e2 = error('norm2(M) 2 3 )');
    expect(e2.reason).toMatch(/^syntax error: /);
  });

  test('matrix where a scalar is needed and the other way round', () => {
    const e = error('M + 1');
    expect(e.reason).toMatch(/cannot add a d_N×d_0 matrix and a scalar/);
    expectAt(e, 2);
    const e2 = error('N + norm2(3)');
    expect(e2.reason).toMatch(/norm2 needs a matrix argument, got a scalar/);
    expectAt(e2, 10);
    const e3 = error('sqrt(M)');
    expect(e3.reason).toMatch(/sqrt needs a scalar argument/);
    const e4 = error('M');
    expect(e4.reason).toMatch(/the formula must be a scalar, but it is a d_N×d_0 matrix/);
    const e5 = error('1 / M');
    expect(e5.reason).toMatch(/cannot divide by/);
  });

  test('products whose shapes do not chain name the product and the shapes', () => {
    const e = error('norm2(W(1) * W(3))');
    expect(e.reason).toBe('shapes do not fit in the product W(1) * W(3): a d_1×d_0 matrix times a d_3×d_2 matrix');
    expectAt(e, 11);
    const e2 = error('sumLayers(i, norm2(W(i) * W(i)))');
    expect(e2.reason).toMatch(/a d_i×d_\{i - 1\} matrix times a d_i×d_\{i - 1\} matrix/);
    const e3 = error('fro(M - W(1))');
    expect(e3.reason).toMatch(/shapes do not fit in M - W\(1\)/);
    const e4 = error('trace(M)');
    expect(e4.reason).toMatch(/trace needs a square matrix/);
  });

  test('non-finite values and unsupported numbers', () => {
    expect(error('N * Infinity').reason).toMatch(/non-finite value "Infinity"/);
    expectAt(error('N * Infinity'), 4);
    expect(error('NaN').reason).toMatch(/non-finite value "NaN"/);
    expect(error('0x10 * N').reason).toMatch(/unsupported number "0x10"/);
  });

  test('constructs outside the language', () => {
    expect(error('M[1, 1]').reason).toMatch(/indexing or property access are not part of the formula language/);
    expect(error('N == 2').reason).toMatch(/operator "==" is not part of the formula language/);
    expectAt(error('N == 2'), 2);
    expect(error('x = 2').reason).toMatch(/assignments are not part of the formula language/);
    expect(error('"abc"').reason).toMatch(/strings/);
    expect(error('N!').reason).toMatch(/operator "!"/);
    expect(error('').reason).toMatch(/empty/);
  });

  test('bad arguments to reductions, indices and functions', () => {
    expect(error('sumLayers(2, N)').reason).toMatch(/must be a layer variable name/);
    expect(error('sumLayers(N, 1)').reason).toMatch(/"N" cannot be a layer variable/);
    expect(error('sumLayers(i, sumLayers(i, 1))').reason).toMatch(/already in use/);
    expect(error('sumLayers(i, W(i))').reason).toMatch(/sumLayers needs a scalar body/);
    expect(error('norm2(W(0))').reason).toMatch(/W\(0\): layers 1\.\.N take integer indices/);
    expect(error('norm2(W(1/2))').reason).toMatch(/integer indices/);
    expect(error('norm2(W(norm2(M)))').reason).toMatch(/must be exact/);
    expect(error('sigma(M, 0)').reason).toMatch(/k must be an integer ≥ 1/);
    expect(error('sigma(M)').reason).toMatch(/sigma takes 2 arguments, got 1/);
    expect(error('norm2(M)^norm2(M)').reason).toMatch(/must be exact/);
    expect(error('norm2(M^2)').reason).toMatch(/need not be square/);
    expect(error("norm2((M' * M)^100)").reason).toMatch(/a matrix power needs an integer exponent 0\.\.64, got 100/);
    expect(error('N + W').reason).toMatch(/"W" is a function: call it, e\.g\. W\(i\)/);
    expect(error('N(2)').reason).toMatch(/"N" is not a function/);
  });
});
