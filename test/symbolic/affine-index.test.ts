/** The one affine index algebra: arithmetic, substitution and values agree with integer arithmetic; text forms. */
import fc from 'fast-check';
import { ix, ixAdd, ixConst, ixEqual, ixFormat, ixIsConst, ixScale, ixShift, ixSubstitute, ixValue, type Index } from '../../src/symbolic/affine-index.js';
import { checkProperty } from '../support/property.js';

const VARS = ['i', 'j', 'N'] as const;
const index: fc.Arbitrary<Index> = fc
  .tuple(fc.integer({ min: -5, max: 5 }), fc.array(fc.tuple(fc.constantFrom(...VARS), fc.integer({ min: -3, max: 3 })), { maxLength: 4 }))
  .map(([c, terms]) => terms.reduce<Index>((acc, [v, k]) => ixAdd(acc, ixScale(ix(v), k)), ixConst(c)));
const values = fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: 1, max: 12 })).map(([i, j, N]) => new Map([['i', i], ['j', j], ['N', N]]));

describe('affine indices', () => {
  test('sums, multiples and substitutions evaluate as integers do', () => {
    checkProperty(
      fc.property(index, index, fc.integer({ min: -4, max: 4 }), values, (a, b, s, env) => {
        const va = ixValue(a, env) as number;
        const vb = ixValue(b, env) as number;
        expect(ixValue(ixAdd(a, b), env)).toBe(va + vb);
        expect(ixValue(ixAdd(a, b, -1), env)).toBe(va - vb);
        expect(ixValue(ixScale(a, s), env)).toBe(s * va + 0); // (-0 is 0)
        expect(ixValue(ixShift(a, s), env)).toBe(va + s);
        // i := b everywhere in a
        const sub = ixSubstitute(a, new Map([['i', b]]));
        expect(ixValue(sub, env)).toBe(ixValue(a, new Map([...env, ['i', vb]])));
      }),
    );
  });

  test('equality is of the expressions, whatever the order of construction', () => {
    expect(ixEqual(ixAdd(ix('N'), ix('i', -1)), ixAdd(ix('i'), ixShift(ix('N'), -1)))).toBe(true);
    expect(ixEqual(ix('i'), ix('j'))).toBe(false);
    expect(ixEqual(ixAdd(ix('i'), ix('i'), -1), ixConst(0))).toBe(true);
    expect(ixIsConst(ixAdd(ix('i'), ix('i'), -1))).toBe(true);
  });

  test('text: the depth first, then the variables, then the constant', () => {
    expect(ixFormat(ixShift(ix('N'), -1))).toBe('N - 1');
    expect(ixFormat(ixShift(ix('i'), 1))).toBe('i + 1');
    expect(ixFormat(ixScale(ix('i', 1), -2))).toBe('-2i - 2');
    expect(ixFormat(ixAdd(ixScale(ix('N'), 2), ix('j'), -1))).toBe('2N - j');
    expect(ixFormat(ixConst(0))).toBe('0');
  });
});
