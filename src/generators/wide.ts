import { gemmF64 } from '../linalg/gemm-f64.js';
import { fromColumnMajor, type Matrix } from '../linalg/matrix.js';
import { makeDmfModel, type DmfModel } from '../models/model.js';
import { mulberry32 } from '../random/mulberry32.js';
import { createRng } from '../random/rng.js';

/**
 * Wide deep-matrix-factorization instances in binary64, for checks at widths where exact
 * generation is out of reach (hundreds to thousands): the autodiff cross-checks and benchmarks.
 */

/** Options of {@link wideSignMinimizer} and {@link wideRandomPoint}. */
export interface WideOptions {
  /** `d_0, …, d_N`. */
  readonly widths: readonly number[];
  readonly seed: number;
}

function signMatrix(rows: number, cols: number, rand: () => number, scale: number): Matrix<number> {
  const data = new Float64Array(rows * cols);
  for (let k = 0; k < data.length; k++) data[k] = rand() < 0.5 ? -scale : scale;
  return fromColumnMajor(rows, cols, Array.from(data));
}

function product(weights: readonly Matrix<number>[]): Matrix<number> {
  let P = weights[0] as Matrix<number>;
  for (let i = 1; i < weights.length; i++) {
    const W = weights[i] as Matrix<number>;
    P = fromColumnMajor(W.rows, P.cols, Array.from(gemmF64(W.rows, P.cols, W.cols, Float64Array.from(W.data), Float64Array.from(P.data))));
  }
  return P;
}

/**
 * A zero-loss minimizer `(W_1, …, W_N; M = W_N ⋯ W_1)` whose entries are all exactly
 * representable in float32 and whose product float32 computes without rounding: `W_i` has
 * entries `±2^{−e_i}` with `2^{e_i}` the power of two nearest `√d_{i−1}` (so `‖W_i‖₂ = O(1)`), and
 * every partial product is a power of two times an integer of magnitude at most `Π d_i`, exact in
 * binary32 while that is below `2^24` (checked). The loss is exactly 0 in both precisions, so a
 * float32 engine sees the same minimizer as the binary64 closed forms.
 */
export function wideSignMinimizer(options: WideOptions): DmfModel<number> {
  const { widths, seed } = options;
  let bound = 1;
  for (let i = 1; i < widths.length - 1; i++) bound *= widths[i] as number;
  if (bound >= 2 ** 24) throw new RangeError(`the inner widths multiply to ${bound} ≥ 2^24: the product would round in float32`);
  const rand = mulberry32(seed);
  const weights = widths.slice(1).map((rows, i) => {
    const cols = widths[i] as number;
    return signMatrix(rows, cols, rand, 2 ** -Math.round(Math.log2(Math.sqrt(cols))));
  });
  return makeDmfModel(weights, product(weights), { name: `sign minimizer ${widths.join('-')} (seed ${seed})` });
}

/**
 * A random point, not a minimizer: Gaussian `W_i` with variance `1/d_{i−1}` and an independent
 * Gaussian target of the same scale as `W_N ⋯ W_1`.
 */
export function wideRandomPoint(options: WideOptions): DmfModel<number> {
  const { widths, seed } = options;
  const rng = createRng(seed);
  const gauss = (): number => rng.gaussian();
  const gaussian = (rows: number, cols: number, sd: number): Matrix<number> =>
    fromColumnMajor(rows, cols, Array.from({ length: rows * cols }, () => sd * gauss()));
  const weights = widths.slice(1).map((rows, i) => gaussian(rows, widths[i] as number, 1 / Math.sqrt(widths[i] as number)));
  const target = gaussian(widths[widths.length - 1] as number, widths[0] as number, 1 / Math.sqrt(widths[0] as number));
  return makeDmfModel(weights, target, { name: `random point ${widths.join('-')} (seed ${seed})` });
}
