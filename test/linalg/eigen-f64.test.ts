import fc from 'fast-check';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { ShapeError, fromRows, type Matrix } from '../../src/linalg/matrix.js';
import { singularValues, spectralNorm, svd } from '../../src/linalg/svd-f64.js';
import { checkProperty } from '../support/property.js';

/** Machine epsilon, 2^-52 (twice the unit roundoff). */
const EPS = Number.EPSILON;

// Small dense helpers written here (a triple loop), independent of the code under test.
function get(A: Matrix<number>, i: number, j: number): number {
  return A.data[i + j * A.rows] as number;
}
function matmul(A: Matrix<number>, B: Matrix<number>): Matrix<number> {
  const data = new Array<number>(A.rows * B.cols).fill(0);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let p = 0; p < A.cols; p++) s += get(A, i, p) * get(B, p, j);
      data[i + j * A.rows] = s;
    }
  return { rows: A.rows, cols: B.cols, data };
}
function transposeOf(A: Matrix<number>): Matrix<number> {
  const data = new Array<number>(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) data[j + i * A.cols] = get(A, i, j);
  return { rows: A.cols, cols: A.rows, data };
}
/** `A diag(d)`: column `j` scaled by `d[j]`. */
function scaleColumns(A: Matrix<number>, d: readonly number[]): Matrix<number> {
  return { rows: A.rows, cols: A.cols, data: A.data.map((x, idx) => x * (d[Math.floor(idx / A.rows)] as number)) };
}
function maxAbsDiff(A: Matrix<number>, B: Matrix<number>): number {
  expect([A.rows, A.cols]).toEqual([B.rows, B.cols]);
  return A.data.reduce((m, x, idx) => Math.max(m, Math.abs(x - (B.data[idx] as number))), 0);
}
/** `‖A‖_F`, computed with scaling so that tiny and huge entries neither underflow nor overflow. */
function frobenius(A: Matrix<number>): number {
  const big = A.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  if (big === 0) return 0;
  return big * Math.sqrt(A.data.reduce((s, x) => s + (x / big) * (x / big), 0));
}
function eye(n: number): Matrix<number> {
  const data = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) data[i + i * n] = 1;
  return { rows: n, cols: n, data };
}
function diagMatrix(d: readonly number[]): Matrix<number> {
  return scaleColumns(eye(d.length), d);
}

/**
 * Tolerance for the defining identities of a backward-stable dense decomposition of an `n`-dimensional
 * problem: `c · n · ε · ‖A‖_F`. Householder reductions and QR/QL sweeps make `O(n)` rounding errors per
 * entry, each ≤ ε times the entry's scale (bounded by ‖A‖_F); `c = 16` covers the moderate constants of
 * those bounds (Golub & Van Loan §8.3, Demmel §5.3). Gradual underflow adds at most half the smallest
 * subnormal η per operation, so `n² η` covers it for matrices with tiny entries.
 */
function decompositionTolerance(n: number, normA: number): number {
  const dim = Math.max(n, 1);
  return 16 * dim * EPS * normA + dim * dim * Number.MIN_VALUE;
}

/** Checks `A V = V Λ`, `VᵀV = I` and the ascending order for a symmetric eigen-decomposition. */
function expectEigenIdentities(A: Matrix<number>): { values: number[]; vectors: Matrix<number> } {
  const n = A.rows;
  const { values, vectors } = symmetricEigen(A);
  expect(values).toHaveLength(n);
  expect([vectors.rows, vectors.cols]).toEqual([n, n]);
  for (let k = 1; k < n; k++) expect(values[k] as number).toBeGreaterThanOrEqual(values[k - 1] as number);
  const normA = frobenius(A);
  expect(maxAbsDiff(matmul(A, vectors), scaleColumns(vectors, values))).toBeLessThanOrEqual(decompositionTolerance(n, normA));
  expect(maxAbsDiff(matmul(transposeOf(vectors), vectors), eye(n))).toBeLessThanOrEqual(decompositionTolerance(n, 1));
  // Independent invariants: trace A = Σ λ and ‖A‖_F² = Σ λ².
  let trace = 0;
  for (let i = 0; i < n; i++) trace += get(A, i, i);
  const sum = values.reduce((s, x) => s + x, 0);
  const sumSq = values.reduce((s, x) => s + x * x, 0);
  expect(Math.abs(sum - trace)).toBeLessThanOrEqual(decompositionTolerance(n, normA) * n);
  expect(Math.abs(sumSq - normA * normA)).toBeLessThanOrEqual(decompositionTolerance(n, normA) * normA * n);
  return { values, vectors };
}

function symmetricFromUpper(n: number, upper: readonly number[]): Matrix<number> {
  const data = new Array<number>(n * n);
  let t = 0;
  for (let j = 0; j < n; j++)
    for (let i = 0; i <= j; i++) {
      const v = upper[t++] as number;
      data[i + j * n] = v;
      data[j + i * n] = v;
    }
  return { rows: n, cols: n, data };
}

const symmetricArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc
    .array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: (n * (n + 1)) / 2, maxLength: (n * (n + 1)) / 2 })
    .map((upper) => symmetricFromUpper(n, upper)),
);

describe('symmetricEigen', () => {
  it('satisfies A V = V Λ and VᵀV = I with ascending eigenvalues on random symmetric matrices', () => {
    checkProperty(
      fc.property(symmetricArb, (A) => {
        expectEigenIdentities(A);
      }),
    );
  });

  it('satisfies the identities on a 60×60 matrix with clustered and repeated eigenvalues', () => {
    // A = I ⊕ (integer symmetric block): eigenvalue 1 with multiplicity ≥ 20.
    const n = 60;
    const data = new Array<number>(n * n).fill(0);
    for (let i = 0; i < 20; i++) data[i + i * n] = 1;
    for (let j = 20; j < n; j++) for (let i = 20; i <= j; i++) {
      const v = ((i * 7 + j * 13) % 11) - 5;
      data[i + j * n] = v;
      data[j + i * n] = v;
    }
    const { values } = expectEigenIdentities({ rows: n, cols: n, data });
    expect(values.filter((x) => Math.abs(x - 1) <= decompositionTolerance(n, 100)).length).toBeGreaterThanOrEqual(20);
  });

  it('finds the spectrum of a diagonal matrix, sorted, with the unit vectors', () => {
    const { values, vectors } = expectEigenIdentities(diagMatrix([3, -1, 2, 0.5]));
    expect(values).toEqual([-1, 0.5, 2, 3]);
    // λ = -1 belongs to e_2, 0.5 to e_4, 2 to e_3, 3 to e_1 (signs normalised positive).
    expect(maxAbsDiff(vectors, fromRows([[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]))).toBe(0);
  });

  it('finds 1 and 3 for [[2, 1], [1, 2]] with eigenvectors (1, ∓1)/√2', () => {
    const { values, vectors } = expectEigenIdentities(fromRows([[2, 1], [1, 2]]));
    expect(Math.abs((values[0] as number) - 1)).toBeLessThanOrEqual(4 * EPS);
    expect(Math.abs((values[1] as number) - 3)).toBeLessThanOrEqual(4 * 3 * EPS);
    const s = Math.SQRT1_2;
    // |⟨v_k, w_k⟩| = 1 for the expected unit vectors w_0 = (1, -1)/√2, w_1 = (1, 1)/√2.
    expect(Math.abs(Math.abs(get(vectors, 0, 0) * s - get(vectors, 1, 0) * s) - 1)).toBeLessThanOrEqual(4 * EPS);
    expect(Math.abs(Math.abs(get(vectors, 0, 1) * s + get(vectors, 1, 1) * s) - 1)).toBeLessThanOrEqual(4 * EPS);
  });

  it('recovers the spectrum of orthogonally conjugated diagonals Q D Qᵀ', () => {
    // Q = M/3 with M = [[1,2,2],[2,1,-2],[2,-2,1]] (MᵀM = 9I). A = M D Mᵀ / 9, computed in integers
    // then divided once, so each entry of A carries one rounding: eigenvalues are D up to O(ε ‖D‖).
    const M = fromRows([[1, 2, 2], [2, 1, -2], [2, -2, 1]]);
    const D = [-4, 1, 7];
    const A9 = matmul(scaleColumns(M, D), transposeOf(M)); // integer entries, exact
    const A = { rows: 3, cols: 3, data: A9.data.map((x) => x / 9) };
    const { values, vectors } = expectEigenIdentities(A);
    values.forEach((v, k) => expect(Math.abs(v - (D[k] as number))).toBeLessThanOrEqual(decompositionTolerance(3, 7)));
    // Each eigenvector is ± the matching column of Q.
    for (let k = 0; k < 3; k++) {
      let dot = 0;
      for (let i = 0; i < 3; i++) dot += (get(vectors, i, k) * get(M, i, k)) / 3;
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThanOrEqual(decompositionTolerance(3, 7));
    }
    // A normalised Hadamard matrix H = H_4/2 is orthogonal with exact entries ±1/2, so H D Hᵀ is exact.
    const H = fromRows([[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]].map((r) => r.map((x) => x / 2)));
    const D4 = [-2.5, 0, 1, 6];
    const B = matmul(scaleColumns(H, D4), transposeOf(H));
    const res = expectEigenIdentities(B);
    res.values.forEach((v, k) => expect(Math.abs(v - (D4[k] as number))).toBeLessThanOrEqual(decompositionTolerance(4, 6.6)));
  });

  it.each([1e300, 1e200, 1, 1e-200, 1e-300])('is scale-invariant: tridiag(1, 2, 1)·%d has eigenvalues (2 − √2, 2, 2 + √2)·s', (s) => {
    // Unscaled, ml-matrix's tred2 crashes near 1e200 and underflows to a wrong spectrum near 1e-200.
    const A = fromRows([[2 * s, s, 0], [s, 2 * s, s], [0, s, 2 * s]]);
    const { values } = symmetricEigen(A);
    [2 - Math.SQRT2, 2, 2 + Math.SQRT2].forEach((want, k) =>
      expect(Math.abs((values[k] as number) / s - want)).toBeLessThanOrEqual(decompositionTolerance(3, 4)),
    );
  });

  it('handles the identity (all eigenvalues repeated), 1×1 and 0×0', () => {
    const { values } = expectEigenIdentities(eye(5));
    expect(values).toEqual([1, 1, 1, 1, 1]);
    const one = symmetricEigen(fromRows([[-7]]));
    expect(one.values).toEqual([-7]);
    expect(one.vectors.data).toEqual([1]);
    const empty = symmetricEigen({ rows: 0, cols: 0, data: [] });
    expect(empty.values).toEqual([]);
    expect(empty.vectors).toEqual({ rows: 0, cols: 0, data: [] });
  });

  it('accepts roundoff-level asymmetry, symmetrises it, and reports it', () => {
    const delta = 1 + 1e-14 - 1; // the perturbation as stored (exactly representable)
    const A = fromRows([[2, 1 + delta], [1, 2]]);
    const r = symmetricEigen(A);
    expect(r.asymmetry).toBe(delta / 2);
    // Symmetrised off-diagonal 1 + δ/2: eigenvalues 2 ∓ (1 + δ/2).
    expect(Math.abs((r.values[0] as number) - (1 - delta / 2))).toBeLessThanOrEqual(8 * EPS);
    expect(Math.abs((r.values[1] as number) - (3 + delta / 2))).toBeLessThanOrEqual(8 * 3 * EPS);
  });

  it('rejects non-square, non-finite and asymmetric input with clear messages', () => {
    expect(() => symmetricEigen(fromRows([[1, 2, 3], [4, 5, 6]]))).toThrow(ShapeError);
    expect(() => symmetricEigen(fromRows([[1, 2, 3], [4, 5, 6]]))).toThrow(/square matrix, got 2×3/);
    expect(() => symmetricEigen(fromRows([[1, NaN], [NaN, 1]]))).toThrow(RangeError);
    expect(() => symmetricEigen(fromRows([[1, Infinity], [Infinity, 1]]))).toThrow(/must be finite/);
    expect(() => symmetricEigen(fromRows([[1, 2], [3, 1]]))).toThrow(/not symmetric: \|a\(2,1\) − a\(1,2\)\| = 1/);
    expect(() => symmetricEigen(fromRows([[1, 1 + 1e-14], [1, 1]]), { symmetryTolerance: 0 })).toThrow(RangeError);
  });
});

/** Checks `A = U diag(s) Vᵀ`, orthonormal columns, and descending non-negative `s`. */
function expectSvdIdentities(A: Matrix<number>): { U: Matrix<number>; s: number[]; V: Matrix<number> } {
  const { U, s, V } = svd(A);
  const r = Math.min(A.rows, A.cols);
  expect([U.rows, U.cols]).toEqual([A.rows, r]);
  expect([V.rows, V.cols]).toEqual([A.cols, r]);
  expect(s).toHaveLength(r);
  for (let k = 0; k < r; k++) expect(s[k] as number).toBeGreaterThanOrEqual(0);
  for (let k = 1; k < r; k++) expect(s[k] as number).toBeLessThanOrEqual(s[k - 1] as number);
  const dim = Math.max(A.rows, A.cols);
  const normA = frobenius(A);
  expect(maxAbsDiff(matmul(scaleColumns(U, s), transposeOf(V)), A)).toBeLessThanOrEqual(decompositionTolerance(dim, normA));
  expect(maxAbsDiff(matmul(transposeOf(U), U), eye(r))).toBeLessThanOrEqual(decompositionTolerance(dim, 1));
  expect(maxAbsDiff(matmul(transposeOf(V), V), eye(r))).toBeLessThanOrEqual(decompositionTolerance(dim, 1));
  // The values-only routine may be a different algorithm (LAPACK: dgesdd's QR sweep instead of its
  // divide and conquer): both are backward stable, so they agree within the same tolerance.
  const values = singularValues(A);
  expect(values).toHaveLength(r);
  values.forEach((x, k) => expect(Math.abs(x - (s[k] as number))).toBeLessThanOrEqual(decompositionTolerance(dim, normA)));
  return { U, s, V };
}

const rectangularArb = fc
  .tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }))
  .chain(([m, n]) =>
    fc
      .array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: m * n, maxLength: m * n })
      .map((data): Matrix<number> => ({ rows: m, cols: n, data })),
  );

describe('svd, singularValues, spectralNorm', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn');
  });
  afterEach(() => {
    // ml-matrix warns on wide input unless it is transposed first; we always pass it a tall matrix.
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('satisfies U diag(s) Vᵀ = A with orthonormal U, V on random tall and wide shapes', () => {
    checkProperty(
      fc.property(rectangularArb, (A) => {
        expectSvdIdentities(A);
      }),
    );
  });

  it('agrees with the eigenvalues of AᵀA (a different method): σ_k² = λ_k(AᵀA)', () => {
    checkProperty(
      fc.property(rectangularArb, (A) => {
        const s = singularValues(A);
        const AtA = A.rows >= A.cols ? matmul(transposeOf(A), A) : matmul(A, transposeOf(A));
        const lambda = symmetricEigen(AtA, { symmetryTolerance: 0 }).values.reverse();
        const normA = frobenius(A);
        const tol = decompositionTolerance(Math.max(A.rows, A.cols), normA) * normA * 2;
        s.forEach((sk, k) => expect(Math.abs(sk * sk - (lambda[k] as number))).toBeLessThanOrEqual(tol));
      }),
    );
  });

  it('finds known singular values', () => {
    expectSvdIdentities(fromRows([[3, 0], [0, -2]]));
    // Within rounding, not exactly: LAPACK's 2×2 step (dlas2) forms the values through square roots.
    const d = singularValues(fromRows([[3, 0], [0, -2]]));
    expect(d).toHaveLength(2);
    [3, 2].forEach((x, k) => expect(Math.abs((d[k] as number) - x)).toBeLessThanOrEqual(4 * x * EPS));
    // Rank one u vᵀ with ‖u‖ = 3, ‖v‖ = 5: the only non-zero singular value is 15.
    const u = [1, 2, 2];
    const v = [3, 4];
    const uvT = fromRows(u.map((ui) => v.map((vj) => ui * vj)));
    for (const A of [uvT, transposeOf(uvT)]) {
      const { s, U, V } = expectSvdIdentities(A);
      expect(Math.abs((s[0] as number) - 15)).toBeLessThanOrEqual(decompositionTolerance(3, 15));
      expect(s[1] as number).toBeLessThanOrEqual(decompositionTolerance(3, 15));
      // The leading singular vectors are ±u/‖u‖ and ±v/‖v‖ (which is which depends on the orientation).
      const tall = A.rows === 3;
      const left = tall ? u.map((x) => x / 3) : v.map((x) => x / 5);
      const right = tall ? v.map((x) => x / 5) : u.map((x) => x / 3);
      const dotL = left.reduce((acc, x, i) => acc + x * get(U, i, 0), 0);
      const dotR = right.reduce((acc, x, i) => acc + x * get(V, i, 0), 0);
      expect(Math.abs(Math.abs(dotL) - 1)).toBeLessThanOrEqual(decompositionTolerance(3, 1));
      expect(Math.abs(dotL - dotR)).toBeLessThanOrEqual(decompositionTolerance(3, 1)); // same sign: s₀ u₀ v₀ᵀ = +15 û v̂ᵀ
    }
  });

  it.each([1e300, 1e200, 1, 1e-200, 1e-300])('is scale-invariant: singular values of [[3, 0], [4, 5]]·%d', (s) => {
    // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5, so σ = (3√5, √5).
    const sv = singularValues(fromRows([[3 * s, 0], [4 * s, 5 * s]]));
    expect(Math.abs((sv[0] as number) / s - 3 * Math.sqrt(5))).toBeLessThanOrEqual(decompositionTolerance(2, 7));
    expect(Math.abs((sv[1] as number) / s - Math.sqrt(5))).toBeLessThanOrEqual(decompositionTolerance(2, 7));
    expectSvdIdentities(fromRows([[3 * s, 0], [4 * s, 5 * s]]));
  });

  it('stays accurate next to subnormal entries (regression: ml-matrix alone gave 1.13e-10 for 1.0107e-10)', () => {
    // Columns (a e₁), (η e₁), (η e₁ + b e₄) with η the smallest subnormal: σ = (a, b, ~0) up to O(η).
    const a = 0.00024475017865464795;
    const b = 1.0107034315858984e-10;
    const eta = Number.MIN_VALUE;
    const A: Matrix<number> = { rows: 6, cols: 3, data: [a, 0, 0, 0, 0, 0, eta, 0, 0, 0, 0, 0, eta, 0, 0, b, 0, 0] };
    const sv = singularValues(A);
    expect(Math.abs((sv[0] as number) - a)).toBeLessThanOrEqual(decompositionTolerance(6, a));
    expect(Math.abs((sv[1] as number) - b)).toBeLessThanOrEqual(decompositionTolerance(6, a));
    expect(sv[2] as number).toBeLessThanOrEqual(decompositionTolerance(6, a));
  });

  it('handles row and column vectors and empty matrices', () => {
    // ‖(3, 4)‖ = 5 as a 1×2 and a 2×1 matrix.
    expect(singularValues(fromRows([[3, 4]]))).toEqual([5]);
    expect(singularValues(fromRows([[3], [4]]))).toEqual([5]);
    expectSvdIdentities(fromRows([[3, 4]]));
    expectSvdIdentities(fromRows([[3], [4]]));
    const empty = svd({ rows: 0, cols: 3, data: [] });
    expect(empty.s).toEqual([]);
    expect([empty.U.rows, empty.U.cols, empty.V.rows, empty.V.cols]).toEqual([0, 0, 3, 0]);
    expect(singularValues({ rows: 2, cols: 0, data: [] })).toEqual([]);
    expect(spectralNorm({ rows: 0, cols: 0, data: [] })).toBe(0);
  });

  it('spectralNorm is the largest |λ| of a symmetric matrix and ‖x‖ of a vector', () => {
    expect(Math.abs(spectralNorm(fromRows([[2, 1], [1, 2]])) - 3)).toBeLessThanOrEqual(8 * EPS);
    // [[1, 2], [2, -5]]: trace −4, determinant −9, so λ = −2 ± √13 and ‖A‖₂ = 2 + √13.
    expect(Math.abs(spectralNorm(fromRows([[1, 2], [2, -5]])) - (2 + Math.sqrt(13)))).toBeLessThanOrEqual(32 * EPS);
    checkProperty(
      fc.property(symmetricArb, (A) => {
        const { values } = symmetricEigen(A);
        const expected = Math.max(Math.abs(values[0] as number), Math.abs(values[values.length - 1] as number));
        expect(Math.abs(spectralNorm(A) - expected)).toBeLessThanOrEqual(decompositionTolerance(A.rows, frobenius(A)));
      }),
      { numRuns: 50 },
    );
  });

  it('rejects non-finite entries', () => {
    expect(() => svd(fromRows([[1, NaN]]))).toThrow(RangeError);
    expect(() => singularValues(fromRows([[Infinity]]))).toThrow(/must be finite/);
  });
});
