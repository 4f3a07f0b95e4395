/**
 * Chains of equalities built by rewriting: each step applies a named rule of {@link ./rules.js}
 * (or states a new form by hand, e.g. unfolding a definition) and records why. A chain is shown as
 * one `aligned` display and checked step by step on an instance by {@link ./checks.js}.
 */
import { formulaOf, type Block, type Formula } from './document.js';
import type { Expr } from './expr.js';
import { rewrite, rewriteEverywhere, type Rule } from './rules.js';

/** A chain `e_0 = e_1 = … = e_k` with the reason for each step. */
export class Chain {
  private readonly exprs: Expr[];
  private readonly whys: (Formula | undefined)[] = [];

  constructor(start: Expr) {
    this.exprs = [start];
  }

  /** The last expression. */
  get last(): Expr {
    return this.exprs[this.exprs.length - 1] as Expr;
  }

  /** All expressions, the start first. */
  get expressions(): readonly Expr[] {
    return this.exprs;
  }

  /** Applies `rule` at the first place it applies (throws `RewriteError` when it applies nowhere). */
  apply(rule: Rule, why: Formula, name = 'rule'): this {
    this.exprs.push(rewrite(this.last, rule, name));
    this.whys.push(why);
    return this;
  }

  /** Applies `rule` at every place it applies. */
  applyEverywhere(rule: Rule, why: Formula): this {
    this.exprs.push(rewriteEverywhere(this.last, rule));
    this.whys.push(why);
    return this;
  }

  /** A step stated by hand (unfolding a definition, linearity, renaming); it is checked like the others. */
  to(e: Expr, why?: Formula): this {
    this.exprs.push(e);
    this.whys.push(why);
    return this;
  }

  /** The chain as a document block. */
  block(): Block {
    return {
      kind: 'chain',
      lhs: formulaOf(this.exprs[0] as Expr),
      steps: this.exprs.slice(1).map((e, k) => {
        const why = this.whys[k];
        return { relation: '=' as const, rhs: formulaOf(e), ...(why !== undefined ? { why } : {}) };
      }),
    };
  }
}
