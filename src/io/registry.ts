/**
 * The files read during one CLI run, so that the output layer can refuse to write over one of them
 * (src/io/output.ts). The input reader (src/io/input.ts) records every file it reads while a run is
 * open; the CLI opens one per command ({@link beginIoRun} … {@link endIoRun}). Outside a run (library
 * use: load a model, edit it, save it back) nothing is recorded and nothing is refused.
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';

interface ReadInput {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  readonly label: string;
}

let active = false;
const inputs: ReadInput[] = [];

/** Opens a run: forgets earlier inputs and records the ones read from now on. */
export function beginIoRun(): void {
  inputs.length = 0;
  active = true;
}

/** Closes the run: nothing is recorded or refused until the next {@link beginIoRun}. */
export function endIoRun(): void {
  inputs.length = 0;
  active = false;
}

/** Records that `path` (with status `st`) was read, under the name `label` used in messages. */
export function noteInputRead(path: string, st: Stats, label: string): void {
  if (active) inputs.push({ path: resolve(path), dev: st.dev, ino: st.ino, label });
}

/**
 * Keys of the inputs read in this run (`path:RESOLVED`, `path:REALPATH`, and `DEV:INO` while the
 * path still holds the file that was read), with their labels.
 */
export function inputsReadThisRun(): ReadonlyMap<string, string> {
  const keys = new Map<string, string>();
  for (const i of inputs) {
    keys.set(`path:${i.path}`, i.label);
    try {
      const st = statSync(i.path);
      if (st.dev === i.dev && st.ino === i.ino) keys.set(`${st.dev}:${st.ino}`, i.label);
      keys.set(`path:${realpathSync(i.path)}`, i.label);
    } catch {
      // gone since: its path is enough
    }
  }
  return keys;
}
