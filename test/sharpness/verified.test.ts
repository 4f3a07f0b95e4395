/**
 * `sharpness --exact` at points given in binary64 or decimals: proven enclosures of λ_max (and λ_min)
 * of the EXACT Hessian, checked against exact inertia of the rational Hessian (Sylvester's law, an
 * independent exact computation); near-minimizers analysed with the Gauss–Newton value and the
 * residual-part bound; size limits refused up front; identical inputs give identical reports.
 */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { hessian } from '../../src/hessian/dense.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { LimitError } from '../../src/hessian/limits.js';
import { preparePoint } from '../../src/hessian/point.js';
import { isPositiveDefinite } from '../../src/linalg/ldlt.js';
import { add, generate, identity, mul, scale, sub, type Matrix } from '../../src/linalg/matrix.js';
import { makeDlnModel, makeDmfModel, type DeepLinearModel } from '../../src/models/model.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { analyzeSharpness } from '../../src/sharpness/sharpness.js';
import { checkProperty } from '../support/property.js';

function randomMatrix(rng: () => number, r: number, c: number, shift = 0): Matrix<Rational> {
  // binary64 entries (exact dyadic rationals), near shift·I
  return generate(r, c, (i, j) => Rational.fromNumber((rng() - 0.5) / 2 + (i === j ? shift : 0)));
}

/** `λ_max(H) ∈ [lo, hi]` for the exact Hessian: `hi·I − H ≻ 0` and `lo·I − H ⊁ 0`. */
function enclosesLambdaMax(H: Matrix<Rational>, lo: string, hi: string): boolean {
  const I = identity(Q, H.rows);
  return isPositiveDefinite(sub(Q, scale(Q, Rational.parse(hi), I), H)) && !isPositiveDefinite(sub(Q, scale(Q, Rational.parse(lo), I), H));
}

function exactHessian(m: DeepLinearModel<Rational>): Matrix<Rational> {
  return hessian(preparePoint(Q, specFromModel(m)));
}

describe('verified certificate at float points (oracle: exact inertia)', () => {
  test('near-minimizer: λ_max of the exact Hessian in the K + residual-bound enclosure; GN value and bound beside', () => {
    const rng = mulberry32(7);
    const W = [randomMatrix(rng, 3, 2, 1), randomMatrix(rng, 3, 3, 1), randomMatrix(rng, 2, 3, 1)];
    const P = mul(Q, W[2] as Matrix<Rational>, mul(Q, W[1] as Matrix<Rational>, W[0] as Matrix<Rational>));
    const M = add(Q, P, generate(2, 2, (i, j) => new Rational(BigInt(1 + i + 2 * j), 10n ** 7n)));
    const model = makeDmfModel(W, M);
    const r = analyzeSharpness(model, specFromModel(model), { exact: true });
    expect(r.minimizerCheck.verdict).toBe('near-minimizer');
    const e = r.exact;
    if (e === undefined || e.method !== 'verified-binary64') throw new Error('expected a verified certificate');
    expect(e.route).toBe('reduced-operator');
    expect(enclosesLambdaMax(exactHessian(model), e.lower, e.upper)).toBe(true);
    const rho = e.residualBound?.norm ?? 0;
    expect(rho).toBeGreaterThan(0);
    expect(rho).toBeLessThan(1e-4);
    expect(Rational.parse(e.upper).sub(Rational.parse(e.lower)).toNumber()).toBeLessThan(2 * rho + 1e-10);
    // Float mode: analysed, not refused; λ_max is the full Hessian's, K's value and the bound beside it.
    const f = analyzeSharpness(model, specFromModel(model));
    expect(f.gaussNewton).toBeDefined();
    expect(Math.abs(f.lambdaMax - (f.gaussNewton?.lambdaMax ?? 0))).toBeLessThanOrEqual(f.gaussNewton?.residualBound ?? 0);
    expect(f.lambdaMax).toBe(f.methods[1]?.value);
  });

  test('deep linear network with data, near-minimizer: the samples form of K and the residual bound enclose the exact λ_max', () => {
    const rng = mulberry32(21);
    const W = [randomMatrix(rng, 3, 2, 1), randomMatrix(rng, 2, 3, 1)];
    const X = randomMatrix(rng, 2, 4, 1);
    const Y = add(Q, mul(Q, W[1] as Matrix<Rational>, mul(Q, W[0] as Matrix<Rational>, X)), generate(2, 4, (i, j) => new Rational(BigInt(((i + 3 * j) % 5) - 2), 10n ** 7n)));
    const model = makeDlnModel(W, { inputs: X, targets: Y });
    const r = analyzeSharpness(model, specFromModel(model), { exact: true });
    expect(r.minimizerCheck.verdict).toBe('near-minimizer');
    const e = r.exact;
    if (e === undefined || e.method !== 'verified-binary64') throw new Error('expected a verified certificate');
    expect(e.route).toBe('reduced-operator');
    expect(e.size).toBe(8); // d_N · n
    expect(enclosesLambdaMax(exactHessian(model), e.lower, e.upper)).toBe(true);
  });

  test('exact minimizer given in binary64 whose exact loss is 0: ρ = 0 and λ_max(H) = λ_max(K) enclosed narrowly', () => {
    const rng = mulberry32(11);
    const W = [randomMatrix(rng, 3, 2, 1), randomMatrix(rng, 2, 3, 1)];
    const M = mul(Q, W[1] as Matrix<Rational>, W[0] as Matrix<Rational>); // exact product, not a binary64 matrix
    const model = makeDmfModel(W, M);
    const r = analyzeSharpness(model, specFromModel(model), { exact: true, maxExactReduced: 1 });
    const e = r.exact;
    if (e === undefined || e.method !== 'verified-binary64') throw new Error('expected a verified certificate');
    expect(r.minimizerCheck.verdict).toBe('exact-minimizer');
    expect(e.residualBound?.norm).toBe(0);
    expect(enclosesLambdaMax(exactHessian(model), e.lower, e.upper)).toBe(true);
    expect(Rational.parse(e.upper).sub(Rational.parse(e.lower)).toNumber()).toBeLessThan(1e-12 * r.lambdaMax);
    expect(r.notes?.join(' ')).toMatch(/exact certificate too large.*verified binary64/);
  });

  test('not a minimizer (--allow-nonminimizer): λ_max and λ_min of the exact full Hessian enclosed', () => {
    const rng = mulberry32(3);
    const W = [randomMatrix(rng, 2, 3), randomMatrix(rng, 3, 2), randomMatrix(rng, 2, 3)];
    const model = makeDmfModel(W, randomMatrix(rng, 2, 3));
    const r = analyzeSharpness(model, specFromModel(model), { exact: true, allowNonMinimizer: true });
    const e = r.exact;
    if (e === undefined || e.method !== 'verified-binary64') throw new Error('expected a verified certificate');
    expect(e.route).toBe('full-hessian');
    const H = exactHessian(model);
    expect(enclosesLambdaMax(H, e.lower, e.upper)).toBe(true);
    const min = r.exactLambdaMin;
    if (min === undefined) throw new Error('expected λ_min');
    const neg = scale(Q, Rational.fromBigInt(-1n), H); // λ_min(H) = −λ_max(−H)
    expect(enclosesLambdaMax(neg, Rational.parse(min.upper).neg().toString(), Rational.parse(min.lower).neg().toString())).toBe(true);
    expect(r.lambdaMin ?? 0).toBeLessThan(0);
  });

  test('beyond the size limit: refused up front, with the size, an estimate and the flag', () => {
    const rng = mulberry32(5);
    const W = [randomMatrix(rng, 6, 6), randomMatrix(rng, 6, 6)];
    const model = makeDmfModel(W, randomMatrix(rng, 6, 6));
    expect(() => analyzeSharpness(model, specFromModel(model), { exact: true, allowNonMinimizer: true, maxVerified: 50 })).toThrow(LimitError);
    expect(() => analyzeSharpness(model, specFromModel(model), { exact: true, allowNonMinimizer: true, maxVerified: 50 })).toThrow(
      /72×72 matrix .*binary64 operations.*limit 50 rows.*--max-verified/,
    );
  });

  test('identical inputs give identical reports (no timings unless asked)', () => {
    const rng = mulberry32(9);
    const W = [randomMatrix(rng, 3, 3, 1), randomMatrix(rng, 3, 3, 1)];
    const model = makeDmfModel(W, mul(Q, W[1] as Matrix<Rational>, W[0] as Matrix<Rational>));
    const a = JSON.stringify(analyzeSharpness(model, specFromModel(model), { exact: true, maxExactReduced: 1 }));
    const b = JSON.stringify(analyzeSharpness(model, specFromModel(model), { exact: true, maxExactReduced: 1 }));
    expect(a).toBe(b);
    expect(a).not.toMatch(/seconds/);
    expect(JSON.stringify(analyzeSharpness(model, specFromModel(model), { timings: true }))).toMatch(/"seconds":/);
  });
});

test('property: near-minimizers of random shapes, residuals 1e-9 to 1e-4 — the certified enclosure contains the exact λ_max', () => {
  checkProperty(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 4, max: 9 }), (seed, depth, exponent) => {
      const rng = mulberry32(seed);
      const widths = Array.from({ length: depth + 1 }, () => 1 + Math.floor(rng() * 3));
      const W = widths.slice(1).map((r, i) => randomMatrix(rng, r, widths[i] as number, 1));
      const P = W.slice(1).reduce((acc, Wi) => mul(Q, Wi, acc), W[0] as Matrix<Rational>);
      const M = add(Q, P, generate(P.rows, P.cols, () => new Rational(BigInt(Math.floor(rng() * 7) - 3), 10n ** BigInt(exponent))));
      const model = makeDmfModel(W, M);
      const r = analyzeSharpness(model, specFromModel(model), { exact: true, allowNonMinimizer: true });
      const e = r.exact;
      if (e === undefined || e.method !== 'verified-binary64') return; // an exact minimizer (zero perturbation) takes the rational route
      expect(enclosesLambdaMax(exactHessian(model), e.lower, e.upper)).toBe(true);
    }),
    { numRuns: 25 },
  );
});
