/**
 * Lanczos against known spectra (diagonal operators), against the dense eigensolver on random
 * symmetric matrices, and against its own claims (residuals recomputed here, unit vectors).
 */
import fc from 'fast-check';
import { F64 } from '../../src/field/field.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { fromColumnMajor, type Matrix } from '../../src/linalg/matrix.js';
import { denseOperator, operatorFrom, type LinearOperator } from '../../src/linop/linear-operator.js';
import { lanczos, type LanczosResult } from '../../src/spectral/lanczos.js';
import { checkProperty } from '../support/property.js';

function diagonalOperator(d: readonly number[]): LinearOperator<number> {
  return operatorFrom(F64, [d.length, d.length], (v) => v.map((x, i) => (d[i] as number) * x), { symmetric: true, label: 'diagonal' });
}

function randomSymmetric(n: number, entries: readonly number[]): Matrix<number> {
  const data = new Array<number>(n * n);
  let k = 0;
  for (let j = 0; j < n; j++)
    for (let i = 0; i <= j; i++) {
      const v = entries[k++ % entries.length] as number;
      data[i + j * n] = v;
      data[j + i * n] = v;
    }
  return fromColumnMajor(n, n, data);
}

/** ‖Av − λv‖ and ‖v‖ recomputed from scratch. */
function check(op: LinearOperator<number>, r: LanczosResult): void {
  r.eigenvectors.forEach((v, t) => {
    const lambda = r.eigenvalues[t] as number;
    const av = op.matvec(v);
    const res = Math.hypot(...av.map((x, i) => x - lambda * (v[i] as number)));
    const len = Math.hypot(...v);
    expect(Math.abs(len - 1)).toBeLessThan(1e-12);
    // The reported residual is the true one (same computation up to rounding).
    expect(Math.abs(res - (r.residuals[t] as number))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(lambda)));
  });
}

describe('lanczos', () => {
  test('diagonal operator: the top three of 1..200 with truthful residuals', () => {
    const d = Array.from({ length: 200 }, (_, i) => (i + 1) / 4);
    const op = diagonalOperator(d);
    const r = lanczos(op, { k: 3 });
    expect(r.converged).toBe(true);
    expect(r.eigenvalues.length).toBe(3);
    [50, 49.75, 49.5].forEach((want, t) => expect(Math.abs((r.eigenvalues[t] as number) - want)).toBeLessThan(1e-8));
    r.residuals.forEach((res, t) => expect(res).toBeLessThanOrEqual(1e-10 * Math.abs(r.eigenvalues[t] as number)));
    check(op, r);
    expect(r.matvecs).toBeGreaterThanOrEqual(r.iterations);
    expect(r.method).toMatch(/Lanczos/);
  });

  test('a repeated top eigenvalue is found with its multiplicity (k = 2)', () => {
    // n = 6: the block start sees both copies.
    const small = diagonalOperator([5, 3, 5, 2, 1, 0.5]);
    const r1 = lanczos(small, { k: 2 });
    expect(r1.eigenvalues.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([5, 5]);
    check(small, r1);
    // Large n with a double top eigenvalue among 300.
    const d = Array.from({ length: 300 }, (_, i) => 9 * Math.sin(i + 1) ** 2);
    d[17] = 10;
    d[211] = 10;
    const big = diagonalOperator(d);
    const r2 = lanczos(big, { k: 2 });
    expect(r2.converged).toBe(true);
    r2.eigenvalues.forEach((x) => expect(Math.abs(x - 10)).toBeLessThan(1e-8));
    check(big, r2);
  });

  test('block size 1: the second copy appears after the invariant-subspace restart', () => {
    const op = diagonalOperator([5, 5, 3, 2, 1]);
    const r = lanczos(op, { k: 2, blockSize: 1 });
    expect(r.restarts).toBeGreaterThanOrEqual(1);
    r.eigenvalues.forEach((x) => expect(Math.abs(x - 5)).toBeLessThan(1e-10));
    expect(r.converged).toBe(true);
  });

  test("accuracy 'eigenvalue': λ_max to the tolerance with fewer products than a residual-converged run", () => {
    // Spectrum 1..400 plus a top eigenvalue 404: known exactly, gap 4.
    const d = Array.from({ length: 400 }, (_, i) => i + 1);
    d.push(404);
    const op = diagonalOperator(d);
    const byResidual = lanczos(op, { tolerance: 1e-10, seed: 3 });
    const byValue = lanczos(op, { tolerance: 1e-10, seed: 3, accuracy: 'eigenvalue' });
    expect(byValue.converged).toBe(true);
    expect(Math.abs((byValue.eigenvalues[0] as number) - 404)).toBeLessThanOrEqual(1e-10 * 404);
    expect(byValue.iterations).toBeLessThan(byResidual.iterations);
    check(op, byValue);
  });

  test('single vector: the tridiagonal test runs after every product, so one product fewer does not converge; next is the second Ritz value', () => {
    const d = Array.from({ length: 500 }, (_, i) => Math.sqrt(i + 1));
    const op = diagonalOperator(d);
    for (const accuracy of ['residual', 'eigenvalue'] as const) {
      const r = lanczos(op, { k: 1, tolerance: 1e-10, seed: 5, accuracy });
      expect(r.converged).toBe(true);
      const shorter = lanczos(op, { k: 1, tolerance: 1e-10, seed: 5, accuracy, maxIterations: r.iterations - 1 });
      expect(shorter.converged).toBe(false);
      // A Ritz value lies inside the spectrum: the second one is at most λ_2 = √499.
      expect(r.next as number).toBeLessThanOrEqual(Math.sqrt(499) + 1e-12);
      check(op, r);
    }
  });

  test("'smallest' on an indefinite diagonal operator", () => {
    const d = Array.from({ length: 80 }, (_, i) => i - 10.5);
    const op = diagonalOperator(d);
    const r = lanczos(op, { k: 2, which: 'smallest' });
    expect(r.converged).toBe(true);
    expect(Math.abs((r.eigenvalues[0] as number) + 10.5)).toBeLessThan(1e-8);
    expect(Math.abs((r.eigenvalues[1] as number) + 9.5)).toBeLessThan(1e-8);
    check(op, r);
  });

  test('random symmetric matrices agree with the dense eigensolver', () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<'largest' | 'smallest'>('largest', 'smallest'),
        fc.array(fc.integer({ min: -640, max: 640 }).map((x) => x / 64), { minLength: 1, maxLength: 900 }),
        fc.nat(1000),
        (n, kRaw, which, entries, seed) => {
          const k = Math.min(kRaw, n);
          const A = randomSymmetric(n, entries);
          const op = denseOperator(F64, A, { symmetric: true });
          const r = lanczos(op, { k, which, seed });
          const ref = symmetricEigen(A).values;
          const norm = Math.max(1, ...ref.map(Math.abs));
          expect(r.converged).toBe(true);
          r.eigenvalues.forEach((x, t) => {
            const want = (which === 'largest' ? ref[n - 1 - t] : ref[t]) as number;
            expect(Math.abs(x - want)).toBeLessThanOrEqual(1e-8 * norm);
          });
          check(op, r);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('deterministic for a fixed seed; another seed gives the same eigenvalues', () => {
    const A = randomSymmetric(30, Array.from({ length: 465 }, (_, i) => Math.cos(i * 1.7)));
    const op = denseOperator(F64, A, { symmetric: true });
    const a = lanczos(op, { k: 2, seed: 7 });
    const b = lanczos(op, { k: 2, seed: 7 });
    expect(b).toEqual(a);
    expect(a.seed).toBe(7);
    const c = lanczos(op, { k: 2, seed: 8 });
    c.eigenvalues.forEach((x, t) => expect(Math.abs(x - (a.eigenvalues[t] as number))).toBeLessThan(1e-8));
  });

  test('tiny sizes and a capped iteration count (reported as not converged, residuals still true)', () => {
    const one = lanczos(diagonalOperator([3]));
    expect(one.eigenvalues).toEqual([3]);
    expect(one.converged).toBe(true);
    const d = Array.from({ length: 400 }, (_, i) => 1 + i / 400 + (i === 399 ? 0.001 : 0));
    const op = diagonalOperator(d);
    const r = lanczos(op, { k: 1, maxIterations: 5, tolerance: 1e-14 });
    expect(r.iterations).toBe(5);
    expect(r.converged).toBe(false);
    check(op, r);
  });

  test('refuses non-square, unsymmetric and bad options', () => {
    const rect = operatorFrom(F64, [3, 2], () => [0, 0, 0], { symmetric: true, label: 'rect' });
    expect(() => lanczos(rect)).toThrow(/not square/);
    const asym = operatorFrom(F64, [2, 2], (v) => v.slice(), { symmetric: false, label: 'asym' });
    expect(() => lanczos(asym)).toThrow(/not flagged symmetric/);
    const op = diagonalOperator([1, 2]);
    expect(() => lanczos(op, { k: 3 })).toThrow(RangeError);
    expect(() => lanczos(op, { tolerance: 0 })).toThrow(RangeError);
  });
});

describe('warm start', () => {
  const n = 400;
  const diagOp = operatorFrom(F64, [n, n], (v) => v.map((x, i) => (i === n - 1 ? 1000 : i === n - 2 ? 999.999 : i / 10) * x), { symmetric: true, label: 'diag' });
  test('a start vector near the top eigenvector converges in a few products, to the residual asked', () => {
    const start = Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 1e-9));
    const warm = lanczos(diagOp, { k: 1, tolerance: 1e-10, start: [start] });
    const cold = lanczos(diagOp, { k: 1, tolerance: 1e-10 });
    expect(warm.converged).toBe(true);
    expect(Math.abs((warm.eigenvalues[0] as number) - 1000)).toBeLessThan(1e-7);
    expect(warm.residuals[0] as number).toBeLessThanOrEqual(1e-10 * 1000);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(warm.method).toMatch(/1 warm-start vector/);
  });
  test('a misleading start (the eigenvector of a lower eigenvalue) still ends at the top: the random block vector explores', () => {
    const start = Array.from({ length: n }, (_, i) => (i === 100 ? 1 : 0));
    const r = lanczos(diagOp, { k: 1, tolerance: 1e-10, start: [start], blockSize: 2 });
    expect(Math.abs((r.eigenvalues[0] as number) - 1000)).toBeLessThan(1e-6);
  });

  describe('partial reorthogonalisation (single vector, top eigenvalue, eigenvalue accuracy)', () => {
    // 3000 eigenvalues: 100 isolated above a bulk spread over [0, 1] and a second outlier at 60, in a
    // random orthogonal basis would cost n³; a diagonal operator in a fixed permutation is enough for
    // Lanczos (it only sees products).
    const n = 3000;
    const spectrum = Array.from({ length: n }, (_, i) => (i === 1234 ? 100 : i === 77 ? 60 : ((i * 7919) % n) / n));
    const op = diagonalOperator(spectrum);

    test('finds λ_max = 100 to 1e-10 with whole-basis passes only where the estimates ask, and true residuals', () => {
      const r = lanczos(op, { k: 1, accuracy: 'eigenvalue', tolerance: 1e-10, seed: 4 });
      expect(r.converged).toBe(true);
      expect(Math.abs((r.eigenvalues[0] as number) - 100)).toBeLessThanOrEqual(1e-10 * 100);
      expect(r.method).toContain('partial reorthogonalisation');
      expect(r.wholeBasisPasses).toBeLessThan(r.iterations);
      check(op, r);
      // The Ritz vector is the coordinate vector e_1234 up to sign, to about √(tol) (eigenvalue accuracy).
      expect(Math.abs(Math.abs(r.eigenvectors[0]?.[1234] as number) - 1)).toBeLessThan(1e-5);
    });

    test('long runs keep semi-orthogonality: the top two Ritz values of a 200-step run have no ghost copy of 100', () => {
      // A tolerance that cannot be met forces all 200 steps; a ghost would show as a second Ritz value near 100.
      const r = lanczos(op, { k: 2, blockSize: 1, accuracy: 'eigenvalue', tolerance: 1e-300, maxIterations: 200, seed: 4 });
      expect(r.iterations).toBe(200);
      expect(Math.abs((r.eigenvalues[0] as number) - 100)).toBeLessThan(1e-9);
      expect(Math.abs((r.eigenvalues[1] as number) - 60)).toBeLessThan(1e-9);
    });

    test('residual accuracy and the smallest end keep full reorthogonalisation', () => {
      expect(lanczos(op, { k: 1, tolerance: 1e-8, seed: 4 }).method).toContain('full reorthogonalisation');
      expect(lanczos(op, { k: 1, which: 'smallest', accuracy: 'eigenvalue', tolerance: 1e-6, seed: 4, maxIterations: 50 }).method).toContain('full reorthogonalisation');
    });
  });
});
