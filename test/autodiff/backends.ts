import { existsSync } from 'node:fs';
import type { BackendName } from '../../src/autodiff/transport.js';

/**
 * The backends the conformance suite runs on here: cpu and wasm always (they ship inside their
 * npm packages), WebGL when a Chromium is installed (CI installs Debian's `chromium`).
 */
export function backendsHere(): BackendName[] {
  const chromium = process.env.DLN_HESSIAN_CHROMIUM ?? '/usr/bin/chromium';
  const here: BackendName[] = ['cpu', 'wasm'];
  if (existsSync(chromium)) here.push('webgl');
  else console.warn(`conformance: WebGL skipped: no Chromium at ${chromium} (apt-get install -y chromium)`);
  return here;
}
