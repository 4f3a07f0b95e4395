/** Rational recognition (src/field/rational-recognition.ts): continued-fraction convergents known by hand. */
import { Rational } from '../../src/field/rational.js';
import { convergents, rationalCandidates } from '../../src/field/rational-recognition.js';

describe('rational recognition', () => {
  test('continued-fraction convergents: 33/2 from 16.5000000001, 355/113 from π, −11/4 from −2.75', () => {
    const c = rationalCandidates(16.5000000001, 1_000_000n).map((r) => r.toString());
    expect(c).toEqual(['16', '17', '33/2']);
    const pi = rationalCandidates(Math.PI, 1000n).map((r) => r.toString());
    expect(pi).toEqual(['3', '22/7', '333/106', '355/113']);
    expect(rationalCandidates(-2.75, 100n).map((r) => r.toString())).toContain('-11/4');
    const third = rationalCandidates(1 / 3, 1000n);
    expect(third.some((r) => r.equals(new Rational(1n, 3n)))).toBe(true);
    expect(() => rationalCandidates(Number.NaN, 10n)).toThrow(RangeError);
  });

  test('convergents of an exact rational end at it: 415/93 = [4; 2, 6, 7]', () => {
    expect(convergents(new Rational(415n, 93n), 1000n).map((r) => r.toString())).toEqual(['4', '9/2', '58/13', '415/93']);
    expect(() => convergents(Rational.ONE, 0n)).toThrow(RangeError);
  });
});
