import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of dln-hessian's own package.json, found by walking up from this module (the same code
 * runs from `src/kernels/` under the test runner and from `dist/src/kernels/` when built).
 * `undefined` outside Node's file system (a browser bundle).
 */
export function packageRoot(): string | undefined {
  if (typeof __dirname !== 'string') return undefined;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'dln-hessian') return dir;
      } catch {
        // an unreadable package.json: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
