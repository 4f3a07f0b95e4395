/**
 * Layer-block machinery against independent references: the factored blocks against the closed-form
 * blocks of src/twolayer/dense.ts and of src/hessian (deep linear nets), products and Frobenius
 * norms against the dense blocks, the block-Lanczos solver against a dense eigen-decomposition, and
 * the Kronecker eigenpairs against the eigen-decomposition of the assembled Kronecker product.
 */
import { F64, Q } from '../../src/field/field.js';
import { hessianBlocks, preparePoint, type NetworkSpec } from '../../src/hessian/index.js';
import { at, kron, map, scale, type Matrix } from '../../src/linalg/matrix.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { blockTopEigenpairs } from '../../src/spectral/block-eigen.js';
import { hessianBlock11, hessianBlock22 } from '../../src/twolayer/dense.js';
import {
  blockFrobeniusSq,
  blockKroneckerInner,
  centredInputs,
  curvatureGram,
  denseLayerBlock,
  inputSecondMoment,
  layerMatvec,
  layerOperator,
  meanCurvature,
  withInputs,
  type LayerFactors,
} from '../../src/structure/layer-block.js';
import { deepLinearLayerFactors, twoLayerLayerFactors } from '../../src/twolayer/layer-factors.js';
import { ACTIVATIONS, convertTwoLayerModel } from '../../src/twolayer/model.js';
import { subspaceOverlap } from '../../src/structure/overlap.js';
import { prepareTwoLayerPoint } from '../../src/twolayer/point.js';
import { analyzeLayerStructure } from '../../src/structure/structure.js';
import { topKroneckerEigenpairs } from '../../src/structure/top-eigen.js';
import { randomExactModel, randomFloatModel } from '../twolayer/helpers.js';

const dims = { d: 3, h: 5, c: 3, n: 7 };

function maxDiff(A: Matrix<number>, B: Matrix<number>): number {
  let m = 0;
  A.data.forEach((x, k) => (m = Math.max(m, Math.abs(x - (B.data[k] as number)))));
  return m;
}
function maxAbs(A: Matrix<number>): number {
  return A.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

describe('factored layer blocks equal the closed-form blocks', () => {
  const cases = ACTIVATIONS.flatMap((a) => (['squared', 'cross-entropy'] as const).map((l) => [a, l] as const));
  test.each(cases)('two-layer %s, %s: H_11 and H_22', (activation, loss) => {
    const pt = prepareTwoLayerPoint(F64, randomFloatModel(2, dims, activation, loss));
    const [f1, f2] = twoLayerLayerFactors(pt);
    const H11 = hessianBlock11(pt);
    const H22 = hessianBlock22(pt);
    expect(maxDiff(denseLayerBlock(f1), H11)).toBeLessThan(1e-14 * (1 + maxAbs(H11)) * dims.n);
    expect(maxDiff(denseLayerBlock(f2), H22)).toBeLessThan(1e-14 * (1 + maxAbs(H22)) * dims.n);
  });

  test('deep linear network with data and DMF: diagonal blocks of src/hessian', () => {
    const m = randomExactModel(4, { d: 2, h: 3, c: 2, n: 5 }, 'identity');
    const t = m.data.targets;
    if (t.kind !== 'values') throw new Error('unreachable');
    const specs: NetworkSpec<number>[] = [
      { weights: [map(m.weights[0], (x) => x.toNumber()), map(m.weights[1], (x) => x.toNumber())], objective: { kind: 'dln', inputs: map(m.data.inputs, (x) => x.toNumber()), targets: map(t.values, (x) => x.toNumber()) }, reduction: 'sample-mean' },
      { weights: [map(m.weights[0], (x) => x.toNumber()), map(m.weights[1], (x) => x.toNumber())], objective: { kind: 'dmf', target: map(m.weights[1], (x) => x.toNumber() * 0) as Matrix<number> }, reduction: 'half' },
    ];
    // The DMF target must be d_N × d_0 = 2 × 2.
    specs[1] = { ...(specs[1] as NetworkSpec<number>), objective: { kind: 'dmf', target: { rows: 2, cols: 2, data: [1, 0, 0.5, 2] } } };
    for (const spec of specs) {
      const blocks = hessianBlocks(preparePoint(F64, spec));
      deepLinearLayerFactors(spec).forEach((f, i) => {
        const ref = (blocks[i] as Matrix<number>[])[i] as Matrix<number>;
        expect(maxDiff(denseLayerBlock(f), ref)).toBeLessThan(1e-13 * (1 + maxAbs(ref)));
      });
    }
  });
});

describe('operations on a factored block against its dense form', () => {
  const pt = prepareTwoLayerPoint(F64, randomFloatModel(9, dims, 'tanh', 'cross-entropy'));
  const layers = twoLayerLayerFactors(pt);
  test.each([0, 1])('layer %i: product, Frobenius norm, inner product with K', (i) => {
    const f = layers[i] as LayerFactors;
    const H = denseLayerBlock(f);
    const D = H.rows;
    const v = Float64Array.from({ length: D }, (_, k) => Math.cos(k + 0.5));
    const Hv = layerMatvec(f, v);
    for (let r = 0; r < D; r++) {
      let ref = 0;
      for (let c = 0; c < D; c++) ref += at(H, r, c) * (v[c] as number);
      expect(Math.abs((Hv[r] as number) - ref)).toBeLessThan(1e-13 * (1 + maxAbs(H)) * D);
    }
    const fro2 = H.data.reduce((a, x) => a + x * x, 0);
    expect(Math.abs(blockFrobeniusSq(f, curvatureGram(f)) - fro2)).toBeLessThan(1e-12 * fro2);
    const Sx = inputSecondMoment(f);
    const Mbar = meanCurvature(f);
    const K = scale(F64, f.n * f.weight, kron(F64, Sx, Mbar));
    const inner = H.data.reduce((a, x, k) => a + x * (K.data[k] as number), 0);
    expect(Math.abs(blockKroneckerInner(f, Sx, Mbar) - inner)).toBeLessThan(1e-12 * Math.abs(inner));
  });

  test('the centred block is w Σ (x̃ x̃ᵀ) ⊗ M_s with x̃ = x − E[x] (entrywise from the definition)', () => {
    const f = layers[0] as LayerFactors;
    const Hc = denseLayerBlock(withInputs(f, centredInputs(f)));
    const { rows: q, cols: p, n } = f;
    const mean = Array.from({ length: p }, (_, j) => {
      let s = 0;
      for (let t = 0; t < n; t++) s += f.X[j + p * t] as number;
      return s / n;
    });
    // w·M_s of each sample: the block of a one-sample, one-input layer with input 1.
    const wM = Array.from({ length: n }, (_, s) =>
      denseLayerBlock({
        layer: f.layer,
        name: f.name,
        rows: q,
        cols: 1,
        n: 1,
        weight: f.weight,
        X: Float64Array.of(1),
        rank: f.rank,
        Q: f.perSample ? f.Q.slice(s * q * f.rank, (s + 1) * q * f.rank) : f.Q,
        perSample: false,
        beta: f.beta === null ? null : f.beta.slice(q * s, q * (s + 1)),
        description: '',
      }),
    );
    const D = p * q;
    let worst = 0;
    for (let l = 0; l < p; l++)
      for (let k = 0; k < q; k++)
        for (let j = 0; j < p; j++)
          for (let i = 0; i < q; i++) {
            let ref = 0;
            for (let s = 0; s < n; s++) {
              const xj = (f.X[j + p * s] as number) - (mean[j] as number);
              const xl = (f.X[l + p * s] as number) - (mean[l] as number);
              ref += xj * xl * at(wM[s] as Matrix<number>, i, k);
            }
            worst = Math.max(worst, Math.abs(ref - (Hc.data[i + q * j + D * (k + q * l)] as number)));
          }
    expect(worst).toBeLessThan(1e-13 * (1 + maxAbs(Hc)) * n);
  });
});

describe('eigenpairs', () => {
  test('block Lanczos matches the dense eigen-decomposition (top 4 of a 60-dimensional block)', () => {
    const pt = prepareTwoLayerPoint(F64, randomFloatModel(12, { d: 6, h: 10, c: 3, n: 40 }, 'relu', 'cross-entropy'));
    const f = twoLayerLayerFactors(pt)[0];
    const H = denseLayerBlock(f);
    const e = symmetricEigen(H);
    const D = H.rows;
    const res = blockTopEigenpairs(layerOperator(f), { k: 4, blockSize: 6, tolerance: 1e-10 });
    expect(res.converged).toBe(true);
    const top = [1, 2, 3, 4].map((t) => e.values[D - t] as number);
    res.values.forEach((v, t) => expect(Math.abs(v - (top[t] as number))).toBeLessThan(1e-9 * (top[0] as number)));
    const denseVectors = [1, 2, 3, 4].map((t) => e.vectors.data.slice((D - t) * D, (D - t + 1) * D));
    expect(subspaceOverlap(res.vectors, denseVectors)).toBeCloseTo(1, 8);
  });

  test('Kronecker eigenpairs equal those of the assembled c·A ⊗ B; eigenvectors reshape to rank one', () => {
    const A = { rows: 3, cols: 3, data: [2, 1, 0, 1, 3, 1, 0, 1, 1] };
    const B = { rows: 2, cols: 2, data: [1, -0.5, -0.5, 2] };
    const K = scale(F64, 0.5, kron(F64, A, B));
    const e = symmetricEigen(K);
    const top = topKroneckerEigenpairs(0.5, A, B, 3);
    top.values.forEach((v, t) => expect(v).toBeCloseTo(e.values[5 - t] as number, 12));
    for (const v of top.vectors) {
      const Kv = Array.from({ length: 6 }, (_, r) => v.reduce((s, x, c) => s + at(K, r, c) * x, 0));
      const lambda = Kv.reduce((s, x, r) => s + x * (v[r] as number), 0);
      Kv.forEach((x, r) => expect(x).toBeCloseTo(lambda * (v[r] as number), 12));
    }
  });
});

describe('structure report', () => {
  test('deep linear network: H_l = E[xxᵀ] ⊗ E[M] (error 0, overlap 1, rank-one eigenvectors)', () => {
    const m = randomExactModel(6, { d: 3, h: 4, c: 2, n: 6 }, 'identity');
    const t = m.data.targets;
    if (t.kind !== 'values') throw new Error('unreachable');
    const spec: NetworkSpec<number> = {
      weights: [map(m.weights[0], (x) => x.toNumber()), map(m.weights[1], (x) => x.toNumber())],
      objective: { kind: 'dln', inputs: map(m.data.inputs, (x) => x.toNumber()), targets: map(t.values, (x) => x.toNumber()) },
      reduction: 'half',
    };
    for (const f of deepLinearLayerFactors(spec)) {
      const s = analyzeLayerStructure(f, { top: 3 });
      expect(s.kroneckerRelativeError).toBe(0);
      expect(s.errorMethod).toBe('structural');
      expect(s.topOverlap).toBeCloseTo(1, 12);
      for (const r of s.singularValueRatios) expect(r).toBeLessThan(1e-7);
      // Independent: the dense block's top eigenvalues.
      const e = symmetricEigen(denseLayerBlock(f));
      const D = f.rows * f.cols;
      s.topEigenvalues.forEach((v, i) => expect(v).toBeCloseTo(e.values[D - 1 - i] as number, 10));
    }
  });

  test('two-layer, large block via the sample Gram and block Lanczos agrees with the dense path', () => {
    const pt = prepareTwoLayerPoint(F64, randomFloatModel(3, { d: 8, h: 12, c: 3, n: 30 }, 'sigmoid', 'cross-entropy'));
    const f = twoLayerLayerFactors(pt)[0];
    const dense = analyzeLayerStructure(f, { top: 3, denseUpTo: 1000 });
    const krylov = analyzeLayerStructure(f, { top: 3, denseUpTo: 10, tolerance: 1e-10 });
    expect(dense.errorMethod).toBe('dense');
    expect(krylov.errorMethod).toBe('gram');
    expect(krylov.kroneckerRelativeError).toBeCloseTo(dense.kroneckerRelativeError, 6);
    krylov.topEigenvalues.forEach((v, i) => expect(v).toBeCloseTo(dense.topEigenvalues[i] as number, 9));
    expect(krylov.topOverlap).toBeCloseTo(dense.topOverlap, 6);
    expect(krylov.centred?.kroneckerRelativeError).toBeCloseTo(dense.centred?.kroneckerRelativeError ?? NaN, 6);
  });

  test('exact rational H_11 of a quadratic network equals the float factored block rounded', () => {
    const m = randomExactModel(8, { d: 2, h: 3, c: 2, n: 4 }, 'quadratic');
    const Hq = hessianBlock11(prepareTwoLayerPoint(Q, m));
    const f = twoLayerLayerFactors(prepareTwoLayerPoint(F64, convertTwoLayerModel(m, (x) => x.toNumber())))[0];
    const Hf = denseLayerBlock(f);
    Hq.data.forEach((x, k) => expect(Math.abs(x.toNumber() - (Hf.data[k] as number))).toBeLessThan(1e-12 * (1 + Math.abs(x.toNumber()))));
  });
});
