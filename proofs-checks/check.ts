/** The shape of one runnable check of a claim (a paper's theorem or ours). */
export interface ClaimCheck {
  /** Stable id, used in reports and on the command line. */
  readonly id: string;
  /** The claim, in words, with its source (docs/math.md section, arXiv id). */
  readonly claim: string;
  readonly run: () => CheckOutcome;
}

/** What a check found: each case with its verdict and details. */
export interface CheckOutcome {
  readonly cases: readonly CheckCase[];
}

export interface CheckCase {
  readonly name: string;
  readonly passed: boolean;
  /** What was computed and compared (exact values as strings). */
  readonly details: string;
}
