/** What a document builder returns: the document and the record of its checks. */
import type { CheckFailure, VerificationRow } from './checks.js';
import type { DerivationDocument } from './document.js';

/** Counts of what was checked. */
export interface DerivationStats {
  /** Chains of equalities shown and checked on the instance. */
  readonly chains: number;
  /** Equalities between consecutive steps, over all assignments of the layer indices. */
  readonly equalities: number;
  /** Rows of the verification table. */
  readonly rows: number;
  /** Identities of matrix calculus checked on random rational matrices. */
  readonly identities: number;
  /** Formulas in the document (inline and display). */
  readonly formulas: number;
}

/** A generated document with its checks; `failures` is empty when everything agrees. */
export interface DerivationResult {
  readonly document: DerivationDocument;
  readonly rows: readonly VerificationRow[];
  readonly failures: readonly CheckFailure[];
  readonly stats: DerivationStats;
}
