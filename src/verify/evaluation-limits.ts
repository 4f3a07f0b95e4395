/**
 * The limits checked on a formula and a model before evaluation (src/verify/limits.ts): the steps
 * an evaluation takes at depth `N`, and the size allowed to the numbers it meets.
 */
import { bitLength, type Rational } from '../field/rational.js';
import { FormulaEvaluationError } from './formula-error.js';
import type { FormulaContext } from './formula-context.js';
import { formulaChildren, type Formula, type FormulaNode } from './formula-tree.js';
import { MAX_EVALUATION_STEPS, MAX_VALUE_BITS, SPECTRAL_STEPS, VALUE_BITS_PER_MODEL_BIT } from './limits.js';

/**
 * Refuses a formula whose evaluation at depth `N` would take more than {@link evaluationStepsLimit}
 * steps (see {@link MAX_EVALUATION_STEPS}; each layer reduction evaluates its body `N` times), at the
 * innermost reduction that crosses the limit.
 */
export function checkEvaluationSteps(formula: Formula, depth: number): void {
  const limit = evaluationStepsLimit(depth);
  const steps = (node: FormulaNode): number => {
    let inner = 0;
    for (const c of formulaChildren(node)) inner += steps(c);
    if (node.op === 'sumLayers' || node.op === 'maxLayers' || node.op === 'minLayers') {
      const total = 1 + depth * inner;
      if (total > limit) {
        throw new FormulaEvaluationError(
          `${node.op}(${node.variable}, …) evaluates its body ${depth} times at N = ${depth}: ${total} evaluation steps in all; the limit is ${limit} (nest fewer reductions)`,
          formula.source,
          node.span,
        );
      }
      return total;
    }
    return (node.op === 'norm2' || node.op === 'sigma' ? SPECTRAL_STEPS : 1) + inner;
  };
  const total = steps(formula.root);
  if (total > limit) {
    throw new FormulaEvaluationError(`the formula takes ${total} evaluation steps; the limit is ${limit}`, formula.source, formula.root.span);
  }
}

/**
 * {@link MAX_EVALUATION_STEPS}, scaled by `⌈N / 12⌉` beyond depth 12, so that a formula whose work is
 * linear in `N` (one level of reductions) is never refused for the size of the model.
 */
export function evaluationStepsLimit(depth: number): number {
  return MAX_EVALUATION_STEPS * Math.max(1, Math.ceil(depth / 12));
}

/** Bits of a rational: numerator plus denominator. */
export function bitsOf(q: Rational): number {
  return bitLength(q.num < 0n ? -q.num : q.num) + bitLength(q.den);
}

const contextBitsCache = new WeakMap<FormulaContext, number>();

/** The effective {@link MAX_VALUE_BITS}: at least {@link VALUE_BITS_PER_MODEL_BIT} times the model's largest entry. */
export function valueBitsLimit(ctx: FormulaContext): number {
  let b = contextBitsCache.get(ctx);
  if (b === undefined) {
    b = 0;
    for (const X of [...ctx.W, ...ctx.A, ...ctx.B, ctx.M, ctx.P]) for (const x of X.data) b = Math.max(b, bitsOf(x));
    contextBitsCache.set(ctx, b);
  }
  return Math.max(MAX_VALUE_BITS, VALUE_BITS_PER_MODEL_BIT * b);
}

