import { loadAnySource } from '../../src/models/source.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { at, frobeniusSq, identity, kron, mul, product, sub, transpose, type Matrix } from '../../src/linalg/matrix.js';
import { ModelError } from '../../src/models/errors.js';
import { builtinExamples, exampleIds, getExample, loadExample } from '../../src/models/examples/index.js';
import { parseModel } from '../../src/models/load.js';
import type { DeepLinearModel } from '../../src/models/model.js';
import { deepLinearModelText as serializeModel } from '../../src/families/model-writer.js';
import { twoLayerModelText as serializeTwoLayerModel } from '../../src/families/model-writer.js';
import { prepareTwoLayerPoint, twoLayerLoss } from '../../src/twolayer/point.js';

const docsDir = join(__dirname, '..', '..', 'docs', 'examples');

/** `P = W_N ⋯ W_1`. */
function productOf(m: DeepLinearModel<Rational>): Matrix<Rational> {
  return product(Q, m.weights.slice().reverse(), m.widths[0] as number);
}

/** The loss in the ½ convention, straight from docs/math.md §1. */
function loss(m: DeepLinearModel<Rational>): Rational {
  const P = productOf(m);
  const half = new Rational(1n, 2n);
  if (m.kind === 'dmf') return half.mul(frobeniusSq(Q, sub(Q, P, m.target)));
  const n = BigInt(m.data.inputs.cols);
  return new Rational(1n, 2n * n).mul(frobeniusSq(Q, sub(Q, mul(Q, P, m.data.inputs), m.data.targets)));
}

/** Reduced operator at a minimizer, `K = Σ_i (B_iᵀ B_i) ⊗ (A_i A_iᵀ)` (docs/math.md §3), built densely. */
function reducedK(m: DeepLinearModel<Rational>): Matrix<Rational> {
  const N = m.weights.length;
  const d0 = m.widths[0] as number;
  const dN = m.widths[N] as number;
  let K: Matrix<Rational> | undefined;
  for (let i = 0; i < N; i++) {
    const A = product(Q, m.weights.slice(i + 1).reverse(), dN); // W_N ⋯ W_{i+2}
    const B = product(Q, m.weights.slice(0, i).reverse(), d0); // W_i ⋯ W_1
    const term = kron(Q, mul(Q, transpose(B), B), mul(Q, A, transpose(A)));
    K = K === undefined ? term : { rows: term.rows, cols: term.cols, data: term.data.map((x, k) => x.add((K as Matrix<Rational>).data[k] as Rational)) };
  }
  return K ?? identity(Q, d0 * dN);
}

describe('built-in examples', () => {
  it('have unique ids, matching names, and the expected set', () => {
    expect(exampleIds()).toEqual([
      'scalar-chain-2',
      'scalar-chain-3',
      'dmf-diagonal-depth3',
      'dmf-balanced-depth3',
      'dmf-nonminimizer-depth2',
      'dln-data-depth2',
      'two-layer-identity-squared',
      'two-layer-quadratic-squared',
      'two-layer-relu-ce',
    ]);
    for (const ex of builtinExamples) expect(loadAnySource(`example:${ex.id}`).model.name).toBe(ex.id);
  });

  const deepLinear = builtinExamples.filter((e) => e.family === 'deep-linear');
  const twoLayer = builtinExamples.filter((e) => e.family === 'two-layer');

  it.each(deepLinear.map((e) => [e.id]))('%s loads, is canonical, and matches docs/examples', (id) => {
    const ex = getExample(id);
    const m = loadExample(id);
    expect(serializeModel(m)).toBe(ex.text);
    expect(readFileSync(join(docsDir, `${id}.json`), 'utf8')).toBe(ex.text);
  });

  it.each(twoLayer.map((e) => [e.id]))('two-layer %s loads as example:ID, is canonical, and matches docs/examples', (id) => {
    const ex = getExample(id);
    const any = loadAnySource(`example:${id}`);
    expect(any.family).toBe('two-layer');
    if (any.family !== 'two-layer') return;
    expect(serializeTwoLayerModel(any.model)).toBe(ex.text);
    expect(readFileSync(join(docsDir, `${id}.json`), 'utf8')).toBe(ex.text);
    expect(() => loadExample(id)).toThrow(/two-layer network/);
  });

  it('two-layer examples have the loss computed by hand (½·mean of squared residuals)', () => {
    // quadratic: residuals −1/4, −3/4, 1/16 → (1/6)(161/256); identity: P = W_2W_1 = [−11/6, 11/4],
    // residuals −67/12, 27/8, −5/4, 11/6 → (1/8)(27353/576).
    for (const ex of twoLayer.filter((e) => e.facts.loss !== undefined)) {
      const any = loadAnySource(`example:${ex.id}`);
      if (any.family !== 'two-layer') throw new Error('two-layer expected');
      expect([ex.id, twoLayerLoss(prepareTwoLayerPoint(Q, any.model)).toString()]).toEqual([ex.id, ex.facts.loss]);
    }
  });

  it('docs/examples holds exactly the built-in deep-linear examples, and two-layer examples that load', () => {
    const files = readdirSync(docsDir).sort();
    const twoLayerFiles = files.filter((f) => f.startsWith('two-layer-'));
    expect(files.filter((f) => !f.startsWith('two-layer-'))).toEqual(deepLinear.map((e) => `${e.id}.json`).sort());
    for (const e of twoLayer) expect(twoLayerFiles).toContain(`${e.id}.json`);
    for (const f of twoLayerFiles) expect(loadAnySource(join(docsDir, f)).family).toBe('two-layer');
  });

  it.each(deepLinear.map((e) => [e.id]))('%s has the stated loss', (id) => {
    const ex = getExample(id);
    const m = loadExample(id);
    const L = loss(m);
    expect(L.toString()).toBe(ex.facts.loss);
    expect(L.isZero()).toBe(ex.facts.minimizer);
  });

  it('minimizers have the stated λ_max (reduced operator, docs/math.md §3)', () => {
    for (const ex of builtinExamples.filter((e) => e.facts.lambdaMax !== undefined)) {
      const K = reducedK(loadExample(ex.id));
      // All these examples are diagonal or scalar, so K is diagonal and λ_max is its largest entry.
      let max = Rational.ZERO;
      for (let i = 0; i < K.rows; i++) {
        for (let j = 0; j < K.cols; j++) if (i !== j) expect(at(K, i, j).isZero()).toBe(true);
        if (at(K, i, i).compare(max) > 0) max = at(K, i, i);
      }
      expect([ex.id, max.toString()]).toEqual([ex.id, ex.facts.lambdaMax]);
    }
  });

  it('scalar-chain-2 has the Hessian [[4, 2], [2, 1]] (a minimizer: H = Jᵀ J, J = ∂P/∂θ = [w_2, w_1])', () => {
    const [w1, w2] = loadExample('scalar-chain-2').weights.map((W) => at(W, 0, 0));
    if (w1 === undefined || w2 === undefined) throw new Error('two layers expected');
    const J = [w2, w1];
    const H = J.map((a) => J.map((b) => a.mul(b).toString()));
    expect(H).toEqual([
      ['4', '2'],
      ['2', '1'],
    ]);
  });

  it('the JSON examples in docs/model-format.md are valid models', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'model-format.md'), 'utf8');
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const b of blocks) expect(() => parseModel(b, 'docs/model-format.md')).not.toThrow();
  });

  it('getExample names the available ids for an unknown one', () => {
    expect(() => getExample('nope')).toThrow(ModelError);
    expect(() => getExample('nope')).toThrow(`unknown example "nope" (available: ${exampleIds().join(', ')})`);
  });
});
