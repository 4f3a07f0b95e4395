import fc from 'fast-check';
import { Q } from '../../src/field/field.js';
import { Rational } from '../../src/field/rational.js';
import { determinant } from '../../src/linalg/determinant.js';
import { NotSymmetricError, inertia, isPositiveDefinite, isPositiveSemidefinite, ldlt, type LdltResult } from '../../src/linalg/ldlt.js';
import { ShapeError, at, equals, fromRows, generate, mul, transpose, type Matrix } from '../../src/linalg/matrix.js';
import { checkProperty } from '../support/property.js';
import { matrixOf, smallRational, symmetricRational, wideRational } from '../support/arbitraries.js';

const r = (s: string): Rational => Rational.parse(s);
const M = (rows: string[][]): Matrix<Rational> => fromRows(rows.map((row) => row.map(r)));

/** Checks every structural claim of an LDLᵀ result; returns a message on failure. */
function verify(A: Matrix<Rational>, f: LdltResult): string | undefined {
  const n = A.rows;
  const sorted = f.permutation.slice().sort((a, b) => a - b);
  if (!sorted.every((v, k) => v === k)) return 'permutation is not a permutation';
  const PtAP = generate(n, n, (k, l) => at(A, f.permutation[k] as number, f.permutation[l] as number));
  for (let i = 0; i < n; i++) {
    if (!at(f.L, i, i).equals(Rational.ONE)) return `L(${i},${i}) ≠ 1`;
    for (let j = i + 1; j < n; j++) if (!at(f.L, i, j).isZero()) return `L(${i},${j}) ≠ 0`;
  }
  // D is block diagonal with exactly the listed blocks, covering 0..n−1 in order.
  let next = 0;
  const inBlock = new Array<number>(n).fill(-1);
  for (const b of f.blocks) {
    if (b.index !== next) return 'blocks do not tile';
    for (let a = 0; a < b.size; a++) inBlock[b.index + a] = b.index;
    for (let a = 0; a < b.size; a++)
      for (let c = 0; c < b.size; c++) if (!at(b.D, a, c).equals(at(f.D, b.index + a, b.index + c))) return 'block D differs from D';
    if (b.size === 2) {
      if (!at(b.D, 0, 0).isZero() || !at(b.D, 1, 1).isZero() || at(b.D, 0, 1).isZero()) return '2×2 block is not [[0,σ],[σ,0]]';
      if (!at(f.L, b.index + 1, b.index).isZero()) return 'L is not the identity on a 2×2 block';
    }
    next += b.size;
  }
  if (next !== n) return 'blocks do not cover n';
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (inBlock[i] !== inBlock[j] && !at(f.D, i, j).isZero()) return 'D is not block diagonal';
  const LDLt = mul(Q, mul(Q, f.L, f.D), transpose(f.L));
  if (!equals(Q, LDLt, PtAP)) return 'L D Lᵀ ≠ PᵀAP';
  const { positive, negative, zero } = f.inertia;
  if (positive + negative + zero !== n || f.rank !== positive + negative) return 'counts do not add up';
  // inertia of D computed block by block
  let p = 0;
  let q = 0;
  for (const b of f.blocks) {
    if (b.size === 2) {
      p++;
      q++;
    } else {
      const s = at(b.D, 0, 0).sign();
      if (s > 0) p++;
      if (s < 0) q++;
    }
  }
  if (p !== positive || q !== negative) return 'inertia differs from the signs of D';
  if (!f.determinant.equals(determinant(A))) return 'determinant differs from Bareiss';
  return undefined;
}

/** Cyclic Jacobi eigenvalues of a small symmetric float matrix (test-side reference). */
function jacobiEigenvalues(a: number[][]): number[] {
  const n = a.length;
  const A = a.map((row) => row.slice());
  const get = (i: number, j: number): number => (A[i] as number[])[j] as number;
  const set = (i: number, j: number, v: number): void => {
    (A[i] as number[])[j] = v;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += get(i, j) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = get(p, q);
        if (apq === 0) continue;
        const theta = (get(q, q) - get(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = get(k, p);
          const akq = get(k, q);
          set(k, p, c * akp - s * akq);
          set(k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = get(p, k);
          const aqk = get(q, k);
          set(p, k, c * apk - s * aqk);
          set(q, k, s * apk + c * aqk);
        }
      }
  }
  return Array.from({ length: n }, (_, i) => get(i, i));
}

/** Rank by Gaussian elimination over ℚ (test-side reference). */
function rank(B: Matrix<Rational>): number {
  const rows = Array.from({ length: B.rows }, (_, i) => Array.from({ length: B.cols }, (_, j) => at(B, i, j)));
  let rk = 0;
  for (let c = 0; c < B.cols && rk < B.rows; c++) {
    const p = rows.findIndex((row, i) => i >= rk && !(row[c] as Rational).isZero());
    if (p < 0) continue;
    [rows[rk], rows[p]] = [rows[p] as Rational[], rows[rk] as Rational[]];
    const piv = rows[rk] as Rational[];
    for (let i = rk + 1; i < B.rows; i++) {
      const row = rows[i] as Rational[];
      const f = (row[c] as Rational).div(piv[c] as Rational);
      for (let j = c; j < B.cols; j++) row[j] = (row[j] as Rational).sub(f.mul(piv[j] as Rational));
    }
    rk++;
  }
  return rk;
}

const sparseEntry = fc.oneof({ weight: 2, arbitrary: fc.constant(Rational.ZERO) }, { weight: 1, arbitrary: smallRational() });
/** Symmetric with zero diagonal: forces 2×2 pivots. */
const hollowSymmetric = (n: number): fc.Arbitrary<Matrix<Rational>> =>
  symmetricRational(n, sparseEntry).map((A) => generate(n, n, (i, j) => (i === j ? Rational.ZERO : at(A, i, j))));

describe('ldlt', () => {
  it('handles hand cases: 2×2 pivots, zero blocks, semidefinite', () => {
    const swap = ldlt(M([['0', '1'], ['1', '0']]));
    expect(verify(M([['0', '1'], ['1', '0']]), swap)).toBeUndefined();
    expect(swap.inertia).toEqual({ positive: 1, negative: 1, zero: 0 });
    expect(swap.blocks.map((b) => b.size)).toEqual([2]);
    expect(swap.determinant).toEqual(r('-1'));

    const zero = ldlt(M([['0', '0'], ['0', '0']]));
    expect(zero.inertia).toEqual({ positive: 0, negative: 0, zero: 2 });
    expect(zero.rank).toBe(0);
    expect(verify(M([['0', '0'], ['0', '0']]), zero)).toBeUndefined();

    // eigenvalues 0 and 5
    expect(inertia(M([['1', '2'], ['2', '4']])).inertia).toEqual({ positive: 1, negative: 0, zero: 1 });
    // J − I (3×3): eigenvalues 2, −1, −1; det = 2
    const hollow = M([['0', '1', '1'], ['1', '0', '1'], ['1', '1', '0']]);
    const h = ldlt(hollow);
    expect(verify(hollow, h)).toBeUndefined();
    expect(h.inertia).toEqual({ positive: 1, negative: 2, zero: 0 });
    expect(h.determinant).toEqual(r('2'));
    // a pivot of A itself, not of the scaled matrix
    expect(ldlt(M([['1/2']])).D.data).toEqual([r('1/2')]);
    expect(ldlt(fromRows<Rational>([])).inertia).toEqual({ positive: 0, negative: 0, zero: 0 });
  });

  it('decides (semi)definiteness', () => {
    expect(isPositiveSemidefinite(M([['1', '2'], ['2', '4']]))).toBe(true);
    expect(isPositiveDefinite(M([['1', '2'], ['2', '4']]))).toBe(false);
    expect(isPositiveDefinite(M([['2', '-1'], ['-1', '2']]))).toBe(true);
    expect(isPositiveSemidefinite(M([['1', '2'], ['2', '3']]))).toBe(false);
    // λ_max certificate shape from docs/math.md §4: λ*I − K singular and ⪰ 0 for K = [[2,1],[1,2]], λ* = 3
    const lamIminusK = M([['1', '-1'], ['-1', '1']]);
    expect(isPositiveSemidefinite(lamIminusK)).toBe(true);
    expect(inertia(lamIminusK).rank).toBe(1);
  });

  it('rejects non-square and non-symmetric input', () => {
    expect(() => ldlt(M([['1', '2']]))).toThrow(ShapeError);
    expect(() => inertia(M([['1', '2'], ['3', '4']]))).toThrow(NotSymmetricError);
  });

  it('satisfies Pᵀ A P = L D Lᵀ exactly on random symmetric matrices', () => {
    const dense = fc.integer({ min: 1, max: 6 }).chain((n) => symmetricRational(n));
    checkProperty(fc.property(dense, (A) => verify(A, ldlt(A)) === undefined));
    const sparse = fc.integer({ min: 1, max: 7 }).chain((n) => symmetricRational(n, sparseEntry));
    checkProperty(fc.property(sparse, (A) => verify(A, ldlt(A)) === undefined));
    const hollow = fc.integer({ min: 1, max: 6 }).chain(hollowSymmetric);
    checkProperty(fc.property(hollow, (A) => verify(A, ldlt(A)) === undefined));
    const wide = fc.integer({ min: 1, max: 4 }).chain((n) => symmetricRational(n, wideRational()));
    checkProperty(fc.property(wide, (A) => verify(A, ldlt(A)) === undefined), { numRuns: 30 });
  });

  it('finds rank and semidefiniteness of B Bᵀ', () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 4 }))
      .chain(([n, k]) => matrixOf(n, k, fc.oneof(fc.constant(Rational.ZERO), smallRational(4, 3))));
    checkProperty(
      fc.property(arb, (B) => {
        const A = mul(Q, B, transpose(B));
        const f = ldlt(A);
        const rk = rank(B);
        return verify(A, f) === undefined && f.inertia.negative === 0 && f.rank === rk && f.inertia.zero === A.rows - rk && isPositiveSemidefinite(A);
      }),
    );
  });

  it('gives the inertia of Q diag(d) Qᵀ (Sylvester, Q unimodular)', () => {
    const arb = fc.integer({ min: 1, max: 7 }).chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n, maxLength: n }),
        matrixOf(n, n, fc.integer({ min: -3, max: 3 })),
        matrixOf(n, n, fc.integer({ min: -3, max: 3 })),
      ),
    );
    checkProperty(
      fc.property(arb, ([d, Lr, Ur]) => {
        const n = d.length;
        // Q = (unit lower) · (unit upper): det Q = 1.
        const L = generate(n, n, (i, j) => (i === j ? Rational.ONE : i > j ? Rational.fromBigInt(BigInt(at(Lr, i, j))) : Rational.ZERO));
        const U = generate(n, n, (i, j) => (i === j ? Rational.ONE : i < j ? Rational.fromBigInt(BigInt(at(Ur, i, j))) : Rational.ZERO));
        const Qm = mul(Q, L, U);
        const D = generate(n, n, (i, j) => (i === j ? new Rational(BigInt(d[i] as number), 3n) : Rational.ZERO));
        const A = mul(Q, mul(Q, Qm, D), transpose(Qm));
        const f = ldlt(A);
        const expected = {
          positive: d.filter((x) => x > 0).length,
          negative: d.filter((x) => x < 0).length,
          zero: d.filter((x) => x === 0).length,
        };
        const detD = d.reduce((acc, x) => acc.mul(new Rational(BigInt(x), 3n)), Rational.ONE);
        const fast = inertia(A);
        return (
          verify(A, f) === undefined &&
          JSON.stringify(f.inertia) === JSON.stringify(expected) &&
          JSON.stringify(fast.inertia) === JSON.stringify(expected) &&
          f.determinant.equals(detD) &&
          fast.determinant.equals(detD)
        );
      }),
    );
  });

  it('agrees with the signs of Jacobi eigenvalues on well-separated cases', () => {
    const arb = fc.integer({ min: 1, max: 6 }).chain((n) => symmetricRational(n, smallRational(9, 4)));
    let compared = 0;
    checkProperty(
      fc.property(arb, (A) => {
        const a = Array.from({ length: A.rows }, (_, i) => Array.from({ length: A.cols }, (_, j) => at(A, i, j).toNumber()));
        const ev = jacobiEigenvalues(a);
        const norm = Math.sqrt(a.flat().reduce((s, x) => s + x * x, 0));
        // Jacobi is backward stable: eigenvalue errors are O(n u ‖A‖_F); skip near-zero eigenvalues.
        if (ev.some((x) => Math.abs(x) <= 1e-10 * (1 + norm))) return true;
        compared++;
        const got = inertia(A).inertia;
        return got.positive === ev.filter((x) => x > 0).length && got.negative === ev.filter((x) => x < 0).length && got.zero === 0;
      }),
    );
    expect(compared).toBeGreaterThan(50);
  });
});
