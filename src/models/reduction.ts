/**
 * Loss conventions of the squared loss (docs/conventions.md). With the residual matrix `E` (`P − M`
 * for a factorization, `F − Y` with one column per sample otherwise), `n` samples and `d_out`
 * outputs per sample:
 *
 * | reduction      | loss                          | torch / JAX                                            |
 * |----------------|-------------------------------|--------------------------------------------------------|
 * | `half`         | `(1/2n)‖E‖²_F`                | `optax.l2_loss(f, y).sum(-1).mean()` (the default)     |
 * | `sample-mean`  | `(1/n)‖E‖²_F`                 | `((f − y)**2).sum(-1).mean()`                          |
 * | `sum`          | `‖E‖²_F`                      | `nn.MSELoss(reduction='sum')`, `optax.squared_error(f, y).sum()` |
 * | `mean`         | `‖E‖²_F / (n·d_out)`          | `nn.MSELoss()` (reduction='mean'), `optax.squared_error(f, y).mean()` |
 *
 * A factorization (DMF) has `n = 1` and `d_out = d_N·d_0` (the entries of `P − M`): `half` is
 * `½‖P − M‖²`, `sum` and `sample-mean` are `‖P − M‖²`, `mean` is the mean over the entries.
 *
 * Every convention is the `half` loss times one positive number `c` (the "loss coefficient"): every
 * derivative, every Hessian eigenvalue and the stable step `2/λ_max` scale with it, which is how the
 * closed forms take it. The legacy key `lossScale` of model files reads as `half` (`"half"`) and
 * `sample-mean` (`"sum"`: no ½, still the mean over samples), the loss those files always meant.
 */
import type { Field } from '../field/field.js';
import { Rational } from '../field/rational.js';

/** How the squared loss is reduced over samples and outputs (see the module comment). */
export type Reduction = 'half' | 'sample-mean' | 'sum' | 'mean';

/** Every reduction, in the order messages list them. */
export const REDUCTIONS: readonly Reduction[] = ['half', 'sample-mean', 'sum', 'mean'];

/** The sizes a reduction depends on: `n` samples (1 for a factorization) and the entries of one sample's residual. */
export interface ResidualShape {
  readonly samples: number;
  readonly outputs: number;
}

/**
 * The loss coefficient `c`: the model's loss is `c` times the `half` loss `(1/2n)‖E‖²_F`
 * (`half` 1, `sample-mean` 2, `sum` 2n, `mean` 2/d_out), exact.
 */
export function lossCoefficient(reduction: Reduction, shape: ResidualShape): Rational {
  switch (reduction) {
    case 'half':
      return Rational.ONE;
    case 'sample-mean':
      return Rational.fromBigInt(2n);
    case 'sum':
      return Rational.fromBigInt(BigInt(2 * shape.samples));
    case 'mean':
      return new Rational(2n, BigInt(shape.outputs));
  }
}

/** {@link lossCoefficient} in a field (exact in `Q`, the nearest binary64 in `F64`). */
export function lossCoefficientIn<S>(F: Field<S>, reduction: Reduction, shape: ResidualShape): S {
  return F.fromRational(lossCoefficient(reduction, shape));
}

/** The reduction the legacy key `"lossScale"` meant: `"half"` → `half`, `"sum"` (no ½, mean over samples) → `sample-mean`. */
export function reductionFromLossScale(lossScale: 'half' | 'sum'): Reduction {
  return lossScale === 'half' ? 'half' : 'sample-mean';
}

/**
 * The loss of a reduction as a formula, for printed output: e.g. `L = ‖F − Y‖²_F / (n·d_out)`
 * (`mean`, torch's nn.MSELoss()). `residual` is the residual's name (`P − M`, `F − Y`, `PX − Y`).
 */
export function reductionFormula(reduction: Reduction, residual: string, factorization = false): string {
  const E = `‖${residual}‖²_F`;
  if (factorization) {
    switch (reduction) {
      case 'half':
        return `L = ½${E} (half)`;
      case 'sample-mean':
      case 'sum':
        return `L = ${E} (${reduction}; torch MSELoss(reduction='sum'))`;
      case 'mean':
        return `L = ${E} / (d_N·d_0) (mean over the entries; torch MSELoss())`;
    }
  }
  switch (reduction) {
    case 'half':
      return `L = (1/2n)${E} (half: ½·mean over samples of the squared error)`;
    case 'sample-mean':
      return `L = (1/n)${E} (sample-mean: mean over samples of the squared error)`;
    case 'sum':
      return `L = ${E} (sum; torch MSELoss(reduction='sum'))`;
    case 'mean':
      return `L = ${E} / (n·d_out) (mean over samples and outputs; torch MSELoss())`;
  }
}

/** A short name of the convention for printed `λ_max` lines: `"λ_max of the mean loss (torch MSELoss())"`. */
export function conventionLabel(reduction: Reduction | 'cross-entropy'): string {
  switch (reduction) {
    case 'half':
      return 'half loss (1/2n)‖E‖²';
    case 'sample-mean':
      return 'sample-mean loss (1/n)‖E‖²';
    case 'sum':
      return "sum loss ‖E‖² (torch MSELoss(reduction='sum'))";
    case 'mean':
      return 'mean loss ‖E‖²/(n·d_out) (torch MSELoss())';
    case 'cross-entropy':
      return 'mean cross-entropy (torch CrossEntropyLoss())';
  }
}

/** The loss convention of a model, for printed and JSON output. */
export interface LossConvention {
  /** The reduction of the squared loss, or `'cross-entropy'` (torch's mean `CrossEntropyLoss()`). */
  readonly reduction: Reduction | 'cross-entropy';
  /** The loss as a formula naming the convention, e.g. `L = ‖F − Y‖²_F / (n·d_out) (mean …; torch MSELoss())`. */
  readonly formula: string;
  /** The exact coefficient `c` relative to the half loss (squared loss only; `"1"` for cross-entropy). */
  readonly coefficient: string;
}

/** The {@link LossConvention} of a squared-loss model (`residual` names `E`), or of cross-entropy. */
export function lossConvention(reduction: Reduction | 'cross-entropy', shape: ResidualShape, residual: string, factorization = false): LossConvention {
  if (reduction === 'cross-entropy') {
    return { reduction, formula: "L = (1/n) Σ_s −log softmax(f(x_s))_{y_s} (mean cross-entropy; torch CrossEntropyLoss())", coefficient: '1' };
  }
  return { reduction, formula: reductionFormula(reduction, residual, factorization), coefficient: lossCoefficient(reduction, shape).toString() };
}
