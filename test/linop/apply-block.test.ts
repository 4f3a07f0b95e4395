import { F64 } from '../../src/field/field.js';
import { fromColumnMajor } from '../../src/linalg/matrix.js';
import { applyBlock, denseOperator } from '../../src/linop/linear-operator.js';

describe('applyBlock', () => {
  test('without matmat it applies matvec column by column (hand-computed product)', () => {
    // A = [[1, 2], [3, 4]] (column-major data 1, 3, 2, 4); V = [e_1, (1, 1)] column-major.
    const op = denseOperator(F64, fromColumnMajor(2, 2, [1, 3, 2, 4]));
    expect(Array.from(applyBlock(op, Float64Array.from([1, 0, 1, 1]), 2))).toEqual([1, 3, 3, 7]);
  });
  test('with matmat it uses it', () => {
    const op = { ...denseOperator(F64, fromColumnMajor(1, 1, [2])), matmat: (V: Float64Array): Float64Array => V.map((x) => 10 * x) };
    expect(Array.from(applyBlock(op, Float64Array.from([1, 2]), 2))).toEqual([10, 20]);
  });
});
