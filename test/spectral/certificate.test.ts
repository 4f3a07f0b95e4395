/**
 * λ_max certificates against values known independently: the 33/2 of docs/math.md §3 and N·4^(N−1), quadratic
 * surds checked through exact squares, the float λ_max of the full Hessian (different formulas
 * entirely) on pencil problems, and agreement of the two exact counting methods.
 */
import fc from 'fast-check';
import { F64, Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { hessian, preparePoint, type NetworkSpec } from '../../src/hessian/index.js';
import { reducedProblem } from '../../src/hessian/reduced.js';
import { characteristicPolynomialBerkowitz } from '../../src/linalg/charpoly.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { NotSymmetricError } from '../../src/linalg/ldlt.js';
import { blocks, fromRows, generate, mul, zeros, type Matrix } from '../../src/linalg/matrix.js';
import { Polynomial } from '../../src/linalg/polynomial.js';
import { toFloatSpec } from '../../src/hessian/from-model.js';
import { certifyLambdaMax, refineLambdaMax, type LambdaMaxCertificate } from '../../src/spectral/certificate.js';
import { checkProperty } from '../support/property.js';
import { networkOf, networkShape } from '../support/networks.js';

const q = (s: string): Rational => Rational.parse(s);
const diag = (...d: string[]): Matrix<Rational> => generate(d.length, d.length, (i, j) => (i === j ? q(d[i] as string) : Rational.ZERO));
const rows = (r: string[][]): Matrix<Rational> => fromRows(r.map((row) => row.map(q)));
const golden = rows([['2', '1'], ['1', '1']]); // eigenvalues (3 ± √5)/2

/** Moves the objective onto the network's own output (a zero-loss point). */
function atZeroLoss(spec: NetworkSpec<Rational>): NetworkSpec<Rational> {
  const W = spec.weights;
  let P = W[0] as Matrix<Rational>;
  for (let i = 1; i < W.length; i++) P = mul(Q, W[i] as Matrix<Rational>, P);
  const obj = spec.objective;
  return { ...spec, objective: obj.kind === 'dmf' ? { kind: 'dmf', target: P } : { kind: 'dln', inputs: obj.inputs, targets: mul(Q, P, obj.inputs) } };
}

function dmf(weights: Matrix<Rational>[]): NetworkSpec<Rational> {
  return atZeroLoss({ weights, objective: { kind: 'dmf', target: zeros(Q, 1, 1) }, reduction: 'half' });
}

/** `lower ≤ (p + √s)/c ≤ upper`, exactly through squares (`c > 0`). */
function containsSurd(lower: Rational, upper: Rational, p: Rational, s: Rational, c: Rational): boolean {
  const a = c.mul(lower).sub(p);
  const b = c.mul(upper).sub(p);
  return (a.sign() < 0 || a.mul(a).compare(s) <= 0) && b.sign() >= 0 && b.mul(b).compare(s) >= 0;
}

function valueOf(c: LambdaMaxCertificate): number {
  return c.kind === 'rational' ? c.value.toNumber() : c.lower.add(c.upper).toNumber() / 2;
}

describe('certifyLambdaMax: rational λ_max', () => {
  test('docs/math.md §3: W = diag(2,½), diag(¼,4), diag(2,½), M = I ⇒ λ_max = 33/2 (K diagonal)', () => {
    const red = reducedProblem(preparePoint(Q, dmf([diag('2', '1/2'), diag('1/4', '4'), diag('2', '1/2')])));
    const c = certifyLambdaMax({ K: red.K, metric: red.metric }, { digits: 12 });
    expect(c.kind).toBe('rational');
    if (c.kind !== 'rational') return;
    expect(c.value.toString()).toBe('33/2');
    expect(c.polynomial.toString()).toBe('t - 33/2');
    // K is diagonal: its eigenvalues are its diagonal entries (read directly, no algorithm).
    const d = Array.from({ length: red.K.rows }, (_, i) => red.K.data[i + i * red.K.rows] as Rational);
    expect(c.charpoly.equals(Polynomial.fromRoots(d))).toBe(true);
    const distinct = [...new Map(d.map((x) => [x.toString(), x])).values()].sort((a, b) => b.compare(a));
    expect(c.rationalRoots.map(String)).toEqual(distinct.map(String));
    expect(c.evidence.some((line) => /33\/2·I − K: inertia \(\d+, 0, \d+\) ⇒ positive semidefinite and singular ⇒ λ_max = 33\/2/.test(line))).toBe(true);
    expect(c.seconds).toBeGreaterThanOrEqual(0);
  });

  test('balanced W_i = diag(2,1), depth N ⇒ N·4^(N−1), by inertia and by polynomial counts', () => {
    for (const [N, want] of [[2, '8'], [3, '48'], [4, '256']] as const) {
      const red = reducedProblem(preparePoint(Q, dmf(Array.from({ length: N }, () => diag('2', '1')))));
      for (const counts of ['inertia', 'polynomial'] as const) {
        const c = certifyLambdaMax({ K: red.K, metric: red.metric }, { digits: 10, counts });
        expect(c.kind === 'rational' ? c.value.toString() : 'enclosure').toBe(want);
        expect(c.counts).toBe(counts);
      }
    }
  });

  test('a double rational λ_max: [[3,1,0],[1,3,0],[0,0,4]] ⇒ 4 with multiplicity 2', () => {
    const c = certifyLambdaMax({ K: rows([['3', '1', '0'], ['1', '3', '0'], ['0', '0', '4']]), metric: null }, { digits: 8 });
    expect(c.kind === 'rational' ? c.value.toString() : '').toBe('4');
    expect(c.multiplicity).toBe(2);
    expect(c.factors.map((f) => [f.factor.toString(), f.multiplicity])).toEqual([
      ['t - 2', 1],
      ['t - 4', 2],
    ]);
  });

  test('a denominator beyond maxDenominator: still rational (q divides the leading coefficient), and found by the float candidates when allowed', () => {
    // A double determines a/b only while |x − a/b| < 1/(2b²) (Legendre), i.e. b up to ~10^7 here; the
    // divisibility argument has no such limit.
    const value = q('12345679/10000019');
    const K = diag('12345679/10000019', '1');
    const a = certifyLambdaMax({ K, metric: null }, { digits: 15 });
    expect(a.kind === 'rational' ? a.value.equals(value) : false).toBe(true);
    expect(a.rationalRoots.map(String)).toEqual(['1']);
    const b = certifyLambdaMax({ K, metric: null }, { digits: 15, maxDenominator: 100_000_000n });
    expect(b.kind === 'rational' ? b.value.toString() : '').toBe('12345679/10000019');
    expect(b.rationalRoots.map(String)).toEqual(['12345679/10000019', '1']);
  });
});

describe('certifyLambdaMax: irrational λ_max', () => {
  test('[[2,1],[1,1]] ⇒ (3+√5)/2 in an interval of width < 10^−30, root of t² − 3t + 1', () => {
    for (const counts of ['inertia', 'polynomial'] as const) {
      const c = certifyLambdaMax({ K: golden, metric: null }, { digits: 30, counts });
      expect(c.kind).toBe('enclosure');
      if (c.kind !== 'enclosure') return;
      expect(c.upper.sub(c.lower).compare(q('1e-30'))).toBeLessThan(0);
      expect(containsSurd(c.lower, c.upper, q('3'), q('5'), q('2'))).toBe(true);
      expect(c.polynomial.toString()).toBe('t^2 - 3*t + 1');
      expect(c.charpoly.toString()).toBe('t^2 - 3*t + 1');
      expect(c.rationalRoots).toEqual([]);
      expect(c.multiplicity).toBe(1);
    }
  });

  test('pencil λS − K with S = diag(2, 1): λ_max = 1 + √2/2, charpoly t² − 2t + 1/2', () => {
    const c = certifyLambdaMax({ K: golden, metric: [q('2'), q('1')] }, { digits: 20 });
    expect(c.charpoly.toString()).toBe('t^2 - 2*t + 1/2');
    expect(c.kind).toBe('enclosure');
    // 1 + √2/2 = (2 + √2)/2.
    if (c.kind === 'enclosure') expect(containsSurd(c.lower, c.upper, q('2'), q('2'), q('2'))).toBe(true);
  });

  test('a double irrational λ_max is isolated on the factor of multiplicity 2', () => {
    const K = blocks([
      [golden, zeros(Q, 2, 2)],
      [zeros(Q, 2, 2), golden],
    ]);
    for (const counts of ['inertia', 'polynomial'] as const) {
      const c = certifyLambdaMax({ K, metric: null }, { digits: 20, counts });
      expect(c.kind).toBe('enclosure');
      expect(c.multiplicity).toBe(2);
      expect(c.polynomial.toString()).toBe('t^2 - 3*t + 1');
      expect(c.factors.map((f) => [f.factor.toString(), f.multiplicity])).toEqual([['t^2 - 3*t + 1', 2]]);
      if (c.kind === 'enclosure') expect(containsSurd(c.lower, c.upper, q('3'), q('5'), q('2'))).toBe(true);
    }
  });

  test('a cluster below float resolution is split by further counts', () => {
    const c0 = q('2.6180339887498948482'); // (3+√5)/2 − 4.6e-21: one double for both
    const K = blocks([
      [golden, zeros(Q, 2, 1)],
      [zeros(Q, 1, 2), fromRows([[c0]])],
    ]);
    for (const counts of ['inertia', 'polynomial'] as const) {
      const c = certifyLambdaMax({ K, metric: null }, { digits: 25, counts });
      expect(c.kind).toBe('enclosure');
      if (c.kind !== 'enclosure') return;
      expect(containsSurd(c.lower, c.upper, q('3'), q('5'), q('2'))).toBe(true);
      expect(c.lower.compare(c0)).toBeGreaterThanOrEqual(0);
      // p = (t² − 3t + 1)(t − c0) is square-free and c0 is not among the rational roots found
      // (denominator above 10^6): the polynomial is the whole cubic.
      expect(c.polynomial.equals(c.charpoly)).toBe(true);
      expect(c.factors.length).toBe(1);
      expect(c.rationalRoots.some((r) => r.equals(c0))).toBe(false); // denominator 10^15 > 10^6
    }
  });
});

describe('certifyLambdaMax against independent computations', () => {
  test('zero-loss networks (DMF and DLN, pencil forms included): agrees with the float λ_max of the full Hessian', () => {
    checkProperty(
      fc.property(networkShape(3, 3).chain((s) => networkOf(s)), (raw) => {
        const spec = atZeroLoss(raw);
        const red = reducedProblem(preparePoint(Q, spec));
        const c = certifyLambdaMax({ K: red.K, metric: red.metric }, { digits: 12 });
        const H = hessian(preparePoint(F64, toFloatSpec(spec)));
        const values = symmetricEigen(H).values;
        const top = values[values.length - 1] as number;
        expect(Math.abs(valueOf(c) - top)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(top)));
        const n = red.K.rows;
        const metric = red.metric;
        const SinvK = metric === null ? red.K : generate(n, n, (i, j) => (red.K.data[i + j * n] as Rational).div(metric[i] as Rational));
        expect(c.charpoly.equals(characteristicPolynomialBerkowitz(SinvK))).toBe(true);
        if (c.kind === 'enclosure') expect(c.upper.sub(c.lower).compare(q('1e-12'))).toBeLessThan(0);
      }),
      { numRuns: 40 },
    );
  });

  test('inertia and polynomial counts give the same certificate', () => {
    const problem = fc.integer({ min: 1, max: 5 }).chain((n) =>
      fc.record({
        entries: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n * n, maxLength: n * n }),
        metric: fc.option(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }), { nil: null }),
        digits: fc.integer({ min: 0, max: 20 }),
      }),
    );
    checkProperty(
      fc.property(problem, ({ entries, metric, digits }) => {
        const n = metric === null ? Math.round(Math.sqrt(entries.length)) : metric.length;
        const K = generate(n, n, (i, j) => Rational.fromBigInt(BigInt((entries[Math.min(i, j) + Math.max(i, j) * n] as number) * (i === j ? 3 : 1))));
        const S = metric === null ? null : metric.map((x) => Rational.fromBigInt(BigInt(x)));
        const a = certifyLambdaMax({ K, metric: S }, { digits, counts: 'inertia' });
        const b = certifyLambdaMax({ K, metric: S }, { digits, counts: 'polynomial' });
        expect(b.kind).toBe(a.kind);
        expect(b.multiplicity).toBe(a.multiplicity);
        expect(b.polynomial.equals(a.polynomial)).toBe(true);
        const width = new Rational(1n, 10n ** BigInt(digits));
        for (const c of [a, b]) {
          if (c.kind === 'enclosure') {
            expect(c.upper.sub(c.lower).compare(width)).toBeLessThan(0);
            // The factor changes sign across the enclosure, or vanishes at its top.
            const lo = c.polynomial.evaluate(c.lower).sign();
            const hi = c.polynomial.evaluate(c.upper).sign();
            expect(lo * hi <= 0).toBe(true);
          }
        }
        if (a.kind === 'rational' && b.kind === 'rational') expect(b.value.equals(a.value)).toBe(true);
        if (a.kind === 'enclosure' && b.kind === 'enclosure') {
          expect(a.lower.compare(b.upper)).toBeLessThanOrEqual(0);
          expect(b.lower.compare(a.upper)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 100 },
    );
  });

  test('36×36 K from a depth-3 width-6 rational minimizer: polynomial counts', () => {
    const shape = { widths: [6, 6, 6, 6], kind: 'dmf' as const, samples: 1, reduction: 'half' as const };
    const [spec] = fc.sample(networkOf(shape), { seed: 3, numRuns: 1 });
    if (spec === undefined) throw new Error('no sample');
    const red = reducedProblem(preparePoint(Q, atZeroLoss(spec)));
    expect(red.K.rows).toBe(36);
    const c = certifyLambdaMax({ K: red.K, metric: null }, { digits: 15, counts: 'polynomial' });
    const top = symmetricEigen(generate(36, 36, (i, j) => (red.K.data[i + j * 36] as Rational).toNumber())).values[35] as number;
    expect(Math.abs(valueOf(c) - top)).toBeLessThanOrEqual(1e-10 * top);
    expect(c.counts).toBe('polynomial');
    if (c.kind === 'enclosure') expect(c.upper.sub(c.lower).compare(q('1e-15'))).toBeLessThan(0);
  });

  test('refineLambdaMax narrows an enclosure by sign bisection: (3 + √5)/2 to 2^−300, checked by exact squares', () => {
    const c = certifyLambdaMax({ K: golden, metric: null }, { digits: 3 });
    expect(c.kind).toBe('enclosure');
    if (c.kind !== 'enclosure') return;
    expect(c.isolating).toBe(true);
    const width = new Rational(1n, 1n << 300n);
    const r = refineLambdaMax(c, width);
    expect(r.exact).toBeUndefined();
    expect(r.upper.sub(r.lower).compare(width)).toBeLessThanOrEqual(0);
    expect(r.lower.compare(c.lower)).toBeGreaterThanOrEqual(0);
    expect(r.upper.compare(c.upper)).toBeLessThanOrEqual(0);
    // λ = (3 + √5)/2 ⇔ 2λ − 3 = √5 > 0: lower < λ ≤ upper ⇔ (2·lower − 3)² < 5 ≤ (2·upper − 3)²
    const sq = (x: Rational): Rational => x.add(x).sub(q('3')).mul(x.add(x).sub(q('3')));
    expect(sq(r.lower).compare(q('5'))).toBeLessThan(0);
    expect(sq(r.upper).compare(q('5'))).toBeGreaterThanOrEqual(0);
    expect(() => refineLambdaMax(c, Rational.ZERO)).toThrow(RangeError);
    // A rational certificate is its exact value.
    const e = refineLambdaMax(certifyLambdaMax({ K: diag('3', '1/2'), metric: null }, { digits: 3 }), width);
    expect(e.exact?.equals(q('3'))).toBe(true);
  });

  test('refuses bad input', () => {
    expect(() => certifyLambdaMax({ K: rows([['1', '2'], ['3', '1']]), metric: null }, { digits: 5 })).toThrow(NotSymmetricError);
    expect(() => certifyLambdaMax({ K: golden, metric: null }, { digits: -1 })).toThrow(RangeError);
    expect(() => certifyLambdaMax({ K: golden, metric: [q('1')] }, { digits: 1 })).toThrow(/metric/);
    expect(() => certifyLambdaMax({ K: rows([['1', '2']]), metric: null }, { digits: 1 })).toThrow(/not square/);
  });
});

describe('certifyLambdaMax: rational λ_max whatever its denominator (q | leading coefficient)', () => {
  // K = R·diag(a, [[1,1],[1,−1]])·Rᵀ with R rational orthogonal: eigenvalues a = 902254450/8946081 ≈ 100.85
  // and ±√2, so p(t) ∝ (8946081 t − 902254450)(t² − 2): the top root is rational with a denominator far
  // above the float candidate search (10^6), on a factor the float search cannot split.
  const a = q('902254450/8946081');
  const B = rows([
    [a.toString(), '0', '0'],
    ['0', '1', '1'],
    ['0', '1', '-1'],
  ]);
  const R1 = rows([
    ['3/5', '4/5', '0'],
    ['-4/5', '3/5', '0'],
    ['0', '0', '1'],
  ]);
  const R2 = rows([
    ['1', '0', '0'],
    ['0', '5/13', '12/13'],
    ['0', '-12/13', '5/13'],
  ]);
  const R = mul(Q, R2, R1);
  const t = (M: Matrix<Rational>): Matrix<Rational> => generate(M.cols, M.rows, (i, j) => M.data[j + i * M.rows] as Rational);
  const K = mul(Q, mul(Q, R, B), t(R));

  test('λ_max = 902254450/8946081 is returned exactly, with the divisibility argument in the evidence', () => {
    const c = certifyLambdaMax({ K, metric: null }, { digits: 12 });
    expect(c.kind).toBe('rational');
    if (c.kind !== 'rational') return;
    expect(c.value.equals(a)).toBe(true);
    expect(c.evidence.join('\n')).toMatch(/q \| lc = 8946081|the factor is linear/);
  });

  test('an irrational λ_max is proven irrational by the same argument (3 + √5 on the golden-ratio block)', () => {
    const c = certifyLambdaMax({ K: mul(Q, golden, golden), metric: null }, { digits: 12 }); // eigenvalues ((3 ± √5)/2)²
    expect(c.kind).toBe('enclosure');
    expect(c.evidence.join('\n')).toMatch(/λ_max is irrational/);
  });
});
