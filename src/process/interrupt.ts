import { InputError } from '../errors/input-error.js';

/**
 * What happens when the process is interrupted (SIGINT, SIGTERM, SIGHUP) while it holds something
 * that must not outlive it: a headless Chromium and its profile directory, a temporary file.
 *
 * Holders register a cleanup with {@link onInterrupt} and remove it when they let go. While at least
 * one cleanup is registered, the first of these signals runs every cleanup (concurrently, at most
 * {@link CLEANUP_LIMIT_MS}), prints one line on stderr (`dln-hessian: interrupted by SIGINT; …` with
 * what the cleanups report) and exits with `128 + the signal's number` (SIGHUP 129, SIGINT 130,
 * SIGTERM 143: what a shell reports for a process the signal ended). A second signal while cleaning
 * up exits at once with the same status (its one line says so). With nothing registered, no handler is installed and Node's
 * default applies (the process ends at once, with nothing to clean).
 *
 * This module is the only one that listens to these signals: the output layer (src/io/output.ts)
 * registers the removal of its temporary files here, and long commands (`train`, `escape`) register
 * a stop request ({@link onInterruptRequest}) to stop at their next check instead of exiting.
 *
 * Work interrupted this way fails with {@link InterruptedError}; the CLI asks {@link interruptStatus}
 * before reporting an error, so an interrupted run prints only the one line above.
 */

/** The signals that interrupt a run. */
export const INTERRUPT_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** Exit status after an interrupt: 128 + the signal's number. */
export const INTERRUPT_EXIT_STATUS: Readonly<Record<InterruptSignal, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** Longest wait for the cleanups before exiting anyway. */
export const CLEANUP_LIMIT_MS = 10_000;

/** A cleanup: releases what it holds; may return a short clause saying what it did ("closed Chromium"). */
export type InterruptCleanup = () => Promise<string | void> | string | void;

/** Raised by work that an interrupt stopped (its resources are being released; the process is exiting). */
export class InterruptedError extends InputError {
  readonly status: number;
  constructor(
    readonly signal: InterruptSignal,
    what: string,
  ) {
    super(`${what}: interrupted by ${signal}`);
    this.status = INTERRUPT_EXIT_STATUS[signal];
  }
}

const cleanups = new Map<symbol, InterruptCleanup>();
const stoppers = new Map<symbol, (signal: InterruptSignal) => void>();
let received: InterruptSignal | null = null;
const listening = new Set<InterruptSignal>();

const handlers: Record<InterruptSignal, () => void> = {
  SIGHUP: () => interrupt('SIGHUP'),
  SIGINT: () => (stoppers.size > 0 && received === null ? stop('SIGINT') : interrupt('SIGINT')),
  SIGTERM: () => interrupt('SIGTERM'),
};

/**
 * The one place that listens to process signals: SIGINT while a cleanup or a stop request is
 * registered, SIGTERM and SIGHUP while a cleanup is; none otherwise (Node's default applies).
 */
function listen(): void {
  for (const s of INTERRUPT_SIGNALS) {
    const want = cleanups.size > 0 || received !== null || (s === 'SIGINT' && stoppers.size > 0);
    if (want && !listening.has(s)) {
      listening.add(s);
      process.on(s, handlers[s]);
    } else if (!want && listening.has(s)) {
      listening.delete(s);
      process.off(s, handlers[s]);
    }
  }
}

/** A SIGINT while stop requests are registered: each is told once and removed; nothing exits. */
function stop(signal: InterruptSignal): void {
  const pending = [...stoppers.values()];
  stoppers.clear();
  listen();
  for (const f of pending) f(signal);
}

/** Adds `value` to `map`, listening as needed; returns the function that removes it again. */
function register<T>(map: Map<symbol, T>, value: T): () => void {
  const key = Symbol('interrupt registration');
  map.set(key, value);
  listen();
  return () => {
    map.delete(key);
    listen();
  };
}

/**
 * Registers `cleanup` to run if the process is interrupted; returns the function that removes it
 * (call it once the resource is released normally).
 */
export function onInterrupt(cleanup: InterruptCleanup): () => void {
  return register(cleanups, cleanup);
}

/**
 * Registers a stop request: the next SIGINT calls `stop` (once) instead of ending the process, so
 * that long work can stop at its next check and say so (`train`, `escape`: exit 130, nothing
 * written). Cleanups registered with {@link onInterrupt} stay registered for a later signal.
 * Returns the function that removes the request.
 */
export function onInterruptRequest(stop: (signal: InterruptSignal) => void): () => void {
  return register(stoppers, stop);
}

/** The signal that interrupted the process, or null. */
export function interruptedBy(): InterruptSignal | null {
  return received;
}

/** The exit status the process is ending with after an interrupt, or null when it was not interrupted. */
export function interruptStatus(): number | null {
  return received === null ? null : INTERRUPT_EXIT_STATUS[received];
}

function interrupt(signal: InterruptSignal): void {
  if (received !== null) {
    // A second signal: stop waiting for the cleanups.
    process.stderr.write(`dln-hessian: interrupted by ${received}; ${signal} again: exiting without waiting for the cleanup\n`);
    process.exit(INTERRUPT_EXIT_STATUS[received]);
  }
  received = signal;
  const pending = [...cleanups.values()];
  cleanups.clear();
  let finished = false;
  const finish = (clauses: string[]): void => {
    if (finished) return;
    finished = true;
    process.stderr.write(`dln-hessian: interrupted by ${signal}${clauses.length === 0 ? '' : `; ${clauses.join('; ')}`}\n`);
    process.exit(INTERRUPT_EXIT_STATUS[signal]);
  };
  setTimeout(() => finish([`cleanup did not finish within ${CLEANUP_LIMIT_MS / 1000} s`]), CLEANUP_LIMIT_MS);
  void Promise.allSettled(pending.map(async (f) => f())).then((results) =>
    finish(
      results.flatMap((r) => {
        if (r.status === 'rejected') return [`a cleanup failed: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`];
        return typeof r.value === 'string' && r.value !== '' ? [r.value] : [];
      }),
    ),
  );
}
