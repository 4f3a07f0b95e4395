import type { CurvatureProblem } from './problem.js';

/**
 * Warnings a model family attached to its curvature problem (e.g. the two-layer adapter's ReLU-kink
 * convention), read structurally: `CurvatureProblem` has no such field, so a problem without a
 * `warnings` list of strings has none.
 */
export function problemWarnings(problem: CurvatureProblem): string[] {
  const w: unknown = (problem as unknown as { warnings?: unknown }).warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}
