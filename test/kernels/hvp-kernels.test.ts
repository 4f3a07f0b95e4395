/**
 * The closed-form HVP's binary64 path (hvp-f64.ts, on the kernel layer) under every kernel that
 * loads, against the exact HVP over ℚ on the same dyadic point (exactly representable in binary64),
 * with data (Σ ≠ I) and a non-zero residual, at widths whose products exceed the JavaScript
 * small-product cut-off (so the native and WebAssembly kernels really run).
 */
import { F64, Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { hessianOperator, hessianVectorProduct } from '../../src/hessian/hvp.js';
import { preparePoint, type NetworkSpec } from '../../src/hessian/index.js';
import { activeKernel, availableKernels, useKernel } from '../../src/kernels/registry.js';
import { generate, map, type Matrix } from '../../src/linalg/matrix.js';
import { mulberry32 } from '../../src/random/mulberry32.js';

const dyadic = (rng: () => number): Rational => new Rational(BigInt(Math.floor(rng() * 17) - 8), 8n);

function spec(widths: readonly number[], samples: number): NetworkSpec<Rational> {
  const rng = mulberry32(41);
  const weights: Matrix<Rational>[] = [];
  for (let i = 0; i + 1 < widths.length; i++) weights.push(generate(widths[i + 1] as number, widths[i] as number, () => dyadic(rng)));
  const inputs = generate(widths[0] as number, samples, () => dyadic(rng));
  const targets = generate(widths[widths.length - 1] as number, samples, () => dyadic(rng));
  return { weights, objective: { kind: 'dln', inputs, targets }, reduction: 'half' };
}

const toFloat = (s: NetworkSpec<Rational>): NetworkSpec<number> => {
  const f = (M: Matrix<Rational>): Matrix<number> => map(M, (x) => x.toNumber());
  if (s.objective.kind !== 'dln') throw new Error('dln expected');
  return { weights: s.weights.map(f), objective: { kind: 'dln', inputs: f(s.objective.inputs), targets: f(s.objective.targets) }, reduction: s.reduction };
};

describe('binary64 HVP on every kernel', () => {
  const exactSpec = spec([20, 24, 18, 22], 8);
  const ptQ = preparePoint(Q, exactSpec);
  const n = 24 * 20 + 18 * 24 + 22 * 18;
  const v = Array.from({ length: n }, (_, i) => new Rational(BigInt(((i * 7) % 11) - 5), 4n));
  const exact = hessianVectorProduct(ptQ, v).map((x) => x.toNumber());
  const scale = Math.max(...exact.map(Math.abs));
  const before = activeKernel().name;
  afterAll(() => useKernel(before));

  it.each(availableKernels().map((k) => [k.name]))('%s kernel: H v within 1e-12 of the exact value (relative to max |Hv|)', (name) => {
    useKernel(name);
    const pt = preparePoint(F64, toFloat(exactSpec));
    const vf = v.map((x) => x.toNumber());
    const got = hessianVectorProduct(pt, vf);
    const viaOperator = hessianOperator(pt).matvec(vf);
    expect(got).toHaveLength(n);
    // Sums of at most ~ (d + n) products per entry, a few levels deep: 1e-12 relative is ≥ 50× that rounding.
    got.forEach((x, i) => expect(Math.abs(x - (exact[i] as number))).toBeLessThanOrEqual(1e-12 * scale));
    expect(viaOperator).toEqual(got);
  });
});
