import { F64 } from '../field/field.js';
import type { Matrix } from '../linalg/matrix.js';
import { lossCoefficient } from '../models/reduction.js';
import type { DeepLinearModel } from '../models/model.js';
import { targetLabels } from '../twolayer/point.js';
import type { TwoLayerModel } from '../twolayer/model.js';
import { arrayShapes, parameterArrays, type DeviceModelHeader } from './device/protocol.js';

/** A model as the device receives it: the JSON header and row-major float32 arrays (weights first). */
export interface DeviceModel {
  readonly header: DeviceModelHeader;
  readonly arrays: Float32Array[];
  /** `[rows, cols]` of each parameter array, in the order of `θ = (vec W_1, …, vec W_N)`. */
  readonly parameterShapes: readonly (readonly [number, number])[];
  /** `dim θ`. */
  readonly dimension: number;
}

/** A column-major matrix (our layout) as row-major float32 (tfjs's layout), each entry rounded once from binary64. */
function rowMajor<S>(A: Matrix<S>, toNumber: (x: S) => number): Float32Array {
  const out = new Float32Array(A.rows * A.cols);
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) out[i * A.cols + j] = toNumber(A.data[i + A.rows * j] as S);
  return out;
}

function assemble(header: DeviceModelHeader, arrays: Float32Array[]): DeviceModel {
  const parameterShapes = arrayShapes(header).slice(0, parameterArrays(header));
  return { header, arrays, parameterShapes, dimension: parameterShapes.reduce((s, [r, c]) => s + r * c, 0) };
}

/** A deep linear network (DMF or with data) for the device; `toNumber` maps an entry to binary64. */
export function deepLinearDeviceModel<S>(m: DeepLinearModel<S>, toNumber: (x: S) => number): DeviceModel {
  const weights = m.weights.map((W) => rowMajor(W, toNumber));
  const scale = F64.fromRational(lossCoefficient(m.reduction, m.kind === 'dmf' ? { samples: 1, outputs: m.target.rows * m.target.cols } : { samples: m.data.inputs.cols, outputs: m.data.targets.rows }));
  if (m.kind === 'dmf') {
    return assemble({ kind: 'deep-linear', widths: m.widths, objective: 'dmf', samples: 1, scale }, [...weights, rowMajor(m.target, toNumber)]);
  }
  const { inputs, targets } = m.data;
  return assemble({ kind: 'deep-linear', widths: m.widths, objective: 'dln', samples: inputs.cols, scale }, [
    ...weights,
    rowMajor(inputs, toNumber),
    rowMajor(targets, toNumber),
  ]);
}

/** A two-layer network for the device; cross-entropy labels travel as one-hot columns. */
export function twoLayerDeviceModel<S>(m: TwoLayerModel<S>, toNumber: (x: S) => number): DeviceModel {
  const [W1, W2] = m.weights;
  const X = m.data.inputs;
  const d = W1.cols;
  const h = W1.rows;
  const c = W2.rows;
  const n = X.cols;
  let Y: Float32Array;
  const t = m.data.targets;
  if (m.loss === 'squared') {
    if (t.kind !== 'values') throw new Error('data.targets: the squared loss needs a matrix of target values');
    Y = rowMajor(t.values, toNumber);
  } else {
    Y = new Float32Array(c * n);
    targetLabels(m).forEach((label, s) => {
      Y[label * n + s] = 1;
    });
  }
  const scale = m.loss === 'squared' ? F64.fromRational(lossCoefficient(m.reduction, { samples: n, outputs: c })) : 1;
  const b1 = m.biases?.b1;
  const b2 = m.biases?.b2;
  const column = (b: readonly S[]): Float32Array => Float32Array.from(b, toNumber);
  return assemble({ kind: 'two-layer', activation: m.activation, loss: m.loss, d, h, c, n, scale, ...(b1 !== undefined ? { bias1: true } : {}), ...(b2 !== undefined ? { bias2: true } : {}) }, [
    rowMajor(W1, toNumber),
    ...(b1 !== undefined ? [column(b1)] : []),
    rowMajor(W2, toNumber),
    ...(b2 !== undefined ? [column(b2)] : []),
    rowMajor(X, toNumber),
    Y,
  ]);
}

/** `θ` in our layout (`vec` = column-major, layer by layer) to one row-major float32 array per layer. */
export function toDeviceVector(model: DeviceModel, theta: ArrayLike<number>): Float32Array[] {
  if (theta.length !== model.dimension) throw new Error(`expected a vector of length ${model.dimension} (the parameter count), got ${theta.length}`);
  let offset = 0;
  return model.parameterShapes.map(([rows, cols]) => {
    const out = new Float32Array(rows * cols);
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = theta[offset + i + rows * j] as number;
    offset += rows * cols;
    return out;
  });
}

/** The inverse of {@link toDeviceVector}: per-layer row-major arrays back to `θ` order, in binary64. */
export function fromDeviceVector(model: DeviceModel, arrays: readonly Float32Array[]): Float64Array {
  const out = new Float64Array(model.dimension);
  let offset = 0;
  model.parameterShapes.forEach(([rows, cols], k) => {
    const a = arrays[k] as Float32Array;
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[offset + i + rows * j] = a[i * cols + j] as number;
    offset += rows * cols;
  });
  return out;
}

/** `d_0, …, d_N` and samples of a device model, for the rounding model. */
export function modelSizes(model: DeviceModel): { widths: number[]; samples: number } {
  const h = model.header;
  // A bias is one more term in its layer's inner products (the input augmented by a 1).
  return h.kind === 'deep-linear'
    ? { widths: [...h.widths], samples: h.samples }
    : { widths: [h.d + (h.bias1 === true ? 1 : 0), h.h + (h.bias2 === true ? 1 : 0), h.c], samples: h.n };
}
