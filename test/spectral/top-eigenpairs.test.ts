/**
 * The one eigen entry point against spectra known by construction: `Q diag(λ) Qᵀ` with `Q` a product
 * of Householder reflections (eigenpairs `λ_i`, `Q e_i`), Kronecker products of such factors
 * (eigenvalues the products of the factors'), repeated eigenvalues, the smallest end, and warm starts.
 * Residuals and unit length are recomputed here from the matrix, never read from the solver.
 */
import fc from 'fast-check';
import { F64 } from '../../src/field/field.js';
import { kron, type Matrix } from '../../src/linalg/matrix.js';
import { denseOperator, operatorFrom, type LinearOperator } from '../../src/linop/linear-operator.js';
import { topEigenpairs, topDenseEigenpairs, type TopEigenpairs } from '../../src/spectral/top-eigenpairs.js';
import { topKroneckerEigenpairs } from '../../src/structure/top-eigen.js';
import { checkProperty } from '../support/property.js';

/** `Q = H_1 H_2 H_3` (Householder reflections from the given vectors), column-major `n × n`. */
function orthogonal(n: number, seeds: readonly number[]): number[] {
  const Q = Array.from({ length: n * n }, (_, k): number => (k % (n + 1) === 0 ? 1 : 0));
  for (const s of seeds) {
    const u = Array.from({ length: n }, (_, i) => Math.sin(s * (i + 1) + 0.3 * i * i));
    const uu = u.reduce((a, x) => a + x * x, 0);
    // Q ← Q (I − 2uuᵀ/uᵀu)
    for (let r = 0; r < n; r++) {
      let qu = 0;
      for (let c = 0; c < n; c++) qu += (Q[r + n * c] as number) * (u[c] as number);
      for (let c = 0; c < n; c++) Q[r + n * c] = (Q[r + n * c] as number) - (2 * qu * (u[c] as number)) / uu;
    }
  }
  return Q;
}

/** `Q diag(λ) Qᵀ` and its eigenvectors (the columns of `Q`). */
function knownSpectrum(lambda: readonly number[], seeds: readonly number[]): { A: Matrix<number>; Q: number[] } {
  const n = lambda.length;
  const Q = orthogonal(n, seeds);
  const data = new Array<number>(n * n).fill(0);
  for (let j = 0; j < n; j++)
    for (let i = 0; i <= j; i++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += (Q[i + n * l] as number) * (lambda[l] as number) * (Q[j + n * l] as number);
      data[i + n * j] = s;
      data[j + n * i] = s;
    }
  return { A: { rows: n, cols: n, data }, Q };
}

/** Recomputes ‖A v − λ v‖ and ‖v‖ from the matrix and checks the reported residuals against them. */
function checkPairs(A: Matrix<number>, r: TopEigenpairs): void {
  const n = A.rows;
  r.vectors.forEach((v, t) => {
    const lambda = r.values[t] as number;
    let res = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (A.data[i + n * j] as number) * (v[j] as number);
      res += (s - lambda * (v[i] as number)) ** 2;
    }
    expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(Math.sqrt(res) - (r.residuals[t] as number))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(lambda)));
  });
}

/** The operator with a product counter. */
function counted(A: Matrix<number>): { op: LinearOperator<number>; count: () => number } {
  const inner = denseOperator(F64, A, { symmetric: true });
  let c = 0;
  return {
    op: operatorFrom(F64, [A.rows, A.rows], (v) => {
      c++;
      return inner.matvec(v);
    }, { symmetric: true, label: 'counted' }),
    count: () => c,
  };
}

describe('topEigenpairs', () => {
  test('Q diag(λ) Qᵀ: the k extreme pairs by every method, largest and smallest', () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 12, max: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<'largest' | 'smallest'>('largest', 'smallest'),
        fc.constantFrom<'dense' | 'lanczos' | 'block-lanczos'>('dense', 'lanczos', 'block-lanczos'),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 1, max: 1000 }),
        (n, k, which, method, raw, seed) => {
          // Distinct eigenvalues: a sorted sample of integers spread by a random offset, gaps ≥ 1/8.
          const lambda = raw.slice(0, n).map((x, i) => x / 8 + i * 0.25);
          const { A, Q } = knownSpectrum(lambda, [seed, seed + 1, seed + 2]);
          const order = lambda.map((x, i) => ({ x, i })).sort((a, b) => (which === 'largest' ? b.x - a.x : a.x - b.x));
          const scale = Math.max(...lambda.map(Math.abs));
          const op = denseOperator(F64, A, { symmetric: true });
          const r = topEigenpairs(op, { k, which, seed, tolerance: 1e-11, relativeTo: 'norm', denseUpTo: method === 'dense' ? n : 0, ...(method === 'block-lanczos' ? { solver: 'block-lanczos' as const } : {}) });
          expect(r.method).toBe(method);
          expect(r.which).toBe(which);
          expect(r.converged).toBe(true);
          r.values.forEach((x, t) => expect(Math.abs(x - (order[t] as { x: number }).x)).toBeLessThanOrEqual(1e-9 * scale));
          // Eigenvectors up to sign where the eigenvalue is separated from its neighbours by ≥ 1e-3·scale.
          r.vectors.forEach((v, t) => {
            const { x, i } = order[t] as { x: number; i: number };
            const gap = Math.min(...lambda.filter((_, j) => j !== i).map((y) => Math.abs(y - x)));
            if (gap < 1e-3 * scale) return;
            let c = 0;
            for (let l = 0; l < n; l++) c += (v[l] as number) * (Q[l + n * i] as number);
            expect(Math.abs(Math.abs(c) - 1)).toBeLessThan(1e-6);
          });
          const nextWant = (order[k] as { x: number } | undefined)?.x;
          if (r.method === 'dense') expect(Math.abs((r.next as number) - (nextWant as number))).toBeLessThanOrEqual(1e-9 * scale);
          // A Ritz value lies inside the spectrum: never beyond the (k+1)-th eigenvalue.
          else if (r.next !== null) expect(which === 'largest' ? r.next <= (nextWant as number) + 1e-9 * scale : r.next >= (nextWant as number) - 1e-9 * scale).toBe(true);
          checkPairs(A, r);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('Kronecker products of known factors: eigenvalues are the products; the closed form agrees with both Krylov solvers', () => {
    checkProperty(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 100 }),
        (ra, rb, seed) => {
          const la = ra.map((x, i) => x / 16 + i / 64);
          const lb = rb.map((x, i) => x / 16 + i / 64);
          const { A } = knownSpectrum(la, [seed]);
          const { A: B } = knownSpectrum(lb, [seed + 7, seed + 8]);
          const c = 0.5;
          const K = kron(F64, A, B);
          const cK: Matrix<number> = { rows: K.rows, cols: K.cols, data: K.data.map((x) => c * x) };
          const products = la.flatMap((a) => lb.map((b) => c * a * b)).sort((x, y) => y - x);
          const closed = topKroneckerEigenpairs(c, A, B, 3);
          expect(closed.method).toBe('kronecker');
          checkPairs(cK, closed);
          const op = denseOperator(F64, cK, { symmetric: true });
          for (const solver of ['lanczos', 'block-lanczos'] as const) {
            const r = topEigenpairs(op, { k: 3, solver, denseUpTo: 0, tolerance: 1e-11, relativeTo: 'norm', seed });
            expect(r.converged).toBe(true);
            [0, 1, 2].forEach((t) => {
              expect(Math.abs((r.values[t] as number) - (products[t] as number))).toBeLessThanOrEqual(1e-9 * (products[0] as number));
              expect(Math.abs((closed.values[t] as number) - (products[t] as number))).toBeLessThanOrEqual(1e-12 * (products[0] as number));
            });
            checkPairs(cK, r);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  test('an eigenvalue repeated three times is found with its multiplicity (k = 3, both Krylov solvers)', () => {
    const lambda = Array.from({ length: 90 }, (_, i) => 1 + Math.sin(i) ** 2);
    lambda[5] = 3;
    lambda[40] = 3;
    lambda[77] = 3;
    const { A } = knownSpectrum(lambda, [2, 5]);
    const op = denseOperator(F64, A, { symmetric: true });
    for (const solver of ['lanczos', 'block-lanczos'] as const) {
      const r = topEigenpairs(op, { k: 3, solver, denseUpTo: 0 });
      expect(r.converged).toBe(true);
      r.values.forEach((x) => expect(Math.abs(x - 3)).toBeLessThan(1e-9));
      expect(r.next as number).toBeLessThan(2 + 1e-9);
      checkPairs(A, r);
    }
  });

  test('the smallest pair of an indefinite spectrum, by block Lanczos on −A', () => {
    const lambda = Array.from({ length: 70 }, (_, i) => i / 7 - 4);
    const { A } = knownSpectrum(lambda, [11]);
    const r = topEigenpairs(denseOperator(F64, A, { symmetric: true }), { k: 2, which: 'smallest', solver: 'block-lanczos', denseUpTo: 0 });
    expect(r.values[0] as number).toBeCloseTo(-4, 9);
    expect(r.values[1] as number).toBeCloseTo(-4 + 1 / 7, 9);
    expect(r.next as number).toBeGreaterThanOrEqual(-4 + 2 / 7 - 1e-9);
    checkPairs(A, r);
  });

  test('a warm start from a near-eigenvector reaches the same pair in fewer products', () => {
    const n = 300;
    const lambda = Array.from({ length: n }, (_, i) => (i === 123 ? 10 : i === 7 ? 9.5 : (i % 97) / 11));
    const { A, Q } = knownSpectrum(lambda, [3, 4, 5]);
    const cold = counted(A);
    const warm = counted(A);
    const top = Array.from({ length: n }, (_, l) => (Q[l + n * 123] as number) + 1e-8 * Math.cos(l));
    const rc = topEigenpairs(cold.op, { denseUpTo: 0, tolerance: 1e-10 });
    const rw = topEigenpairs(warm.op, { denseUpTo: 0, tolerance: 1e-10, start: [top], blockSize: 1 });
    expect(rw.warmStarted).toBe(true);
    expect(rc.warmStarted).toBe(false);
    for (const r of [rc, rw]) {
      expect(r.converged).toBe(true);
      expect(Math.abs((r.values[0] as number) - 10)).toBeLessThanOrEqual(1e-9);
      checkPairs(A, r);
    }
    expect(rw.matvecs).toBe(warm.count());
    expect(rc.matvecs).toBe(cold.count());
    expect(warm.count()).toBeLessThan(cold.count() / 2);
  });

  test('dense path: residuals from the operator, products counted; the dense matrix may be supplied', () => {
    const lambda = [5, 4, 1, 0.5, -2];
    const { A } = knownSpectrum(lambda, [9]);
    const c = counted(A);
    const built = topEigenpairs(c.op, { k: 2 });
    expect(built.method).toBe('dense');
    expect(built.matvecs).toBe(5 + 2);
    expect(c.count()).toBe(7);
    expect(built.values[0] as number).toBeCloseTo(5, 12);
    expect(built.next as number).toBeCloseTo(1, 12);
    checkPairs(A, built);
    const given = topEigenpairs(denseOperator(F64, A, { symmetric: true }), { k: 1, which: 'smallest', dense: () => A });
    expect(given.values[0] as number).toBeCloseTo(-2, 12);
    expect(given.tolerance).toBeNull();
    expect(topDenseEigenpairs(A, 5).next).toBeNull();
  });

  test('bad input: not square, not symmetric, k out of range, wrong start length', () => {
    const A = knownSpectrum([1, 2, 3], [1]).A;
    expect(() => topEigenpairs(operatorFrom(F64, [3, 2], (v) => [...v, 0], { symmetric: true }))).toThrow(/not square/);
    expect(() => topEigenpairs(denseOperator(F64, A))).toThrow(/not flagged symmetric/);
    expect(() => topEigenpairs(denseOperator(F64, A, { symmetric: true }), { k: 4 })).toThrow(RangeError);
    expect(() => topEigenpairs(denseOperator(F64, A, { symmetric: true }), { start: [[1, 2]] })).toThrow(/start vector has 2 entries/);
  });
});
