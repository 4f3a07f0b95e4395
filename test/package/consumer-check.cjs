#!/usr/bin/env node
/**
 * The package as a consumer gets it (`npm run test:package`, run by CI after `npm test`):
 * 1. `npm pack`, and the file list: LICENSE, README, docs (no docs/api), dist/src with its sources;
 * 2. a consumer project with the tarball and ONLY the runtime dependencies (no TensorFlow.js,
 *    playwright-core or vega): `tsc` with default options (skipLibCheck off) on a file that imports
 *    the root and the derivation/linalg/plots subpaths;
 * 3. the compiled consumer runs: loads a built-in example through the family contract, and the
 *    autodiff and plot paths refuse with a message naming the missing optional package;
 * 4. the installed size of the core (the tarball unpacked plus its runtime dependency closure).
 * Exits non-zero on any failure.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dln-consumer-'));
const fail = (msg) => {
  process.stderr.write(`consumer-check: FAIL: ${msg}\n`);
  process.exitCode = 1;
};
const duBytes = (p) => Number(execFileSync('du', ['-sb', p], { encoding: 'utf8' }).split('\t')[0]);

try {
  // 1. Pack.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }))[0];
  const files = packed.files.map((f) => f.path);
  for (const must of ['LICENSE', 'README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'docs/math.md', 'docs/examples/two-layer-relu-ce.json', 'src/index.ts']) {
    if (!files.includes(must)) fail(`the tarball lacks ${must}`);
  }
  if (files.some((f) => f.startsWith('docs/api/'))) fail('the tarball ships the generated docs/api');
  if (files.some((f) => f.endsWith('.node'))) fail('the tarball ships a native addon built on this machine (it is built at install)');
  for (const map of files.filter((f) => f.endsWith('.js.map'))) {
    const m = JSON.parse(fs.readFileSync(path.join(root, map), 'utf8'));
    for (const s of m.sources) {
      const rel = path.relative(root, path.resolve(path.dirname(path.join(root, map)), s));
      if (!files.includes(rel)) {
        fail(`${map} points at ${rel}, which is not shipped`);
        break;
      }
    }
  }
  console.log(`tarball ${packed.filename}: ${files.length} files, ${(packed.size / 2 ** 20).toFixed(2)} MiB packed, ${(packed.unpackedSize / 2 ** 20).toFixed(2)} MiB unpacked`);

  // 2. A consumer with the runtime dependency closure only.
  const consumer = path.join(work, 'consumer');
  const nm = path.join(consumer, 'node_modules');
  fs.mkdirSync(path.join(nm, 'dln-hessian'), { recursive: true });
  execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', path.join(nm, 'dln-hessian'), '--strip-components=1']);
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const runtime = Object.entries(lock.packages).filter(([k, v]) => k.startsWith('node_modules/') && !v.dev && !v.peer && !v.optional);
  let depBytes = 0;
  for (const [k] of runtime) {
    const name = k.slice('node_modules/'.length);
    if (name.includes('/node_modules/')) continue; // nested copies live inside their parents
    const target = path.join(nm, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(path.join(root, k), target, 'dir');
    depBytes += duBytes(path.join(root, k));
  }
  for (const t of ['@types/node', 'typescript', 'undici-types']) {
    fs.mkdirSync(path.dirname(path.join(nm, t)), { recursive: true });
    if (!fs.existsSync(path.join(nm, t))) fs.symlinkSync(path.join(root, 'node_modules', t), path.join(nm, t), 'dir');
  }
  for (const p of ['@tensorflow/tfjs', 'playwright-core', 'vega']) {
    try {
      require.resolve(p, { paths: [consumer] });
      fail(`${p} resolves from the consumer: the check would not show that the core works without it`);
    } catch {
      /* expected */
    }
  }
  const coreBytes = duBytes(path.join(nm, 'dln-hessian')) + depBytes;
  console.log(`core install: ${(coreBytes / 2 ** 20).toFixed(1)} MiB (the package ${(duBytes(path.join(nm, 'dln-hessian')) / 2 ** 20).toFixed(1)} MiB + ${runtime.length} runtime packages; TensorFlow.js, playwright-core and vega are optional peers)`);

  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  fs.writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, types: ['node'], outDir: 'out' }, include: ['index.ts'] }),
  );
  fs.writeFileSync(
    path.join(consumer, 'index.ts'),
    [
      "import { loadNetwork, Q, F64, linalg, MissingDependencyError, type Network } from 'dln-hessian';",
      "import { deriveDocument } from 'dln-hessian/derivation';",
      "import { renderVegaLiteSvg } from 'dln-hessian/plots';",
      "import { characteristicPolynomial } from 'dln-hessian/linalg';",
      'const net: Network = loadNetwork("example:scalar-chain-2");',
      'const s = net.sharpness({ exact: true });',
      "console.log(JSON.stringify({ family: net.family, lambdaMax: s.lambdaMax, exact: s.exact, verdict: net.minimizerTest({ exact: true }).verdict, half: Q.toString(Q.div(Q.one, Q.fromInt(2))), u: F64.unitRoundoff, rows: linalg.fromRows([[1, 2]]).cols }));",
      'void deriveDocument; void characteristicPolynomial;',
      'try { renderVegaLiteSvg({}); console.log("plots: rendered"); } catch (e) { console.log(e instanceof MissingDependencyError ? `plots: ${e.message}` : `plots: OTHER ${String(e)}`); }',
      "import('dln-hessian/autodiff').then(async (a) => { try { await a.startBackend('cpu'); console.log('autodiff: started'); } catch (e) { console.log(`autodiff: ${(e as Error).name}: ${(e as Error).message}`); } });",
    ].join('\n'),
  );
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8', stdio: 'pipe' });
    console.log('consumer tsc (default options, skipLibCheck off): ok');
  } catch (e) {
    fail(`consumer tsc failed:\n${e.stdout}${e.stderr}`);
  }

  // 3. Run it.
  if (process.exitCode !== 1) {
    const out = execFileSync(process.execPath, ['out/index.js'], { cwd: consumer, encoding: 'utf8' });
    process.stdout.write(out.replace(/^/gm, '  '));
    const first = JSON.parse(out.split('\n')[0]);
    if (first.lambdaMax !== 5 || first.exact?.value !== '5' || first.verdict !== 'exact-minimizer') fail(`the consumer got ${out.split('\n')[0]}`);
    if (!/plots: rendering plots to SVG needs vega and vega-lite/.test(out)) fail('plots without vega did not name the missing packages');
    if (!/autodiff: BackendUnavailableError: .*npm install @tensorflow\/tfjs/.test(out)) fail('autodiff without TensorFlow.js did not name the missing package');
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
if (process.exitCode === 1) process.stderr.write('consumer-check: failed\n');
else console.log('consumer-check: all checks hold');
