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
 * A progress line labelled `label`, or a silent one when stderr is not a terminal. With
 * `timeLeft`, the line also estimates the time left from the rate so far.
 */
export function terminalProgress(label: string, options: { readonly timeLeft?: boolean } = {}): Progress {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!tty) return;
      const t = Date.now();
      if (done < total && t - last < 100) return;
      last = t;
      shown = true;
      let left = '';
      if (options.timeLeft === true && done > 0 && done < total) {
        const s = ((t - started) / 1000) * ((total - done) / done);
        left = `, about ${s < 90 ? `${Math.ceil(s)} s` : `${Math.ceil(s / 60)} min`} left`;
      }
      process.stderr.write(`\r${label}: ${done}/${total} (${Math.floor((100 * done) / Math.max(total, 1))}%${left})   `);
    },
    finish() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}
