import { F64, Q } from '../field/field.js';
import type { Rational } from '../field/rational.js';
import { FloatRangeError, scientificSqrtText } from '../hessian/float-range.js';
import { toFloatSpec } from '../hessian/from-model.js';
import { loss } from '../hessian/gradient.js';
import { DEFAULT_EXACT_LIMITS, type ExactLimits } from '../hessian/limits.js';
import { parameterCountOfWidths, preparePoint, type NetworkSpec } from '../hessian/point.js';
import { frobeniusSq, map, mul, sub, type Matrix } from '../linalg/matrix.js';
import { classifyResidual, gamma, type MinimizerTest, type ResidualEvidence } from './minimizer.js';

const fro = (A: Matrix<number>): number => Math.sqrt(frobeniusSq(F64, A));
const abs = (A: Matrix<number>): Matrix<number> => map(A, Math.abs);

/**
 * The minimizer test of a deep linear network (`families/minimizer.ts`): `R = W_N⋯W_1 − M` (DMF) or
 * `W_N⋯W_1 X − Y` (with data), formed in binary64 from the model's entries rounded once; the rounding
 * bound is `γ_k ‖|W_N|⋯|W_1|(|X|)‖_F + u‖Y‖_F` with `k = N (+1 with data) + Σ inner dimensions + 1`.
 * With `exact` (and the model within `limits.maxParams`) the loss is also computed exactly.
 */
export function deepLinearMinimizerTest(spec: NetworkSpec<Rational>, options: { exact?: boolean; limits?: ExactLimits } = {}): MinimizerTest {
  const widths = [spec.weights[0]?.cols ?? 0, ...spec.weights.map((W) => W.rows)];
  const limits = options.limits ?? DEFAULT_EXACT_LIMITS;
  const exactLoss =
    options.exact === true && parameterCountOfWidths(widths) <= limits.maxParams
      ? (() => {
          const L = loss(preparePoint(Q, spec));
          return { isZero: L.isZero(), text: L.toString() };
        })()
      : undefined;
  let fspec: NetworkSpec<number>;
  try {
    fspec = toFloatSpec(spec);
  } catch (e) {
    // Entries whose float stages would overflow binary64: only the exact test can decide.
    if (!(e instanceof FloatRangeError) || exactLoss === undefined) throw e;
    // ‖R‖²/‖Y‖² exactly, then its square root in binary64: the ratio fits even where the norms do not.
    const obj = spec.objective;
    const P = spec.weights.slice(1).reduce((acc, W) => mul(Q, W, acc), spec.weights[0] as Matrix<Rational>);
    const R = obj.kind === 'dmf' ? sub(Q, P, obj.target) : sub(Q, mul(Q, P, obj.inputs), obj.targets);
    const Y = obj.kind === 'dmf' ? obj.target : obj.targets;
    const y2 = frobeniusSq(Q, Y);
    const ratioSq = y2.isZero() ? undefined : frobeniusSq(Q, R).div(y2);
    const ratio = ratioSq === undefined ? Number.POSITIVE_INFINITY : Math.sqrt(ratioSq.toNumber());
    const test = classifyResidual({ residualNorm: exactLoss.isZero ? 0 : ratio, targetNorm: 1, roundingBound: 0, exactLoss });
    return Number.isFinite(test.relativeResidual) || ratioSq === undefined ? test : { ...test, relativeResidualText: scientificSqrtText(ratioSq) };
  }
  return classifyResidual({ ...deepLinearResidualEvidence(fspec), ...(exactLoss !== undefined ? { exactLoss } : {}) });
}

/**
 * The same test at any binary64 point (e.g. a step of a training run): {@link deepLinearMinimizerTest}
 * without the exact loss. The bound keeps the file-rounding terms, so it is slightly conservative here.
 */
export function deepLinearMinimizerTestF64(fspec: NetworkSpec<number>): MinimizerTest {
  return classifyResidual(deepLinearResidualEvidence(fspec));
}

function deepLinearResidualEvidence(fspec: NetworkSpec<number>): ResidualEvidence {
  const obj = fspec.objective;
  const factors = obj.kind === 'dmf' ? [...fspec.weights] : [obj.inputs, ...fspec.weights];
  let product = factors[0] as Matrix<number>;
  let absProduct = abs(product);
  let inner = 0;
  for (const W of factors.slice(1)) {
    inner += W.cols;
    product = mul(F64, W, product);
    absProduct = mul(F64, abs(W), absProduct);
  }
  const targets = obj.kind === 'dmf' ? obj.target : obj.targets;
  const k = factors.length + inner + 1;
  const u = F64.unitRoundoff;
  return {
    residualNorm: fro(sub(F64, product, targets)),
    targetNorm: fro(targets),
    roundingBound: gamma(k) * fro(absProduct) + u * fro(targets),
  };
}
