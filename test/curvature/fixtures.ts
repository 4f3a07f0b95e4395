/** Small models with hand-known Hessians for the curvature tests. */
import { Rational } from '../../src/field/rational.js';
import { fromRows, generate, type Matrix } from '../../src/linalg/matrix.js';
import type { NetworkSpec } from '../../src/hessian/point.js';
import { networkCurvatureProblem, type CurvatureProblem } from '../../src/curvature/problem.js';
import type { LinearOperator } from '../../src/linop/linear-operator.js';
import { operatorFrom } from '../../src/linop/linear-operator.js';
import { F64 } from '../../src/field/field.js';

const q = (x: number | string): Rational => Rational.parse(String(x));
const zeros = (r: number, c: number): Matrix<Rational> => generate(r, c, () => Rational.ZERO);

/**
 * docs/math.md §6 fixture: the two-layer DMF `½‖W₂W₁ − Y‖²` at `W = 0` with `Y = [[3,0,0],[0,1,0]]`
 * (`d₀ = 3`, `h = 2`, `d₂ = 2`): `H` is the bilinear form `−2⟨Y, U₂U₁⟩`, with `tr H = 0` and spectrum
 * `±3, ±1` (each `h = 2` times) and two zeros (`n = 10`).
 */
export function originFixture(): { spec: NetworkSpec<Rational>; problem: CurvatureProblem; eigenvalues: number[] } {
  const Y = fromRows([
    [q(3), q(0), q(0)],
    [q(0), q(1), q(0)],
  ]);
  const spec: NetworkSpec<Rational> = { weights: [zeros(2, 3), zeros(2, 2)], objective: { kind: 'dmf', target: Y }, reduction: 'half' };
  return { spec, problem: networkCurvatureProblem(spec, 'origin fixture'), eigenvalues: [-3, -3, -1, -1, 0, 0, 1, 1, 3, 3] };
}

/** Scalar chain `w = (1, 2)`, `m = 2` (docs/math.md §2): `H = [[4, 2], [2, 1]]`, `tr H = 5`, `‖H‖_F² = 25`, `Σ H_ii² = 17`. */
export function scalarChain(): { spec: NetworkSpec<Rational>; problem: CurvatureProblem } {
  const spec: NetworkSpec<Rational> = { weights: [fromRows([[q(1)]]), fromRows([[q(2)]])], objective: { kind: 'dmf', target: fromRows([[q(2)]]) }, reduction: 'half' };
  return { spec, problem: networkCurvatureProblem(spec, 'scalar chain') };
}

/** A non-minimizer depth-3 DLN with data and rational entries (`n = 2·3 + 3·2 + 2·2 = 16`). */
export function dlnDepth3(): { spec: NetworkSpec<Rational>; problem: CurvatureProblem } {
  const m = (rows: (number | string)[][]): Matrix<Rational> => fromRows(rows.map((r) => r.map(q)));
  const spec: NetworkSpec<Rational> = {
    weights: [m([[1, '1/2'], [0, 1], ['-1/2', 1]]), m([[1, 0, '1/3'], ['1/2', -1, 1]]), m([[2, '1/4'], [-1, 1]])],
    objective: { kind: 'dln', inputs: m([[1, 0, 2, '-1/2'], [0, 1, 1, 1]]), targets: m([[1, '1/2', 0, 2], ['-1', 0, 1, '1/4']]) },
    reduction: 'half',
  };
  return { spec, problem: networkCurvatureProblem(spec, 'dln depth 3') };
}

/** A depth-1 network (quadratic loss): `L = (1/2n)‖W X − Y‖²`, `H = Σ ⊗ I`. */
export function quadraticNetwork(): { spec: NetworkSpec<Rational>; problem: CurvatureProblem } {
  const m = (rows: (number | string)[][]): Matrix<Rational> => fromRows(rows.map((r) => r.map(q)));
  const spec: NetworkSpec<Rational> = {
    weights: [m([[1, 2, 0], ['1/2', -1, 3]])],
    objective: { kind: 'dln', inputs: m([[1, 0, 2], [0, 1, 1], [2, -1, '1/2']]), targets: m([[1, 2, 3], [0, -1, 1]]) },
    reduction: 'half',
  };
  return { spec, problem: networkCurvatureProblem(spec, 'quadratic') };
}

/** A diagonal operator `diag(d)` (for estimator tests with a known spectrum). */
export function diagonalOperator(d: readonly number[]): LinearOperator<number> {
  return operatorFrom(F64, [d.length, d.length], (v) => v.map((x, i) => x * (d[i] as number)), { symmetric: true, label: 'diag' });
}

/** A CurvatureProblem for the quadratic `L(θ) = ½ θᵀ diag(d) θ` at `θ = theta`. */
export function diagonalQuadratic(d: readonly number[], theta: readonly number[] = d.map(() => 1)): CurvatureProblem {
  const n = d.length;
  return {
    label: 'diagonal quadratic',
    params: n,
    theta,
    blocks: [{ name: 'W_1', offset: 0, rows: n, cols: 1 }],
    loss: (t) => 0.5 * t.reduce((s, x, i) => s + (d[i] as number) * x * x, 0),
    hessian: diagonalOperator(d),
    denseHessian: () => generate(n, n, (i, j) => (i === j ? (d[i] as number) : 0)),
    exactHessian: () => null,
  };
}
