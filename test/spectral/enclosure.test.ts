/**
 * Rigorous enclosures against independently known values: docs/math.md §3's λ_max = 33/2 and N·4^(N−1),
 * quadratic surds compared through exact squares, and random pencils against a different exact
 * method (Berkowitz characteristic polynomial + Descartes counts) and against float eigenvalues.
 */
import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { preparePoint, type NetworkSpec } from '../../src/hessian/index.js';
import { reducedProblem } from '../../src/hessian/reduced.js';
import { characteristicPolynomialBerkowitz } from '../../src/linalg/charpoly.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { fromRows, generate, mul, type Matrix } from '../../src/linalg/matrix.js';
import { NotSymmetricError } from '../../src/linalg/ldlt.js';
import { countEigenvaluesAbove, eigenvalueEnclosure } from '../../src/spectral/enclosure.js';
import { realRootCount } from '../../src/spectral/polynomial-roots.js';
import { checkProperty } from '../support/property.js';
import { containsSurd } from '../support/surds.js';
import { smallRational, symmetricRational } from '../support/arbitraries.js';
import { networkOf } from '../support/networks.js';

const q = (s: string): Rational => Rational.parse(s);
const diag = (...d: string[]): Matrix<Rational> => generate(d.length, d.length, (i, j) => (i === j ? q(d[i] as string) : Rational.ZERO));
const rows = (r: string[][]): Matrix<Rational> => fromRows(r.map((row) => row.map(q)));

function dmf(weights: Matrix<Rational>[]): NetworkSpec<Rational> {
  let P = weights[0] as Matrix<Rational>;
  for (let i = 1; i < weights.length; i++) P = mul(Q, weights[i] as Matrix<Rational>, P);
  return { weights, objective: { kind: 'dmf', target: P }, reduction: 'half' };
}


describe('countEigenvaluesAbove (Sylvester)', () => {
  test('diag(3, 1, 1, −2) and a pencil', () => {
    const K = diag('3', '1', '1', '-2');
    expect(countEigenvaluesAbove(K, null, q('1'))).toBe(1);
    expect(countEigenvaluesAbove(K, null, q('1/2'))).toBe(3);
    expect(countEigenvaluesAbove(K, null, q('-5'))).toBe(4);
    // λS − K with S = diag(2, 1/2, 1, 1): eigenvalues 3/2, 2, 1, −2.
    const S = ['2', '1/2', '1', '1'].map(q);
    expect(countEigenvaluesAbove(K, S, q('7/4'))).toBe(1);
    expect(countEigenvaluesAbove(K, S, q('1'))).toBe(2);
  });
});

describe('eigenvalueEnclosure', () => {
  test('docs/math.md §3: W = diag(2,½), diag(¼,4), diag(2,½), M = I gives λ_max = 33/2 exactly', () => {
    const red = reducedProblem(preparePoint(Q, dmf([diag('2', '1/2'), diag('1/4', '4'), diag('2', '1/2')])));
    const e = eigenvalueEnclosure(red.K, red.metric, 1, { width: q('1e-12') });
    expect(e.exact?.toString()).toBe('33/2');
    expect(e.lower.equals(e.upper)).toBe(true);
    expect(e.lowerWitness.above).toBe(0);
    expect(e.lowerWitness.at).toBeGreaterThanOrEqual(1);
  });

  test('balanced W_i = diag(2,1), depth N: λ_max = N·4^(N−1)', () => {
    for (const [N, want] of [[2, '8'], [3, '48'], [4, '256']] as const) {
      const red = reducedProblem(preparePoint(Q, dmf(Array.from({ length: N }, () => diag('2', '1')))));
      const e = eigenvalueEnclosure(red.K, red.metric, 1, { width: q('1e-12') });
      expect(e.exact?.toString()).toBe(want);
    }
  });

  test('[[2,1],[1,1]]: λ = (3 ± √5)/2 enclosed (checked through exact squares)', () => {
    const K = rows([['2', '1'], ['1', '1']]);
    const width = q('1e-20');
    const top = eigenvalueEnclosure(K, null, 1, { width });
    expect(top.exact).toBeUndefined();
    expect(top.upper.sub(top.lower).compare(width)).toBeLessThanOrEqual(0);
    expect(containsSurd(top.lower, top.upper, q('3'), 1, q('5'), q('2'))).toBe(true);
    const bottom = eigenvalueEnclosure(K, null, 2, { width });
    expect(containsSurd(bottom.lower, bottom.upper, q('3'), -1, q('5'), q('2'))).toBe(true);
    // A shifted copy must not contain it: the check itself discriminates.
    expect(containsSurd(top.lower.add(q('1e-10')), top.upper.add(q('1e-10')), q('3'), 1, q('5'), q('2'))).toBe(false);
  });

  test('random pencils: the enclosure agrees with Berkowitz + Descartes and with float eigenvalues', () => {
    const problem = fc.integer({ min: 1, max: 5 }).chain((n) =>
      fc.record({
        K: symmetricRational(n, smallRational(12, 4)),
        metric: fc.option(fc.array(smallRational(6, 4).filter((x) => x.sign() > 0), { minLength: n, maxLength: n }), { nil: null }),
        index: fc.integer({ min: 1, max: n }),
        bits: fc.integer({ min: 1, max: 80 }),
        hinted: fc.boolean(),
      }),
    );
    checkProperty(
      fc.property(problem, ({ K, metric, index, bits, hinted }) => {
        const n = K.rows;
        const width = new Rational(1n, 1n << BigInt(bits));
        const SinvK = metric === null ? K : generate(n, n, (i, j) => (K.data[i + j * n] as Rational).div(metric[i] as Rational));
        const p = characteristicPolynomialBerkowitz(SinvK);
        const root = metric === null ? null : metric.map((s) => Math.sqrt(s.toNumber()));
        const F = generate(n, n, (i, j) => (K.data[i + j * n] as Rational).toNumber() / (root === null ? 1 : (root[i] as number) * (root[j] as number)));
        const floats = symmetricEigen(F).values;
        const want = floats[n - index] as number;
        const e = eigenvalueEnclosure(K, metric, index, hinted ? { width, hint: want + 1e-3 } : { width });
        const scale = Math.max(1, ...floats.map(Math.abs));
        if (e.exact !== undefined) {
          const c = realRootCount(p, e.exact);
          expect(c.above).toBeLessThan(index);
          expect(c.above + c.at).toBeGreaterThanOrEqual(index);
          expect(Math.abs(e.exact.toNumber() - want)).toBeLessThanOrEqual(1e-9 * scale);
        } else {
          expect(e.upper.sub(e.lower).compare(width)).toBeLessThanOrEqual(0);
          expect(realRootCount(p, e.upper).above).toBeLessThan(index);
          expect(realRootCount(p, e.lower).above).toBeGreaterThanOrEqual(index);
          expect(e.lower.toNumber()).toBeLessThanOrEqual(want + 1e-9 * scale);
          expect(e.upper.toNumber()).toBeGreaterThanOrEqual(want - 1e-9 * scale);
        }
        expect(e.lowerWitness.above).toBeGreaterThanOrEqual(e.exact === undefined ? index : 0);
        expect(e.upperWitness.above).toBeLessThan(index);
      }),
      { numRuns: 150 },
    );
  });

  test('a wrong hint costs time, not correctness; entries beyond binary64 fall back to Gershgorin', () => {
    const K = rows([['2', '1'], ['1', '1']]);
    for (const hint of [1e30, -7, 2.6]) {
      const e = eigenvalueEnclosure(K, null, 1, { width: q('1e-15'), hint });
      expect(containsSurd(e.lower, e.upper, q('3'), 1, q('5'), q('2'))).toBe(true);
    }
    const huge = diag('1e400', '1');
    const top = eigenvalueEnclosure(huge, null, 1, { width: q('1') });
    expect(top.exact?.equals(q('1e400'))).toBe(true);
    const second = eigenvalueEnclosure(huge, null, 2, { width: q('1/1000') });
    expect(second.lower.compare(Rational.ONE)).toBeLessThanOrEqual(0);
    expect(second.upper.compare(Rational.ONE)).toBeGreaterThanOrEqual(0);
  });

  test('speed: 100 enclosures of λ_max of 16×16 K (depth 3, width 4) to width 1e-12 (goal: ≥ 1000 per minute)', () => {
    const shape = { widths: [4, 4, 4, 4], kind: 'dmf' as const, samples: 1, reduction: 'half' as const };
    const specs = fc.sample(networkOf(shape), { seed: 7, numRuns: 100 });
    const Ks = specs.map((s) => reducedProblem(preparePoint(Q, dmf(s.weights.slice()))).K);
    const width = q('1e-12');
    const t0 = performance.now();
    for (const K of Ks) {
      const e = eigenvalueEnclosure(K, null, 1, { width });
      expect(e.upper.sub(e.lower).compare(width)).toBeLessThanOrEqual(0);
    }
    const seconds = (performance.now() - t0) / 1000;
    // Goal ≥ 1000 per minute, i.e. 100 in 6 s.
    expect(seconds).toBeLessThan(6);
  });

  test('refuses bad input', () => {
    const K = diag('1', '2');
    expect(() => eigenvalueEnclosure(rows([['1', '2']]), null, 1, { width: q('1') })).toThrow(/not square/);
    expect(() => eigenvalueEnclosure(K, [q('1')], 1, { width: q('1') })).toThrow(/metric/);
    expect(() => eigenvalueEnclosure(K, [q('1'), q('0')], 1, { width: q('1') })).toThrow(RangeError);
    expect(() => eigenvalueEnclosure(K, null, 3, { width: q('1') })).toThrow(RangeError);
    expect(() => eigenvalueEnclosure(K, null, 1, { width: q('0') })).toThrow(RangeError);
    expect(() => eigenvalueEnclosure(rows([['1', '2'], ['3', '1']]), null, 1, { width: q('1') })).toThrow(NotSymmetricError);
  });
});
