/** Landscape grids: values against exact evaluation, the quadratic model, ranges, data files. */
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { checkGridAndSpan, computeLandscape, quadraticModel } from '../../src/curvature/landscape.js';
import { parsePlotData, serializePlotData } from '../../src/curvature/data-files.js';
import { CurvatureInputError } from '../../src/curvature/errors.js';
import { loss } from '../../src/hessian/gradient.js';
import { preparePoint } from '../../src/hessian/point.js';
import { fromColumnMajor } from '../../src/linalg/matrix.js';
import { dlnDepth3, originFixture } from './fixtures.js';

describe('landscape', () => {
  test('grid values equal the exact loss at θ + αη + βδ (file plane with dyadic directions, so the points are exact)', () => {
    const { spec, problem } = dlnDepth3();
    const n = problem.params;
    const eta = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 5) / 4 - 0.5);
    const del = Float64Array.from({ length: n }, (_, i) => ((i * 3) % 4) / 8 - 0.125);
    const data = computeLandscape(problem, { plane: 'file', directions: [eta, del], grid: 5, span: 0.5 });
    expect(data.alpha).toEqual([-0.5, -0.25, 0, 0.25, 0.5]);
    for (const [i, j] of [[0, 0], [1, 3], [4, 2], [2, 2]] as const) {
      const a = Rational.fromNumber(data.alpha[i] as number);
      const b = Rational.fromNumber(data.beta[j] as number);
      let k = 0;
      const weights = spec.weights.map((W) =>
        fromColumnMajor(W.rows, W.cols, W.data.map((x) => {
          const v = x.add(a.mul(Rational.fromNumber(eta[k] as number))).add(b.mul(Rational.fromNumber(del[k] as number)));
          k++;
          return v;
        })),
      );
      const exact = loss(preparePoint(Q, { ...spec, weights })).toNumber();
      expect(data.loss[j]?.[i]).toBeCloseTo(exact, 12);
    }
    expect(data.cuts.alpha).toEqual(data.loss[2]);
    expect(data.lossEvaluations).toBeGreaterThanOrEqual(25);
  });

  test('the quadratic model agrees with the loss to third order near the centre', () => {
    const { problem } = dlnDepth3();
    const data = computeLandscape(problem, { plane: 'hessian', grid: 3, span: 1e-3 });
    for (const [i, j] of [[0, 0], [2, 1], [1, 2]] as const) {
      const a = data.alpha[i] as number;
      const b = data.beta[j] as number;
      expect(Math.abs((data.loss[j]?.[i] ?? NaN) - quadraticModel(data, a, b))).toBeLessThan(1e-7);
    }
    expect(data.eigen?.isDiagonal).toBe(true);
  });

  test('even grids get separate axis cuts; a random filter plane at θ = 0 is refused', () => {
    const { problem } = dlnDepth3();
    const data = computeLandscape(problem, { plane: 'random', distribution: 'unit', grid: 4, span: 1 });
    expect(data.cuts.alpha.length).toBe(4);
    expect(() => computeLandscape(originFixture().problem, { plane: 'random', grid: 3 })).toThrow(/degenerate or zero directions.*--distribution unit/);
  });

  test('grid 3..401 and span in (0, 1e6]', () => {
    expect(() => checkGridAndSpan(2, 1)).toThrow(/--grid: grid out of range: 2/);
    expect(() => checkGridAndSpan(402, 1)).toThrow(CurvatureInputError);
    expect(() => checkGridAndSpan(41, 0)).toThrow(/--span: span out of range/);
    expect(() => checkGridAndSpan(41, 1e6 + 1)).toThrow(CurvatureInputError);
    expect(() => checkGridAndSpan(41, NaN)).toThrow(CurvatureInputError);
    expect(() => checkGridAndSpan(3, 1e6)).not.toThrow();
  });

  test('data files round-trip; malformed ones are refused with the place', () => {
    const data = computeLandscape(dlnDepth3().problem, { plane: 'hessian', grid: 3, span: 1 });
    const back = parsePlotData(serializePlotData(data), 'x.json');
    expect(back).toEqual(data);
    const bad = JSON.parse(serializePlotData(data)) as { loss: unknown[][] };
    (bad.loss[1] as unknown[]).pop();
    expect(() => parsePlotData(JSON.stringify(bad), 'x.json')).toThrow(/loss row 2: expected 3 entries/);
    expect(() => parsePlotData('{"format": "other", "version": 1}', 'x.json')).toThrow(/format: expected "dln-hessian-landscape"/);
    expect(() => parsePlotData('{', 'x.json')).toThrow(/not JSON/);
  });
});
