import { InputError } from './input-error.js';

/**
 * A feature needs a package that is an optional peer dependency of dln-hessian (TensorFlow.js for
 * the autodiff path, playwright-core for WebGL, vega and vega-lite for SVG plots) and it is not
 * installed. The message says which package, what for, and the command that installs it.
 */
export class MissingDependencyError extends InputError {
  constructor(
    readonly packages: readonly string[],
    purpose: string,
  ) {
    super(`${purpose} needs ${packages.join(' and ')}, not installed (optional peer dependencies of dln-hessian): run \`npm install ${packages.join(' ')}\``);
  }
}

/** `require.resolve(pkg)` for an optional peer dependency, or {@link MissingDependencyError}. */
export function resolveOptional(packages: readonly string[], purpose: string, resolve: (id: string) => string = require.resolve): string[] {
  const missing: string[] = [];
  const paths = packages.map((p) => {
    try {
      return resolve(p);
    } catch {
      missing.push(p);
      return '';
    }
  });
  if (missing.length > 0) throw new MissingDependencyError(missing, purpose);
  return paths;
}
