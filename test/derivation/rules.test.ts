/**
 * Every rewrite rule, checked exactly over Q on random rational matrices of random compatible
 * shapes: the identity's two sides agree, and the rule rewrites the left side into the right one.
 * The evaluation uses the dense matrix code of src/linalg, independent of the trees.
 */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { fromRows, kron as kronM, mul as mulM, transpose as transposeM, vec as vecM } from '../../src/linalg/matrix.js';
import { checkIdentity, IDENTITIES } from '../../src/derivation/identities.js';
import { Evaluator, matrixValue, valuesEqual } from '../../src/derivation/evaluate.js';
import { commutation, mul, sym, transpose, vec } from '../../src/derivation/expr.js';
import { rewrite, transposeOfProduct, vecOfProduct, vecOfTranspose, innerMoveLeft, innerMoveRight, RewriteError } from '../../src/derivation/rules.js';
import { inner } from '../../src/derivation/expr.js';
import { toMarkdown, toTex } from '../../src/derivation/render.js';
import { checkProperty } from '../support/property.js';

describe('identities hold exactly on random rational matrices', () => {
  for (const id of IDENTITIES) {
    test(`${id.key}: ${toMarkdown(id.lhs)} = ${toMarkdown(id.rhs)}`, () => {
      checkProperty(
        fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => checkIdentity(id, seed).holds),
        { numRuns: 40 },
      );
    });
  }
});

describe('rules on hand-computed instances', () => {
  const q = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));
  const A = fromRows([[q(1), q(2)], [q(0), q(-1)], [q(3), q(1, 2)]]); // 3×2
  const X = fromRows([[q(1), q(-1), q(2)], [q(1, 3), q(0), q(4)]]); // 2×3
  const B = fromRows([[q(2)], [q(-1)], [q(1)]]); // 3×1
  const ev = new Evaluator({
    F: Q,
    widths: [1],
    lookup: (name: string) => (name === 'A' ? matrixValue(A) : name === 'X' ? matrixValue(X) : name === 'B' ? matrixValue(B) : undefined),
    definitions: new Map(),
  });

  test('vec(AXB) = (Bᵀ ⊗ A) vec X, against the Matrix code', () => {
    const e = vec(mul(sym('A'), sym('X'), sym('B')));
    const r = rewrite(e, vecOfProduct((f) => f.kind === 'sym' && f.name === 'X'));
    expect(toMarkdown(r)).toBe('(Bᵀ ⊗ A)vec(X)');
    const direct = vecM(mulM(Q, mulM(Q, A, X), B));
    const viaKron = mulM(Q, kronM(Q, transposeM(B), A), fromRows(vecM(X).map((x) => [x])));
    expect(valuesEqual(Q, ev.evaluate(r), matrixValue(viaKron))).toBe(true);
    expect(valuesEqual(Q, ev.evaluate(e), matrixValue(fromRows(direct.map((x) => [x]))))).toBe(true);
  });

  test('vec(Xᵀ) = T vec(X) with the commutation matrix built by the evaluator', () => {
    const e = vec(transpose(sym('X')));
    const r = rewrite(e, vecOfTranspose());
    expect(r.kind).toBe('mul');
    expect(valuesEqual(Q, ev.evaluate(e), ev.evaluate(r))).toBe(true);
    const T = ev.evaluate(commutation({ dim: { kind: 'literal', value: 2 } }, { dim: { kind: 'literal', value: 3 } }));
    // T_{2,3} is a permutation: each row and column has one 1.
    const M = T.kind === 'matrix' ? T.value : fromRows([[q(0)]]);
    expect(M.rows).toBe(6);
    for (let r0 = 0; r0 < 6; r0++) expect(Array.from({ length: 6 }, (_, c) => M.data[r0 + 6 * c] as Rational).filter((x) => !x.isZero()).length).toBe(1);
  });

  test('transpose of a product reverses the factors and simplifies double transposes', () => {
    const r = rewrite(transpose(mul(sym('A'), transpose(sym('B')), sym('S', [], { symmetric: true }))), transposeOfProduct);
    expect(toMarkdown(r)).toBe('SBAᵀ');
    expect(toTex(r)).toBe('S B A^{\\top}');
  });

  test('moving factors across the inner product', () => {
    const e = inner(sym('R'), mul(sym('A'), sym('U'), sym('B')));
    expect(toMarkdown(rewrite(e, innerMoveLeft()))).toBe('⟨AᵀR, UB⟩');
    expect(toMarkdown(rewrite(rewrite(e, innerMoveLeft()), innerMoveRight()))).toBe('⟨AᵀRBᵀ, U⟩');
  });

  test('a rule that applies nowhere is an error naming the expression', () => {
    expect(() => rewrite(sym('A'), transposeOfProduct, 'transposeOfProduct')).toThrow(RewriteError);
    expect(() => rewrite(sym('A'), transposeOfProduct, 'transposeOfProduct')).toThrow(/transposeOfProduct does not apply anywhere in A/);
  });
});
