/** The minimizer test of a two-layer network, at the model's point and at any binary64 point. */
import { F64, Q } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { DEFAULT_EXACT_LIMITS, type ExactLimits } from '../hessian/limits.js';
import { frobeniusSq, map, mul, sub, type Matrix } from '../linalg/matrix.js';
import { supportsExact, toFloat64TwoLayer, twoLayerDims, type TwoLayerModel } from '../twolayer/model.js';
import { NotExactError, prepareTwoLayerPoint, twoLayerLoss } from '../twolayer/point.js';
import { classifyResidual, gamma, type MinimizerTest, type ResidualEvidence } from './minimizer.js';

const fro = (A: Matrix<number>): number => Math.sqrt(frobeniusSq(F64, A));

/** `sup |σ'|` on the pre-activations met (the Lipschitz constant that carries their rounding to `σ(Z)`). */
function activationLipschitz(model: TwoLayerModel<number>, Z: Matrix<number>): number {
  switch (model.activation) {
    case 'sigmoid':
      return 0.25;
    case 'quadratic':
      return 2 * Z.data.reduce((m, z) => Math.max(m, Math.abs(z)), 0);
    case 'identity':
    case 'relu':
    case 'tanh':
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
  // Biases enter as the last columns of the augmented W̃_1 = [W_1 b_1], W̃_2 = [W_2 b_2] (one more term each).
  const d = pt.Xa.rows;
  const h = pt.A1a.rows;
  const scale = fro(mul(F64, abs(pt.W2a), abs(pt.A1a))) + activationLipschitz(fm, pt.Z) * fro(mul(F64, abs(pt.W2), mul(F64, abs(pt.W1a), abs(pt.Xa))));
  return {
    residualNorm: fro(sub(F64, pt.out, Y)),
    targetNorm: fro(Y),
    roundingBound: gamma(d + h + 4) * scale + F64.unitRoundoff * fro(Y),
  };
}
