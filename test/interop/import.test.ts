/**
 * import → the model torch had: Hessian eigenvalues against torch.autograd.functional.hessian
 * (float64, committed in expected.json by make_fixtures.py); import → export round trips bit for bit;
 * the referenced form (tensor file beside the JSON) reads back to the same exact model.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { F64, Q } from '../../src/field/field.js';
import type { Rational } from '../../src/field/rational.js';
import { hessian } from '../../src/hessian/dense.js';
import { hessianVectorProduct } from '../../src/hessian/hvp.js';
import { preparePoint } from '../../src/hessian/point.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { importModel, type ImportKind } from '../../src/interop/import.js';
import { modelTensors, resultVectors, vectorTensors } from '../../src/interop/export.js';
import { importedModelFiles } from '../../src/interop/model-files.js';
import { parseTensorFile, readTensorFile, encodeTensorFile } from '../../src/interop/tensor-file.js';
import { equals, type Matrix } from '../../src/linalg/matrix.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { toFloat64Model } from '../../src/models/model.js';
import { loadAnySource, type AnyModel } from '../../src/models/source.js';
import { writeFilesAtomic } from '../../src/plots/files.js';
import { twoLayerHessian } from '../../src/twolayer/dense.js';
import { toFloat64TwoLayer, type ActivationName } from '../../src/twolayer/model.js';
import { prepareTwoLayerPoint } from '../../src/twolayer/point.js';
import { runCli, runCliAsync } from '../support/cli.js';
import { expected, fixture, fromHex } from './helpers.js';

function load(weights: string, data: string, kind: ImportKind, activation?: ActivationName, loss?: 'squared' | 'cross-entropy'): AnyModel {
  return importModel(readTensorFile(fixture(weights)), {
    kind,
    data: readTensorFile(fixture(data)),
    ...(activation !== undefined ? { activation } : {}),
    ...(loss !== undefined ? { loss } : {}),
  }).model;
}

function eigenvalues(any: AnyModel): number[] {
  const H = any.family === 'two-layer' ? twoLayerHessian(prepareTwoLayerPoint(F64, toFloat64TwoLayer(any.model))) : hessian(preparePoint(F64, specFromModel(toFloat64Model(any.model))));
  return symmetricEigen(H).values;
}

describe('Hessian eigenvalues of imported models equal torch’s', () => {
  const cases: [string, string, ImportKind, ActivationName | undefined, 'squared' | 'cross-entropy' | undefined][] = [
    ['dln_f32.npz', 'dln_data.npz', 'dln', undefined, undefined],
    ['dln_f16.npz', 'dln_data.npz', 'dln', undefined, undefined],
    ['dln_bf16.safetensors', 'dln_data.npz', 'dln', undefined, undefined],
    ['dmf_f64.npz', 'dmf_target.npz', 'dmf', undefined, undefined],
    ['twolayer_tanh_f32.npz', 'twolayer_data_ce.npz', 'two-layer', 'tanh', 'cross-entropy'],
    ['twolayer_tanh_f32.npz', 'twolayer_data_sq.npz', 'two-layer', 'tanh', 'squared'],
    ['twolayer_relu_f32.npz', 'twolayer_data_ce.npz', 'two-layer', 'relu', 'cross-entropy'],
    ['twolayer_relu_f32.npz', 'twolayer_data_sq.npz', 'two-layer', 'relu', 'squared'],
  ];
  test.each(cases)('%s + %s (%s)', (w, d, kind, activation, loss) => {
    const torch = expected.hessian[`${w}+${d}`];
    expect(torch).toBeDefined();
    const ours = eigenvalues(load(w, d, kind, activation, loss));
    const want = torch?.eigenvalues ?? [];
    expect(ours).toHaveLength(want.length);
    // Both are backward-stable float64 eigensolvers on Hessians formed in float64: agreement to a few
    // hundred ulps of the spectral radius.
    const scale = Math.max(...want.map(Math.abs));
    ours.forEach((x, k) => expect(Math.abs(x - (want[k] as number))).toBeLessThan(1e-12 * scale));
    expect(ours[ours.length - 1]).toBeCloseTo(want[want.length - 1] as number, 12);
  });
});

describe('round trips', () => {
  test.each(['dln_f32.npz', 'dln_f16.npz', 'dln_f64_compressed.npz', 'dln_bf16.safetensors', 'dln_f32.safetensors', 'twolayer_tanh_f32.npz'])('%s → import → export gives the same tensors, bit for bit', (file) => {
    const original = readTensorFile(fixture(file));
    const twoLayer = file.startsWith('twolayer');
    const any = importModel(original, twoLayer ? { kind: 'two-layer', activation: 'tanh', data: readTensorFile(fixture('twolayer_data_sq.npz')) } : { kind: 'dln', data: readTensorFile(fixture('dln_data.npz')) }).model;
    for (const format of file.includes('bf16') ? (['safetensors'] as const) : (['npz', 'safetensors'] as const)) {
      const back = parseTensorFile(encodeTensorFile(format, modelTensors(any).tensors), `back.${format}`);
      expect(back.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual(original.tensors.map((t) => [t.name, t.dtype, t.shape]));
      back.tensors.forEach((t, k) => {
        const a = new Uint8Array(t.values.buffer);
        const b = new Uint8Array((original.tensors[k]?.values as Float64Array).buffer);
        expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
      });
    }
  });

  test('the referenced form (tensors in a companion file) reads back to the same exact model as the inline form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interop-'));
    const imp = importModel(readTensorFile(fixture('dln_bf16.safetensors')), { kind: 'dln', data: readTensorFile(fixture('dln_data.npz')) });
    writeFilesAtomic(importedModelFiles(imp, join(dir, 'inline.json'), 'inline'));
    writeFilesAtomic(importedModelFiles(imp, join(dir, 'ref.json'), 'file'));
    expect(existsSync(join(dir, 'ref.safetensors'))).toBe(true);
    expect(readFileSync(join(dir, 'ref.json'), 'utf8')).toContain('"tensor":"layers.0.weight"');
    const a = loadAnySource(join(dir, 'inline.json'));
    const b = loadAnySource(join(dir, 'ref.json'));
    if (a.family !== 'deep-linear' || b.family !== 'deep-linear' || a.model.kind !== 'dln' || b.model.kind !== 'dln') throw new Error('expected dln models');
    const same = (x: Matrix<Rational>, y: Matrix<Rational>): boolean => equals(Q, x, y);
    a.model.weights.forEach((W, i) => expect(same(W, b.model.weights[i] as Matrix<Rational>)).toBe(true));
    expect(same(a.model.data.inputs, b.model.data.inputs)).toBe(true);
    expect(same(a.model.data.targets, b.model.data.targets)).toBe(true);
    expect(b.model.stateDict).toEqual(a.model.stateDict);
    // the same for a two-layer model with class labels (1-D int64 targets)
    const tl = importModel(readTensorFile(fixture('twolayer_relu_f32.npz')), { kind: 'two-layer', activation: 'relu', loss: 'cross-entropy', data: readTensorFile(fixture('twolayer_data_ce.npz')) });
    writeFilesAtomic(importedModelFiles(tl, join(dir, 'tl.json'), 'file'));
    const c = loadAnySource(join(dir, 'tl.json'));
    if (c.family !== 'two-layer' || tl.model.family !== 'two-layer') throw new Error('expected a two-layer model');
    expect(c.model.data.targets).toEqual(tl.model.model.data.targets);
    expect(equals(Q, c.model.weights[1], tl.model.model.weights[1])).toBe(true);
  });

  test('a value imported from float32 is exactly its binary value (element [0, 0] of layers.0.weight)', () => {
    const any = load('dln_f32.npz', 'dln_data.npz', 'dln');
    const t = readTensorFile(fixture('dln_f32.npz')).tensors[0];
    const q = any.model.weights[0].data[0] as Rational;
    // x = m·2^e with |m| < 2^24: the denominator is a power of two and q·den is the integer m.
    expect(q.den & (q.den - 1n)).toBe(0n);
    expect(Number(q.num) / Number(q.den)).toBe(t?.values[0]);
  });
});

describe('vectors to tensors', () => {
  test('--order row is torch’s parameters_to_vector order: our H·v, exported row-major, equals torch’s', () => {
    const any = load('dln_f32.npz', 'dln_data.npz', 'dln');
    if (any.family !== 'deep-linear') throw new Error('expected a deep linear model');
    const vRow = expected.hvp.v.map(fromHex);
    // Independently of the exporter: torch's flat v is each weight (out × in) row-major, layer after
    // layer; θ is each weight column-major. Entry (r, c) of layer l: row index off + r·in + c, θ index off + r + out·c.
    const vCol = new Array<number>(vRow.length);
    let off = 0;
    for (const W of any.model.weights) {
      for (let r = 0; r < W.rows; r++) for (let c = 0; c < W.cols; c++) vCol[off + r + W.rows * c] = vRow[off + r * W.cols + c] as number;
      off += W.rows * W.cols;
    }
    const hvCol = hessianVectorProduct(preparePoint(F64, specFromModel(toFloat64Model(any.model))), vCol);
    const flat = vectorTensors([{ name: 'hvp', values: hvCol }], any, { layout: 'flat', order: 'row' }).tensors[0];
    const torchHv = expected.hvp.hv.map(fromHex);
    const scale = Math.max(...torchHv.map(Math.abs));
    Array.from(flat?.values ?? []).forEach((x, k) => expect(Math.abs(x - (torchHv[k] as number))).toBeLessThan(1e-13 * scale));
  });

  test('per-layer tensors are the column-major θ blocks reshaped to (out, in); row order concatenates them', () => {
    const any = load('dln_f32.npz', 'dln_data.npz', 'dln'); // widths 3, 4, 4, 2: 12 + 16 + 8 = 36
    const theta = Array.from({ length: 36 }, (_, k) => k + 1);
    const vectors = resultVectors({ product: theta }, 'hvp.json');
    const { tensors } = vectorTensors(vectors, any, { layout: 'both', order: 'row' });
    const byName = new Map(tensors.map((t) => [t.name, t]));
    // W_1 is 4×3: θ entry 1 + i + 4j (1-based values) sits at row i, column j.
    const w1 = byName.get('hvp/layers.0.weight');
    expect(w1?.shape).toEqual([4, 3]);
    expect(Array.from(w1?.values ?? [])).toEqual([1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12]);
    const w3 = byName.get('hvp/layers.2.weight'); // 2×4, offset 28
    expect(Array.from(w3?.values ?? [])).toEqual([29, 31, 33, 35, 30, 32, 34, 36]);
    const flat = Array.from(byName.get('hvp')?.values ?? []);
    expect(flat.slice(0, 12)).toEqual([1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12]);
    expect(flat.slice(28)).toEqual([29, 31, 33, 35, 30, 32, 34, 36]);
    const col = vectorTensors(vectors, any, { layout: 'flat' }).tensors;
    expect(col.map((t) => t.name)).toEqual(['hvp']);
    expect(Array.from(col[0]?.values ?? [])).toEqual(theta);
  });

  test('spectrum eigenvectors and directions files are found by name', () => {
    expect(resultVectors({ top: { pairs: [{ eigenvector: [1, 2] }, { eigenvector: [3, 4] }] }, bottom: { pairs: [{ eigenvector: [5, 6] }] } }, 's.json').map((v) => v.name)).toEqual(['top.0', 'top.1', 'bottom.0']);
    expect(resultVectors({ directions: [[1], [2]] }, 'd.json').map((v) => v.name)).toEqual(['directions.0', 'directions.1']);
    expect(() => resultVectors({ eigenvalue: 3 }, 'x.json')).toThrow(/no parameter-space vectors found/);
  });
});

describe('CLI', () => {
  test('import, check, hessian-vector --out, export of the model and of the product', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interop-cli-'));
    const model = join(dir, 'm.json');
    const r = runCli('import', fixture('dln_f32.npz'), '--kind', 'dln', '--data', fixture('dln_data.npz'), '--out', model);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('widths 3 → 4 → 4 → 2, n = 5 samples');
    expect(runCli('check', model).code).toBe(0);
    const w = runCli('export', model, '--out', join(dir, 'w.npz'));
    expect(w.code).toBe(0);
    expect(w.stdout).toContain('exact');
    const original = readTensorFile(fixture('dln_f32.npz'));
    const back = readTensorFile(join(dir, 'w.npz'));
    back.tensors.forEach((t, k) => expect(Array.from(t.values)).toEqual(Array.from(original.tensors[k]?.values ?? [])));
    expect((await runCliAsync('hessian-vector', model, '--out', join(dir, 'hvp.json'))).code).toBe(0);
    const v = runCli('export', join(dir, 'hvp.json'), '--model', model, '--to', 'safetensors', '--out', join(dir, 'hvp.safetensors'));
    expect(v.code).toBe(0);
    const hv = readTensorFile(join(dir, 'hvp.safetensors'));
    expect(hv.tensors.map((t) => t.name)).toEqual(['hvp', 'hvp/layers.0.weight', 'hvp/layers.1.weight', 'hvp/layers.2.weight']);
    expect(Array.from(hv.tensors[0]?.values ?? [])).toEqual((JSON.parse(readFileSync(join(dir, 'hvp.json'), 'utf8')) as { product: number[] }).product);
  });

  test('export rounds a rational model to float64 and says how many entries changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interop-cli-'));
    const r = runCli('export', 'example:dln-data-depth2', '--to', 'npz', '--out', join(dir, 'x.npz'), '--dtype', 'float16');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/values {7}(exact|\d+ of \d+ entries rounded to nearest)/);
    expect(readTensorFile(join(dir, 'x.npz')).tensors.map((t) => t.name)).toEqual(['layers.0.weight', 'layers.1.weight']);
  });
});

describe('layer order and layouts', () => {
  const dmfData = (d0: number, dN: number) => parseTensorFile(encodeTensorFile('npz', [{ name: 'target', dtype: 'float64', shape: [dN, d0], values: new Array<number>(d0 * dN).fill(1) }]), 'target.npz');

  test('Flax kernels (in, out) are transposed on import and written back (in, out), bit for bit', () => {
    const k0 = { name: 'params.Dense_0.kernel', dtype: 'float32' as const, shape: [3, 2], values: [1, 2, 3, 4, 5, 6] }; // in = 3, out = 2
    const k1 = { name: 'params.Dense_1.kernel', dtype: 'float32' as const, shape: [2, 1], values: [7, 8] };
    const weights = parseTensorFile(encodeTensorFile('npz', [k0, k1]), 'flax.npz');
    const imp = importModel(weights, { kind: 'dmf', data: dmfData(3, 1) });
    const W1 = imp.model.model.weights[0];
    // W_1 = kernelᵀ is 2×3: (W_1)_{ij} = kernel[j][i]; column-major data (i + 2j).
    expect([W1.rows, W1.cols]).toEqual([2, 3]);
    // (W_1)_{ij} = kernel[j][i] = values[2j + i], and column-major data[i + 2j] is that: the same sequence
    expect(W1.data.map((q) => q.toNumber())).toEqual([1, 2, 3, 4, 5, 6]);
    const back = modelTensors(imp.model).tensors;
    expect(back.map((t) => [t.name, t.shape])).toEqual([
      ['params.Dense_0.kernel', [3, 2]],
      ['params.Dense_1.kernel', [2, 1]],
    ]);
    expect(Array.from(back[0]?.values ?? [])).toEqual(k0.values);
  });

  test('--layers gives the order; safetensors without recorded order use the natural order of names', () => {
    // 12 square layers named layers.0 … layers.11 with distinct values; save_file would store them sorted as strings.
    const layers = Array.from({ length: 12 }, (_, i) => ({ name: `layers.${i}.weight`, dtype: 'float64' as const, shape: [1, 1], values: [i + 1] }));
    const sorted = layers.slice().sort((a, b) => (a.name < b.name ? -1 : 1)); // layers.0, layers.1, layers.10, layers.11, layers.2, …
    const bytes = encodeTensorFile('safetensors', sorted);
    // drop the recorded order, as a file written by safetensors.torch.save_file has none
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, unknown>;
    delete header.__metadata__;
    const h = new TextEncoder().encode(JSON.stringify(header));
    const plain = new Uint8Array(8 + h.length + bytes.length - 8 - headerLen);
    new DataView(plain.buffer).setBigUint64(0, BigInt(h.length), true);
    plain.set(h, 8);
    plain.set(bytes.subarray(8 + headerLen), 8 + h.length);
    const natural = importModel(parseTensorFile(plain, 'w.safetensors'), { kind: 'dmf', data: dmfData(1, 1) });
    expect(natural.model.model.weights.map((w) => w.data[0]?.toNumber())).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // the recorded order (what export writes) wins
    const recorded = importModel(parseTensorFile(bytes, 'w.safetensors'), { kind: 'dmf', data: dmfData(1, 1) });
    expect(recorded.model.model.weights.map((w) => w.data[0]?.toNumber())).toEqual(sorted.map((t) => t.values[0]));
    // --layers picks and orders explicitly
    const chosen = importModel(parseTensorFile(bytes, 'w.safetensors'), { kind: 'dmf', data: dmfData(1, 1), layers: layers.map((l) => l.name).reverse() });
    expect(chosen.model.model.weights.map((w) => w.data[0]?.toNumber())).toEqual(Array.from({ length: 12 }, (_, i) => 12 - i));
  });
});

test('one output: float targets of shape (n,) are the (n, 1) column, inline and referenced alike', () => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-1d-'));
  const w = parseTensorFile(encodeTensorFile('npz', [{ name: 'fc.weight', dtype: 'float32', shape: [1, 2], values: [0.5, -1] }]), 'w.npz');
  const data = parseTensorFile(
    encodeTensorFile('npz', [
      { name: 'inputs', dtype: 'float64', shape: [3, 2], values: [1, 2, 3, 4, 5, 6] },
      { name: 'targets', dtype: 'float64', shape: [3], values: [0.25, -1, 2] },
    ]),
    'd.npz',
  );
  const imp = importModel(w, { kind: 'dln', data });
  writeFilesAtomic(importedModelFiles(imp, join(dir, 'r.json'), 'file'));
  for (const any of [imp.model, loadAnySource(join(dir, 'r.json'))]) {
    if (any.family !== 'deep-linear' || any.model.kind !== 'dln') throw new Error('expected dln');
    const Y = any.model.data.targets;
    expect([Y.rows, Y.cols]).toEqual([1, 3]);
    expect(Y.data.map((q) => q.toNumber())).toEqual([0.25, -1, 2]);
  }
});

test('cross-entropy: one-hot rows give the same model as class indices, and are kept one-hot in both forms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-onehot-'));
  const idx = readTensorFile(fixture('twolayer_data_ce.npz'));
  const labels = Array.from(idx.tensors.find((t) => t.name === 'targets')?.values ?? []);
  const inputs = idx.tensors.find((t) => t.name === 'inputs');
  if (inputs === undefined) throw new Error('fixture without inputs');
  const oneHot = labels.flatMap((y) => [0, 1, 2].map((a) => (a === y ? 1 : 0)));
  const data = parseTensorFile(encodeTensorFile('npz', [inputs, { name: 'targets', dtype: 'float32', shape: [labels.length, 3], values: oneHot }]), 'oh.npz');
  const w = readTensorFile(fixture('twolayer_tanh_f32.npz'));
  const a = importModel(w, { kind: 'two-layer', activation: 'tanh', loss: 'cross-entropy', data });
  const b = importModel(w, { kind: 'two-layer', activation: 'tanh', loss: 'cross-entropy', data: idx });
  if (a.model.family !== 'two-layer' || b.model.family !== 'two-layer') throw new Error('expected two-layer');
  expect(a.model.model.data.targets).toEqual({ kind: 'labels', labels, format: 'one-hot' });
  expect(eigenvalues(a.model)).toEqual(eigenvalues(b.model));
  writeFilesAtomic(importedModelFiles(a, join(dir, 'r.json'), 'file'));
  writeFilesAtomic(importedModelFiles(a, join(dir, 'i.json'), 'inline'));
  for (const p of ['r.json', 'i.json']) {
    const c = loadAnySource(join(dir, p));
    if (c.family !== 'two-layer') throw new Error('expected two-layer');
    expect(c.model.data.targets).toEqual({ kind: 'labels', labels, format: 'one-hot' });
  }
});
