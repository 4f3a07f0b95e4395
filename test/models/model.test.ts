import fc from 'fast-check';
import { F64 } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { fromRows, map } from '../../src/linalg/matrix.js';
import { ModelError } from '../../src/models/errors.js';
import { loadExample } from '../../src/models/examples/index.js';
import {
  convertModel,
  depth,
  makeDlnModel,
  makeDmfModel,
  parameterCount,
  sampleCount,
  shapeProblem,
  toFloat64Model,
  widthsOf,
  type DlnModel,
  type DmfModel,
} from '../../src/models/model.js';
import { matrixOf, smallRational } from '../support/arbitraries.js';
import { checkProperty } from '../support/property.js';

const r = (s: string): Rational => Rational.parse(s);

describe('model helpers', () => {
  it('depth, parameterCount, sampleCount, widths', () => {
    const m = loadExample('dln-data-depth2');
    expect(depth(m)).toBe(2);
    expect(m.widths).toEqual([2, 3, 2]);
    expect(parameterCount(m)).toBe(3 * 2 + 2 * 3);
    expect(sampleCount(m)).toBe(4);
    const s = loadExample('scalar-chain-3');
    expect([depth(s), parameterCount(s), sampleCount(s)]).toEqual([3, 3, 1]);
  });

  it('parameterCount is Σ d_i d_{i−1} for random widths', () => {
    const widthsAndWeights = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 6 })
      .chain((widths) => fc.tuple(fc.constant(widths), fc.tuple(...widths.slice(1).map((d, i) => matrixOf(d, widths[i] as number, smallRational())))));
    checkProperty(
      fc.property(widthsAndWeights, ([widths, weights]) => {
        const d0 = widths[0] as number;
        const dN = widths[widths.length - 1] as number;
        const m = makeDmfModel(weights, fromRows(Array.from({ length: dN }, () => Array.from({ length: d0 }, () => Rational.ZERO))));
        expect(m.widths).toEqual(widths);
        expect(widthsOf(weights)).toEqual(widths);
        expect(parameterCount(m)).toBe(widths.slice(1).reduce((s, d, i) => s + d * (widths[i] as number), 0));
        expect(depth(m)).toBe(widths.length - 1);
      }),
      { numRuns: 30 },
    );
  });

  it('convertModel moves a model between fields, keeping everything else', () => {
    const m = loadExample('dmf-diagonal-depth3');
    const f: DmfModel<number> = convertModel(m as DmfModel<Rational>, F64.fromRational);
    expect(f.kind).toBe('dmf');
    expect(f.widths).toEqual(m.widths);
    expect(f.name).toBe(m.name);
    expect(f.description).toBe(m.description);
    expect(f.reduction).toBe('half');
    expect(f.weights[0]?.data).toEqual([2, 0, 0, 0.5]);
    expect(f.target.data).toEqual([1, 0, 0, 1]);
    expect(toFloat64Model(m)).toStrictEqual(f);

    const d = loadExample('dln-data-depth2');
    const g = convertModel(d, (q: Rational) => q.toString());
    expect(g.kind).toBe('dln');
    if (g.kind !== 'dln' || d.kind !== 'dln') throw new Error('dln expected');
    expect(g.data.inputs).toEqual(map(d.data.inputs, String));
    // No optional keys appear that the source lacks.
    const plain = makeDmfModel([fromRows([[r('1/3')]])], fromRows([[Rational.ONE]]));
    expect(Object.keys(convertModel(plain, F64.fromRational)).sort()).toEqual(['kind', 'reduction', 'target', 'weights', 'widths']);
  });

  it('narrows on kind or on target/data presence', () => {
    const m = loadExample('scalar-chain-2');
    const rows = m.target !== undefined ? m.target.rows : m.data.inputs.rows;
    expect(rows).toBe(1);
    const d: DlnModel<Rational> = makeDlnModel([fromRows([[Rational.ONE]])], { inputs: fromRows([[Rational.ONE, r('2')]]), targets: fromRows([[r('3'), r('4')]]) }, { reduction: 'sum', name: 'n' });
    expect([d.kind, d.reduction, d.name, sampleCount(d)]).toEqual(['dln', 'sum', 'n', 2]);
  });

  it('makeDmfModel / makeDlnModel check shapes with the file format messages', () => {
    const one = fromRows([[Rational.ONE]]);
    const row2 = fromRows([[Rational.ONE, Rational.ONE]]);
    expect(() => makeDmfModel([], one)).toThrow(ModelError);
    expect(() => makeDmfModel([], one)).toThrow('weights: expected at least one layer, got an empty list');
    expect(() => makeDmfModel([row2, row2], one)).toThrow('weights[2] has 2 columns but weights[1] has 1 row (d_1 must agree)');
    expect(() => makeDmfModel([row2], fromRows([[Rational.ONE], [Rational.ONE]]))).toThrow(
      'target: expected 1×2 (d_N × d_0), got 2×1',
    );
    expect(() => makeDmfModel([{ rows: 0, cols: 1, data: [] }], one)).toThrow('weights[1]: expected a non-empty matrix, got 0×1');
    expect(() => makeDlnModel([row2], { inputs: { rows: 2, cols: 0, data: [] }, targets: { rows: 1, cols: 0, data: [] } })).toThrow(
      'data.inputs: expected at least one sample (one column per sample), got 0 columns',
    );
    expect(shapeProblem([{ rows: 1, cols: 2 }], { data: { inputs: { rows: 1, cols: 3 }, targets: { rows: 1, cols: 3 } } })?.message).toBe(
      'data.inputs: expected d_0 = 2 rows (the columns of weights[1]), got 1',
    );
    expect(shapeProblem([{ rows: 1, cols: 2 }], { target: { rows: 1, cols: 2 } })).toBeUndefined();
  });
});
