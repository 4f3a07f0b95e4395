/**
 * Every `--json` output of the CLI is one object that starts with `schemaVersion` and is described
 * by a JSON Schema (draft 2020-12) in `docs/schemas/` (docs/schemas/README.md). The version counts
 * breaking changes of the outputs: a field removed, renamed or given another meaning. Adding a
 * field does not change it.
 */

/** The version of the JSON outputs (and of the schemas in docs/schemas/). */
export const SCHEMA_VERSION = 1;

/** How {@link jsonText} writes. */
export interface JsonTextOptions {
  /** One line instead of two-space indentation. */
  readonly compact?: boolean;
  /**
   * `false` leaves every `seconds` field out, so that identical inputs and seeds give byte-identical
   * output (commands with `--timings` pass the flag); default `true`.
   */
  readonly timings?: boolean;
}

/** `{"schemaVersion": 1, "command": …, …fields}` as JSON; non-finite numbers as `null`. */
export function jsonText(command: string, fields: object, options: JsonTextOptions | boolean = {}): string {
  const o: JsonTextOptions = typeof options === 'boolean' ? { compact: options } : options;
  const dropSeconds = o.timings === false;
  return JSON.stringify(
    { schemaVersion: SCHEMA_VERSION, command, ...fields },
    (key, v: unknown) => (dropSeconds && key === 'seconds' ? undefined : typeof v === 'number' && !Number.isFinite(v) ? null : v),
    o.compact === true ? undefined : 2,
  );
}
