/**
 * The worked instance of a deep-linear derivation: a point `(W_1, …, W_N)` with its target or data,
 * a direction `U` and a probe `V`, all exact rationals. From a model file, or built in:
 *
 * - weights `W_i = U_i D_i U_{i−1}ᵀ` with rational orthogonal `U_k` (Householder reflections
 *   `I − 2vvᵀ/vᵀv` of small integer vectors; `U_0 = I` with data) and rectangular diagonal `D_i`
 *   alternating `(2, ½, 1, …)` and `(¼, 4, ½, …)` (the `docs/math.md §3` counterexample for `N = 3`), so
 *   every quantity of the minimizer section is rational but no matrix is diagonal; a scalar chain
 *   uses `w_i = i` (`docs/math.md §3`: `w = (1, 2, 3)`);
 * - DMF target `M = P − E` with a small fixed `E ≠ 0` (so `R = E` and the residual blocks are not zero);
 * - data `X` with orthogonal rows of a Sylvester–Hadamard matrix scaled by `(2, 1, 2, …)`, so
 *   `Σ = XXᵀ/n = diag(4, 1, 4, …)`, and `Y = PX − E_Y`.
 *
 * The minimizer section uses the same weights with the target replaced by `P` (data: `Y` by `PX`),
 * a zero-loss point where `H = cJᵀJ`; at the analysed point that matrix is the Gauss–Newton part.
 */
import { Q } from '../../field/field.js';
import { Rational } from '../../field/rational.js';
import { seededRandom } from '../../generators/orthogonal.js';
import type { Objective } from '../../hessian/point.js';
import { LimitError } from '../../hessian/limits.js';
import { generate, identity as identityM, mul, sub, transpose, type Matrix } from '../../linalg/matrix.js';
import type { Reduction } from '../../models/model.js';
import { loadModelSource } from '../../models/source.js';
import { DERIVE_LIMITS, DerivationInputError, type DeriveLimits, type DeriveRequest } from '../request.js';

/** The instance a document is checked on. */
export interface DeepLinearInstance {
  readonly widths: readonly number[];
  readonly depth: number;
  readonly data: boolean;
  readonly reduction: Reduction;
  readonly weights: readonly Matrix<Rational>[];
  /** The analysed point's objective. */
  readonly objective: Objective<Rational>;
  /** Same weights, target `P` (data: targets `PX`): a zero-loss minimizer. */
  readonly minimizerObjective: Objective<Rational>;
  /** Whether the analysed point itself has zero loss. */
  readonly isMinimizer: boolean;
  /** The direction `U_1, …, U_N` of the expansions. */
  readonly direction: readonly Matrix<Rational>[];
  /** A probe `V` (`d_N × d_0`, data: `d_N × n`) for the operator form of `K`. */
  readonly probe: Matrix<Rational>;
  /** Where it came from: the model source, or `null` for the built-in instance. */
  readonly source: string | null;
}

const q = (p: number, d = 1): Rational => new Rational(BigInt(p), BigInt(d));

function product(weights: readonly Matrix<Rational>[]): Matrix<Rational> {
  let P = weights[0] as Matrix<Rational>;
  for (let k = 1; k < weights.length; k++) P = mul(Q, weights[k] as Matrix<Rational>, P);
  return P;
}

/** `I − 2vvᵀ/(vᵀv)` for `v_t = ((t + shift) mod 3) + 1` (the identity for size 1). */
function householder(d: number, shift: number): Matrix<Rational> {
  if (d === 1) return identityM(Q, 1);
  const v = Array.from({ length: d }, (_, t) => ((t + shift) % 3) + 1);
  const vv = v.reduce((s, x) => s + x * x, 0);
  return generate(d, d, (a, b) => (a === b ? Rational.ONE : Rational.ZERO).sub(q(2 * (v[a] as number) * (v[b] as number), vv)));
}

const ODD_DIAGONAL = [q(2), q(1, 2), q(1), q(3, 2), q(1, 3), q(1)];
const EVEN_DIAGONAL = [q(1, 4), q(4), q(1, 2), q(2), q(1), q(3)];

/** `(±1)` entries of the Sylvester–Hadamard matrix of order `n` (a power of 2). */
function hadamard(a: number, b: number): number {
  let bits = a & b;
  let parity = 0;
  while (bits > 0) {
    parity ^= bits & 1;
    bits >>= 1;
  }
  return parity === 0 ? 1 : -1;
}

/** A small fixed error pattern with entries in {−½, 0, ½}, never all zero. */
function errorPattern(rows: number, cols: number, shift: number): Matrix<Rational> {
  return generate(rows, cols, (a, b) => q(((a + 2 * b + shift) % 3) - 1, 2));
}

function randomMatrix(rows: number, cols: number, rng: ReturnType<typeof seededRandom>): Matrix<Rational> {
  const values = [q(-1), q(-1, 2), q(1, 2), q(1), q(3, 2), q(2), q(0)];
  return generate(rows, cols, () => rng.pick(values));
}

/** The built-in instance for the widths (see the module comment). */
export function builtinInstance(widths: readonly number[], data: boolean, reduction: Reduction = 'half'): DeepLinearInstance {
  const N = widths.length - 1;
  const scalar = widths.every((d) => d === 1);
  const orth = widths.map((d, k) => (data && k === 0 ? identityM(Q, d) : householder(d, k)));
  const weights = Array.from({ length: N }, (_, idx) => {
    const layer = idx + 1;
    const rows = widths[layer] as number;
    const cols = widths[layer - 1] as number;
    const diag = layer % 2 === 1 ? ODD_DIAGONAL : EVEN_DIAGONAL;
    const D = generate(rows, cols, (a, b) => (a !== b ? Rational.ZERO : scalar ? q(layer) : (diag[a % diag.length] as Rational)));
    return mul(Q, orth[layer] as Matrix<Rational>, mul(Q, D, transpose(orth[layer - 1] as Matrix<Rational>)));
  });
  const P = product(weights);
  const d0 = widths[0] as number;
  const dN = widths[N] as number;
  let objective: Objective<Rational>;
  let minimizerObjective: Objective<Rational>;
  let samples = 1;
  if (!data) {
    objective = { kind: 'dmf', target: sub(Q, P, errorPattern(dN, d0, 0)) };
    minimizerObjective = { kind: 'dmf', target: P };
  } else {
    samples = d0 <= 4 ? 4 : 8;
    const X = generate(d0, samples, (a, b) => q(hadamard(a, b) * (a % 2 === 0 ? 2 : 1)));
    const PX = mul(Q, P, X);
    objective = { kind: 'dln', inputs: X, targets: sub(Q, PX, errorPattern(dN, samples, 1)) };
    minimizerObjective = { kind: 'dln', inputs: X, targets: PX };
  }
  const rng = seededRandom(2509);
  const direction = weights.map((Wm) => randomMatrix(Wm.rows, Wm.cols, rng));
  const probe = randomMatrix(dN, data ? samples : d0, rng);
  return { widths, depth: N, data, reduction, weights, objective, minimizerObjective, isMinimizer: false, direction, probe, source: null };
}

function describeWidths(w: readonly number[]): string {
  return w.join(', ');
}

function checkLimits(widths: readonly number[], samples: number, data: boolean, limits: DeriveLimits): void {
  const N = widths.length - 1;
  if (N > limits.maxDepth) throw new LimitError(`derive: depth ${N} is above the limit of ${limits.maxDepth} layers for a checked document`);
  const wide = widths.findIndex((d) => d > limits.maxWidth);
  if (wide >= 0) throw new LimitError(`derive: width d_${wide} = ${widths[wide]} is above the limit of ${limits.maxWidth} for a checked document`);
  const p = widths.slice(1).reduce((s, d, k) => s + d * (widths[k] as number), 0);
  if (p > limits.maxParams) throw new LimitError(`derive: ${p} parameters (widths ${describeWidths(widths)}) is above the limit of ${limits.maxParams}: the exact Hessian of the worked instance would be ${p}×${p}`);
  if (data && samples > limits.maxSamples) throw new LimitError(`derive: ${samples} samples is above the limit of ${limits.maxSamples} for a checked document`);
  const m = (widths[N] as number) * samples;
  if (m > limits.maxReduced) throw new LimitError(`derive: the reduced operator K would be ${m}×${m} (d_N·${data ? 'n' : 'd_0'} = ${m}), above the limit of ${limits.maxReduced}`);
}

/** The instance a request asks for: the model's, or the built-in one for `--depth`/`--widths`/`--data`. */
export function deepLinearInstance(req: DeriveRequest, limits: DeriveLimits = DERIVE_LIMITS): DeepLinearInstance {
  if (req.depth !== undefined && (!Number.isInteger(req.depth) || req.depth < 1)) throw new DerivationInputError(`--depth must be a positive integer, got ${req.depth}`);
  if (req.widths !== undefined) {
    const bad = req.widths.findIndex((d) => !Number.isInteger(d) || d < 1);
    if (bad >= 0) throw new DerivationInputError(`--widths: d_${bad} must be a positive integer, got ${req.widths[bad]}`);
  }
  if (req.modelSource !== undefined) return instanceFromModel(req, req.modelSource, limits);
  if (req.depth === undefined && req.widths === undefined) throw new DerivationInputError('give --depth N (and optionally --widths d0,...,dN), or --model MODEL.json');
  const depth = req.depth ?? (req.widths as readonly number[]).length - 1;
  if (depth < 1) throw new DerivationInputError('--widths: a network needs at least two widths d_0, d_1');
  const widths = req.widths ?? Array.from({ length: depth + 1 }, () => 2);
  if (widths.length !== depth + 1) {
    throw new DerivationInputError(`--widths: depth ${depth} needs ${depth + 1} widths d_0,...,d_${depth}, got ${widths.length} (${describeWidths(widths)})`);
  }
  const data = req.data === true;
  checkLimits(widths, data ? ((widths[0] as number) <= 4 ? 4 : 8) : (widths[0] as number), data, limits);
  return builtinInstance(widths, data);
}

function instanceFromModel(req: DeriveRequest, source: string, limits: DeriveLimits): DeepLinearInstance {
  const model = loadModelSource(source);
  const widths = model.widths;
  const depth = widths.length - 1;
  if (req.depth !== undefined && req.depth !== depth) {
    throw new DerivationInputError(`--depth ${req.depth} does not match the model ${source}, which has depth ${depth} (widths ${describeWidths(widths)})`);
  }
  if (req.widths !== undefined && (req.widths.length !== widths.length || req.widths.some((d, k) => d !== widths[k]))) {
    throw new DerivationInputError(`--widths ${describeWidths(req.widths)} do not match the model ${source}, which has widths ${describeWidths(widths)}`);
  }
  if (req.data === true && model.kind !== 'dln') {
    throw new DerivationInputError(`--data: the model ${source} is a deep matrix factorization (kind dmf, a target and no data); drop --data or give a model with "data"`);
  }
  const data = model.kind === 'dln';
  const samples = model.kind === 'dln' ? model.data.inputs.cols : (widths[0] as number);
  checkLimits(widths, samples, data, limits);
  const P = product(model.weights);
  let objective: Objective<Rational>;
  let minimizerObjective: Objective<Rational>;
  let isMinimizer: boolean;
  if (model.kind === 'dmf') {
    objective = { kind: 'dmf', target: model.target };
    minimizerObjective = { kind: 'dmf', target: P };
    isMinimizer = sub(Q, P, model.target).data.every((x) => x.isZero());
  } else {
    const PX = mul(Q, P, model.data.inputs);
    objective = { kind: 'dln', inputs: model.data.inputs, targets: model.data.targets };
    minimizerObjective = { kind: 'dln', inputs: model.data.inputs, targets: PX };
    isMinimizer = sub(Q, PX, model.data.targets).data.every((x) => x.isZero());
  }
  const rng = seededRandom(2509);
  const direction = model.weights.map((Wm) => randomMatrix(Wm.rows, Wm.cols, rng));
  const probe = randomMatrix(widths[depth] as number, data ? samples : (widths[0] as number), rng);
  return { widths, depth, data, reduction: model.reduction, weights: model.weights, objective, minimizerObjective, isMinimizer, direction, probe, source };
}
