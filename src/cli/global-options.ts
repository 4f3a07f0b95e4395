/**
 * Options every command accepts, anywhere on the command line (before or after the command name):
 * `--threads N` (or `--threads=N`) sets the float64 kernel threads (default the available cores,
 * else `DLN_THREADS`). They are applied and removed before the command's own options are parsed.
 */
import { parseThreadCount, setThreads } from '../kernels/registry.js';
import { UsageError } from './args.js';

/** Help text of the global options, one line each. */
export const GLOBAL_OPTIONS_HELP = [
  '--threads N    threads of the float64 kernels (1 to the available cores; default all of them, or DLN_THREADS)',
] as const;

/** Applies the global options in `argv` and returns the remaining arguments. Throws an `InputError` on a bad value. */
export function applyGlobalOptions(argv: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--threads' || arg.startsWith('--threads=')) {
      const value = arg === '--threads' ? argv[++i] : arg.slice('--threads='.length);
      if (value === undefined || value === '') throw new UsageError('--threads needs a value (a number of threads)');
      setThreads(parseThreadCount(value, '--threads'));
      continue;
    }
    rest.push(arg);
  }
  return rest;
}
