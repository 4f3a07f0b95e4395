/**
 * Two-layer network benchmarks (issue: two-layer networks and layer-wise Hessian structure):
 * the structure report (both layers, exact blocks against E[xxᵀ] ⊗ E[M], top-10 eigenpairs, reshaped
 * eigenvectors, centred inputs) and the top of the full Hessian at d = 64, h = 256, c = 10, n = 1000
 * (18 944 parameters: the dense full Hessian would take 2.9 GB, so it is matrix-free), and the dense
 * full Hessian where it fits (d = 16, h = 64, c = 10, n = 1000: 1664 parameters).
 */
import { F64 } from '../../../src/field/field.js';
import { twoLayerHessian } from '../../../src/twolayer/dense.js';
import { twoLayerLayerFactors } from '../../../src/twolayer/layer-factors.js';
import { twoLayerNetwork } from '../../../src/families/two-layer.js';
import { topFullHessianEigenpairs } from '../../../src/structure/model-overlap.js';
import { toDecimalModel, sampleTwoLayerModel } from '../../../src/twolayer/sample.js';
import { prepareTwoLayerPoint } from '../../../src/twolayer/point.js';
import { analyzeStructure } from '../../../src/structure/structure.js';
import { type BenchCase, type BenchMeasurement, measure } from '../harness.js';

const BIG = { d: 64, h: 256, c: 10, n: 1000, activation: 'relu' as const, loss: 'cross-entropy' as const, seed: 1, dataSeed: 2 };

/** Peak resident set size of the whole process so far, in MiB (`getrusage` maxrss). */
function maxRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

const structureCase: BenchCase = {
  group: 'two-layer',
  name: 'structure report, d = 64, h = 256, c = 10, n = 1000 (ReLU, cross-entropy, k = 10, with centring)',
  run(): BenchMeasurement {
    const model = sampleTwoLayerModel(BIG);
    const t = measure(
      () => {
        const pt = prepareTwoLayerPoint(F64, model);
        return analyzeStructure(twoLayerLayerFactors(pt), { top: 10 });
      },
      { warmup: 0, repetitions: 1 },
    );
    const r = t.result;
    const l1 = r.layers[0];
    const l2 = r.layers[1];
    const notes = [l1, l2]
      .map((l) =>
        l === undefined
          ? ''
          : `layer ${l.layer}: error ${l.kroneckerRelativeError.toFixed(3)} (${l.errorMethod}), overlap ${l.topOverlap.toFixed(3)}, ${l.solver.method} ${l.solver.matvecs} products` +
            (l.centred !== undefined ? `, centred ${l.centred.solver.matvecs} products` : ''),
      )
      .join('; ');
    return {
      seconds: t.best,
      target: { description: 'under 10 s', met: t.best < 10 },
      notes: `${notes}; process peak RSS ${maxRssMiB().toFixed(0)} MiB`,
      peakRssMiB: t.peakRssMiB,
    };
  },
};

const fullTopCase: BenchCase = {
  group: 'two-layer',
  name: 'full Hessian, top 10 eigenpairs by block Lanczos on the HVP, d = 64, h = 256, c = 10, n = 1000 (18944 parameters)',
  run(): BenchMeasurement {
    const model = toDecimalModel(sampleTwoLayerModel(BIG));
    const t = measure(() => topFullHessianEigenpairs(twoLayerNetwork(model, 'sampled'), 10), { warmup: 0, repetitions: 1 });
    return {
      seconds: t.best,
      metric: { name: 'Hessian–vector products', value: t.result.matvecs, unit: 'products' },
      notes: `λ_1..3 = ${t.result.values.slice(0, 3).map((x) => x.toPrecision(5)).join(', ')}; converged ${t.result.converged}; process peak RSS ${maxRssMiB().toFixed(0)} MiB`,
      peakRssMiB: t.peakRssMiB,
    };
  },
};

const denseFullCase: BenchCase = {
  group: 'two-layer',
  name: 'dense full Hessian (all blocks), d = 16, h = 64, c = 10, n = 1000 (1664 parameters)',
  run(): BenchMeasurement {
    const model = sampleTwoLayerModel({ ...BIG, d: 16, h: 64 });
    const t = measure(() => twoLayerHessian(prepareTwoLayerPoint(F64, model)), { warmup: 1, repetitions: 3, maxSeconds: 30 });
    return {
      seconds: t.best,
      metric: { name: 'entries per second', value: t.result.data.length / t.best, unit: 'entries/s' },
      notes: `median ${t.median.toFixed(2)} s; ${t.result.rows}×${t.result.cols}`,
      peakRssMiB: t.peakRssMiB,
    };
  },
};

/** The two-layer benchmark cases. */
export const twoLayerCases: BenchCase[] = [structureCase, fullTopCase, denseFullCase];
