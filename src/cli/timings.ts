/**
 * `--timings`: wall-clock seconds are the only part of a report that differs between identical runs,
 * so `--json` output leaves every `seconds` field out unless the user asks for timings; then the
 * output is byte-identical for identical inputs and seeds.
 */
import type { FlagSpec } from './args.js';

export const TIMINGS_FLAG: FlagSpec = { kind: 'boolean', description: 'include wall-clock seconds (otherwise the output is identical for identical inputs and seeds)' };

