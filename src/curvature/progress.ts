/**
 * Progress of long computations on a terminal: a single updating line on stderr, shown only when
 * stderr is a TTY (never in pipes, files or tests) and at most ten times a second.
 */

/** A progress callback `(done, total)`; call `finish()` when the work is over. */
export interface Progress {
  readonly update: (done: number, total: number) => void;
  readonly finish: () => void;
}

/**
 * A progress line labelled `label`, or a silent one when stderr is not a terminal. The line estimates
 * the time left from the rate so far (`upTo`: the total is an upper bound, so the time is too).
 */
export function terminalProgress(label: string, options: { readonly upTo?: boolean } = {}): Progress {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  const start = Date.now();
  return {
    update(done, total) {
      if (!tty) return;
      const t = Date.now();
      if (done < total && t - last < 100) return;
      last = t;
      shown = true;
      process.stderr.write(`\r${label}: ${done}/${total} (${Math.floor((100 * done) / Math.max(total, 1))}%)${remaining(t - start, done, total, options.upTo === true)}   `);
    },
    finish() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** `, about 12 s left` from the elapsed time and the fraction done (`at most` when the work may stop early). */
export function remaining(elapsedMs: number, done: number, total: number, upTo: boolean): string {
  if (done <= 0 || done >= total || elapsedMs < 500) return '';
  const left = ((elapsedMs / done) * (total - done)) / 1000;
  const text = left >= 120 ? `${Math.round(left / 60)} min` : `${Math.round(left)} s`;
  return `, ${upTo ? 'at most ' : 'about '}${text} left`;
}
