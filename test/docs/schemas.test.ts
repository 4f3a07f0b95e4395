/**
 * docs/schemas/: every --json output validates against its JSON Schema (draft 2020-12) and carries
 * schemaVersion; model files validate against the model schemas. Validator: test/support/json-schema.ts.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../../src/cli/json-output.js';
import { validate } from '../support/json-schema.js';
import { runCliAsync } from '../support/cli.js';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const dir = join(root, 'docs', 'schemas');
const registry: Record<string, Record<string, unknown>> = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>]),
);
const torchModel = join(root, 'test', 'fixtures', 'torch-order', 'model-mean.json');
const tmp = mkdtempSync(join(tmpdir(), 'schemas-'));

describe('the validator (hand examples)', () => {
  const reg = {
    's.json': { type: 'object', properties: { a: { type: 'integer', minimum: 1 }, b: { $ref: '#/$defs/e' } }, required: ['a'], additionalProperties: false, $defs: { e: { enum: ['x', 'y'] } } },
    'u.json': { type: 'unknown-keyword-user', uniqueItems: true },
  };
  test('accepts and rejects by the keywords', () => {
    expect(validate(reg, 's.json', { a: 2, b: 'x' })).toEqual([]);
    expect(validate(reg, 's.json', { a: 1.5 })).toEqual(['$.a: expected integer, got number']);
    expect(validate(reg, 's.json', { a: 0, b: 'z', c: 1 })).toEqual(['$.a: 0 < minimum 1', '$.b: "z" is not one of ["x","y"]', '$: unknown key "c"']);
    expect(validate(reg, 's.json', {})).toEqual(['$: missing required "a"']);
    expect(() => validate(reg, 'u.json', [])).toThrow(/unsupported keyword uniqueItems/);
  });
});

test('every schema is draft 2020-12 and has a title; each output schema pins its command and schemaVersion', () => {
  for (const [file, s] of Object.entries(registry)) {
    expect([file, s.$schema]).toEqual([file, 'https://json-schema.org/draft/2020-12/schema']);
    expect(typeof s.title).toBe('string');
    const props = s.properties as Record<string, { const?: unknown }> | undefined;
    if (file.startsWith('model-') || file === 'common.schema.json') continue;
    expect(props?.command?.const).toBe(file.replace('.schema.json', ''));
    expect(props?.schemaVersion?.const).toBe(SCHEMA_VERSION);
  }
});

const runs: [string, string[]][] = [
  ['check', ['check', torchModel]],
  ['check', ['check', 'example:dmf-balanced-depth3']],
  ['hessian', ['hessian', torchModel, '--blocks']],
  ['hessian', ['hessian', 'example:scalar-chain-2', '--exact']],
  ['hessian-vector', ['hessian-vector', torchModel, '--order', 'row']],
  ['sharpness', ['sharpness', torchModel]],
  ['sharpness', ['sharpness', 'example:dmf-balanced-depth3', '--exact']],
  ['spectrum', ['spectrum', torchModel, '--top', '1', '--eigenvectors', '--density', '--steps', '8', '--vectors', '2']],
  ['trace', ['trace', torchModel]],
  ['projections', ['projections', torchModel, '--directions', 'hessian']],
  ['projections', ['projections', 'example:dln-data-depth2']],
  ['landscape', ['landscape', torchModel, '--grid', '5', '--data', join(tmp, 'landscape.json')]],
  ['structure', ['structure', torchModel]],
  ['overlap', ['overlap', torchModel, torchModel]],
  ['crosscheck', ['crosscheck', torchModel]],
  ['verify', ['verify', 'N * norm2(M)^(2 - 2/N)', '--relation', 'lower', '--cases', '10', '--seed', '3']],
];

describe.each(runs)('%s --json validates against docs/schemas', (command, argv) => {
  test(argv.join(' '), async () => {
    const r = await runCliAsync(...argv, '--json');
    expect([r.code, r.stderr]).toEqual([command === 'crosscheck' || command === 'verify' ? expect.any(Number) : 0, expect.any(String)]);
    const out = JSON.parse(r.stdout) as { schemaVersion: number; command: string };
    expect(out.schemaVersion).toBe(SCHEMA_VERSION);
    expect(validate(registry, `${command}.schema.json`, out)).toEqual([]);
  });
});

test('a stripped output is rejected (the schemas constrain something)', async () => {
  const r = await runCliAsync('sharpness', torchModel, '--json');
  const rest = JSON.parse(r.stdout) as Record<string, unknown>;
  delete rest.schemaVersion;
  delete rest.convention;
  expect(validate(registry, 'sharpness.schema.json', rest)).toEqual(['$: missing required "schemaVersion"', '$: missing required "convention"']);
});

describe('model files validate against the model schemas', () => {
  const examples = join(root, 'docs', 'examples');
  const files = [
    ...readdirSync(examples)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(examples, f)),
    torchModel,
    join(root, 'test', 'fixtures', 'torch-order', 'model-sum.json'),
  ];
  test.each(files)('%s', (file) => {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const schema = m.kind === 'two-layer' ? 'model-two-layer.schema.json' : 'model-deep-linear.schema.json';
    expect(validate(registry, schema, m)).toEqual([]);
  });
  test('an unknown key, or both target and data, is rejected', () => {
    expect(validate(registry, 'model-deep-linear.schema.json', { weights: [[[1]]], target: [[1]], wieghts: 1 })).toEqual(['$: unknown key "wieghts"']);
    expect(validate(registry, 'model-deep-linear.schema.json', { weights: [[[1]]], target: [[1]], data: { inputs: [[1]], targets: [[1]] } })).toEqual(['$: oneOf: 2 of 2 alternatives match']);
    expect(validate(registry, 'model-two-layer.schema.json', { kind: 'two-layer', activation: 'tanh', loss: 'squared', weights: [[[1]], [[1]]], biases: [[1]], data: { inputs: [[1]], targets: [[1]] } })).toEqual([
      '$.biases: 1 items < minItems 2',
    ]);
  });
});
