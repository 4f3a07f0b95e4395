/** A small, strict command-line parser: declared flags only, typed values, clear errors. */
import { InputError } from '../errors/input-error.js';

/** Thrown for usage errors (unknown flags, missing values); the CLI exits with code 2. */
export class UsageError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagSpec =
  | { readonly kind: 'boolean'; readonly description: string }
  | { readonly kind: 'string'; readonly description: string; readonly valueName?: string }
  | { readonly kind: 'integer'; readonly description: string; readonly min?: number; readonly max?: number; readonly valueName?: string };

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Names of positional arguments, e.g. `['MODEL.json']`. */
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlyMap<string, string | number | boolean>;
}

/** Parses `argv` (after the command name) against `spec`. Accepts `--flag value` and `--flag=value`. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | number | boolean>();
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const flag = spec.flags[name];
    if (flag === undefined) {
      const known = Object.keys(spec.flags).map((f) => `--${f}`).join(', ') || 'none';
      throw new UsageError(`${spec.name}: unknown option --${name} (options: ${known})`);
    }
    if (flag.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`${spec.name}: --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[k + 1];
      k++;
    }
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${spec.name}: --${name} needs a value`);
    if (flag.kind === 'integer') {
      if (!/^-?\d+$/.test(value)) throw new UsageError(`${spec.name}: --${name} expects an integer, got "${value}"`);
      const n = Number(value);
      if (!Number.isSafeInteger(n)) {
        throw new UsageError(`${spec.name}: --${name} must be an integer of magnitude at most 2^53 − 1 = ${Number.MAX_SAFE_INTEGER}${flag.max !== undefined ? ` (and at most ${flag.max} here)` : ''}, got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`);
      }
      if ((flag.min !== undefined && n < flag.min) || (flag.max !== undefined && n > flag.max)) {
        throw new UsageError(`${spec.name}: --${name} must be between ${flag.min ?? '-∞'} and ${flag.max ?? '∞'}, got ${n}`);
      }
      flags.set(name, n);
    } else flags.set(name, value);
  }
  if (positionals.length !== spec.positionals.length) {
    throw new UsageError(
      `${spec.name}: expected ${spec.positionals.length === 0 ? 'no arguments' : spec.positionals.join(' ')}, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
    );
  }
  return { positionals, flags };
}

/** Help text for one command. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`dln-hessian ${spec.name} ${spec.positionals.join(' ')}`.trimEnd(), '', `  ${spec.summary}`, ''];
  const entries = Object.entries(spec.flags);
  if (entries.length > 0) {
    lines.push('Options:');
    for (const [name, f] of entries) {
      const value = f.kind === 'boolean' ? '' : ` ${f.valueName ?? (f.kind === 'integer' ? 'N' : 'VALUE')}`;
      lines.push(`  --${name}${value}`.padEnd(28) + f.description);
    }
  }
  return lines.join('\n');
}

export const flagBool = (a: ParsedArgs, name: string): boolean => a.flags.get(name) === true;
export const flagInt = (a: ParsedArgs, name: string, fallback: number): number => {
  const v = a.flags.get(name);
  return typeof v === 'number' ? v : fallback;
};
export const flagString = (a: ParsedArgs, name: string): string | undefined => {
  const v = a.flags.get(name);
  return typeof v === 'string' ? v : undefined;
};
