/**
 * The binary64 side of model files (src/models/float-side.ts): matrices of plain JSON numbers carry
 * each entry rounded once (checked against the runtime's own decimal parsing, `Number(text)`, and
 * against the exact rational rounded by `Rational.toNumber`), their exact rationals are the exact
 * decimals whenever they are read, and anything else (exact strings, subnormal or out-of-range
 * entries) takes the general exact path.
 */
import fc from 'fast-check';
import { F64 } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { specFromModel, toFloatSpec } from '../../src/hessian/from-model.js';
import { float64Side, roundedDecimal } from '../../src/models/float-side.js';
import { parseModel } from '../../src/models/load.js';
import { checkProperty } from '../support/property.js';

const model = (weights: string, target: string): string => `{"weights": [${weights}], "target": ${target}}`;

describe('float side of model files', () => {
  test('plain numbers: binary64 side = Number(text), exact side = the decimals, column-major', () => {
    const m = parseModel(model('[[0.1, -2.5e-3], [3, 1e10]]', '[[0.1, 0], [0, 7e-1]]'));
    const W = m.weights[0];
    if (W === undefined) throw new Error('no weight');
    expect(Array.from(float64Side(W) ?? [])).toEqual([0.1, 3, -0.0025, 1e10]);
    expect(W.data.map((x) => x.toString())).toEqual(['1/10', '3', '-1/400', '10000000000']);
    // Converting to binary64 reads the float side and gives what rounding the rationals gives.
    const f = toFloatSpec(specFromModel(m));
    expect(f.weights[0]?.data).toEqual(W.data.map((x) => F64.fromRational(x)));
  });

  test('-0 reads as 0 on both sides; exact strings and subnormal entries take the exact path', () => {
    const z = parseModel(model('[[-0], [1]]', '[[-0.0e5], [1]]'));
    expect(Object.is(float64Side(z.weights[0] as never)?.[0], 0)).toBe(true);
    if (z.kind !== 'dmf') throw new Error('expected a DMF model');
    expect(Object.is(float64Side(z.target)?.[0], 0)).toBe(true);
    const s = parseModel(model('[["1/3"], [1]]', '[[1], [1]]'));
    expect(float64Side(s.weights[0] as never)).toBeUndefined();
    expect(s.weights[0]?.data[0]?.toString()).toBe('1/3');
    const tiny = parseModel(model('[[1e-320]]', '[[1e-320]]'));
    expect(float64Side(tiny.weights[0] as never)).toBeUndefined();
    expect(tiny.weights[0]?.data[0]?.equals(Rational.parse('1e-320'))).toBe(true);
  });

  test('bad entries are still named by the general path', () => {
    expect(() => parseModel(model('[[1, 2], [3]]', '[[1]]'))).toThrow(/row 2: expected 2 entries, got 1/);
    expect(() => parseModel(model('[[1e400]]', '[[1]]'))).toThrow(/cannot be represented in float64/);
  });

  test('roundedDecimal: correctly rounded normal values, undefined where the exact path must decide', () => {
    expect(roundedDecimal('0.1')).toBe(0.1);
    expect(roundedDecimal('-0')).toBe(0);
    expect(roundedDecimal('0e-400')).toBe(0);
    expect(roundedDecimal('1e-400')).toBeUndefined(); // not zero: rounds to 0 only in binary64
    expect(roundedDecimal('4e-320')).toBeUndefined(); // subnormal
    expect(roundedDecimal('1.7976931348623157e308')).toBeUndefined(); // Number.MAX_VALUE: the exact check decides
    expect(roundedDecimal('2e308')).toBeUndefined();
  });

  test('property: for random decimals, Number(text) = Rational.parse(text).toNumber() (both correctly rounded)', () => {
    checkProperty(
      fc.property(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: -330, max: 300 }), (m, e) => {
        const text = `${m}e${e}`;
        const x = roundedDecimal(text);
        if (x === undefined) return;
        expect(Rational.parse(text).toNumber()).toBe(x);
      }),
      { numRuns: 2000 },
    );
  });
});
