/** A built-in example model: its id, its JSON text (the model file format), and known facts about it. */
export interface BuiltinExample {
  /** Short id, e.g. `scalar-chain-2`; also the file name in docs/examples (`<id>.json`). */
  readonly id: string;
  /** The model family (`families/registry.ts` decides it from the text the same way). */
  readonly family: 'deep-linear' | 'two-layer';
  /** One line saying what the example shows. */
  readonly summary: string;
  /** The model file text (JSON, docs/model-format.md), in the canonical form `serializeModel` writes. */
  readonly text: string;
  /**
   * Values derived by hand (`docs/math.md §2–3`), for demos and tests: the exact loss (½ convention, as in the
   * file; absent where it is not rational, e.g. cross-entropy), whether the point is a minimizer, and
   * `λ_max` of the Hessian where known. Exact rationals as text (`"33/2"`).
   */
  readonly facts: {
    readonly loss?: string;
    readonly minimizer: boolean;
    readonly lambdaMax?: string;
  };
}
