/**
 * Bookkeeping of a document's checks: chains of equalities evaluated on an instance, and the rows of
 * the verification table (a quantity from the derivation against the same quantity from the engine).
 * A failure is collected, not thrown, so a document reports every disagreement at once
 * ({@link DerivationCheckError}).
 */
import type { Field } from '../field/field.js';
import type { Inline } from './document.js';
import type { Expr } from './expr.js';
import { type Evaluator, valuesEqual } from './evaluate.js';
import { toMarkdown } from './render.js';

/** One row of the verification table. */
export interface VerificationRow {
  readonly quantity: readonly Inline[];
  readonly derivation: readonly Inline[];
  readonly engine: readonly Inline[];
  readonly agrees: boolean;
  /** How they agree: `exact`, `to N digits`, a relation. */
  readonly how: string;
}

/** Values of index variables for one check (`{ i: 2, j: 3 }`). */
export type Assignment = ReadonlyMap<string, number>;

/** The assignments of a chain's free index variables over layers `1..N`. */
export function layerAssignments(depth: number, vars: 'none' | 'i' | 'j' | 'i<j' | 'i,j'): Assignment[] {
  const out: Assignment[] = [];
  if (vars === 'none') return [new Map()];
  for (let a = 1; a <= depth; a++) {
    if (vars === 'i' || vars === 'j') {
      out.push(new Map([[vars, a]]));
      continue;
    }
    for (let b = 1; b <= depth; b++) {
      if (vars === 'i<j' && !(a < b)) continue;
      out.push(new Map([['i', a], ['j', b]]));
    }
  }
  return out;
}

/** A disagreement found while checking a document. */
export interface CheckFailure {
  readonly what: string;
  readonly detail: string;
}

/** Thrown when a generated document's checks disagree (the CLI exits with code 1). */
export class DerivationCheckError extends Error {
  constructor(readonly failures: readonly CheckFailure[]) {
    super(`${failures.length} check(s) of the derivation disagree:\n${failures.map((f) => `  ${f.what}: ${f.detail}`).join('\n')}`);
    this.name = 'DerivationCheckError';
  }
}

/** Collects the checks of one document. */
export class CheckLedger {
  /** Equalities between consecutive steps of chains, evaluated on the instance. */
  equalities = 0;
  /** Chains checked. */
  chains = 0;
  readonly failures: CheckFailure[] = [];
  readonly rows: VerificationRow[] = [];

  /**
   * Checks that every expression of a chain has the same value as the first, for every assignment
   * of the free index variables; an evaluation error is a failure too.
   */
  chain<S>(name: string, exprs: readonly Expr[], assignments: readonly Assignment[], ev: Evaluator<S>, F: Field<S>): void {
    this.chains++;
    for (const a of assignments) {
      const label = a.size === 0 ? name : `${name} (${[...a].map(([k, v]) => `${k} = ${v}`).join(', ')})`;
      try {
        const first = ev.evaluate(exprs[0] as Expr, a);
        exprs.slice(1).forEach((e, k) => {
          this.equalities++;
          if (!valuesEqual(F, first, ev.evaluate(e, a))) this.failures.push({ what: label, detail: `step ${k + 1} (${toMarkdown(e)}) differs from ${toMarkdown(exprs[0] as Expr)}` });
        });
      } catch (e) {
        this.failures.push({ what: label, detail: `could not be evaluated: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
  }

  /** Adds a table row; a disagreeing row is also a failure. */
  row(r: VerificationRow, name: string): void {
    this.rows.push(r);
    if (!r.agrees) this.failures.push({ what: name, detail: `the derivation and the engine disagree (${r.how})` });
  }

  /** Records a failed check that is not a row or a chain. */
  fail(what: string, detail: string): void {
    this.failures.push({ what, detail });
  }
}
