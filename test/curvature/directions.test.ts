/** Random directions and their second moments; user-given directions and their checks. */
import { checkDirections, directionGroups, sampleDirection, secondMoments, RANDOM_DISTRIBUTIONS } from '../../src/curvature/directions.js';
import { parseDirections } from '../../src/curvature/directions-file.js';
import { CurvatureInputError } from '../../src/curvature/errors.js';
import { createRng } from '../../src/random/rng.js';
import { dot } from '../../src/linalg/vectors.js';
import { dlnDepth3, originFixture } from './fixtures.js';

describe('random directions', () => {
  test('are deterministic given the seed and stream', () => {
    const { problem } = dlnDepth3();
    for (const d of RANDOM_DISTRIBUTIONS) {
      const a = sampleDirection(problem, d, createRng(9, 'x'));
      const b = sampleDirection(problem, d, createRng(9, 'x'));
      const c = sampleDirection(problem, d, createRng(9, 'y'));
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(Array.from(c));
    }
  });

  test('unit directions have norm 1; filter/layer directions have the norms of the rows/blocks of θ (Li et al. 2018)', () => {
    const { problem } = dlnDepth3();
    const u = sampleDirection(problem, 'unit', createRng(1));
    expect(dot(u, u)).toBeCloseTo(1, 14);
    for (const kind of ['filter', 'layer'] as const) {
      const d = sampleDirection(problem, kind, createRng(2));
      for (const g of directionGroups(problem, kind)) {
        const dn = g.indices.reduce((s, i) => s + (d[i] as number) ** 2, 0);
        const tn = g.indices.reduce((s, i) => s + (problem.theta[i] as number) ** 2, 0);
        expect(dn).toBeCloseTo(tn, 12);
      }
    }
    // W_1 is 3×2: its filters are its 3 rows (2 entries each, strided by 3 in column-major θ).
    const rows = directionGroups(problem, 'filter').filter((g) => g.name.startsWith('W_1'));
    expect(rows.map((g) => g.indices)).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  test('sample second moments E[η_i²] match secondMoments', () => {
    const { problem } = dlnDepth3();
    for (const kind of RANDOM_DISTRIBUTIONS) {
      const s = secondMoments(problem, kind);
      const rng = createRng(4);
      const acc = new Float64Array(problem.params);
      const S = 4000;
      for (let k = 0; k < S; k++) sampleDirection(problem, kind, rng).forEach((x, i) => (acc[i] = (acc[i] as number) + x * x / S));
      acc.forEach((m, i) => expect(Math.abs(m - (s[i] as number))).toBeLessThan(0.1 * Math.max(s[i] as number, 1e-9) + 1e-12));
    }
  });

  test('filter and layer directions vanish where θ does (the origin fixture)', () => {
    const { problem } = originFixture();
    const d = sampleDirection(problem, 'filter', createRng(1));
    expect(d.every((x) => x === 0)).toBe(true);
    expect(() => checkDirections([d], problem.params)).toThrow(/degenerate or zero directions/);
  });
});

describe('given directions', () => {
  const n = 4;
  const err = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(CurvatureInputError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  test('accepts an object, a list of lists and a single list', () => {
    expect(parseDirections('{"directions": [[1,0,0,0],[0,1,0,0]]}', n).length).toBe(2);
    expect(parseDirections('[[1,0,0,0]]', n).length).toBe(1);
    expect(Array.from(parseDirections('[1, 2.5, -3e-2, 0]', n)[0] ?? [])).toEqual([1, 2.5, -0.03, 0]);
  });

  test('rejects wrong lengths, non-numbers, non-finite, zero and parallel directions, naming the place', () => {
    expect(err(() => parseDirections('[[1,0,0]]', n, 'd.json'))).toMatch(/directions\[1\]: expected 4 entries .* got 3/);
    expect(err(() => parseDirections('[[1,0,0,"x"]]', n))).toMatch(/entry 4: expected a number/);
    expect(err(() => parseDirections('[[1,0,0,1e999]]', n))).toMatch(/entry 4 \(1e999\) is not finite/);
    expect(err(() => parseDirections('[[0,0,0,0]]', n))).toMatch(/directions\[1\]: degenerate or zero directions: this direction is zero/);
    expect(err(() => parseDirections('[[1,2,3,4],[-2,-4,-6,-8]]', n))).toMatch(/degenerate or zero directions: the two directions are parallel/);
    expect(err(() => parseDirections('[[1,0,0,0],[0,1,0,0],[0,0,1,0]]', n))).toMatch(/one or two directions, got 3/);
    expect(err(() => parseDirections('{"dirs": []}', n))).toMatch(/key "directions"/);
    expect(err(() => parseDirections('[[1,0,0,0],', n))).toMatch(/line 1, column/);
  });
});
