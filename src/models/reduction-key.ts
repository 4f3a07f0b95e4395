/**
 * Reading the loss convention of a model file: `"reduction"` (`"half"`, `"sample-mean"`, `"sum"`,
 * `"mean"`; models/reduction.ts, docs/conventions.md) or the legacy `"lossScale"` (`"half"` → `half`,
 * `"sum"` → `sample-mean`: the loss those files always meant). At most one of the two keys.
 */
import { describeJson, getMember, type JsonObject } from './json.js';
import type { ModelReader } from './reader.js';
import { REDUCTIONS, reductionFromLossScale, type Reduction } from './reduction.js';

const LIST = REDUCTIONS.map((r) => `"${r}"`).join(', ');

/** The keys that carry the loss convention. */
export const REDUCTION_KEYS: readonly string[] = ['reduction', 'lossScale'];

/**
 * The reduction of a model object (default `half`). `squaredOnly`: a message for models whose loss
 * is not the squared loss (cross-entropy is always torch's mean; only `"mean"` is accepted there).
 */
export function readReduction(rd: ModelReader, root: JsonObject, crossEntropy = false): Reduction {
  const red = getMember(root, 'reduction');
  const legacy = getMember(root, 'lossScale');
  if (red !== undefined && legacy !== undefined) {
    rd.fail('give either "reduction" or the older "lossScale", not both', 'lossScale', legacy.keyNode);
  }
  if (legacy !== undefined) {
    const v = legacy.value;
    if (crossEntropy) rd.fail('lossScale: applies to the squared loss only (cross-entropy is the mean of −log p_y over the samples)', 'lossScale', legacy.keyNode);
    const ls = v.kind === 'string' ? (['half', 'sum'] as const).find((x) => x === v.value) : undefined;
    if (ls === undefined) rd.fail(`lossScale: expected "half" or "sum" (or use "reduction": one of ${LIST}), got ${describeJson(v)}`, 'lossScale', v);
    return reductionFromLossScale(ls);
  }
  if (red === undefined) return crossEntropy ? 'mean' : 'half';
  const v = red.value;
  const r = v.kind === 'string' ? REDUCTIONS.find((x) => x === v.value) : undefined;
  if (r === undefined) rd.fail(`reduction: expected one of ${LIST}, got ${describeJson(v)}`, 'reduction', v);
  if (crossEntropy && r !== 'mean') {
    rd.fail(`reduction: the cross-entropy loss is the mean over samples (torch's CrossEntropyLoss()); only "mean" applies, got "${r}"`, 'reduction', v);
  }
  return r;
}
