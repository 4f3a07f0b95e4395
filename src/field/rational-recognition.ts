/**
 * Rational recognition: the continued-fraction convergents of a number, the candidates for the
 * exact rational that a floating-point value approximates. Candidates only: every caller proves a
 * candidate (an exact root test, an inertia) before calling it exact.
 */
import { Rational } from './rational.js';

/**
 * The continued-fraction convergents `h_k / k_k` of the exact value of the double `x`
 * (`Rational.fromNumber(x)`), in order of increasing denominator, stopping before the first
 * denominator above `maxDenominator`. Each convergent is a best approximation: no fraction with a
 * smaller denominator is closer. They are candidates only; verify with `isRoot` (src/spectral/polynomial-roots.ts, or an
 * inertia) before calling one exact. A value `a/b` computed to absolute error `δ` is among them
 * when `δ < 1/(2b²)` (Legendre), so from a double near 1 denominators up to about `10^7` are reachable. E.g. `16.5000000001` gives `16, 17, 33/2` for `maxDenominator`
 * up to `~10^9`.
 *
 * @throws RangeError when `x` is not finite or `maxDenominator < 1`.
 */
export function rationalCandidates(x: number, maxDenominator: bigint): Rational[] {
  if (!Number.isFinite(x)) throw new RangeError(`rationalCandidates: ${x} is not finite`);
  return convergents(Rational.fromNumber(x), maxDenominator);
}

/**
 * The continued-fraction convergents of the exact rational `r` with denominators up to
 * `maxDenominator`, in order. By Legendre's theorem every fraction `a/b` with `|r − a/b| < 1/(2b²)` is
 * among them.
 *
 * @throws RangeError when `maxDenominator < 1`.
 */
export function convergents(r: Rational, maxDenominator: bigint): Rational[] {
  if (maxDenominator < 1n) throw new RangeError('convergents: maxDenominator must be ≥ 1');
  let num = r.num;
  let den = r.den;
  // h_{−1} = 1, h_{−2} = 0; k_{−1} = 0, k_{−2} = 1.
  let h1 = 1n;
  let h2 = 0n;
  let k1 = 0n;
  let k2 = 1n;
  const out: Rational[] = [];
  while (den !== 0n) {
    let a = num / den;
    if (num < 0n && a * den !== num) a -= 1n; // floor
    const h = a * h1 + h2;
    const k = a * k1 + k2;
    if (k > maxDenominator) break;
    out.push(new Rational(h, k));
    [h2, h1] = [h1, h];
    [k2, k1] = [k1, k];
    [num, den] = [den, num - a * den];
  }
  return out;
}
