/**
 * Sharpness at minimizers against docs/math.md §3 values (hand-derived), exact certificates, and the
 * relations of the known formulas; independent routes (K vs full Hessian) agree.
 */
import { Rational } from '../../src/field/rational.js';
import { specFromModel } from '../../src/hessian/from-model.js';
import { generate, mul as mulF, type Matrix } from '../../src/linalg/matrix.js';
import { F64 } from '../../src/field/field.js';
import { loadExample } from '../../src/models/examples/index.js';
import { makeDmfModel, type DeepLinearModel } from '../../src/models/model.js';
import { analyzeSharpness, NotAMinimizerError, type SharpnessReport } from '../../src/sharpness/sharpness.js';

const q = (s: string): Rational => Rational.parse(s);
const diag = (...d: string[]): Matrix<Rational> => generate(d.length, d.length, (i, j) => (i === j ? q(d[i] as string) : Rational.ZERO));
const rows = (r: string[][]): Matrix<Rational> => generate(r.length, (r[0] as string[]).length, (i, j) => q((r[i] as string[])[j] as string));

function sharp(model: DeepLinearModel<Rational>, exact = true): SharpnessReport {
  return analyzeSharpness(model, specFromModel(model), { exact, digits: 15 });
}

function relationOf(r: SharpnessReport, prefix: string): string | undefined {
  return r.formulas.find((f) => f.name.startsWith(prefix))?.relation;
}

describe('sharpness at minimizers (docs/math.md §3)', () => {
  test('depth-3 diagonal example: λ_max = 33/2 exactly; the spectral-norm sum 24 is a strict upper bound, the max term 16 a strict lower bound', () => {
    const r = sharp(loadExample('dmf-diagonal-depth3'));
    expect(r.isMinimizer).toBe(true);
    expect(r.exact).toMatchObject({ value: '33/2' });
    expect(r.lambdaMax).toBe(16.5);
    const sum = r.formulas.find((f) => f.name.startsWith('spectral-norm sum'));
    expect(sum?.enclosure).toEqual({ lower: '24', upper: '24' });
    expect(sum?.relation).toBe('strict upper bound');
    expect(r.formulas.find((f) => f.name.startsWith('largest term'))?.enclosure.lower).toBe('16');
    expect(relationOf(r, 'largest term')).toBe('strict lower bound');
    expect(relationOf(r, 'flattest value')).toBe('strict lower bound');
    expect(r.maxStableStep).toBeCloseTo(2 / 16.5, 14);
    for (const m of r.methods) expect(Math.abs(m.value - 16.5)).toBeLessThan(1e-9);
    // The rank-one maximum is a lower bound of λ_max.
    expect(r.rankOneMaximum ?? Infinity).toBeLessThanOrEqual(16.5 + 1e-9);
  });

  test('scalar chain w = (1,2,3): λ_max = 49 = Σ_i Π_{j≠i} w_j², and the sum formula is exact', () => {
    const r = sharp(loadExample('scalar-chain-3'));
    expect(r.exact).toMatchObject({ value: '49' });
    expect(relationOf(r, 'spectral-norm sum')).toBe('equal');
    expect(relationOf(r, 'scalar closed form')).toBe('equal');
  });

  test('depth 2: λ_max = ‖W_1‖² + ‖W_2‖² (8 for diag(2,½), diag(½,2), M = I, against the flattest value 2)', () => {
    const r = sharp(makeDmfModel([diag('2', '1/2'), diag('1/2', '2')], diag('1', '1')));
    expect(r.exact).toMatchObject({ value: '8' });
    expect(relationOf(r, 'depth-2 closed form')).toBe('equal');
    expect(relationOf(r, 'flattest value')).toBe('strict lower bound');
  });

  test('balanced W_i = diag(2,1): λ_max = N·4^(N−1) and equals the flattest value', () => {
    for (const [N, want] of [[2, '8'], [3, '48'], [4, '256']] as const) {
      const model = makeDmfModel(Array.from({ length: N }, () => diag('2', '1')), diag(String(2 ** N), '1'));
      const r = sharp(model);
      expect(r.exact).toMatchObject({ value: want });
      expect(relationOf(r, 'flattest value')).toBe('equal');
    }
  });

  test('irrational λ_max: W_1 = [[1,1],[0,1]], W_2 = W_1⁻¹ gives 3 + √5, enclosed rigorously with its polynomial', () => {
    const r = sharp(makeDmfModel([rows([['1', '1'], ['0', '1']]), rows([['1', '-1'], ['0', '1']])], diag('1', '1')));
    const e = r.exact;
    if (e === undefined || e.method !== 'exact' || !('lower' in e)) throw new Error('expected an enclosure');
    const lo = q(e.lower).sub(q('3'));
    const hi = q(e.upper).sub(q('3'));
    // 3 + √5 ∈ [lo + 3, hi + 3] ⇔ lo² ≤ 5 ≤ hi² (both positive).
    expect(lo.mul(lo).compare(q('5'))).toBeLessThanOrEqual(0);
    expect(hi.mul(hi).compare(q('5'))).toBeGreaterThanOrEqual(0);
    expect(q(e.upper).sub(q(e.lower)).compare(q('1e-15'))).toBeLessThan(0);
    expect(e.polynomial).toMatch(/t\^2 - 6\*t \+ 4/); // (t − 3)² − 5
    expect(r.lambdaMax).toBeCloseTo(3 + Math.sqrt(5), 13);
    expect(relationOf(r, 'depth-2 closed form')).toBe('equal to the digits computed');
  });

  test('float mode agrees with the exact value; deep linear network with data: K and the full Hessian agree', () => {
    const f = sharp(loadExample('dmf-diagonal-depth3'), false);
    expect(f.exact).toBeUndefined();
    expect(Math.abs(f.lambdaMax - 16.5)).toBeLessThan(1e-10);
    const base = loadExample('dln-data-depth2');
    if (base.kind !== 'dln') throw new Error('expected a DLN example');
    // Put the targets on the network's output so the point is a zero-loss minimizer.
    const spec = specFromModel(base);
    const P = [spec.weights[1], spec.weights[0]] as Matrix<Rational>[];
    const X = base.data.inputs;
    const mulQ = (A: Matrix<Rational>, B: Matrix<Rational>): Matrix<Rational> =>
      generate(A.rows, B.cols, (i, j) => {
        let s = Rational.ZERO;
        for (let k = 0; k < A.cols; k++) s = s.add((A.data[i + k * A.rows] as Rational).mul(B.data[k + j * B.rows] as Rational));
        return s;
      });
    const Y = mulQ(P[0] as Matrix<Rational>, mulQ(P[1] as Matrix<Rational>, X));
    const model: DeepLinearModel<Rational> = { ...base, data: { inputs: X, targets: Y } };
    const r = sharp(model);
    const [viaK, viaH, cert] = r.methods;
    expect(Math.abs((viaK?.value ?? 0) - (viaH?.value ?? 1))).toBeLessThan(1e-9 * r.lambdaMax);
    expect(Math.abs((cert?.value ?? 0) - r.lambdaMax)).toBe(0);
  });
});

test('reports each method as it starts (progress for long runs)', () => {
  const m = loadExample('dmf-diagonal-depth3');
  const stages: string[] = [];
  analyzeSharpness(m, specFromModel(m), { exact: true, onStage: (s) => stages.push(s) });
  expect(stages).toEqual(['reduced operator K (dense, 4×4)', 'full Hessian (dense, 12×12)', 'exact certificate (4×4 reduced problem)', 'known formulas (rational interval arithmetic)']);
});

describe('points that are not minimizers', () => {
  test('are refused with the residual, or analysed on request (λ_min < 0 from the residual blocks)', () => {
    const m = loadExample('dmf-nonminimizer-depth2');
    expect(() => analyzeSharpness(m, specFromModel(m), { exact: true })).toThrow(NotAMinimizerError);
    expect(() => analyzeSharpness(m, specFromModel(m))).toThrow(/relative residual .* --allow-nonminimizer/);
    const r = analyzeSharpness(m, specFromModel(m), { allowNonMinimizer: true });
    expect(r.isMinimizer).toBe(false);
    expect(r.lambdaMin ?? 0).toBeLessThan(0);
    expect(r.lambdaMax).toBeGreaterThan(0);
  });
});

test('rank-one maximum at width 64 (warm-started Lanczos half-steps) is a lower bound of λ_max(K), not far below it', () => {
  // A generic depth-3 float minimizer of width 64, compared with the K-Lanczos value (an independent method).
  const d = 64;
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) / Math.sqrt(d);
  const W = Array.from({ length: 3 }, () => generate(d, d, (i, j) => (i === j ? 1 : 0) + rnd()));
  const P = W.slice(1).reduce((acc, Wi) => mulF(F64, Wi, acc), W[0] as Matrix<number>);
  const q = (M: Matrix<number>): Matrix<Rational> => ({ rows: M.rows, cols: M.cols, data: M.data.map((x) => Rational.fromNumber(x)) });
  const r = sharp(makeDmfModel(W.map(q), q(P)), false);
  const viaK = r.methods[0]?.value ?? 0;
  expect(r.rankOneMaximum ?? Infinity).toBeLessThanOrEqual(viaK * (1 + 1e-12));
  expect(r.rankOneMaximum ?? 0).toBeGreaterThan(0.5 * viaK);
});
