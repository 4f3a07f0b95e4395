/** minimizerArbitrary: every sample is an exact minimizer of its kind, the samples cover the interesting shapes, shrinking is simple. */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import type { Rational } from '../../src/field/rational.js';
import { at, equals, type Matrix } from '../../src/linalg/matrix.js';
import { loss } from '../../src/hessian/gradient.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { preparePoint } from '../../src/hessian/point.js';
import type { DmfModel } from '../../src/models/model.js';
import { exactRank } from '../../src/linalg/exact.js';
import { isBalanced, MINIMIZER_KINDS, productOf } from '../../src/generators/minimizers.js';
import { minimizerArbitrary, minimizerCaseArbitrary } from '../../src/generators/arbitraries.js';
import { checkProperty, PROPERTY_SEED } from '../support/property.js';

function isDiagonal(A: Matrix<Rational>): boolean {
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) if (i !== j && !at(A, i, j).isZero()) return false;
  return true;
}

const all = { depth: [1, 5], width: [1, 4], kinds: MINIMIZER_KINDS } as const;

describe('minimizerArbitrary', () => {
  test('every sample is an exact minimizer (loss exactly 0) with the structure of its kind', () => {
    checkProperty(
      fc.property(minimizerCaseArbitrary(all), ({ kind, model }) => {
        expect(equals(Q, productOf(model.weights), model.target)).toBe(true);
        expect(loss(preparePoint(Q, specFromModel(model))).isZero()).toBe(true);
        expect(model.weights.length).toBeGreaterThanOrEqual(1);
        expect(model.weights.length).toBeLessThanOrEqual(5);
        expect(model.widths.every((d) => d >= 1 && d <= 4)).toBe(true);
        if (kind === 'balanced') expect(isBalanced(model.weights)).toBe(true);
        if (kind === 'diagonal') expect(model.weights.every(isDiagonal)).toBe(true);
        expect(model.description).toContain(kind);
      }),
      { numRuns: 200 },
    );
  });

  test('samples include rectangular widths, scalar chains, rank-deficient targets and every kind', () => {
    const cases = fc.sample(minimizerCaseArbitrary(all), { seed: PROPERTY_SEED, numRuns: 300 });
    const rectangular = cases.filter((c) => new Set(c.model.widths).size > 1).length;
    const scalar = cases.filter((c) => c.model.widths.every((d) => d === 1)).length;
    const deficient = cases.filter((c) => exactRank(c.model.target) < Math.min(c.model.target.rows, c.model.target.cols)).length;
    expect(rectangular).toBeGreaterThan(30);
    expect(scalar).toBeGreaterThan(3);
    expect(deficient).toBeGreaterThan(10);
    for (const k of MINIMIZER_KINDS) expect(cases.some((c) => c.kind === k)).toBe(true);
  });

  test('a failing property "depth < 3" shrinks to depth exactly 3 with small entries', () => {
    const result = fc.check(
      fc.property(minimizerArbitrary(all), (m) => m.weights.length < 3),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    const [m] = result.counterexample ?? [];
    expect(m).toBeDefined();
    const model = m as DmfModel<Rational>;
    expect(model.weights.length).toBe(3);
    // Shrunk to the simplest case: the first kind, minimal widths, identity-like factors.
    expect(model.widths).toEqual([1, 1, 1, 1]);
    for (const x of [...model.weights.flatMap((W) => W.data), ...model.target.data]) {
      expect(x.abs().compare(Q.fromInt(2))).toBeLessThanOrEqual(0);
      expect(x.den <= 2n).toBe(true);
    }
  });

  test('rejects bad options', () => {
    expect(() => minimizerArbitrary({ depth: [0, 2], width: [1, 2], kinds: ['balanced'] })).toThrow(/depth/);
    expect(() => minimizerArbitrary({ depth: [1, 2], width: [3, 2], kinds: ['balanced'] })).toThrow(/width/);
    expect(() => minimizerArbitrary({ depth: [1, 2], width: [1, 2], kinds: [] })).toThrow(/kinds/);
  });
});
