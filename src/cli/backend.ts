import { F64 } from '../field/field.js';
import { assertFloatStagesFit } from '../hessian/float-range.js';
import { specFromModel } from '../hessian/from-model.js';
import { crosscheckInputs } from '../autodiff/crosscheck.js';
import { deepLinearDeviceModel, twoLayerDeviceModel, type DeviceModel } from '../autodiff/device-model.js';
import { isBackendName, startBackend, type AutodiffSession } from '../autodiff/session.js';
import { BACKENDS, type BackendName } from '../autodiff/transport.js';
import { toFloat64Model } from '../models/model.js';
import type { AnyModel } from '../models/source.js';
import { toFloat64TwoLayer } from '../twolayer/model.js';
import { UsageError, flagString, type FlagSpec, type ParsedArgs } from './args.js';

/** `'closed'` (the closed forms, binary64 or exact) or an autodiff backend. */
export type BackendChoice = 'closed' | BackendName;

/** The `--backend` flag of `sharpness`, `spectrum` and `hessian-vector`. */
export const BACKEND_FLAG: FlagSpec = {
  kind: 'string',
  description: `closed (default: the closed forms) or an autodiff backend on TensorFlow.js: ${BACKENDS.join(', ')} (float32; webgl runs in headless Chromium)`,
  valueName: 'NAME',
};

/** The backend named by `--backend` (default `closed`); an unknown name is a usage error listing the known ones. */
export function parseBackend(args: ParsedArgs): BackendChoice {
  const name = flagString(args, 'backend') ?? 'closed';
  if (name === 'closed' || isBackendName(name)) return name;
  throw new UsageError(`--backend: unknown backend "${name}" (backends: closed, ${BACKENDS.join(', ')})`);
}

/** The autodiff backend named by `--backend` (default `fallback`), for commands without a closed-form mode. */
export function parseAutodiffBackend(args: ParsedArgs, fallback: BackendName): BackendName {
  const name = flagString(args, 'backend') ?? fallback;
  if (isBackendName(name)) return name;
  throw new UsageError(`--backend: unknown backend "${name}" (autodiff backends: ${BACKENDS.join(', ')})`);
}

/** Starts the backend, runs `body` with it and closes it (also on failure). */
export async function withBackend<T>(name: BackendName, body: (session: AutodiffSession) => Promise<T>): Promise<T> {
  const session = await startBackend(name);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** A model of either family for the device, entries rounded from exact to binary64 then float32. */
export function deviceModelOf(any: AnyModel): DeviceModel {
  // The float stages' range check (exit 2 naming the quantity) before rounding to binary64.
  if (any.family === 'deep-linear') assertFloatStagesFit(specFromModel(any.model));
  else toFloat64TwoLayer(any.model);
  return any.family === 'deep-linear' ? deepLinearDeviceModel(any.model, F64.fromRational) : twoLayerDeviceModel(any.model, F64.fromRational);
}

/** Cross-check inputs (device model and closed-form reference) of a model file in binary64. */
export function crosscheckInputsOf(any: AnyModel): ReturnType<typeof crosscheckInputs> {
  if (any.family === 'deep-linear') assertFloatStagesFit(specFromModel(any.model));
  return any.family === 'deep-linear'
    ? crosscheckInputs({ family: 'deep-linear', model: toFloat64Model(any.model) })
    : crosscheckInputs({ family: 'two-layer', model: toFloat64TwoLayer(any.model) });
}
