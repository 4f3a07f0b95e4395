/**
 * The rank-one maximum `max_{‖u‖=‖v‖=1} Σ_i (uᵀL_iu)(vᵀR_iv)` (src/sharpness/rank-one.ts) on its
 * kernel-layer path (sizes above the dense limit of 48): with one term it is exactly
 * `λ_max(L)·λ_max(R)` (checked against dense eigenvalues); with several it lies below `λ_max(K)` of the
 * dense `K = Σ_i R_i ⊗ L_i` and the returned unit vectors attain it.
 */
import { F64 } from '../../src/field/field.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { add, at, generate, identity, kron, mul, scale, transpose, type Matrix } from '../../src/linalg/matrix.js';
import { createRng } from '../../src/random/rng.js';
import { rankOneMaximum } from '../../src/sharpness/rank-one.js';

const rng = createRng(20261205, 'rank-one');
const randn = (r: number, c: number): Matrix<number> => generate(r, c, () => rng.gaussian());
const gram = (A: Matrix<number>): Matrix<number> => mul(F64, A, transpose(A));
const top = (S: Matrix<number>): number => Math.max(...symmetricEigen(S).values);
const quad = (G: Matrix<number>, x: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i < G.rows; i++) for (let j = 0; j < G.cols; j++) s += (x[i] as number) * at(G, i, j) * (x[j] as number);
  return s;
};

describe('rank-one maximum on the kernel layer', () => {
  test('one term: λ_max(L)·λ_max(R) (sizes 64 and 60, above the dense limit)', () => {
    const L = gram(randn(64, 70));
    const R = gram(randn(60, 5));
    const r = rankOneMaximum([L], [R], randn(64, 60));
    expect(Math.abs(r.value - top(L) * top(R)) / (top(L) * top(R))).toBeLessThan(1e-12);
  });

  test('four terms with identity factors (as at a DMF point): below λ_max(K), attained by the unit vectors returned', () => {
    const n = 50;
    const m = 6;
    const L = [gram(randn(n, n)), gram(randn(n, 3)), scale(F64, 0.5, identity(F64, n)), gram(randn(n, 8))];
    const R = [identity(F64, m), gram(randn(m, m)), gram(randn(m, 2)), gram(randn(m, m))];
    const r = rankOneMaximum(L, R, randn(n, m));
    const K = R.map((Ri, i) => kron(F64, Ri, L[i] as Matrix<number>)).reduce((a, b) => add(F64, a, b));
    const lambda = top(K);
    expect(r.value).toBeLessThanOrEqual(lambda * (1 + 1e-12));
    expect(r.value).toBeGreaterThan(0.3 * lambda);
    const norm = (x: readonly number[]): number => Math.sqrt(x.reduce((s, y) => s + y * y, 0));
    expect(Math.abs(norm(r.u) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(norm(r.v) - 1)).toBeLessThan(1e-12);
    const attained = L.reduce((s, Li, i) => s + quad(Li, r.u) * quad(R[i] as Matrix<number>, r.v), 0);
    expect(Math.abs(attained - r.value) / r.value).toBeLessThan(1e-12);
  });
});
