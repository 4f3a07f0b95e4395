/**
 * The one place where a model becomes its family's {@link Network}: the file's `"kind"` (read by
 * `models/source.ts`: `"two-layer"` is a two-layer network, anything else a deep linear network)
 * selects the implementation here, and nowhere else. Every command reads models through
 * {@link loadNetwork}.
 */
import type { ClosedReference } from '../autodiff/crosscheck.js';
import type { DeviceModel } from '../autodiff/device-model.js';
import type { AnyModel } from '../models/source.js';
import { loadAnySource } from '../models/source.js';
import { deepLinearNetwork } from './deep-linear.js';
import type { Network } from './network.js';
import { twoLayerNetwork } from './two-layer.js';

/** The {@link Network} of a parsed model of either family. */
export function networkOf(any: AnyModel, source: string): Network {
  return any.family === 'two-layer' ? twoLayerNetwork(any.model, source) : deepLinearNetwork(any.model, source);
}

/** Loads a model file (or `example:ID`) of any family as a {@link Network}. */
export function loadNetwork(source: string): Network {
  return networkOf(loadAnySource(source), source);
}

/** What `crosscheck` compares: the model on the device and the closed-form reference (built when asked for). */
export function crosscheckInputsOf(network: Network): { device: DeviceModel; reference: () => ClosedReference } {
  return { device: network.deviceModel(), reference: () => network.closedReference() };
}
