/**
 * `dln-hessian derive` end to end (in process): the document on stdout or in a file (format from
 * the extension), the values it states for examples with known answers (docs/math.md §2–3), exit code 2
 * with no file on bad input, and exit code 1 with no file when a check disagrees.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

/** When set, the engine's dense Hessian blocks are sabotaged: one entry of H_21 off by 1/2. */
const mockEngine = { sabotage: false };

jest.mock('../../src/hessian/dense.js', () => {
  const real = jest.requireActual<typeof import('../../src/hessian/dense.js')>('../../src/hessian/dense.js');
  const { Rational } = jest.requireActual<typeof import('../../src/field/rational.js')>('../../src/field/rational.js');
  const { fromColumnMajor } = jest.requireActual<typeof import('../../src/linalg/matrix.js')>('../../src/linalg/matrix.js');
  return {
    ...real,
    hessianBlocks: (...args: Parameters<typeof real.hessianBlocks>) => {
      const blocks = real.hessianBlocks(...args);
      const B = blocks[1]?.[0];
      if (!mockEngine.sabotage || B === undefined) return blocks;
      const data = B.data.slice();
      data[0] = (data[0] as InstanceType<typeof Rational>).add(new Rational(1n, 2n)) as (typeof data)[number];
      (blocks[1] as (typeof B)[])[0] = fromColumnMajor(B.rows, B.cols, data);
      return blocks;
    },
  };
});

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'dln-derive-cli-'));

describe('dln-hessian derive', () => {
  test('Markdown on stdout: the depth-2 document states the known λ_max and the tight bound', () => {
    const r = run('derive', '--depth', '2');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# The Hessian of deep matrix factorization, depth 2 (widths 2, 2, 2)\n')).toBe(true);
    // Built-in depth-2 instance: W_1 = Q_1 diag(2, ½) Q_0ᵀ, W_2 = Q_2 diag(¼, 4) Q_1ᵀ with orthogonal Q_k,
    // so ‖W_1‖₂² = 4, ‖W_2‖₂² = 16 and (Kronecker sum, docs/math.md §3) λ_max = 4 + 16 = 20.
    expect(r.stdout).toContain('| `λ_max(K)` | `20` | `20`<br>`certifyLambdaMax(reducedProblem())` | yes (exact) |');
    expect(r.stdout).toMatch(/\| `λ_max = Σ_\{i=1\}\^\{N\} ‖A_i‖₂²‖B_i‖₂²` \(depth 2\) \| `20 = 20` \|/);
    expect(r.stdout).not.toMatch(/\| NO/);
  });

  test('--out FILE.tex writes LaTeX (format from the extension) and prints a summary', () => {
    const file = join(dir, 'doc.tex');
    const r = run('derive', '--depth', '3', '--out', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/derive: \d+ chains \(\d+ equalities\), 80 identity checks and \d+ table rows agree; wrote .*doc\.tex \(tex\)/);
    const tex = readFileSync(file, 'utf8');
    expect(tex.startsWith('\\documentclass[11pt]{article}')).toBe(true);
    expect(tex.trimEnd().endsWith('\\end{document}')).toBe(true);
    // docs/math.md §3 counterexample structure (diag(2,½), diag(¼,4), diag(2,½) up to orthogonal factors): 16 < 33/2 < 24.
    expect(tex).toContain('So $16 < \\lambda_{\\max} = \\frac{33}{2}$ (the lower bound is strict) and $\\lambda_{\\max} < 24$');
  });

  test('a scalar-chain model: the mathjs Hessian evaluated at w = (1, 2, 3), m = 6 is the hand-computed one', () => {
    // L = ½(w1 w2 w3 − 6)², at (1, 2, 3) (a minimizer): H = g gᵀ with g = (6, 3, 2): λ_max = 49 (docs/math.md §3).
    const r = run('derive', '--model', 'example:scalar-chain-3', '--format', 'md');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(a zero-loss point)');
    const row = (a: number, b: number, value: number): void => expect(r.stdout).toContain(`| \`∂²L/∂w_${a}∂w_${b}\` (mathjs) | \`${value}\` | \`${value}\`<br>\`hessian()\` | yes (exact) |`);
    row(1, 1, 36);
    row(1, 2, 18);
    row(1, 3, 12);
    row(2, 2, 9);
    row(2, 3, 6);
    row(3, 3, 4);
    expect(r.stdout).toMatch(/\| `λ_max = [^`]*` at the minimizer \| `49` \| `49`/);
  });

  test('a model away from a minimizer with irrational λ_max: enclosures agree to the digits computed', () => {
    const r = run('derive', '--model', 'example:dmf-nonminimizer-depth2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The worked instance is not one');
    expect(r.stdout).toMatch(/\| `λ_max\(K\)` \| `\d+\.\d{20,}…` \|/);
    expect(r.stdout).toContain('yes (equal to the digits computed)');
  });

  test('a model with data', () => {
    const file = join(dir, 'data.md');
    const r = run('derive', '--model', 'example:dln-data-depth2', '--data', '--out', file);
    expect(r.code).toBe(0);
    const md = readFileSync(file, 'utf8');
    expect(md).toContain('L = \\frac{1}{2 n} \\|P X - Y\\|_F^2');
    expect(md).toContain('R &= \\frac{1}{n} \\left(P X - Y\\right) X^{\\top}');
    expect(md).not.toMatch(/\| NO/);
  });

  test('"reduction": "sum" puts c = 2 in every formula and doubles the eigenvalues', () => {
    // docs/math.md §2: w = (1, 2), m = 2 has H = [[4, 2], [2, 1]] and λ_max = 5 in the ½ convention; without ½, twice that.
    const model = join(dir, 'sum.json');
    writeFileSync(model, JSON.stringify({ weights: [[[1]], [[2]]], target: [[2]], reduction: 'sum' }));
    const r = run('derive', '--model', model);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\\frac{\\partial L}{\\partial W_i} = 2 A_{i}^{\\top} R B_{i}^{\\top}');
    expect(r.stdout).toMatch(/\| `∂²L\/∂w_1∂w_1` \(mathjs\) \| `8` \|/);
    expect(r.stdout).toMatch(/\| `∂²L\/∂w_1∂w_2` \(mathjs\) \| `4` \|/);
    expect(r.stdout).toMatch(/\| `∂²L\/∂w_2∂w_2` \(mathjs\) \| `2` \|/);
    expect(r.stdout).toContain('| `λ_max(K)` | `10` |');
  });

  test('--format html writes a self-contained page', () => {
    const file = join(dir, 'page.out');
    const r = run('derive', '--depth', '2', '--format', 'html', '--out', file);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('src:url(data:font/woff2;base64,');
    expect(html).not.toContain('katex-error');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  describe('bad input: exit 2, a message naming the problem, no file', () => {
    const cases: [string, string[], RegExp][] = [
      ['no depth', [], /give --depth N/],
      ['widths of the wrong length', ['--depth', '3', '--widths', '2,2,2'], /--widths: depth 3 needs 4 widths d_0,...,d_3, got 3/],
      ['malformed widths', ['--depth', '2', '--widths', '2,x,2'], /--widths expects positive integers/],
      ['zero width', ['--depth', '2', '--widths', '2,0,2'], /d_1 must be at least 1/],
      ['depth against the model', ['--depth', '3', '--model', 'example:scalar-chain-2'], /--depth 3 does not match the model example:scalar-chain-2, which has depth 2 \(widths 1, 1, 1\)/],
      ['widths against the model', ['--widths', '1,2,1', '--model', 'example:scalar-chain-2'], /--widths 1, 2, 1 do not match the model example:scalar-chain-2, which has widths 1, 1, 1/],
      ['--data with a DMF model', ['--data', '--model', 'example:scalar-chain-2'], /--data: the model example:scalar-chain-2 is a deep matrix factorization/],
      ['unknown format', ['--depth', '2', '--format', 'pdf'], /--format must be one of md, tex, html, got "pdf"/],
      ['unknown architecture', ['--depth', '2', '--arch', 'two-layer-relu'], /--arch: unknown architecture "two-layer-relu" \(available: deep-linear, two-layer\)/],
      ['above the parameter limit', ['--depth', '3', '--widths', '6,6,6,6'], /108 parameters .* above the limit of 64/],
      ['above the depth limit', ['--depth', '9'], /--depth must be between 1 and 8, got 9/],
      ['missing model file', ['--model', join(dir, 'nope.json')], /nope\.json/],
    ];
    for (const [name, args, message] of cases) {
      test(name, () => {
        const file = join(dir, `bad-${name.replace(/\W+/g, '-')}.md`);
        const r = run('derive', ...args, '--out', file);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(existsSync(file)).toBe(false);
      });
    }

    test('an output path that cannot be written', () => {
      const file = join(dir, 'no-such-dir', 'doc.md');
      const r = run('derive', '--depth', '2', '--out', file);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no-such-dir/);
      expect(existsSync(file)).toBe(false);
    });

    test('a malformed model file', () => {
      const model = join(dir, 'bad.json');
      writeFileSync(model, '{"weights": [[[1, 2]]], "target": [[1]]');
      const r = run('derive', '--model', model);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/bad\.json/);
    });
  });

  test('a disagreement between the derivation and the engine is exit 1, with no file', () => {
    mockEngine.sabotage = true;
    try {
      const file = join(dir, 'sabotaged.md');
      const r = run('derive', '--depth', '2', '--out', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/H_21: the derivation and the engine disagree/);
      expect(r.stderr).toMatch(/no document was written/);
      expect(existsSync(file)).toBe(false);
    } finally {
      mockEngine.sabotage = false;
    }
  });
});
