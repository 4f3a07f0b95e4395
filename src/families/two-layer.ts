import { twoLayerReference } from '../autodiff/crosscheck.js';
import { twoLayerTrainable } from '../dynamics/two-layer-trainable.js';
import { twoLayerDeviceModel } from '../autodiff/device-model.js';
import { F64, Q, type Field } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { assertDenseFits, DEFAULT_DENSE_LIMITS, DEFAULT_EXACT_LIMITS, type ExactLimits } from '../hessian/limits.js';
import { frobeniusSq, map, mul, sub, transpose, type Matrix } from '../linalg/matrix.js';
import { assembleHessianReport, type HessianBlock, type HessianParts } from '../reports/hessian-report.js';
import { fullHessianSharpness } from '../sharpness/full-hessian.js';
import { NotExactError } from '../twolayer/point.js';
import { twoLayerHessianBlocks, twoLayerHessian } from '../twolayer/dense.js';
import { assertTwoLayerExactFits } from '../twolayer/limits.js';
import { modelLayers } from '../twolayer/model-layers.js';
import { supportsExact, toFloat64TwoLayer, twoLayerDims, type TwoLayerModel } from '../twolayer/model.js';
import { prepareTwoLayerPoint, twoLayerGradientVector, twoLayerLoss } from '../twolayer/point.js';
import { twoLayerCurvatureProblem } from '../twolayer/problem.js';
import { classifyResidual, gamma, type MinimizerTest, type ResidualEvidence } from './minimizer.js';
import type { Network, NetworkDescription } from './network.js';

const fro = (A: Matrix<number>): number => Math.sqrt(frobeniusSq(F64, A));

/** `sup |σ'|` on the pre-activations met (the Lipschitz constant that carries their rounding to `σ(Z)`). */
function activationLipschitz(model: TwoLayerModel<number>, Z: Matrix<number>): number {
  switch (model.activation) {
    case 'sigmoid':
      return 0.25;
    case 'quadratic':
      return 2 * Z.data.reduce((m, z) => Math.max(m, Math.abs(z)), 0);
    default:
      return 1;
  }
}

/**
 * The minimizer test of a two-layer network (`families/minimizer.ts`): squared loss only (the
 * cross-entropy loss is positive everywhere). `R = W_2 σ(W_1 X) − Y` in binary64; rounding bound
 * `γ_k (‖|W_2||σ(Z)|‖_F + L‖|W_2||W_1||X|‖_F) + u‖Y‖_F` with `k = d + h + 4` (the entries, the two
 * products, the activation's own few ulps) and `L = sup|σ'|` over the pre-activations.
 */
export function twoLayerMinimizerTest(model: TwoLayerModel<Rational>, options: { exact?: boolean; limits?: ExactLimits } = {}): MinimizerTest {
  const fm = toFloat64TwoLayer(model);
  const limits = options.limits ?? DEFAULT_EXACT_LIMITS;
  const zeroLossPossible = model.loss !== 'cross-entropy' && fm.data.targets.kind === 'values';
  const exactLoss =
    zeroLossPossible && options.exact === true && supportsExact(model) && twoLayerDims(fm).params <= limits.maxParams
      ? (() => {
          try {
            const L = twoLayerLoss(prepareTwoLayerPoint(Q, model));
            return { isZero: L.isZero(), text: L.toString() };
          } catch (e) {
            if (e instanceof NotExactError) return undefined; // e.g. a ReLU kink: decided in float
            throw e;
          }
        })()
      : undefined;
  return classifyResidual({ ...twoLayerResidualEvidence(fm), ...(exactLoss !== undefined ? { exactLoss } : {}) });
}

/** The same test at any binary64 point (e.g. a step of a training run), without the exact loss. */
export function twoLayerMinimizerTestF64(fm: TwoLayerModel<number>): MinimizerTest {
  return classifyResidual(twoLayerResidualEvidence(fm));
}

function twoLayerResidualEvidence(fm: TwoLayerModel<number>): ResidualEvidence {
  if (fm.loss === 'cross-entropy' || fm.data.targets.kind !== 'values') {
    return { residualNorm: Number.NaN, targetNorm: 1, roundingBound: 0, noZeroLoss: 'the cross-entropy loss is positive at every finite point: it has no zero-loss minimizer' };
  }
  const pt = prepareTwoLayerPoint(F64, fm, { kinkPolicy: 'convention' });
  const Y = fm.data.targets.values;
  const abs = (A: Matrix<number>): Matrix<number> => map(A, Math.abs);
  const [W1, W2] = fm.weights;
  const { d, h } = pt.dims;
  const scale = fro(mul(F64, abs(W2), abs(pt.A1))) + activationLipschitz(fm, pt.Z) * fro(mul(F64, abs(W2), mul(F64, abs(W1), abs(fm.data.inputs))));
  return {
    residualNorm: fro(sub(F64, pt.out, Y)),
    targetNorm: fro(Y),
    roundingBound: gamma(d + h + 4) * scale + F64.unitRoundoff * fro(Y),
  };
}

function hessianParts<S>(F: Field<S>, model: TwoLayerModel<S>, withBlocks: boolean): HessianParts<S> {
  const pt = prepareTwoLayerPoint(F, model);
  const g = twoLayerGradientVector(pt);
  const g2 = g.reduce((s, x) => F.add(s, F.mul(x, x)), F.zero);
  const blocks: HessianBlock<S>[] = [];
  if (withBlocks) {
    const { H11, H12, H22 } = twoLayerHessianBlocks(pt);
    blocks.push({ row: 1, col: 1, matrix: H11 }, { row: 1, col: 2, matrix: H12 }, { row: 2, col: 1, matrix: transpose(H12) }, { row: 2, col: 2, matrix: H22 });
  }
  const { d, h, c } = pt.dims;
  return { H: twoLayerHessian(pt), blocks, loss: twoLayerLoss(pt), g2, widths: [d, h, c] };
}

/** A two-layer network `f(x) = W_2 σ(W_1 x)` as a {@link Network}. */
export function twoLayerNetwork(model: TwoLayerModel<Rational>, source: string): Network {
  const problem = twoLayerCurvatureProblem(model, `two-layer network, ${model.activation} activation, ${model.loss} loss (${source})`);
  const any = { family: 'two-layer', model } as const;
  const dims = twoLayerDims(model);
  const fmodel = (): TwoLayerModel<number> => toFloat64TwoLayer(model);
  const exactFits = (limits: ExactLimits): boolean => supportsExact(model) && dims.params <= limits.maxParams;
  return {
    ...problem,
    family: 'two-layer',
    source,
    model: any,
    gradient: () => Float64Array.from(twoLayerGradientVector(problem.point)),
    minimizerTest: (options = {}) => twoLayerMinimizerTest(model, options),
    describe: (limits): NetworkDescription => {
      const minimizer = twoLayerMinimizerTest(model, { exact: true, limits });
      const rows = [
        { label: 'kind', value: `two-layer network f(x) = W_2 σ(W_1 x), ${model.activation} activation, ${model.loss} loss` },
        { label: 'dimensions', value: `d = ${dims.d}, h = ${dims.h}, c = ${dims.c}, n = ${dims.n} samples` },
        { label: 'parameters', value: String(dims.params) },
        ...(model.loss === 'squared' ? [{ label: 'loss scale', value: model.lossScale === 'half' ? '½‖·‖² (half)' : '‖·‖² (sum)' }] : []),
      ];
      const fields = { activation: model.activation, lossFunction: model.loss, dims: { d: dims.d, h: dims.h, c: dims.c, n: dims.n }, lossScale: model.lossScale };
      let exact: { loss: Rational; g2: Rational } | undefined;
      if (exactFits(limits)) {
        try {
          const pt = prepareTwoLayerPoint(Q, model);
          const g = twoLayerGradientVector(pt);
          exact = { loss: twoLayerLoss(pt), g2: g.reduce((s, x) => s.add(x.mul(x)), Q.zero) };
        } catch (e) {
          if (!(e instanceof NotExactError)) throw e;
        }
      }
      const base = { family: 'two-layer' as const, kind: 'two-layer', params: dims.params, rows, fields, minimizer, warnings: problem.warnings };
      if (exact !== undefined) {
        return { ...base, loss: exact.loss.toNumber(), lossExact: exact.loss.toString(), gradientNorm: Math.sqrt(exact.g2.toNumber()), gradientNormSqExact: exact.g2.toString() };
      }
      const g = twoLayerGradientVector(problem.point);
      return { ...base, loss: twoLayerLoss(problem.point), gradientNorm: Math.sqrt(g.reduce((s, x) => s + x * x, 0)) };
    },
    hessianReport: (options) => {
      assertDenseFits(dims.params, options.denseLimits ?? DEFAULT_DENSE_LIMITS);
      const t0 = performance.now();
      if (options.exact === true) {
        if (!supportsExact(model)) {
          throw new NotExactError(
            `--exact: a two-layer network with ${model.activation} activation and ${model.loss} loss has no exact Hessian (exact arithmetic needs the squared loss with identity, quadratic or ReLU); drop --exact for float64`,
          );
        }
        assertTwoLayerExactFits(model, options.exactLimits ?? DEFAULT_EXACT_LIMITS);
        return assembleHessianReport({ field: 'Q', parts: hessianParts(Q, model, options.blocks === true) }, (performance.now() - t0) / 1000);
      }
      return assembleHessianReport({ field: 'F64', parts: hessianParts(F64, fmodel(), options.blocks === true) }, (performance.now() - t0) / 1000);
    },
    sharpness: (options) => {
      if (options.exact === true) {
        throw new NotExactError('sharpness --exact certifies λ_max of deep linear networks (through the reduced operator K); for a two-layer network drop --exact');
      }
      return fullHessianSharpness(problem, { kind: 'two-layer', widths: [dims.d, dims.h, dims.c] }, twoLayerMinimizerTest(model), options);
    },
    layers: () => modelLayers(any),
    deviceModel: () => twoLayerDeviceModel(model, F64.fromRational),
    trainable: () => twoLayerTrainable(model),
    closedReference: () => twoLayerReference(fmodel()),
  };
}
