/**
 * Evaluation of a checked {@link Formula} on an exact minimizer ({@link FormulaContext}), within
 * the limits of src/verify/limits.ts.
 *
 * Matrix sub-expressions are computed exactly (rational matrices). Scalars are rigorous
 * {@link Interval}s: exact points wherever the value is rational and known to be (entries, widths,
 * traces, `‖X‖_F²`, `‖X‖₂²` when `λ_max(XᵀX)` is rational, …), otherwise enclosures whose width is
 * about `2^−bits` relative to the value. Spectral norms and singular values come from the exact
 * inertia-based enclosures of `src/spectral/enclosure.ts`.
 *
 * Square roots are avoided where a square is asked for: a non-negative scalar also carries an
 * enclosure of its square (`norm2(X)` carries `λ_max(XᵀX)` exactly or as an enclosure), so
 * `norm2(X)^2` is exact when `λ_max(XᵀX)` is rational and `norm2(M)^(4/3)` is `(‖M‖₂²)^(2/3)`,
 * exact when that is a perfect cube.
 */
import { Q } from '../field/field.js';
import { bitLength, Rational } from '../field/rational.js';
import { add as addM, frobeniusSq, identity, mul as mulM, scale as scaleM, sub as subM, trace as traceM, transpose as transposeM, type Matrix } from '../linalg/matrix.js';
import { singularValueEnclosure, spectralNormSquaredEnclosure } from '../spectral/singular-value-enclosure.js';
import { bitsOf, checkEvaluationSteps, valueBitsLimit } from './evaluation-limits.js';
import { relativeWidth, type FormulaContext } from './formula-context.js';
import { FormulaEvaluationError, PrecisionError } from './formula-error.js';
import type { Formula, FormulaNode } from './formula-tree.js';
import { MAX_MATRIX_POWER, MAX_ROOT_WORK_BITS, MAX_SCALAR_EXPONENT, MAX_TOTAL_ROOT_WORK_BITS } from './limits.js';
import * as I from './interval.js';
import type { Interval } from './interval.js';


/** A scalar: an enclosure, and for a value known to be `≥ 0` possibly an enclosure of its square. */
export interface ScalarValue {
  readonly iv: Interval;
  /** Present only for values `≥ 0`: an enclosure of the value's square (often exact where `iv` is not). */
  readonly sq?: Interval;
}

/** A matrix value: `factor · mat` with `mat` exact and `factor` a scalar that is not a known rational (`null` = 1). */
interface MatrixValue {
  readonly mat: Matrix<Rational>;
  readonly factor: ScalarValue | null;
}

/** A binary operation node. */
type BinaryNode = Extract<FormulaNode, { readonly left: FormulaNode }>;

type Value = { readonly t: 's'; readonly v: ScalarValue } | { readonly t: 'm'; readonly v: MatrixValue };

/** Options of {@link evaluateFormula}. */
export interface EvaluateOptions {
  /** Relative precision of irrational enclosures, in bits (e.g. 40, 100, 200). */
  readonly bits: number;
}

/** Guard bits kept by intermediate rounding beyond the requested precision. */
const GUARD_BITS = 24;

/**
 * The formula's value on the model: a rigorous enclosure (exact when it is a known rational).
 * Throws {@link FormulaEvaluationError} for a formula that does not apply to the model and
 * {@link PrecisionError} when more bits are needed to evaluate it at all.
 */
export function evaluateFormula(formula: Formula, ctx: FormulaContext, options: EvaluateOptions): ScalarValue {
  checkEvaluationSteps(formula, ctx.depth);
  const ev = new Evaluator(formula.source, ctx, options.bits, valueBitsLimit(ctx));
  let v: Value;
  try {
    v = ev.eval(formula.root, new Map());
  } catch (e) {
    // Interval operations refuse only enclosures that straddle a singular point; more bits may help.
    if (e instanceof I.IntervalError) throw new PrecisionError(e.message, formula.root.span);
    throw e;
  }
  if (v.t !== 's') throw new FormulaEvaluationError('the formula is a matrix, not a scalar', formula.source, formula.root.span);
  return v.v;
}

function isNonNegPoint(v: ScalarValue): boolean {
  return I.isPoint(v.iv) && v.iv.lo.sign() >= 0;
}

class Evaluator {
  private readonly roundBits: number;
  /** The root work so far (see {@link MAX_TOTAL_ROOT_WORK_BITS}). */
  private rootWork = 0;
  /** Values whose numerator or denominator reaches this are refused. */
  private readonly tooBig: bigint;

  constructor(
    private readonly source: string,
    private readonly ctx: FormulaContext,
    private readonly bits: number,
    /** The value-size limit in bits (see {@link valueBitsLimit}); interval endpoints may add the precision. */
    private readonly valueBits: number,
  ) {
    this.roundBits = bits + GUARD_BITS;
    this.tooBig = 1n << BigInt(valueBits + 2 * this.roundBits);
  }

  private limitText(): string {
    return `${this.valueBits} bits (numerator or denominator)`;
  }

  /** Refuses a value with a number at least {@link tooBig}. */
  private checkSize(v: Value, node: FormulaNode): Value {
    const big = (q: Rational): boolean => q.num >= this.tooBig || -q.num >= this.tooBig || q.den >= this.tooBig;
    const scalarBig = (x: ScalarValue | null): boolean =>
      x !== null && (big(x.iv.lo) || big(x.iv.hi) || (x.sq !== undefined && (big(x.sq.lo) || big(x.sq.hi))));
    const tooBig = v.t === 's' ? scalarBig(v.v) : scalarBig(v.v.factor) || v.v.mat.data.some(big);
    if (tooBig) this.fail(`the value of ${node.text} needs more than ${this.limitText()}; the limit keeps exact arithmetic bounded`, node);
    return v;
  }

  /** Refuses beforehand a result estimated at `estimate` bits. */
  private checkEstimate(estimate: number, what: string, node: FormulaNode): void {
    if (estimate > this.valueBits + 2 * this.roundBits) {
      this.fail(`${what} would need about ${Math.round(estimate)} bits; the limit is ${this.limitText()}`, node);
    }
  }

  private fail(reason: string, node: FormulaNode): never {
    throw new FormulaEvaluationError(reason, this.source, node.span);
  }

  private round(iv: Interval): Interval {
    return I.roundOutward(iv, this.roundBits);
  }

  private shapes(): string {
    return `N = ${this.ctx.depth}, widths d_0..d_N = ${this.ctx.widths.join(', ')}`;
  }

  eval(node: FormulaNode, env: ReadonlyMap<string, number>): Value {
    return this.checkSize(this.evalNode(node, env), node);
  }

  private evalNode(node: FormulaNode, env: ReadonlyMap<string, number>): Value {
    switch (node.op) {
      case 'const':
        return scalar({ iv: I.point(node.value) });
      case 'N':
        return scalar({ iv: I.point(int(this.ctx.depth)) });
      case 'var': {
        const v = env.get(node.name);
        if (v === undefined) this.fail(`layer variable "${node.name}" is not bound`, node);
        return scalar({ iv: I.point(int(v)) });
      }
      case 'M':
        return matrix(this.ctx.M);
      case 'P':
        return matrix(this.ctx.P);
      case 'W':
      case 'A':
      case 'B': {
        const i = this.index(node.index, env, 1, node);
        const list = node.op === 'W' ? this.ctx.W : node.op === 'A' ? this.ctx.A : this.ctx.B;
        return matrix(list[i - 1] as Matrix<Rational>);
      }
      case 'd': {
        const i = this.index(node.index, env, 0, node);
        return scalar({ iv: I.point(int(this.ctx.widths[i] as number)) });
      }
      case 'neg': {
        const a = this.eval(node.arg, env);
        if (a.t === 'm') return matrix(scaleM(Q, Rational.ONE.neg(), a.v.mat), a.v.factor);
        return scalar({ iv: I.neg(a.v.iv) });
      }
      case 'add':
      case 'sub':
        return this.addSub(node, env);
      case 'mul':
        return this.mul(node, env);
      case 'div':
        return this.div(node, env);
      case 'pow':
        return this.pow(node, env);
      case 'transpose': {
        const a = this.matrixArg(node.arg, env);
        return matrix(transposeM(a.mat), a.factor);
      }
      case 'norm2':
      case 'fro': {
        const a = this.matrixArg(node.arg, env);
        const sq = node.op === 'fro' ? I.point(frobeniusSq(Q, a.mat)) : this.spectralSq(a.mat);
        return scalar(this.scaleNonNeg(this.rootOfSquare(sq), a.factor));
      }
      case 'sigma': {
        const a = this.matrixArg(node.arg, env);
        const k = this.exactInteger(node.k, env, node);
        const r = Math.min(a.mat.rows, a.mat.cols);
        if (k < 1 || k > r) {
          this.fail(`sigma(${node.arg.text}, ${node.k.text}): k = ${k} is outside 1..${r} for a ${a.mat.rows}×${a.mat.cols} matrix (${this.shapes()})`, node);
        }
        return scalar(this.scaleNonNeg(this.singularValue(a.mat, k), a.factor));
      }
      case 'trace': {
        const a = this.matrixArg(node.arg, env);
        if (a.mat.rows !== a.mat.cols) this.fail(`trace of a non-square ${a.mat.rows}×${a.mat.cols} matrix ${node.arg.text} (${this.shapes()})`, node);
        const t = I.point(traceM(Q, a.mat));
        return scalar({ iv: a.factor === null ? t : this.round(I.mul(a.factor.iv, t)) });
      }
      case 'abs': {
        const a = this.scalarArg(node.arg, env);
        return scalar(a.sq !== undefined ? a : { iv: I.abs(a.iv) });
      }
      case 'sqrt':
        return scalar(this.power(this.scalarArg(node.arg, env), new Rational(1n, 2n), node));
      case 'max':
      case 'min': {
        const vals = node.args.map((a) => this.scalarArg(a, env));
        return scalar(this.extremum(node.op, vals));
      }
      case 'sumLayers':
      case 'maxLayers':
      case 'minLayers': {
        const vals: ScalarValue[] = [];
        for (let i = 1; i <= this.ctx.depth; i++) {
          const inner = new Map(env);
          inner.set(node.variable, i);
          vals.push(this.scalarArg(node.body, inner));
        }
        if (node.op === 'sumLayers') {
          let iv = I.point(Rational.ZERO);
          for (const v of vals) iv = this.round(I.add(iv, v.iv));
          return scalar({ iv });
        }
        return scalar(this.extremum(node.op === 'maxLayers' ? 'max' : 'min', vals));
      }
      default: {
        const never: never = node;
        throw new Error(`unhandled formula node ${JSON.stringify(never)}`);
      }
    }
  }

  private scalarArg(node: FormulaNode, env: ReadonlyMap<string, number>): ScalarValue {
    const v = this.eval(node, env);
    if (v.t !== 's') this.fail(`${node.text} is a matrix where a scalar is needed`, node);
    return v.v;
  }

  private matrixArg(node: FormulaNode, env: ReadonlyMap<string, number>): MatrixValue {
    const v = this.eval(node, env);
    if (v.t !== 'm') this.fail(`${node.text} is a scalar where a matrix is needed`, node);
    return v.v;
  }

  /** An exact integer (index or k), from an exact expression. */
  private exactInteger(node: FormulaNode, env: ReadonlyMap<string, number>, at: FormulaNode): number {
    const v = this.scalarArg(node, env);
    if (!I.isPoint(v.iv)) this.fail(`${node.text} is not exact on this model`, at);
    const q = v.iv.lo;
    if (!q.isInteger()) this.fail(`${node.text} = ${q} is not an integer (${at.text})`, at);
    if (q.num > 1000000n || q.num < -1000000n) this.fail(`${node.text} = ${q} is out of range (${at.text})`, at);
    return Number(q.num);
  }

  private index(node: FormulaNode, env: ReadonlyMap<string, number>, min: 0 | 1, at: FormulaNode): number {
    const i = this.exactInteger(node, env, at);
    const N = this.ctx.depth;
    if (i < min || i > N) {
      const what = min === 0 ? 'width index' : 'layer';
      this.fail(`${at.text}: ${what} ${i} is out of range ${min}..N = ${N} (${this.shapes()})`, at);
    }
    return i;
  }

  /** `‖X‖₂² = λ_max(XᵀX)`: exact when rational, else an enclosure. */
  private spectralSq(X: Matrix<Rational>): Interval {
    const f = frobeniusSq(Q, X);
    if (f.isZero()) return I.point(Rational.ZERO);
    if (X.rows === 1 || X.cols === 1) return I.point(f); // rank one: ‖X‖₂ = ‖X‖_F
    const e = spectralNormSquaredEnclosure(X, relativeWidth(this.bits, f));
    if (e.exact !== undefined) return I.point(e.exact);
    return { lo: maxQ(e.lower, Rational.ZERO), hi: minQ(e.upper, f) };
  }

  /** `σ_k(X)` with its square. */
  private singularValue(X: Matrix<Rational>, k: number): ScalarValue {
    const f = frobeniusSq(Q, X);
    if (f.isZero()) return { iv: I.point(Rational.ZERO), sq: I.point(Rational.ZERO) };
    if (k === 1) return this.rootOfSquare(this.spectralSq(X));
    const e = singularValueEnclosure(X, k, relativeWidth(this.bits, f));
    const iv: Interval = e.exact !== undefined ? I.point(e.exact) : { lo: maxQ(e.lower, Rational.ZERO), hi: e.upper };
    const s = e.squared;
    const sq: Interval = s.exact !== undefined ? I.point(s.exact) : { lo: maxQ(s.lower, Rational.ZERO), hi: s.upper };
    return { iv, sq };
  }

  /** The non-negative square root of an enclosure of a square, keeping the square. */
  private rootOfSquare(sq: Interval): ScalarValue {
    const s: Interval = sq.lo.sign() < 0 ? { lo: Rational.ZERO, hi: sq.hi } : sq;
    return { iv: I.sqrt(s, this.roundBits), sq: s };
  }

  /** `|factor| · v` for `v ≥ 0` (keeping the square). */
  private scaleNonNeg(v: ScalarValue, factor: ScalarValue | null): ScalarValue {
    if (factor === null) return v;
    const fAbs = I.abs(factor.iv);
    const fSq = factor.sq ?? I.powInt(factor.iv, 2);
    const out: ScalarValue = { iv: this.round(I.mul(fAbs, v.iv)) };
    return v.sq !== undefined ? { ...out, sq: this.round(I.mul(fSq, v.sq)) } : out;
  }

  private extremum(op: 'max' | 'min', vals: readonly ScalarValue[]): ScalarValue {
    const first = vals[0];
    if (first === undefined) throw new Error('max/min of nothing');
    let iv = first.iv;
    let sq: Interval | undefined = first.sq;
    for (const v of vals.slice(1)) {
      iv = op === 'max' ? I.max(iv, v.iv) : I.min(iv, v.iv);
      sq = sq !== undefined && v.sq !== undefined ? (op === 'max' ? I.max(sq, v.sq) : I.min(sq, v.sq)) : undefined;
    }
    return sq !== undefined ? { iv, sq } : { iv };
  }

  private addSub(node: BinaryNode, env: ReadonlyMap<string, number>): Value {
    const a = this.eval(node.left, env);
    const b = this.eval(node.right, env);
    if (a.t === 's' && b.t === 's') {
      return scalar({ iv: this.round(node.op === 'add' ? I.add(a.v.iv, b.v.iv) : I.sub(a.v.iv, b.v.iv)) });
    }
    if (a.t === 'm' && b.t === 'm') {
      const A = a.v;
      const B = b.v;
      if (A.mat.rows !== B.mat.rows || A.mat.cols !== B.mat.cols) {
        this.fail(
          `shapes do not fit in ${node.left.text} ${node.op === 'add' ? '+' : '-'} ${node.right.text}: ${A.mat.rows}×${A.mat.cols} and ${B.mat.rows}×${B.mat.cols} (${this.shapes()})`,
          node,
        );
      }
      if (A.factor !== null || B.factor !== null) {
        this.fail(`${node.text}: adding matrices scaled by irrational numbers is not supported (scale the sum instead)`, node);
      }
      return matrix(node.op === 'add' ? addM(Q, A.mat, B.mat) : subM(Q, A.mat, B.mat));
    }
    return this.fail(`cannot add a scalar and a matrix in ${node.text}`, node);
  }

  private mul(node: BinaryNode, env: ReadonlyMap<string, number>): Value {
    const a = this.eval(node.left, env);
    const b = this.eval(node.right, env);
    if (a.t === 's' && b.t === 's') return scalar(this.mulScalars(a.v, b.v));
    if (a.t === 's' && b.t === 'm') return this.scaleMatrix(a.v, b.v);
    if (a.t === 'm' && b.t === 's') return this.scaleMatrix(b.v, a.v);
    if (a.t === 'm' && b.t === 'm') {
      const A = a.v;
      const B = b.v;
      if (A.mat.cols !== B.mat.rows) {
        this.fail(
          `shapes do not fit in the product ${node.left.text} * ${node.right.text}: ${A.mat.rows}×${A.mat.cols} times ${B.mat.rows}×${B.mat.cols} (${this.shapes()})`,
          node,
        );
      }
      return matrix(mulM(Q, A.mat, B.mat), this.mulFactors(A.factor, B.factor));
    }
    return this.fail('unexpected operands', node);
  }

  private mulScalars(a: ScalarValue, b: ScalarValue): ScalarValue {
    const iv = this.round(I.mul(a.iv, b.iv));
    const sa = a.sq ?? (isNonNegPoint(a) ? I.point(a.iv.lo.mul(a.iv.lo)) : undefined);
    const sb = b.sq ?? (isNonNegPoint(b) ? I.point(b.iv.lo.mul(b.iv.lo)) : undefined);
    if (sa !== undefined && sb !== undefined) return { iv, sq: this.round(I.mul(sa, sb)) };
    return { iv };
  }

  private mulFactors(a: ScalarValue | null, b: ScalarValue | null): ScalarValue | null {
    if (a === null) return b;
    if (b === null) return a;
    return this.mulScalars(a, b);
  }

  private scaleMatrix(s: ScalarValue, m: MatrixValue): Value {
    if (I.isPoint(s.iv)) return matrix(scaleM(Q, s.iv.lo, m.mat), m.factor);
    return matrix(m.mat, this.mulFactors(s, m.factor));
  }

  private div(node: BinaryNode, env: ReadonlyMap<string, number>): Value {
    const a = this.eval(node.left, env);
    const b = this.eval(node.right, env);
    if (b.t !== 's') return this.fail(`cannot divide by a matrix in ${node.text}`, node);
    const d = b.v;
    if (I.isPoint(d.iv) && d.iv.lo.isZero()) this.fail(`division by zero in ${node.text}: ${node.right.text} = 0 (${this.shapes()})`, node.right);
    if (I.containsZero(d.iv)) throw new PrecisionError(`cannot decide whether ${node.right.text} is zero`, node.right.span);
    const inv: ScalarValue = this.reciprocal(d);
    if (a.t === 'm') return this.scaleMatrix(inv, a.v);
    return scalar(this.mulScalars(a.v, inv));
  }

  private reciprocal(d: ScalarValue): ScalarValue {
    const iv = this.round(I.inv(d.iv));
    return d.sq !== undefined && !I.containsZero(d.sq) ? { iv, sq: this.round(I.inv(d.sq)) } : { iv };
  }

  private pow(node: BinaryNode, env: ReadonlyMap<string, number>): Value {
    const base = this.eval(node.left, env);
    const e = this.scalarArg(node.right, env);
    if (!I.isPoint(e.iv)) this.fail(`the exponent ${node.right.text} is not exact on this model`, node);
    const q = e.iv.lo;
    if (base.t === 'm') {
      const k = Number(q.num);
      const X = base.v.mat;
      if (X.rows !== X.cols) this.fail(`${node.text}: power of a non-square ${X.rows}×${X.cols} matrix (${this.shapes()})`, node);
      if (k < 0 || k > MAX_MATRIX_POWER) this.fail(`a matrix power needs an integer exponent 0..${MAX_MATRIX_POWER}, got ${q}`, node);
      let entryBits = 0;
      for (const x of X.data) entryBits = Math.max(entryBits, bitsOf(x));
      this.checkEstimate(k * (entryBits + Math.log2(X.rows + 1)), `the matrix power ${node.text}`, node);
      let R = identity(Q, X.rows);
      for (let j = 0; j < k; j++) R = mulM(Q, R, X);
      let f: ScalarValue | null = null;
      for (let j = 0; j < k; j++) f = this.mulFactors(f, base.v.factor);
      return matrix(R, f);
    }
    return scalar(this.power(base.v, q, node));
  }

  /**
   * Refuses `x^q` beforehand when its result or its work is beyond the limits: an exact power
   * `x^p` of more than the value limit, an inexact one whose magnitude would be, or a root
   * `y^{1/k}` (of `x` or of its square) whose bigint work `k · bits` exceeds {@link MAX_ROOT_WORK_BITS}.
   */
  private checkPowerCost(x: ScalarValue, q: Rational, node: FormulaNode): void {
    const p = Math.abs(Number(q.num));
    const den = Number(q.den);
    const base = x.sq ?? x.iv;
    const exact = I.isPoint(base);
    const estimate = exact ? bitsOf(base.lo) * p : (Math.max(magnitudeOf(base.lo), magnitudeOf(base.hi)) + 1) * p + this.roundBits;
    this.checkEstimate(estimate, `the power ${node.text}`, node);
    const k = x.sq !== undefined ? (2 * den) / gcdNumber(p, 2 * den) : den;
    if (k > 1) {
      const work = k * this.roundBits + (exact ? bitsOf(base.lo) * p : 0);
      if (work > MAX_ROOT_WORK_BITS) {
        this.fail(
          `the root in ${node.text} (degree ${k} at ${this.bits} bits of precision) needs about ${work} bits of integer work; the limit is ${MAX_ROOT_WORK_BITS} (lower the denominator of the exponent or --max-bits)`,
          node,
        );
      }
      this.rootWork += work;
      if (this.rootWork > MAX_TOTAL_ROOT_WORK_BITS) {
        this.fail(`the roots of the formula need more than ${MAX_TOTAL_ROOT_WORK_BITS} bits of integer work in all (at ${this.bits} bits of precision); the limit is ${MAX_TOTAL_ROOT_WORK_BITS}`, node);
      }
    }
  }

  /** `x^q` for an exact rational exponent `q`. */
  private power(x: ScalarValue, q: Rational, node: FormulaNode): ScalarValue {
    const p = q.num;
    const den = q.den;
    const E = BigInt(MAX_SCALAR_EXPONENT);
    if (p > E || p < -E || den > E) this.fail(`the exponent ${q} is too large (|numerator| and denominator at most ${MAX_SCALAR_EXPONENT})`, node);
    const bits = this.roundBits;
    this.checkPowerCost(x, q, node);
    if (p < 0n) {
      if (I.isPoint(x.iv) && x.iv.lo.isZero()) this.fail(`0 to the negative power ${q} in ${node.text} (${this.shapes()})`, node);
      if (I.containsZero(x.iv)) throw new PrecisionError(`cannot decide whether the base of ${node.text} is zero`, node.span);
    }
    if (x.sq !== undefined) {
      // x = √sq with sq ≥ 0: x^{p/den} = sq^{p/(2 den)}, exact when that is rational.
      const iv = this.round(I.powRational(x.sq, p, 2n * den, bits));
      const sq = this.round(I.powRational(x.sq, p, den, bits));
      return { iv, sq };
    }
    if (den === 1n) {
      const iv = this.round(I.powRational(x.iv, p, 1n, bits));
      if (x.iv.lo.sign() >= 0) {
        return { iv, sq: this.round(I.powRational(x.iv, 2n * p, 1n, bits)) };
      }
      return { iv };
    }
    if (x.iv.hi.sign() < 0 || (I.isPoint(x.iv) && x.iv.lo.sign() < 0)) {
      this.fail(`${node.text}: fractional power ${q} of a negative number (${this.shapes()})`, node);
    }
    if (x.iv.lo.sign() < 0) throw new PrecisionError(`cannot decide the sign of the base of ${node.text}`, node.span);
    return { iv: this.round(I.powRational(x.iv, p, den, bits)), sq: this.round(I.powRational(x.iv, 2n * p, den, bits)) };
  }
}

function magnitudeOf(q: Rational): number {
  return Math.abs(bitLength(q.num < 0n ? -q.num : q.num) - bitLength(q.den));
}

function scalar(v: ScalarValue): Value {
  return { t: 's', v };
}

function matrix(mat: Matrix<Rational>, factor: ScalarValue | null = null): Value {
  return { t: 'm', v: { mat, factor } };
}

function gcdNumber(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function int(n: number): Rational {
  return Rational.fromBigInt(BigInt(n));
}

function maxQ(a: Rational, b: Rational): Rational {
  return a.compare(b) >= 0 ? a : b;
}

function minQ(a: Rational, b: Rational): Rational {
  return a.compare(b) <= 0 ? a : b;
}
