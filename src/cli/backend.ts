import { isBackendName, startBackend, type AutodiffSession } from '../autodiff/session.js';
import { BACKENDS, type BackendName } from '../autodiff/transport.js';
import { UsageError, flagString, type FlagSpec, type ParsedArgs } from './args.js';

/** `'closed'` (the closed forms, binary64 or exact) or an autodiff backend. */
export type BackendChoice = 'closed' | BackendName;

/** The `--backend` flag of `sharpness`, `spectrum` and `hessian-vector`. */
export const BACKEND_FLAG: FlagSpec = {
  kind: 'string',
  description: `closed (default: the closed forms) or an autodiff backend on TensorFlow.js: ${BACKENDS.join(', ')} (float32; webgl runs in headless Chromium)`,
  valueName: 'NAME',
};

/** The backend named by `--backend` (default `closed`); an unknown name is a usage error listing the known ones. */
export function parseBackend(args: ParsedArgs): BackendChoice {
  const name = flagString(args, 'backend') ?? 'closed';
  if (name === 'closed' || isBackendName(name)) return name;
  throw new UsageError(`--backend: unknown backend "${name}" (backends: closed, ${BACKENDS.join(', ')})`);
}

/** The autodiff backend named by `--backend` (default `fallback`), for commands without a closed-form mode. */
export function parseAutodiffBackend(args: ParsedArgs, fallback: BackendName): BackendName {
  const name = flagString(args, 'backend') ?? fallback;
  if (isBackendName(name)) return name;
  throw new UsageError(`--backend: unknown backend "${name}" (autodiff backends: ${BACKENDS.join(', ')})`);
}

/** Starts the backend, runs `body` with it and closes it (also on failure). */
export async function withBackend<T>(name: BackendName, body: (session: AutodiffSession) => Promise<T>): Promise<T> {
  const session = await startBackend(name);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}
