/**
 * Plot output files. Writing (several files all or none, temporary files cleaned on every error and
 * signal) is the one output layer's, src/io/output.ts, re-exported here.
 */
import { CurvatureInputError } from '../curvature/errors.js';

export { assertWritable, writeFilesAtomic, type OutputFile } from '../io/output.js';

/**
 * Checks a plot output path: SVG only (`.svg`). PNG needs a rasteriser that works without a browser
 * (none is installed), so `.png` is refused with that explanation.
 */
export function checkSvgOutputPath(path: string): void {
  const lower = path.toLowerCase();
  if (lower.endsWith('.svg')) return;
  if (lower.endsWith('.png')) {
    throw new CurvatureInputError('PNG output is not available: no rasteriser that works without a browser is installed; write an .svg file (any browser or converter turns it into PNG)', { path: '--out' });
  }
  throw new CurvatureInputError(`plots are written as SVG: expected a file name ending in .svg, got "${path}"`, { path: '--out' });
}
