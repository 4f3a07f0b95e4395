/**
 * Every `--json` output of the CLI is one object that starts with `schemaVersion` and is described
 * by a JSON Schema (draft 2020-12) in `docs/schemas/` (docs/schemas/README.md). The version counts
 * breaking changes of the outputs: a field removed, renamed or given another meaning. Adding a
 * field does not change it.
 */

/** The version of the JSON outputs (and of the schemas in docs/schemas/). */
export const SCHEMA_VERSION = 1;

/** `{"schemaVersion": 1, "command": …, …fields}` as JSON: pretty (two-space indent), or on one line with `compact`. */
export function jsonText(command: string, fields: object, compact = false): string {
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, command, ...fields }, null, compact ? undefined : 2);
}
