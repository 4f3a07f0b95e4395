/**
 * The dynamics data files: bad files are refused with the place of the problem (exit 2 in the CLI),
 * and no hand edit of a real file makes the replot fail with an internal error (exit 70).
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDynamicsData } from '../../src/dynamics/data-files.js';
import { InputError } from '../../src/errors/input-error.js';
import { runCliAsync } from '../support/cli.js';
import { checkAsyncProperty } from '../support/property.js';

jest.setTimeout(300000);

const dir = mkdtempSync(join(tmpdir(), 'dln-dyn-data-'));
const path = (name: string): string => join(dir, name);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

let trainText = '';
let escapeText = '';

beforeAll(async () => {
  const t = await runCliAsync('train', 'example:dmf-nonminimizer-depth2', '--eta', '0.1', '--steps', '20', '--every', '5', '--series', path('train.json'));
  expect(t.code).toBe(0);
  trainText = readFileSync(path('train.json'), 'utf8');
  const e = await runCliAsync('escape', 'example:scalar-chain-2', '--eta-factor', '0.5,1.5', '--steps', '30', '--grid', '5', '--data', path('escape.json'));
  expect(e.code).toBe(0);
  escapeText = readFileSync(path('escape.json'), 'utf8');
});

describe('placed messages', () => {
  const edit = (text: string, f: (o: Record<string, unknown>) => void): string => {
    const o = JSON.parse(text) as Record<string, unknown>;
    f(o);
    return JSON.stringify(o);
  };
  const cases: [string, () => string, RegExp][] = [
    ['not JSON', () => '{', /not JSON/],
    ['wrong format', () => edit(trainText, (o) => (o.format = 'x')), /format: expected "dln-hessian-train" or "dln-hessian-escape"/],
    ['wrong version', () => edit(trainText, (o) => (o.version = 2)), /version: expected 1/],
    ['a bad loss', () => edit(trainText, (o) => ((o.series as Record<string, unknown>[])[1] = { ...(o.series as Record<string, unknown>[])[1], loss: 'a' })), /series\[2\]\.loss: expected a finite number/],
    ['a missing ansatz', () => edit(trainText, (o) => delete (o.series as Record<string, unknown>[])[0]?.ansatz), /series\[1\]\.ansatz: expected an object/],
    ['a missing balance', () => edit(trainText, (o) => delete (o.series as Record<string, unknown>[])[0]?.balance), /series\[1\]\.balance: expected an object/],
    ['an unknown optimizer', () => edit(trainText, (o) => (o.optimizer = 'adam')), /optimizer: expected one of "gd", "momentum", "sgd"/],
    ['an escape file without a plane', () => JSON.stringify({ format: 'dln-hessian-escape', version: 1, lambdaMax: 1, runs: [] }), /plane: expected an object/],
    ['a run without its factor', () => edit(escapeText, (o) => delete (o.runs as Record<string, unknown>[])[0]?.etaFactor), /runs\[1\]\.etaFactor: expected a finite number/],
    ['a trajectory point that is not an object', () => edit(escapeText, (o) => ((o.runs as { trajectory: unknown[] }[])[0] as { trajectory: unknown[] }).trajectory.push(3)), /runs\[1\]\.trajectory\[\d+\]: expected an object/],
    ['a plane without any finite loss', () => edit(escapeText, (o) => { const p = o.plane as { loss: (number | null)[][] }; p.loss = p.loss.map((r) => r.map(() => null)); }), /plane\.loss: expected at least one finite loss/],
  ];
  test.each(cases)('%s', (_name, text, message) => {
    expect(() => parseDynamicsData(text(), 'f.json')).toThrow(message);
    expect(() => parseDynamicsData(text(), 'f.json')).toThrow(InputError);
  });

  test('the files the commands write read back', () => {
    expect(parseDynamicsData(trainText).format).toBe('dln-hessian-train');
    expect(parseDynamicsData(escapeText).format).toBe('dln-hessian-escape');
  });
});

/** Every place in a JSON tree (as key paths), the root excluded. */
function places(x: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  const entries: [string | number, Json][] = Array.isArray(x) ? x.map((v, i) => [i, v]) : x !== null && typeof x === 'object' ? Object.entries(x) : [];
  for (const [k, v] of entries) {
    out.push([...prefix, k]);
    places(v, [...prefix, k], out);
  }
  return out;
}

/** `root` with the value at `at` replaced (or removed when `value` is undefined). */
function mutate(root: Json, at: readonly (string | number)[], value: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  let node = copy as Record<string | number, Json>;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  const last = at[at.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>(null, 'x', '', true, false, 0, -1, 0.5, 1e308, -1e308, [], {}, [1, 2], { lower: 1 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

describe.each([
  ['train', () => trainText],
  ['escape', () => escapeText],
])('property: a hand-edited %s data file gives exit 2 or a plot, never exit 70', (command, text) => {
  test('one field replaced or removed', async () => {
    const root = JSON.parse(text()) as Json;
    const all = places(root);
    let k = 0;
    await checkAsyncProperty(
      fc.asyncProperty(fc.nat({ max: all.length - 1 }), replacement, async (i, value) => {
        const file = path(`${command}-mutated-${k++}.json`);
        writeFileSync(file, JSON.stringify(mutate(root, all[i] as (string | number)[], value)));
        const r = await runCliAsync(command, file, '--plot', path(`${command}-mutated.svg`));
        if (r.code !== 0 && r.code !== 2) throw new Error(`exit ${r.code} at ${JSON.stringify(all[i])} = ${JSON.stringify(value)}: ${r.stderr}`);
        if (r.code === 2) expect(r.stderr).toMatch(/dln-hessian/);
      }),
      { numRuns: 60 },
    );
  });
});
