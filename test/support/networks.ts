import fc from 'fast-check';
import type { Rational } from '../../src/field/rational.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import type { NetworkSpec } from '../../src/hessian/point.js';
import type { Reduction } from '../../src/models/model.js';
import { matrixOf, smallRational } from './arbitraries.js';

export interface NetworkShape {
  widths: number[];
  kind: 'dmf' | 'dln';
  samples: number;
  reduction: Reduction;
}

/** Small architectures: depth 1–`maxDepth`, widths 1–`maxWidth`, DMF or DLN with 1–4 samples. */
export function networkShape(maxDepth = 4, maxWidth = 3): fc.Arbitrary<NetworkShape> {
  return fc.record({
    widths: fc.integer({ min: 1, max: maxDepth }).chain((N) => fc.array(fc.integer({ min: 1, max: maxWidth }), { minLength: N + 1, maxLength: N + 1 })),
    kind: fc.constantFrom<'dmf' | 'dln'>('dmf', 'dln'),
    samples: fc.integer({ min: 1, max: 4 }),
    reduction: fc.constantFrom<Reduction>('half', 'sample-mean', 'sum', 'mean'),
  });
}

/** A rational network spec of the given shape with small random entries. */
export function networkOf(shape: NetworkShape, entry: fc.Arbitrary<Rational> = smallRational(5, 4)): fc.Arbitrary<NetworkSpec<Rational>> {
  const { widths } = shape;
  const N = widths.length - 1;
  const d0 = widths[0] as number;
  const dN = widths[N] as number;
  const weights = fc.tuple(...Array.from({ length: N }, (_, i) => matrixOf(widths[i + 1] as number, widths[i] as number, entry)));
  const objective =
    shape.kind === 'dmf'
      ? matrixOf(dN, d0, entry).map((target) => ({ kind: 'dmf' as const, target }))
      : fc
          .tuple(matrixOf(d0, shape.samples, entry), matrixOf(dN, shape.samples, entry))
          .map(([inputs, targets]) => ({ kind: 'dln' as const, inputs, targets }));
  return fc.tuple(weights, objective).map(([ws, obj]) => ({ weights: ws as Matrix<Rational>[], objective: obj, reduction: shape.reduction }));
}

/** Any small rational network. */
export function smallNetwork(maxDepth = 4, maxWidth = 3): fc.Arbitrary<NetworkSpec<Rational>> {
  return networkShape(maxDepth, maxWidth).chain((s) => networkOf(s));
}

/** Converts a rational spec to binary64 (the library's conversion). */
export { toFloatSpec } from '../../src/hessian/from-model.js';
