#!/usr/bin/env node
/*
 * Builds the optional native BLAS kernel (dln_blas.node) at install time: one C file compiled
 * against the Node-API headers of the Node that runs this script, linked to the system OpenBLAS
 * (Debian: libopenblas-dev). Never fails the install: when a compiler, the headers or OpenBLAS are
 * missing it prints one line and exits 0, and dln-hessian runs on the WebAssembly or JS kernel.
 *
 *   node src/kernels/native/build.cjs [--quiet]
 * Environment: CC (compiler, default cc), DLN_NODE_HEADERS (folder holding node_api.h),
 * DLN_SKIP_NATIVE=1 (do not build).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, renameSync, rmSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const here = __dirname;
const out = join(here, 'build', 'dln_blas.node');
const quiet = process.argv.includes('--quiet');

function say(line) {
  process.stderr.write(`dln-hessian: ${line}\n`);
}

function headerDir() {
  const candidates = [
    process.env.DLN_NODE_HEADERS,
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    resolve(dirname(process.execPath), '..', 'include', 'node'),
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'node_api.h')));
}

function build() {
  if (process.env.DLN_SKIP_NATIVE === '1') return 'DLN_SKIP_NATIVE=1';
  const headers = headerDir();
  if (headers === undefined) return 'no node_api.h next to this Node (set DLN_NODE_HEADERS to the folder holding it)';
  const cc = process.env.CC || 'cc';
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const args = ['-O2', '-std=c99', '-shared', '-fPIC', '-fvisibility=hidden', `-I${headers}`, '-o', tmp, join(here, 'dln_blas.c'), '-lopenblas'];
  if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
  const r = spawnSync(cc, args, { encoding: 'utf8' });
  if (r.error) return `${cc} could not run (${r.error.code || r.error.message})`;
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    const msg = (r.stderr || '').trim().split('\n').slice(-2).join(' / ') || `exit status ${r.status}`;
    return `${cc} failed${/lopenblas/.test(msg) ? ' (is libopenblas-dev installed?)' : ''}: ${msg}`;
  }
  renameSync(tmp, out);
  try {
    const addon = require(out);
    if (typeof addon.dgemm !== 'function') throw new Error('dgemm missing');
    return { config: addon.config() };
  } catch (e) {
    rmSync(out, { force: true });
    return `built but does not load: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const result = build();
if (typeof result === 'string') say(`native BLAS kernel not built: ${result}; the WebAssembly or JS kernel will be used.`);
else if (!quiet) say(`native BLAS kernel built (${result.config}).`);
