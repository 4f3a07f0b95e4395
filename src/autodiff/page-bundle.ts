import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix } from 'node:path';
import type * as TypeScript from 'typescript';

/**
 * The device modules (`src/autodiff/device/*`) as one classic script for the WebGL page.
 *
 * The script defines a tiny CommonJS loader: a table of module factories keyed by their path
 * relative to `src/` without extension (`autodiff/device/runtime`), and a `require` that resolves
 * relative specifiers against the requiring module and maps `@tensorflow/tfjs` to the global `tf`
 * of `tf.min.js` (loaded by an earlier `<script>`). Its last step switches tfjs to WebGL and sets
 * `globalThis.dlnDeviceReady`, a promise of {@link PageReady}; when WebGL runs it also sets
 * `globalThis.dlnDevice = { runtime: new DeviceRuntime(), matmulThroughput }`.
 *
 * Sources: the compiled CommonJS `.js` files when this file runs from `dist/src/autodiff/`, else
 * the `.ts` sources transpiled here by `typescript` (a devDependency; jest runs the sources).
 */

/** What `globalThis.dlnDeviceReady` resolves to in the page. */
export type PageReady =
  | { readonly ok: true; readonly backend: string; readonly setBackend: boolean }
  | { readonly ok: false; readonly error: string };

/** The module the walk starts from. */
const ENTRY = 'autodiff/device/runtime';

/** The one bare specifier the page can satisfy. */
const TFJS = '@tensorflow/tfjs';

/** A module of the page: its key (path relative to `src/`, no extension) and CommonJS code. */
export interface PageModule {
  readonly key: string;
  readonly code: string;
}

/** `src/` (or `dist/src/`): the directory the module keys are relative to. */
const SOURCE_ROOT = join(__dirname, '..');

/** True when running compiled: the `.js` files of the device code sit next to this file. */
function compiled(): boolean {
  return existsSync(join(__dirname, 'device', 'runtime.js'));
}

/** The `require(...)` specifiers of CommonJS code, in order of appearance. */
function requiredSpecifiers(code: string): string[] {
  return [...code.matchAll(/\brequire\(\s*(["'])([^"']+)\1\s*\)/g)].map((m) => m[2] as string);
}

/** The key of a relative specifier seen from module `from` (`./x.js` next to it, `../y.js` above). */
export function resolveKey(from: string, specifier: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (joined.startsWith('..')) throw new Error(`page bundle: '${specifier}' in ${from} leaves the source tree`);
  return joined.replace(/\.js$/, '');
}

/** CommonJS code of one module: the compiled file, or the transpiled `.ts` source. */
function moduleCode(key: string, fromCompiled: boolean, ts: () => typeof TypeScript): string {
  const file = join(SOURCE_ROOT, `${key}${fromCompiled ? '.js' : '.ts'}`);
  if (!existsSync(file)) throw new Error(`page bundle: module ${key} not found (looked for ${file})`);
  const text = readFileSync(file, 'utf8');
  const code = fromCompiled
    ? text
    : ts().transpileModule(text, {
        fileName: file,
        compilerOptions: { module: ts().ModuleKind.CommonJS, target: ts().ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
  return code.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
}

/**
 * The device modules reachable from `autodiff/device/runtime` through `require(...)`, entry
 * first. Refuses any bare import other than `@tensorflow/tfjs` (Node builtins included): the
 * page has nothing else.
 */
export function collectPageModules(): PageModule[] {
  const fromCompiled = compiled();
  let typescript: typeof TypeScript | undefined;
  // Loaded only when transpiling (jest); the compiled CLI never needs `typescript`.
  const ts = (): typeof TypeScript => (typescript ??= createRequire(__filename)('typescript') as typeof TypeScript);
  const modules: PageModule[] = [];
  const seen = new Set<string>([ENTRY]);
  const queue = [ENTRY];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    const code = moduleCode(key, fromCompiled, ts);
    modules.push({ key, code });
    for (const spec of requiredSpecifiers(code)) {
      if (spec === TFJS) continue;
      if (!spec.startsWith('./') && !spec.startsWith('../')) {
        throw new Error(`page bundle: ${key} imports '${spec}', which the browser page cannot provide (device code may import only ${TFJS} and relative modules)`);
      }
      const next = resolveKey(key, spec);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return modules;
}

/** The loader and start-up run in the page (plain ES2017, no imports). */
const LOADER = `
  var cache = {};
  function resolveKey(from, spec) {
    var parts = from.split('/').slice(0, -1);
    spec.split('/').forEach(function (p) {
      if (p === '..') {
        if (parts.length === 0) throw new Error('page loader: ' + spec + ' in ' + from + ' leaves the source tree');
        parts.pop();
      } else if (p !== '.' && p !== '') parts.push(p);
    });
    return parts.join('/').replace(/\\.js$/, '');
  }
  function load(key) {
    if (cache[key] !== undefined) return cache[key].exports;
    var factory = factories[key];
    if (factory === undefined) throw new Error('page loader: no module ' + key);
    var module = { exports: {} };
    cache[key] = module;
    factory(module, module.exports, function (spec) {
      if (spec === ${JSON.stringify(TFJS)}) return globalThis.tf;
      if (spec.slice(0, 2) === './' || spec.slice(0, 3) === '../') return load(resolveKey(key, spec));
      throw new Error('page loader: ' + key + ' requires ' + spec + ', which the page does not provide');
    });
    return module.exports;
  }
  globalThis.dlnDeviceReady = (async function () {
    try {
      if (globalThis.tf === undefined) throw new Error('tf.min.js did not load: globalThis.tf is undefined');
      var device = load(${JSON.stringify(ENTRY)});
      tf.env().set('PROD', true);
      var ok = await tf.setBackend('webgl');
      await tf.ready();
      var backend = tf.getBackend();
      if (ok && backend === 'webgl') {
        globalThis.dlnDevice = { runtime: new device.DeviceRuntime(), matmulThroughput: device.matmulThroughput };
      }
      return { ok: true, backend: backend, setBackend: ok };
    } catch (e) {
      return { ok: false, error: String(e && e.stack ? e.stack : e) };
    }
  })();
`;

/** The page script: module table, loader and WebGL start-up (see the file comment). */
export function buildPageBundle(): string {
  const table = collectPageModules()
    .map((m) => `  ${JSON.stringify(m.key)}: function (module, exports, require) {\n${m.code}\n},`)
    .join('\n');
  return `(function () {\n'use strict';\nvar factories = {\n${table}\n};\n${LOADER}\n})();\n`;
}
