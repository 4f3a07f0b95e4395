/** The dynamics data files: bad files are refused with the place of the problem (exit 2 in the CLI). */
import { parseDynamicsData } from '../../src/dynamics/data-files.js';
import { InputError } from '../../src/errors/input-error.js';

const base = { format: 'dln-hessian-train', version: 1, eta: 0.1, series: [{ step: 0, loss: 1, gradientNorm: 1, lambdaMax: 2, jacobianNorm: 1, ansatz: null }] };

test.each([
  ['not JSON', '{', /not JSON/],
  ['wrong format', JSON.stringify({ ...base, format: 'x' }), /format: expected "dln-hessian-train" or "dln-hessian-escape"/],
  ['wrong version', JSON.stringify({ ...base, version: 2 }), /version: expected 1/],
  ['a bad loss', JSON.stringify({ ...base, series: [{ ...base.series[0], loss: 'a' }] }), /series\[1\]\.loss: expected a finite number/],
  ['an escape file without a plane', JSON.stringify({ format: 'dln-hessian-escape', version: 1, lambdaMax: 1, runs: [] }), /plane: expected an object/],
])('%s', (_name, text, message) => {
  expect(() => parseDynamicsData(text as string, 'f.json')).toThrow(message as RegExp);
  expect(() => parseDynamicsData(text as string, 'f.json')).toThrow(InputError);
});

test('a valid series file reads back', () => {
  expect(parseDynamicsData(JSON.stringify(base)).format).toBe('dln-hessian-train');
});
