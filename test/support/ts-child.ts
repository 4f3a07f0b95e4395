import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs a TypeScript file of this repository in a separate Node process, without a build: a require
 * hook compiles `.ts` files with SWC (as jest does) and maps the sources' `./x.js` specifiers to
 * `./x.ts`. For tests that need a process of their own (signals, exit statuses).
 */

const ROOT = join(__dirname, '..', '..');

/** The hook, run by `node -e` before the script (plain CommonJS, no TypeScript). */
const HOOK = `
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const swc = require(${JSON.stringify(require.resolve('@swc/core', { paths: [ROOT] }))});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (parent && /^\\.{1,2}\\//.test(request) && request.endsWith('.js')) {
    try { return resolve.call(this, request.slice(0, -3) + '.ts', parent, ...rest); } catch {}
  }
  return resolve.call(this, request, parent, ...rest);
};
require.extensions['.ts'] = (m, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } });
  m._compile(code, filename);
};
const script = process.argv[1];
require(script);
`;

/** Spawns `node` on the TypeScript file `script` (absolute, or relative to the repository root) with `args`. */
export function spawnTs(script: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, ['-e', HOOK, join(ROOT, script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
}
