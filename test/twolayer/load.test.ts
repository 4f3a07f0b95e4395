/** Two-layer model files: placed messages for bad input, dispatch by "kind", and an exact round trip. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork } from '../../src/families/registry.js';
import { Q } from '../../src/field/field.js';
import { ModelError } from '../../src/models/errors.js';
import { loadAnySource } from '../../src/models/source.js';
import { parseTwoLayerModel } from '../../src/models/two-layer-load.js';
import { twoLayerHessian } from '../../src/twolayer/dense.js';
import { prepareTwoLayerPoint } from '../../src/twolayer/point.js';
import { twoLayerModelText } from '../../src/families/model-writer.js';

const base = {
  kind: 'two-layer',
  activation: 'relu',
  loss: 'cross-entropy',
  weights: [[[1, 0], [0, 1], [1, 1]], [[1, 0, 1], [0, 1, -1]]],
  data: { inputs: [[1, 2, 3], [0, -1, 1]], targets: [[0, 1, 1]] },
};
const text = (patch: Record<string, unknown>): string => JSON.stringify({ ...base, ...patch });
const fails = (patch: Record<string, unknown>): string => {
  try {
    parseTwoLayerModel(text(patch), 'm.json');
  } catch (e) {
    if (e instanceof ModelError) return e.message;
    throw e;
  }
  throw new Error('expected a ModelError');
};

describe('two-layer model files: bad input is refused with a placed message', () => {
  test('unknown activation or loss, reduction with cross-entropy', () => {
    expect(fails({ activation: 'gelu' })).toBe('activation: unknown activation "gelu" (supported: "identity", "relu", "tanh", "sigmoid", "quadratic")');
    expect(fails({ loss: 'hinge' })).toBe('loss: unknown loss "hinge" (supported: "squared", "cross-entropy")');
    expect(fails({ activation: 3 })).toMatch(/^activation: expected a string/);
    expect(fails({ reduction: 'sum' })).toMatch(/^reduction: the cross-entropy loss is the mean over samples \(torch's CrossEntropyLoss\(\)\); only "mean" applies, got "sum"/);
    expect(fails({ lossScale: 'sum' })).toMatch(/^lossScale: applies to the squared loss only/);
    expect(fails({ wieghts: 1 })).toMatch(/^unknown key "wieghts"/);
    expect(fails({ kind: 'dln' })).toBe('kind: expected "two-layer", got "dln"');
  });

  test('labels out of range, non-integer labels, bad one-hot columns, one class', () => {
    expect(fails({ data: { inputs: base.data.inputs, targets: [[0, 2, 1]] } })).toBe(
      'data.targets row 1 column 2: labels out of range: class index 2 is not in 0..1 (classes are numbered from 0; weights[2] has 2 rows)',
    );
    expect(fails({ data: { inputs: base.data.inputs, targets: [[0, -1, 1]] } })).toMatch(/labels out of range: class index -1/);
    expect(fails({ data: { inputs: base.data.inputs, targets: [[0, '1/2', 1]] } })).toBe('data.targets row 1 column 2: a class index must be an integer, got 1/2');
    expect(fails({ data: { inputs: base.data.inputs, targets: [[1, 0, 1], [0, 0, 0]] } })).toBe('data.targets column 2: a one-hot column has exactly one 1, got none');
    expect(fails({ data: { inputs: base.data.inputs, targets: [[1, 0, 1], [1, 1, 0]] } })).toBe('data.targets column 1: a one-hot column has exactly one 1, got 1 in rows 1 and 2');
    expect(fails({ data: { inputs: base.data.inputs, targets: [[1, 0, 2], [0, 1, 0]] } })).toBe('data.targets row 1 column 3: one-hot targets have entries 0 and 1, got 2');
    expect(fails({ weights: [base.weights[0], [[1, 0, 1]]] })).toBe('loss: cross-entropy needs at least 2 classes, but weights[2] has 1 row');
  });

  test('shape mismatches and non-finite data', () => {
    expect(fails({ weights: [base.weights[0]] })).toBe('weights: a two-layer model needs exactly 2 matrices [W_1, W_2], got 1');
    expect(fails({ weights: [base.weights[0], [[1, 0], [0, 1]]] })).toBe('weights[2] has 2 columns but weights[1] has 3 rows (the hidden width h must agree)');
    expect(fails({ data: { inputs: [[1, 2, 3]], targets: [[0, 1, 1]] } })).toMatch(/^data\.inputs: expected d_0 = 2 rows/);
    expect(fails({ data: { inputs: base.data.inputs, targets: [[0, 1]] } })).toBe('data.targets: expected 3 columns (one per sample, as in data.inputs), got 2');
    expect(fails({ loss: 'squared', data: { inputs: base.data.inputs, targets: [[0, 1, 1]] } })).toBe('data.targets: expected c = 2 rows (the rows of weights[2]), got 1');
    expect(fails({ data: { inputs: [[1, 'NaN', 3], [0, -1, 1]], targets: [[0, 1, 1]] } })).toBe('data.inputs row 1 column 2: "NaN" is not finite; entries must be finite numbers');
    expect(fails({ weights: [[[1, 0], [0, 1], [1]], base.weights[1]] })).toBe('weights[1] row 3: expected 2 entries, got 1');
  });

  test('errors carry the source position', () => {
    expect.assertions(1);
    try {
      parseTwoLayerModel('{"kind": "two-layer",\n "activation": "swish"}', 'm.json');
    } catch (e) {
      expect(e instanceof ModelError && e.describe()).toBe('m.json: line 2, column 16: activation: unknown activation "swish" (supported: "identity", "relu", "tanh", "sigmoid", "quadratic")');
    }
  });
});

describe('dispatch and round trip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dln-two-layer-'));
  test('loadAnySource and loadNetwork read either family by "kind"', () => {
    const p = join(dir, 'q.json');
    writeFileSync(p, text({ activation: 'quadratic', loss: 'squared', data: { inputs: base.data.inputs, targets: [[1, 0, 1], [0, 1, 0]] } }));
    const any = loadAnySource(p);
    expect(any.family).toBe('two-layer');
    expect(loadAnySource('example:scalar-chain-2').family).toBe('deep-linear');
    const cp = loadNetwork(p);
    expect(cp.params).toBe(12);
    expect(cp.blocks.map((b) => [b.name, b.offset, b.rows, b.cols])).toEqual([['W_1', 0, 3, 2], ['W_2', 6, 2, 3]]);
    const exact = cp.exactHessian();
    expect(exact).not.toBeNull();
    if (any.family === 'two-layer') expect(exact?.data.map(String)).toEqual(twoLayerHessian(prepareTwoLayerPoint(Q, any.model)).data.map(String));
    // The float Hessian and the operator agree with the exact one.
    const dense = cp.denseHessian();
    dense.data.forEach((x, k) => expect(x).toBeCloseTo(exact?.data[k]?.toNumber() ?? NaN, 10));
    expect(loadNetwork(join(dir, 'q.json')).exactHessian()).not.toBeNull();
    const ce = join(dir, 'ce.json');
    writeFileSync(ce, text({}));
    expect(loadNetwork(ce).exactHessian()).toBeNull();
    expect(() => loadAnySource(join(dir, 'missing.json'))).toThrow(/no such file/);
    expect(existsSync(join(dir, 'missing.json'))).toBe(false);
  });

  test('serialize then parse gives the same model (indices, one-hot and values)', () => {
    for (const patch of [{}, { data: { inputs: base.data.inputs, targets: [[1, 0, 0], [0, 1, 1]] } }, { loss: 'squared', reduction: 'sum', data: { inputs: [['1/3', 0.5, 3], [0, -1, '1e-3']], targets: [[1, 0, 1], [0, '2/7', 0]] } }]) {
      const m = parseTwoLayerModel(text(patch));
      const again = parseTwoLayerModel(twoLayerModelText(m));
      expect(again).toEqual(m);
    }
  });
});
