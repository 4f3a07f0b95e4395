/** generateMinimizer / randomTarget / exactSvd: every kind is an exact zero-loss point, balanced ones are balanced, errors are clear. */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at, equals, fromRows, generate, mul, transpose, type Matrix } from '../../src/linalg/matrix.js';
import { loss } from '../../src/hessian/gradient.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { preparePoint } from '../../src/hessian/point.js';
import { parseModel } from '../../src/models/load.js';
import { deepLinearModelText as serializeModel } from '../../src/families/model-writer.js';
import type { DmfModel } from '../../src/models/model.js';
import { exactNullspace, exactRank, exactSvd, pseudoInverse, rationalRoot } from '../../src/linalg/exact.js';
import { generateMinimizer, isBalanced, MinimizerError, ordinal, productOf, type MinimizerKind } from '../../src/generators/minimizers.js';
import { randomTarget } from '../../src/generators/random-target.js';
import { hasOrthonormalColumns } from '../../src/generators/orthogonal.js';
import { checkProperty } from '../support/property.js';
import { matrixOf, smallRational } from '../support/arbitraries.js';

const q = (s: string): Rational => Rational.parse(s);
const mat = (r: (string | number)[][]): Matrix<Rational> => fromRows(r.map((row) => row.map((x) => q(String(x)))));

function expectExactMinimizer(m: DmfModel<Rational>): void {
  expect(equals(Q, productOf(m.weights), m.target)).toBe(true);
  expect(loss(preparePoint(Q, specFromModel(m))).isZero()).toBe(true);
  expect(parseModel(serializeModel(m))).toEqual(m);
}

function isDiagonal(A: Matrix<Rational>): boolean {
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) if (i !== j && !at(A, i, j).isZero()) return false;
  return true;
}

const shapes = fc.record({
  rows: fc.integer({ min: 1, max: 4 }),
  cols: fc.integer({ min: 1, max: 4 }),
  depth: fc.integer({ min: 1, max: 4 }),
  deficit: fc.integer({ min: 0, max: 3 }),
  extra: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('every kind is an exact minimizer (property over seeds, shapes, ranks)', () => {
  const kinds: MinimizerKind[] = ['balanced', 'gl-orbit', 'random'];
  test.each(kinds)('%s: W_N⋯W_1 = M exactly, loss exactly 0, round trip through the file format', (kind) => {
    checkProperty(
      fc.property(shapes, ({ rows, cols, depth, deficit, extra, seed }) => {
        const rank = Math.max(0, Math.min(rows, cols) - deficit);
        const target = randomTarget({ rows, cols, rank, seed, exactBalanced: { depth } });
        expect(exactRank(target)).toBe(rank);
        // Hidden widths between rank and rank + 2 (bottlenecks and over-parameterization).
        const widths = [cols, ...Array.from({ length: depth - 1 }, (_, i) => Math.max(1, rank) + (extra[i] ?? 0)), rows];
        const g = generateMinimizer({ target, depth, widths, kind, seed, exact: true });
        expect(g.exact).toBe(true);
        expect(g.model.widths).toEqual(widths);
        expectExactMinimizer(g.model);
        if (kind === 'balanced') expect(isBalanced(g.model.weights)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  test('diagonal: diagonal factors with product M exactly, zeros in M included (property)', () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(fc.array(smallRational(5, 3), { minLength: n, maxLength: n }), fc.integer({ min: 1, max: 5 }), fc.nat())),
        ([d, depth, seed]) => {
          const n = d.length;
          const target = generate(n, n, (i, j) => (i === j ? (d[i] as Rational) : Rational.ZERO));
          const g = generateMinimizer({ target, depth, kind: 'diagonal', seed });
          expect(g.exact).toBe(true);
          expect(g.model.weights.every(isDiagonal)).toBe(true);
          expectExactMinimizer(g.model);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('balanced', () => {
  test('diag(8, 1), depth 3: exact, balanced, hidden factors mixed by a rational orthogonal matrix', () => {
    const g = generateMinimizer({ target: mat([[8, 0], [0, 1]]), depth: 3, kind: 'balanced', seed: 3 });
    expect(g.exact).toBe(true);
    expect(isBalanced(g.model.weights)).toBe(true);
    expect(g.model.weights.some((W) => !isDiagonal(W))).toBe(true);
    // W_i W_iᵀ has eigenvalues s^{2/N} = 4, 1: trace 5, determinant 4.
    for (const W of g.model.weights) {
      const G = mul(Q, W, transpose(W));
      expect(at(G, 0, 0).add(at(G, 1, 1)).toString()).toBe('5');
      expect(at(G, 0, 0).mul(at(G, 1, 1)).sub(at(G, 0, 1).mul(at(G, 1, 0))).toString()).toBe('4');
    }
    expectExactMinimizer(g.model);
    expect(g.model.description).toMatch(/balanced.*seed 3/);
  });

  test('a signed permutation times a diagonal is exact; rectangular and rank-deficient targets too', () => {
    const perm = generateMinimizer({ target: mat([[0, -8, 0], [27, 0, 0]]), depth: 3, kind: 'balanced', exact: true });
    expect(perm.exact).toBe(true);
    expect(isBalanced(perm.model.weights)).toBe(true);
    expectExactMinimizer(perm.model);
    const rank1 = generateMinimizer({ target: mat([[4, 0, 0], [0, 0, 0]]), depth: 2, widths: [3, 1, 2], kind: 'balanced', exact: true });
    expect(rank1.exact).toBe(true);
    expect(isBalanced(rank1.model.weights)).toBe(true);
    expectExactMinimizer(rank1.model);
    const zero = generateMinimizer({ target: mat([[0, 0], [0, 0]]), depth: 3, kind: 'balanced', exact: true });
    expect(zero.model.weights.every((W) => W.data.every((x) => x.isZero()))).toBe(true);
    expectExactMinimizer(zero.model);
  });

  test('diag(2, 1), depth 3: not rational; float64 fallback by default, a clear error when exact is required', () => {
    const M = mat([[2, 0], [0, 1]]);
    const g = generateMinimizer({ target: M, depth: 3, kind: 'balanced' });
    expect(g.exact).toBe(false);
    expect(g.notes.join(' ')).toMatch(/singular value 2 is not a perfect 3rd power/);
    const residual = /relative residual .* = ([0-9.e+-]+)/.exec(g.notes.join(' '));
    expect(residual).not.toBeNull();
    expect(Number(residual?.[1])).toBeLessThan(1e-14);
    expect(() => generateMinimizer({ target: M, depth: 3, kind: 'balanced', exact: true })).toThrow(
      /balanced minimizer of this target is not rational: singular value 2 is not a perfect 3rd power/,
    );
    try {
      generateMinimizer({ target: M, depth: 3, kind: 'balanced', exact: true });
    } catch (e) {
      expect(e).toBeInstanceOf(MinimizerError);
      expect((e as MinimizerError).code).toBe('not-rational');
    }
  });

  test('irrational singular values: named in the error; exact: false computes in float64 even for exact targets', () => {
    expect(() => generateMinimizer({ target: mat([[1, 1], [1, -1]]), depth: 2, kind: 'balanced', exact: true })).toThrow(/√\(2\).*irrational/);
    expect(() => generateMinimizer({ target: mat([[1, 1], [0, 1]]), depth: 2, kind: 'balanced', exact: true })).toThrow(/not rational/);
    const f = generateMinimizer({ target: mat([[4, 0], [0, 1]]), depth: 2, kind: 'balanced', exact: false });
    expect(f.notes.join(' ')).toMatch(/float64/);
  });

  test('depth 1 is W_1 = M', () => {
    const M = mat([[1, 1], [0, 1]]);
    const g = generateMinimizer({ target: M, depth: 1, kind: 'balanced', exact: true });
    expect(g.exact).toBe(true);
    expect(equals(Q, g.model.weights[0] as Matrix<Rational>, M)).toBe(true);
  });
});

describe('gl-orbit', () => {
  test('same product as the balanced start, different and unbalanced factors', () => {
    const target = randomTarget({ rows: 3, cols: 2, seed: 11, exactBalanced: { depth: 3 } });
    for (let seed = 0; seed < 10; seed++) {
      const start = generateMinimizer({ target, depth: 3, kind: 'balanced', seed });
      const g = generateMinimizer({ target, depth: 3, kind: 'gl-orbit', seed });
      expect(g.exact).toBe(true);
      expect(equals(Q, productOf(g.model.weights), productOf(start.model.weights))).toBe(true);
      expect(g.model.weights.some((W, i) => !equals(Q, W, start.model.weights[i] as Matrix<Rational>))).toBe(true);
      expectExactMinimizer(g.model);
    }
    const g = generateMinimizer({ target, depth: 3, kind: 'gl-orbit', seed: 1 });
    expect(isBalanced(g.model.weights)).toBe(false);
  });

  test('a target without a rational balanced minimizer starts from a random exact one', () => {
    const g = generateMinimizer({ target: mat([[2, 0], [0, 1]]), depth: 3, kind: 'gl-orbit', exact: true });
    expect(g.exact).toBe(true);
    expect(g.notes.join(' ')).toMatch(/random exact minimizer/);
    expectExactMinimizer(g.model);
  });
});

describe('random', () => {
  test('bottleneck widths below d_0 (rowspace(M) ⊆ rowspace(B)) and over-parameterized widths', () => {
    const M = mat([[1, 2, 3], [2, 4, 6]]);
    for (const widths of [[3, 1, 2], [3, 1, 1, 2], [3, 2, 1, 2], [3, 5, 4, 2]]) {
      for (let seed = 0; seed < 5; seed++) {
        const g = generateMinimizer({ target: M, depth: widths.length - 1, widths, kind: 'random', seed });
        expect(g.exact).toBe(true);
        expectExactMinimizer(g.model);
      }
    }
  });

  test('reproducible from the seed', () => {
    const M = mat([['1/2', 3], [-1, 0]]);
    const a = generateMinimizer({ target: M, depth: 3, kind: 'random', seed: 9 });
    const b = generateMinimizer({ target: M, depth: 3, kind: 'random', seed: 9 });
    expect(a.model).toEqual(b.model);
  });
});

describe('errors', () => {
  const M = mat([[1, 0], [0, 2]]);
  test.each([
    [{ depth: 0 }, /depth must be an integer N ≥ 1, got 0/],
    [{ depth: 2, widths: [2, 2] }, /expected N \+ 1 = 3 widths/],
    [{ depth: 2, widths: [3, 2, 2] }, /d_0 = 3 must equal the number of columns/],
    [{ depth: 2, widths: [2, 2, 1] }, /d_2 = 1 must equal the number of rows/],
    [{ depth: 3, widths: [2, 2, 1, 2] }, /hidden width d_2 = 1 is below rank\(M\) = 2/],
    [{ depth: 2, widths: [2, 0, 2] }, /d_1 must be a positive integer/],
  ])('%j', (opts, message) => {
    expect(() => generateMinimizer({ target: M, kind: 'random', ...opts })).toThrow(message);
  });

  test('unknown kind; diagonal needs a square diagonal target and equal widths', () => {
    expect(() => generateMinimizer({ target: M, depth: 2, kind: 'nope' as MinimizerKind })).toThrow(/unknown kind "nope"/);
    expect(() => generateMinimizer({ target: mat([[1, 2], [0, 1]]), depth: 2, kind: 'diagonal' })).toThrow(/diagonal target; entry \(1, 2\)/);
    expect(() => generateMinimizer({ target: mat([[1, 0, 0]]), depth: 2, kind: 'diagonal' })).toThrow(/square diagonal target/);
    expect(() => generateMinimizer({ target: M, depth: 2, widths: [2, 3, 2], kind: 'diagonal' })).toThrow(/equal widths/);
  });
});

describe('randomTarget and exactSvd', () => {
  test('rank as asked, reproducible, and exactSvd recovers singular values t_p^N', () => {
    for (let seed = 0; seed < 20; seed++) {
      const rows = 1 + (seed % 4);
      const cols = 1 + ((seed >> 2) % 4);
      const rank = Math.min(rows, cols) - (seed % 2);
      const N = 1 + (seed % 3);
      const M = randomTarget({ rows, cols, rank, seed, exactBalanced: { depth: N } });
      expect(equals(Q, M, randomTarget({ rows, cols, rank, seed, exactBalanced: { depth: N } }))).toBe(true);
      expect(exactRank(M)).toBe(rank);
      const res = exactSvd(M);
      expect(res.ok).toBe(true);
      if (!res.ok) continue;
      expect(res.svd.s.length).toBe(rank);
      expect(res.svd.s.every((s) => rationalRoot(s, N) !== undefined)).toBe(true);
      expect(hasOrthonormalColumns(res.svd.U) && hasOrthonormalColumns(res.svd.V)).toBe(true);
      const S = generate(rank, rank, (i, j) => (i === j ? (res.svd.s[i] as Rational) : Rational.ZERO));
      expect(equals(Q, mul(Q, mul(Q, res.svd.U, S), transpose(res.svd.V)), M)).toBe(true);
    }
    expect(() => randomTarget({ rows: 2, cols: 2, rank: 3, seed: 1 })).toThrow(/rank must be an integer in 0..2/);
  });

  test('rationalRoot, ordinal', () => {
    expect(rationalRoot(q('27/8'), 3)?.toString()).toBe('3/2');
    expect(rationalRoot(q('2'), 3)).toBeUndefined();
    expect(rationalRoot(q('-8'), 3)?.toString()).toBe('-2');
    expect(rationalRoot(q('-4'), 2)).toBeUndefined();
    expect(rationalRoot(q(String(3n ** 40n)), 8)?.toString()).toBe('243');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']);
  });

  test('pseudoInverse satisfies the Penrose conditions; null space vectors are annihilated (property)', () => {
    checkProperty(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })).chain(([m, n, k]) =>
          fc.tuple(matrixOf(m, k, smallRational(3, 2)), matrixOf(k, n, smallRational(3, 2))),
        ),
        ([C, F]) => {
          const A = mul(Q, C, F);
          const P = pseudoInverse(A);
          expect(equals(Q, mul(Q, mul(Q, A, P), A), A)).toBe(true);
          expect(equals(Q, mul(Q, mul(Q, P, A), P), P)).toBe(true);
          const AP = mul(Q, A, P);
          const PA = mul(Q, P, A);
          expect(equals(Q, AP, transpose(AP)) && equals(Q, PA, transpose(PA))).toBe(true);
          const ns = exactNullspace(A);
          expect(ns.length).toBe(A.cols - exactRank(A));
          for (const v of ns) {
            const x = mul(Q, A, fromRows(v.map((e) => [e])));
            expect(x.data.every((e) => e.isZero())).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
