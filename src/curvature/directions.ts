/**
 * Random and user-given directions in parameter space for slices of the loss: Gaussian, uniform on
 * the unit sphere, Rademacher, and the scale-aware filter- and layer-normalised directions of
 * Li et al. 2018 (arXiv 1712.09913).
 */
import type { CurvatureProblem } from './problem.js';
import { CurvatureInputError } from './errors.js';
import { gaussianVector, rademacherVector, type Rng } from '../random/rng.js';
import { dot, norm2 } from '../linalg/vectors.js';

/**
 * How a random direction `η ∈ R^n` is drawn:
 * - `gaussian`: i.i.d. `N(0, 1)` entries (`E[ηηᵀ] = I`);
 * - `unit`: uniform on the unit sphere (`E[ηηᵀ] = I/n`);
 * - `rademacher`: i.i.d. `±1` entries (`E[ηηᵀ] = I`);
 * - `filter`: Li et al. 2018 (arXiv 1712.09913): a Gaussian direction with each filter (each row of
 *   each weight matrix, i.e. the incoming weights of one unit) rescaled to the norm of the same row
 *   of `θ`; so each row is uniform on the sphere of radius `‖θ_row‖`;
 * - `layer`: the same with whole weight matrices (blocks) in place of rows.
 * Coordinates outside every block (none for deep linear networks; biases elsewhere) are 0 in
 * `filter` and `layer` directions, as in Li et al.
 */
export type RandomDistribution = 'gaussian' | 'unit' | 'rademacher' | 'filter' | 'layer';

/** Every {@link RandomDistribution}, in report order. */
export const RANDOM_DISTRIBUTIONS: readonly RandomDistribution[] = ['gaussian', 'unit', 'rademacher', 'filter', 'layer'];

/** A group of coordinates normalised together (a filter or a layer) and the squared norm `c = ‖θ_g‖²` it is scaled to. */
export interface DirectionGroup {
  readonly name: string;
  readonly indices: readonly number[];
  readonly radiusSq: number;
}

/** The groups of a `filter` (one per row of each block) or `layer` (one per block) distribution. */
export function directionGroups(problem: CurvatureProblem, kind: 'filter' | 'layer'): DirectionGroup[] {
  const groups: DirectionGroup[] = [];
  for (const b of problem.blocks) {
    if (kind === 'layer') {
      const indices = Array.from({ length: b.rows * b.cols }, (_, k) => b.offset + k);
      groups.push({ name: b.name, indices, radiusSq: indices.reduce((s, i) => s + (problem.theta[i] as number) ** 2, 0) });
      continue;
    }
    for (let r = 0; r < b.rows; r++) {
      // Row r of a column-major rows×cols block: entries offset + r + c·rows.
      const indices = Array.from({ length: b.cols }, (_, c) => b.offset + r + c * b.rows);
      groups.push({ name: `${b.name} row ${r + 1}`, indices, radiusSq: indices.reduce((s, i) => s + (problem.theta[i] as number) ** 2, 0) });
    }
  }
  return groups;
}

/**
 * The per-coordinate second moment `s_i = E[η_i²]` of a distribution (`E[ηηᵀ] = diag(s)` for all of
 * them): 1 for Gaussian and Rademacher, `1/n` for the sphere, `‖θ_g‖²/|g|` in group `g` for
 * filter/layer (0 outside every group).
 */
export function secondMoments(problem: CurvatureProblem, dist: RandomDistribution): Float64Array {
  const n = problem.params;
  if (dist === 'gaussian' || dist === 'rademacher') return new Float64Array(n).fill(1);
  if (dist === 'unit') return new Float64Array(n).fill(1 / n);
  const s = new Float64Array(n);
  for (const g of directionGroups(problem, dist)) for (const i of g.indices) s[i] = g.radiusSq / g.indices.length;
  return s;
}

/** Draws one direction of the given distribution (length `problem.params`). */
export function sampleDirection(problem: CurvatureProblem, dist: RandomDistribution, rng: Rng, groups?: readonly DirectionGroup[]): Float64Array {
  const n = problem.params;
  switch (dist) {
    case 'gaussian':
      return gaussianVector(rng, n);
    case 'rademacher':
      return rademacherVector(rng, n);
    case 'unit': {
      const g = gaussianVector(rng, n);
      const r = norm2(g);
      for (let i = 0; i < n; i++) g[i] = (g[i] as number) / r;
      return g;
    }
    case 'filter':
    case 'layer': {
      const gs = groups ?? directionGroups(problem, dist);
      const g = gaussianVector(rng, n);
      const out = new Float64Array(n);
      for (const grp of gs) {
        let ss = 0;
        for (const i of grp.indices) ss += (g[i] as number) ** 2;
        if (ss === 0 || grp.radiusSq === 0) continue;
        const f = Math.sqrt(grp.radiusSq / ss);
        for (const i of grp.indices) out[i] = f * (g[i] as number);
      }
      return out;
    }
  }
}

/**
 * Checks that `dirs` are usable slice directions: each of length `n`, finite and non-zero, and for
 * two of them not parallel (`|cos ∠| ≤ 1 − 1e-10`). Throws {@link CurvatureInputError}
 * ("degenerate or zero directions: …") naming the direction, otherwise returns the norms.
 */
export function checkDirections(dirs: readonly ArrayLike<number>[], n: number, source = 'directions'): number[] {
  if (dirs.length < 1 || dirs.length > 2) throw new CurvatureInputError(`expected one or two directions, got ${dirs.length}`, { path: source });
  const norms = dirs.map((d, k) => {
    const where = `${source}[${k + 1}]`;
    if (d.length !== n) throw new CurvatureInputError(`expected ${n} entries (one per parameter), got ${d.length}`, { path: where });
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i] as number)) throw new CurvatureInputError(`entry ${i + 1} is not finite (${String(d[i])})`, { path: where });
    }
    const r = norm2(d);
    if (r === 0) throw new CurvatureInputError('degenerate or zero directions: this direction is zero', { path: where });
    if (!Number.isFinite(r)) throw new CurvatureInputError('degenerate or zero directions: the norm overflows binary64', { path: where });
    return r;
  });
  if (dirs.length === 2) {
    const [a, b] = dirs as [ArrayLike<number>, ArrayLike<number>];
    const cos = dot(a, b) / ((norms[0] as number) * (norms[1] as number));
    if (Math.abs(cos) > 1 - 1e-10) {
      throw new CurvatureInputError(`degenerate or zero directions: the two directions are parallel (cos = ${cos.toPrecision(12)}), they span no plane`, { path: source });
    }
  }
  return norms;
}

/** The cosine of the angle between two non-zero directions. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return dot(a, b) / (norm2(a) * norm2(b));
}
