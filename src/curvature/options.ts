/** Checked numeric options of the curvature tools (values from the command line or a caller). */
import { CurvatureInputError } from './errors.js';

/** A range for {@link parseNumberOption}: bounds inclusive unless marked exclusive. */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
}

function describeRange(r: NumberRange): string {
  const lo = r.min === undefined ? '' : `${r.min} ${r.exclusiveMin === true ? '<' : '≤'} `;
  const hi = r.max === undefined ? '' : ` ≤ ${r.max}`;
  return `${lo}x${hi}`;
}

/**
 * Parses `text` as a finite decimal number in `range`; throws {@link CurvatureInputError} with the
 * option name as the place (`--span: expected a number 0 < x ≤ 1000000, got "abc"`).
 */
export function parseNumberOption(text: string, name: string, range: NumberRange = {}): number {
  const t = text.trim();
  const x = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : NaN;
  const ok = Number.isFinite(x) && (range.min === undefined || (range.exclusiveMin === true ? x > range.min : x >= range.min)) && (range.max === undefined || x <= range.max);
  if (!ok) throw new CurvatureInputError(`expected a number ${describeRange(range)}, got ${JSON.stringify(text)}`, { path: name });
  return x;
}
