import { Rational } from '../field/rational.js';

/**
 * An immutable univariate polynomial with exact rational coefficients,
 * `p(t) = Σ_{k=0}^{d} c_k t^k`, stored low → high and trimmed (`c_d ≠ 0`; the zero polynomial has
 * no coefficients and degree `−1`).
 */
export class Polynomial {
  /** `c_0, c_1, …, c_d` with `c_d ≠ 0` (empty for the zero polynomial). */
  readonly coefficients: readonly Rational[];

  private constructor(trimmed: readonly Rational[]) {
    this.coefficients = trimmed;
  }

  /** The zero polynomial. */
  static readonly ZERO = new Polynomial([]);
  /** The constant polynomial 1. */
  static readonly ONE = new Polynomial([Rational.ONE]);
  /** The polynomial `t`. */
  static readonly T = new Polynomial([Rational.ZERO, Rational.ONE]);

  /** `Σ c_k t^k` from coefficients listed low → high (trailing zeros are dropped). */
  static fromCoefficients(coefficients: readonly Rational[]): Polynomial {
    let d = coefficients.length;
    while (d > 0 && (coefficients[d - 1] as Rational).isZero()) d--;
    return new Polynomial(coefficients.slice(0, d));
  }

  /** The constant polynomial `c`. */
  static constant(c: Rational): Polynomial {
    return Polynomial.fromCoefficients([c]);
  }

  /** `Π_i (t − r_i)`, monic of degree `roots.length` (1 for no roots). */
  static fromRoots(roots: readonly Rational[]): Polynomial {
    let p: Polynomial = Polynomial.ONE;
    for (const r of roots) p = p.mul(new Polynomial([r.neg(), Rational.ONE]));
    return p;
  }

  /** Degree `d` (`−1` for the zero polynomial). */
  get degree(): number {
    return this.coefficients.length - 1;
  }

  /** Whether this is the zero polynomial. */
  isZero(): boolean {
    return this.coefficients.length === 0;
  }

  /** `c_k`, the coefficient of `t^k` (0 beyond the degree or for `k < 0`). */
  coefficient(k: number): Rational {
    return this.coefficients[k] ?? Rational.ZERO;
  }

  /** `c_d`, the leading coefficient (0 for the zero polynomial). */
  leadingCoefficient(): Rational {
    return this.coefficients[this.coefficients.length - 1] ?? Rational.ZERO;
  }

  /** `p(x)` exactly, by Horner's rule `(…(c_d x + c_{d−1}) x + …) x + c_0`. */
  evaluate(x: Rational): Rational {
    let v = Rational.ZERO;
    for (let k = this.coefficients.length - 1; k >= 0; k--) v = v.mul(x).add(this.coefficients[k] as Rational);
    return v;
  }

  /** `p(x)` in binary64 by Horner's rule on the rounded coefficients (for display and plotting). */
  evaluateNumber(x: number): number {
    let v = 0;
    for (let k = this.coefficients.length - 1; k >= 0; k--) v = v * x + (this.coefficients[k] as Rational).toNumber();
    return v;
  }

  /** `p + q`. */
  add(q: Polynomial): Polynomial {
    const n = Math.max(this.coefficients.length, q.coefficients.length);
    const c = new Array<Rational>(n);
    for (let k = 0; k < n; k++) c[k] = this.coefficient(k).add(q.coefficient(k));
    return Polynomial.fromCoefficients(c);
  }

  /** `p − q`. */
  sub(q: Polynomial): Polynomial {
    const n = Math.max(this.coefficients.length, q.coefficients.length);
    const c = new Array<Rational>(n);
    for (let k = 0; k < n; k++) c[k] = this.coefficient(k).sub(q.coefficient(k));
    return Polynomial.fromCoefficients(c);
  }

  /** `−p`. */
  neg(): Polynomial {
    return new Polynomial(this.coefficients.map((c) => c.neg()));
  }

  /** `p · q`, with `(pq)_k = Σ_{i+j=k} p_i q_j`. */
  mul(q: Polynomial): Polynomial {
    if (this.isZero() || q.isZero()) return Polynomial.ZERO;
    const c = new Array<Rational>(this.coefficients.length + q.coefficients.length - 1).fill(Rational.ZERO);
    this.coefficients.forEach((a, i) => {
      if (a.isZero()) return;
      q.coefficients.forEach((b, j) => {
        if (!b.isZero()) c[i + j] = (c[i + j] as Rational).add(a.mul(b));
      });
    });
    return Polynomial.fromCoefficients(c);
  }

  /** `a · p` for a rational scalar `a`. */
  scale(a: Rational): Polynomial {
    if (a.isZero()) return Polynomial.ZERO;
    return new Polynomial(this.coefficients.map((c) => c.mul(a)));
  }

  /** `p′(t) = Σ_{k≥1} k c_k t^{k−1}`. */
  derivative(): Polynomial {
    return Polynomial.fromCoefficients(this.coefficients.slice(1).map((c, k) => c.mul(Rational.fromBigInt(BigInt(k + 1)))));
  }

  /**
   * Exact Euclidean division: the unique `q, r` with `p = q · b + r` and `deg r < deg b`.
   *
   * @throws RangeError when `b` is the zero polynomial.
   */
  divmod(b: Polynomial): { quotient: Polynomial; remainder: Polynomial } {
    if (b.isZero()) throw new RangeError('polynomial division by zero');
    const db = b.degree;
    const lcInv = b.leadingCoefficient().inv();
    const r = this.coefficients.slice();
    const qLen = Math.max(0, this.coefficients.length - db);
    const q = new Array<Rational>(qLen).fill(Rational.ZERO);
    for (let k = this.coefficients.length - 1; k >= db; k--) {
      const top = r[k] as Rational;
      if (top.isZero()) continue;
      const f = top.mul(lcInv);
      q[k - db] = f;
      for (let j = 0; j <= db; j++) {
        const bj = b.coefficients[j] as Rational;
        if (!bj.isZero()) r[k - db + j] = (r[k - db + j] as Rational).sub(f.mul(bj));
      }
    }
    return { quotient: Polynomial.fromCoefficients(q), remainder: Polynomial.fromCoefficients(r.slice(0, db)) };
  }

  /** `p / c_d`, the monic associate (the zero polynomial stays zero). */
  monic(): Polynomial {
    if (this.isZero()) return this;
    const lc = this.leadingCoefficient();
    return lc.equals(Rational.ONE) ? this : this.scale(lc.inv());
  }

  /**
   * The monic greatest common divisor, by Euclid's algorithm over ℚ with monic remainders:
   * `gcd(p, q) = gcd(q, p mod q)`, `gcd(p, 0) = p / c_d`; `gcd(0, 0) = 0`.
   */
  gcd(q: Polynomial): Polynomial {
    let a = this.monic();
    let b = q.monic();
    while (!b.isZero()) {
      const r = a.divmod(b).remainder.monic();
      a = b;
      b = r;
    }
    return a;
  }

  /** Exact equality of all coefficients. */
  equals(q: Polynomial): boolean {
    return this.coefficients.length === q.coefficients.length && this.coefficients.every((c, k) => c.equals(q.coefficients[k] as Rational));
  }

  /**
   * Readable text, highest power first, that mathjs parses to the same function:
   * `t^3 - 5*t^2 + 1/2*t - 3` (`"0"` for the zero polynomial).
   */
  toString(variable = 't'): string {
    return this.render(
      (c) => c.toString(),
      (k) => (k === 1 ? variable : `${variable}^${k}`),
      '*',
    );
  }

  /** LaTeX, highest power first: `t^{3} - 5 t^{2} + \frac{1}{2} t - 3`. */
  toTex(variable = 't'): string {
    return this.render(
      (c) => c.toTex(),
      (k) => (k === 1 ? variable : `${variable}^{${k}}`),
      ' ',
    );
  }

  private render(coef: (c: Rational) => string, power: (k: number) => string, times: string): string {
    if (this.isZero()) return '0';
    const parts: string[] = [];
    for (let k = this.coefficients.length - 1; k >= 0; k--) {
      const c = this.coefficients[k] as Rational;
      if (c.isZero()) continue;
      const a = c.abs();
      const body = k === 0 ? coef(a) : a.equals(Rational.ONE) ? power(k) : `${coef(a)}${times}${power(k)}`;
      if (parts.length === 0) parts.push(c.sign() < 0 ? `-${body}` : body);
      else parts.push(c.sign() < 0 ? ` - ${body}` : ` + ${body}`);
    }
    return parts.join('');
  }
}
