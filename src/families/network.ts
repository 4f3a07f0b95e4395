/**
 * The family contract: what every model family (deep linear networks — factorization and with
 * data — and two-layer networks) provides, so that commands, structure tools, cross-checks and
 * backends read one interface instead of switching on the family. The family of a file is decided
 * in one place, `families/registry.ts`.
 *
 * A `Network` is a model at its point: the loss anywhere (binary64), the Hessian at the point as an
 * operator and densely, the exact Hessian where the family has one, the gradient, the one minimizer
 * test, `check`'s description, the `hessian` report, closed-form sharpness, the layer factors of the
 * structure tools, and the device model and closed-form reference of the autodiff path.
 */
import type { ClosedReference } from '../autodiff/crosscheck.js';
import type { DeviceModel } from '../autodiff/device-model.js';
import type { CurvatureProblem } from '../curvature/problem.js';
import type { DenseLimits, ExactLimits } from '../hessian/limits.js';
import type { LossConvention } from '../models/reduction.js';
import type { AnyModel } from '../models/source.js';
import type { HessianReport } from '../reports/hessian-report.js';
import type { TrainableModel } from '../dynamics/trainable.js';
import type { SharpnessOptions, SharpnessReport } from '../sharpness/sharpness.js';
import type { ModelLayers } from '../structure/model-layers.js';
import type { MinimizerTest } from './minimizer.js';

/** The model families the engine knows. */
export type FamilyName = 'deep-linear' | 'two-layer';

/** Options of {@link Network.minimizerTest}. */
export interface MinimizerTestOptions {
  /** Decide a zero loss in exact arithmetic when the model fits `limits` (default: float only). */
  readonly exact?: boolean;
  readonly limits?: ExactLimits;
}

/** One row of `check`'s text output, family-specific (`depth`, `widths`, `activation`, …). */
export interface DescriptionRow {
  readonly label: string;
  readonly value: string;
}

/** What `dln-hessian check` reports about a model, whatever its family. */
export interface NetworkDescription {
  readonly family: FamilyName;
  /** `'dmf'`, `'dln'` or `'two-layer'`. */
  readonly kind: string;
  readonly params: number;
  /** Family-specific facts for the text output, in order. */
  readonly rows: readonly DescriptionRow[];
  /** Family-specific fields of the JSON output (`depth`, `widths`, `activation`, …). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly loss: number;
  /** The loss as an exact rational string, when computed exactly. */
  readonly lossExact?: string;
  readonly gradientNorm: number;
  readonly gradientNormSqExact?: string;
  readonly minimizer: MinimizerTest;
  readonly warnings: readonly string[];
}

/** Options of {@link Network.hessianReport}. */
export interface NetworkHessianOptions {
  readonly exact?: boolean;
  readonly exactLimits?: ExactLimits;
  readonly denseLimits?: DenseLimits;
  readonly blocks?: boolean;
}

/** A model of some family at its point. */
export interface Network extends CurvatureProblem {
  readonly family: FamilyName;
  /** The file or `example:ID` it came from. */
  readonly source: string;
  /** The exact model, for family-specific analyses. */
  readonly model: AnyModel;
  /** Warnings met while preparing the point (e.g. ReLU kinks). */
  readonly warnings: readonly string[];
  /** The loss convention (reduction) every number of this network is for: λ_max, 2/λ_max, the loss. */
  readonly convention: LossConvention;
  /** `∇L` at the point, binary64, in the order of `θ`. */
  gradient(): Float64Array;
  /** The one minimizer test (`families/minimizer.ts`). */
  minimizerTest(options?: MinimizerTestOptions): MinimizerTest;
  /** `check`'s description. */
  describe(limits: ExactLimits): NetworkDescription;
  /** The dense Hessian (exact or binary64), its blocks and spectrum, refusing up front above the limits. */
  hessianReport(options: NetworkHessianOptions): HessianReport;
  /** Closed-form `λ_max` (and, off minimizers, `λ_min`) several ways; `sharpness` without `--backend`. */
  sharpness(options: SharpnessOptions): SharpnessReport;
  /** The layer blocks of the structure tools (`structure`, `overlap`). */
  layers(): ModelLayers;
  /** The model as the autodiff device takes it (entries rounded from exact to binary64, then float32 on the device). */
  deviceModel(): DeviceModel;
  /** The closed-form side of `crosscheck` in binary64. */
  closedReference(): ClosedReference;
  /** The model as the training-dynamics tools (`train`, `escape`) take it: loss, gradient and sharpness at any θ. */
  trainable(): TrainableModel;
}

