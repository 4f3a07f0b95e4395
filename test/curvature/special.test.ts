/** Special functions against closed forms and quadrature (independent of the continued fractions). */
import { erf, erfc, logGamma, normalCdf, regularizedGammaP, regularizedIncompleteBeta } from '../../src/curvature/special.js';

/** Composite Simpson on [a, b] with m (even) panels. */
function simpson(f: (x: number) => number, a: number, b: number, m = 20000): number {
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let k = 1; k < m; k++) s += (k % 2 === 1 ? 4 : 2) * f(a + k * h);
  return (s * h) / 3;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('special functions', () => {
  test('ln Γ at integers and half-integers', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(10.5)).toBeCloseTo(Math.log((654729075 / 1024) * Math.sqrt(Math.PI)), 12); // Γ(10.5) = (19!!/2^10)·√π
    expect(logGamma(1)).toBeCloseTo(0, 14);
  });

  test('I_x(a, b) for integer a, b is a binomial tail: I_x(a,b) = Σ_{j=a}^{a+b−1} C(a+b−1, j) x^j (1−x)^{a+b−1−j}', () => {
    for (const [a, b, x] of [[15, 5, 0.5], [1, 1, 0.3], [3, 7, 0.2], [20, 20, 0.45], [2, 9, 0.9]] as const) {
      const n = a + b - 1;
      let tail = 0;
      for (let j = a; j <= n; j++) tail += binomial(n, j) * x ** j * (1 - x) ** (n - j);
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(tail, 13);
    }
    // docs/math.md §6: (n₊, n₋) = (30, 10) gives I_½(15, 5) = 5036/2^19 = 0.0096054…
    expect(regularizedIncompleteBeta(0.5, 15, 5)).toBeCloseTo(5036 / 2 ** 19, 14);
  });

  test('I_½(3/2, 1/2) = ½ − 1/π (docs/math.md §6: 0.1817) and non-integer values against quadrature of the beta density', () => {
    expect(regularizedIncompleteBeta(0.5, 1.5, 0.5)).toBeCloseTo(0.5 - 1 / Math.PI, 13);
    for (const [a, b, x] of [[2.5, 3.5, 0.4], [1.5, 4, 0.7], [7.5, 2.5, 0.6]] as const) {
      const lnB = logGamma(a) + logGamma(b) - logGamma(a + b);
      // t = u² removes the t^{a−1} singularity at 0: ∫_0^x t^{a−1}(1−t)^{b−1} dt = ∫_0^{√x} 2u^{2a−1}(1−u²)^{b−1} du.
      const q = simpson((u) => (u === 0 ? 0 : 2 * Math.exp((2 * a - 1) * Math.log(u) + (b - 1) * Math.log(1 - u * u) - lnB)), 0, Math.sqrt(x));
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(q, 11);
    }
  });

  test('symmetry I_x(a,b) = 1 − I_{1−x}(b,a) and the edges', () => {
    for (const [a, b, x] of [[0.5, 0.5, 0.3], [12, 3, 0.8], [4, 4, 0.5]] as const) {
      expect(regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBeta(1 - x, b, a)).toBeCloseTo(1, 13);
    }
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError);
  });

  test('erf, erfc and Φ at tabulated values; P(1, x) = 1 − e^{−x}', () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778130465, 14);
    expect(erfc(5) / 1.5374597944280347e-12).toBeCloseTo(1, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(0)).toBe(0.5);
    for (const x of [0.1, 1, 3, 12]) expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14);
  });
});
