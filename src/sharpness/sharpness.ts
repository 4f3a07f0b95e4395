import { InputError } from '../errors/input-error.js';
import { F64, Q } from '../field/field.js';
import { Rational } from '../field/rational.js';
import { hessian, preparePoint, type NetworkSpec } from '../hessian/index.js';
import { specLossCoefficient } from '../hessian/point.js';
import { hessianOperator } from '../hessian/hvp.js';
import { assertExactEntriesFit, DEFAULT_DENSE_LIMITS, DEFAULT_EXACT_LIMITS, estimateExactHessian, LimitError } from '../hessian/limits.js';
import { deepLinearMinimizerTest } from '../families/deep-linear-minimizer.js';
import type { MinimizerTest } from '../families/minimizer.js';
import { reducedOperatorF64, reducedProblem } from '../hessian/reduced.js';
import { symmetricEigen } from '../linalg/eigen-f64.js';
import { at, fromColumnMajor, map, type Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd-f64.js';
import { toDense, type LinearOperator } from '../linop/linear-operator.js';
import type { DeepLinearModel } from '../models/model.js';
import { toFloatSpec } from '../hessian/from-model.js';
import { certifyLambdaMax, refineLambdaMax, type LambdaMaxCertificate, type LambdaMaxRefinement } from '../spectral/certificate.js';
import { eigenvalueEnclosure } from '../spectral/enclosure.js';
import { lanczos } from '../spectral/lanczos.js';
import * as I from '../verify/interval.js';
import { compareKnownFormulas, type FormulaComparison } from './formulas.js';
import { kroneckerFactors, rankOneMaximum } from './rank-one.js';

/** Thrown when a minimizer is required and the point is not one; the message states the residual. */
export class NotAMinimizerError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'NotAMinimizerError';
  }
}

/** Limits and tolerances of {@link analyzeSharpness}. */
export interface SharpnessOptions {
  /** Certify `λ_max` in exact arithmetic (default false). */
  readonly exact?: boolean;
  /** Width of the exact enclosure below `10^−digits` when `λ_max` is irrational (default 12). */
  readonly digits?: number;
  /** Analyse a point that is not a zero-loss minimizer (reports `λ_max` and `λ_min` of the full Hessian). */
  readonly allowNonMinimizer?: boolean;
  /** Relative residual tolerance of the Lanczos runs (default 1e-10). */
  readonly lanczosTolerance?: number;
  readonly seed?: number;
  /** Largest reduced problem diagonalised densely (default 1200); Lanczos above. */
  readonly maxDenseReduced?: number;
  /** Largest Hessian diagonalised densely (default 1500 parameters); Lanczos on the HVP above. */
  readonly maxDenseHessian?: number;
  /** Largest reduced problem certified exactly (default 400). */
  readonly maxExactReduced?: number;
  /** Called as each method starts (e.g. `"reduced operator K (Lanczos, 65536×65536)"`), for progress output. */
  readonly onStage?: (stage: string) => void;
}

/** One way of computing `λ_max`, with how it went. */
export interface MethodResult {
  readonly name: string;
  readonly value: number;
  readonly iterations: number;
  /** `‖A v − λ v‖` of the returned eigenpair (0 for exact methods). */
  readonly residual: number;
  readonly seconds: number;
}

/** The exact value of `λ_max`: a rational, or an enclosure and the polynomial it is a root of. */
export type ExactLambda =
  | { readonly value: string; readonly evidence: readonly string[] }
  | { readonly lower: string; readonly upper: string; readonly polynomial: string; readonly evidence: readonly string[] };

export interface SharpnessReport {
  /** `'dmf'`, `'dln'` or `'two-layer'`. */
  readonly kind: 'dmf' | 'dln' | 'two-layer';
  readonly widths: readonly number[];
  readonly params: number;
  /** The best value: the exact one rounded when certified, else the reduced-operator value. */
  readonly lambdaMax: number;
  /** `λ_min` of the full Hessian (only for points that are not minimizers). */
  readonly lambdaMin?: number;
  readonly isMinimizer: boolean;
  /** The minimizer test (`families/minimizer.ts`): its verdict and how it was decided. */
  readonly minimizerCheck: MinimizerTest;
  readonly exact?: ExactLambda;
  readonly methods: readonly MethodResult[];
  readonly formulas: readonly FormulaComparison[];
  /** The rank-one maximum (a numerical local maximum, a lower bound of `λ_max`). */
  readonly rankOneMaximum?: number;
  /** The top eigenvector of `K` reshaped to `d_N × d_0` (column-major), with its singular values. */
  readonly topEigenvector?: { readonly rows: number; readonly cols: number; readonly entries: readonly number[]; readonly singularValues: readonly number[] };
  /** The reduced problem's form and size. */
  readonly reduced?: { readonly form: string; readonly size: number };
  /** `2/λ_max`: the largest step size for which gradient descent is linearly stable here. */
  readonly maxStableStep: number;
}

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

function residualOf(op: LinearOperator<number>, lambda: number, v: readonly number[]): number {
  const Av = op.matvec(v);
  return Math.sqrt(Av.reduce((s, x, i) => s + (x - lambda * (v[i] as number)) ** 2, 0));
}

/** Top (or bottom) eigenpair of a symmetric float operator, densely when small, by Lanczos otherwise. */
export function topEigenpair(
  op: LinearOperator<number>,
  name: string,
  maxDense: number,
  which: 'largest' | 'smallest',
  options: SharpnessOptions,
): { result: MethodResult; vector: number[] } {
  const t0 = performance.now();
  const n = op.shape[0];
  options.onStage?.(`${name} (${n <= maxDense ? 'dense' : 'Lanczos'}, ${n}×${n})`);
  if (n <= maxDense) {
    const { values, vectors } = symmetricEigen(toDense(op));
    const k = which === 'largest' ? values.length - 1 : 0;
    const value = values[k] as number;
    const vector = Array.from({ length: n }, (_, i) => at(vectors, i, k));
    return { result: { name: `${name} (dense)`, value, iterations: 1, residual: residualOf(op, value, vector), seconds: seconds(t0) }, vector };
  }
  const r = lanczos(op, { k: 1, which, tolerance: options.lanczosTolerance ?? 1e-10, seed: options.seed ?? 0, accuracy: 'eigenvalue' });
  const value = r.eigenvalues[0] as number;
  const vector = r.eigenvectors[0] as number[];
  return {
    result: { name: `${name} (Lanczos${r.converged ? '' : ', not converged'})`, value, iterations: r.iterations, residual: r.residuals[0] as number, seconds: seconds(t0) },
    vector,
  };
}

function exactLambda(cert: LambdaMaxCertificate): ExactLambda {
  if (cert.kind === 'rational') return { value: cert.value.toString(), evidence: cert.evidence };
  return { lower: cert.lower.toString(), upper: cert.upper.toString(), polynomial: cert.polynomial.toString('t'), evidence: cert.evidence };
}

/**
 * `bits ↦` an enclosure of `λ_max` of relative width about `2^−bits`, from the certificate: its
 * exact value, or its enclosure narrowed by sign bisection on the isolating polynomial
 * ({@link refineLambdaMax}, no new eigenvalue counts); the narrowest enclosure so far is kept, so
 * repeated requests cost nothing. `byCounts` (exact inertia counts) is used only when the certificate
 * does not isolate `λ_max` on one polynomial.
 */
function exactLambdaInterval(cert: LambdaMaxCertificate, byCounts: (width: Rational) => I.Interval): (bits: number) => I.Interval {
  if (cert.kind === 'rational') return () => I.point(cert.value);
  let best: LambdaMaxRefinement = { lower: cert.lower, upper: cert.upper, evaluations: 0 };
  return (bits) => {
    const width = new Rational(1n, 1n << BigInt(bits)).mul(cert.upper.abs().add(Rational.ONE));
    if (!cert.isolating) return byCounts(width);
    if (best.exact === undefined && best.upper.sub(best.lower).compare(width) > 0) {
      best = refineLambdaMax({ ...cert, lower: best.lower, upper: best.upper }, width);
    }
    return best.exact !== undefined ? I.point(best.exact) : I.interval(best.lower, best.upper);
  };
}

/**
 * Sharpness `λ_max(∇²L)` at a point (`docs/math.md §3`), several independent ways: the reduced operator `K`
 * (dense or Lanczos), the full Hessian (dense or Lanczos on the closed-form HVP) and, with `exact`,
 * a certificate in rational arithmetic; plus the known formulas and how each relates to `λ_max`,
 * the top eigenvector of `K` as a `d_N × d_0` matrix, and `2/λ_max`.
 */
export function analyzeSharpness(model: DeepLinearModel<Rational>, spec: NetworkSpec<Rational>, options: SharpnessOptions = {}): SharpnessReport {
  const exact = options.exact === true;
  const fspec = toFloatSpec(spec);
  const params = spec.weights.reduce((s, W) => s + W.rows * W.cols, 0);
  const maxDenseHessian = options.maxDenseHessian ?? DEFAULT_DENSE_LIMITS.maxParams;
  if (exact) {
    const est = estimateExactHessian(spec);
    assertExactEntriesFit('the exact certificate', est.inputBits, est.entryBits, DEFAULT_EXACT_LIMITS, 'drop --exact for the float64 values');
  }
  // The one minimizer test (families/minimizer.ts): exactly in exact mode, by a rounding bound otherwise.
  const check = deepLinearMinimizerTest(spec, { exact, limits: { ...DEFAULT_EXACT_LIMITS, maxParams: Number.POSITIVE_INFINITY } });
  const isMinimizer = exact ? check.verdict === 'exact-minimizer' : check.isZeroLoss;
  const relativeResidual = check.relativeResidual;
  const ptF = preparePoint(F64, fspec);
  const base = { kind: spec.objective.kind, widths: ptF.widths, params, isMinimizer, minimizerCheck: check };
  if (!isMinimizer) {
    if (options.allowNonMinimizer !== true) {
      throw new NotAMinimizerError(
        `not a zero-loss minimizer: relative residual ${relativeResidual.toExponential(3)} ` +
          `(${exact ? 'exact mode requires W_N⋯W_1 = M exactly' : `rounding bound ${check.tolerance.toExponential(3)}`}; ${check.explanation}); ` +
          'pass --allow-nonminimizer for λ_max and λ_min of the full Hessian',
      );
    }
    const H = hessianOperator(ptF);
    const top = topEigenpair(H, 'full Hessian', maxDenseHessian, 'largest', options);
    const bottom = topEigenpair(H, 'full Hessian, smallest', maxDenseHessian, 'smallest', options);
    return { ...base, lambdaMax: top.result.value, lambdaMin: bottom.result.value, methods: [top.result, bottom.result], formulas: [], maxStableStep: 2 / top.result.value };
  }

  const methods: MethodResult[] = [];
  const Kop = reducedOperatorF64(ptF);
  const dN = ptF.widths[ptF.depth] as number;
  const d0 = ptF.widths[0] as number;
  const viaK = topEigenpair(Kop, 'reduced operator K', options.maxDenseReduced ?? 1200, 'largest', options);
  methods.push(viaK.result);
  const viaH =
    params <= maxDenseHessian
      ? (() => {
          const t0 = performance.now();
          options.onStage?.(`full Hessian (dense, ${params}×${params})`);
          const H = hessian(ptF);
          const { values, vectors } = symmetricEigen(H);
          const k = values.length - 1;
          const v = Array.from({ length: H.rows }, (_, i) => at(vectors, i, k));
          const value = values[k] as number;
          return { name: 'full Hessian (dense)', value, iterations: 1, residual: residualOf(hessianOperator(ptF), value, v), seconds: seconds(t0) };
        })()
      : topEigenpair(hessianOperator(ptF), 'full Hessian via HVP', 0, 'largest', options).result;
  methods.push(viaH);

  let exactResult: ExactLambda | undefined;
  let lambdaInterval: ((bits: number) => I.Interval) | undefined;
  let lambdaMax = viaK.result.value;
  let reducedInfo: SharpnessReport['reduced'];
  if (exact) {
    const est = estimateExactHessian(spec);
    assertExactEntriesFit('the exact certificate', est.inputBits, est.entryBits, DEFAULT_EXACT_LIMITS, 'drop --exact for the float64 values');
    const ptQ = preparePoint(Q, spec);
    const red = reducedProblem(ptQ);
    reducedInfo = { form: red.form, size: red.K.rows };
    const maxExact = options.maxExactReduced ?? 400;
    if (red.K.rows > maxExact) {
      throw new LimitError(
        `exact certificate too large: the reduced problem is ${red.K.rows}×${red.K.rows} (limit ${maxExact}; raise it with --max-exact-reduced, or drop --exact)`,
      );
    }
    const t0 = performance.now();
    options.onStage?.(`exact certificate (${red.K.rows}×${red.K.rows} reduced problem)`);
    const cert = certifyLambdaMax({ K: red.K, metric: red.metric }, { digits: options.digits ?? 12, estimate: viaK.result.value });
    exactResult = exactLambda(cert);
    const value = cert.kind === 'rational' ? cert.value.toNumber() : I.toNumber(I.interval(cert.lower, cert.upper));
    methods.push({ name: 'exact certificate (rational arithmetic)', value, iterations: 1, residual: 0, seconds: seconds(t0) });
    lambdaMax = value;
    lambdaInterval = exactLambdaInterval(cert, (width) => {
      const e = eigenvalueEnclosure(red.K, red.metric, 1, { width, hint: value });
      return e.exact !== undefined ? I.point(e.exact) : I.interval(e.lower, e.upper);
    });
  } else {
    reducedInfo = { form: spec.objective.kind === 'dmf' ? 'dmf' : 'dln (Σ^½ form)', size: Kop.shape[0] };
    // Float mode: the formulas are compared with a float enclosure of λ_max (± the larger Lanczos/dense residual).
    const slack = Math.max(...methods.map((m) => m.residual), Math.abs(viaK.result.value - viaH.value), 64 * Number.EPSILON * Math.abs(lambdaMax));
    lambdaInterval = () => I.interval(Rational.fromNumber(lambdaMax - slack), Rational.fromNumber(lambdaMax + slack));
  }

  // Known formulas (deep matrix factorization only: they assume whitened data, X = I), stated in the
  // ½ convention: every eigenvalue is c times its 'half' value (models/reduction.ts), so compare them with λ_max / c.
  const halfLambda = lambdaInterval;
  const cLoss = specLossCoefficient(Q, spec);
  const inHalfConvention = cLoss.equals(Rational.ONE) ? halfLambda : (bits: number): I.Interval => I.div(halfLambda(bits), I.point(cLoss));
  const formulas = model.kind === 'dmf' ? compareKnownFormulas(model, inHalfConvention) : [];
  // Rank-one maximum and the top eigenvector of K reshaped to d_N × d_0.
  let rankOne: number | undefined;
  if (model.kind === 'dmf') {
    const { L, R } = kroneckerFactors(ptF.A, ptF.B);
    rankOne = rankOneMaximum(L.map((x) => map(x, (y) => y * ptF.c)), R, ptF.P).value;
  }
  const V: Matrix<number> = fromColumnMajor(dN, d0, viaK.vector);
  return {
    ...base,
    lambdaMax,
    ...(exactResult !== undefined ? { exact: exactResult } : {}),
    methods,
    formulas,
    ...(rankOne !== undefined ? { rankOneMaximum: rankOne } : {}),
    topEigenvector: { rows: dN, cols: d0, entries: viaK.vector, singularValues: singularValues(V) },
    reduced: reducedInfo,
    maxStableStep: 2 / lambdaMax,
  };
}
