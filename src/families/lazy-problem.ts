import type { CurvatureProblem, ParameterBlock } from '../curvature/problem.js';
import type { Rational } from '../field/rational.js';
import type { Matrix } from '../linalg/matrix.js';

/**
 * A {@link CurvatureProblem} whose binary64 side (θ, the loss anywhere, the HVP operator, the dense
 * Hessian) is built on first use. Exact-only work on a {@link Network} — `check`, `hessian --exact`,
 * exact certificates — then never rounds the model to binary64, so a point whose float stages would
 * overflow (refused by `hessian/float-range.ts`) is still analysed exactly. The parameter blocks
 * come from the shapes alone.
 */
export function lazyCurvatureProblem(
  label: string,
  blocks: readonly ParameterBlock[],
  make: () => CurvatureProblem,
  exactHessian: () => Matrix<Rational> | null,
): CurvatureProblem {
  let built: CurvatureProblem | undefined;
  const get = (): CurvatureProblem => (built ??= make());
  const problem = {
    label,
    params: blocks.reduce((s, b) => s + b.rows * b.cols, 0),
    blocks,
    get theta(): readonly number[] {
      return get().theta;
    },
    loss: (theta: readonly number[]): number => get().loss(theta),
    get hessian(): CurvatureProblem['hessian'] {
      return get().hessian;
    },
    denseHessian: (): Matrix<number> => get().denseHessian(),
    exactHessian,
    get lossOnPlane(): CurvatureProblem['lossOnPlane'] {
      return get().lossOnPlane;
    },
  };
  return problem as CurvatureProblem;
}

/** `base` with `members` added as they are (getters stay getters, so nothing is evaluated early). */
export function withMembers<T extends object, U extends object>(base: T, members: U): T & U {
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(members)) as T & U;
}
