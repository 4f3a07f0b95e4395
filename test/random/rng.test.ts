/**
 * The one seeded random source (src/random/): mulberry32's uniforms against a Python transcription
 * of the algorithm (test/fixtures/random/mulberry32_reference.py), Box–Muller against the
 * same values through Python's math, the device page's `standardNormal` as the cosine half of the
 * engine's `gaussian`, and named streams that are reproducible and independent.
 */
import { boxMullerRadius, mulberry32, standardNormal } from '../../src/random/mulberry32.js';
import { createRng, gaussianVector, rademacherVector } from '../../src/random/rng.js';

// python3: mulberry32(7), four draws; r = sqrt(-2 log(1 - u1)); (r cos 2πu2, r sin 2πu2).
const UNIFORMS_SEED_7 = [0.011704753153026104, 0.06195825757458806, 0.97690763277933, 0.6990287057124078];
const GAUSSIANS_SEED_7 = [0.14197043782155663, 0.058240714748711335];

describe('random', () => {
  test('mulberry32 gives the uniforms of the reference transcription, bit for bit', () => {
    const next = mulberry32(7);
    expect(UNIFORMS_SEED_7.map(() => next())).toEqual(UNIFORMS_SEED_7);
    expect(createRng(7).uniform()).toBe(UNIFORMS_SEED_7[0]);
  });

  test('Box–Muller: both halves as computed independently; gaussian() gives them in order', () => {
    const [u1, u2] = UNIFORMS_SEED_7 as [number, number];
    const r = boxMullerRadius(u1);
    expect(r * Math.cos(2 * Math.PI * u2)).toBeCloseTo(GAUSSIANS_SEED_7[0] as number, 15);
    const rng = createRng(7);
    const [g1, g2] = [rng.gaussian(), rng.gaussian()];
    expect(g1).toBeCloseTo(GAUSSIANS_SEED_7[0] as number, 15);
    expect(g2).toBeCloseTo(GAUSSIANS_SEED_7[1] as number, 15);
  });

  test("the device page's standardNormal is the first draw of the engine's gaussian on the same stream", () => {
    expect(standardNormal(mulberry32(7))).toBe(createRng(7).gaussian());
  });

  test('streams: the same seed and label reproduce, other labels give other draws', () => {
    expect(gaussianVector(createRng(3, 'hutchinson'), 8)).toEqual(gaussianVector(createRng(3, 'hutchinson'), 8));
    expect(gaussianVector(createRng(3, 'hutchinson'), 8)).not.toEqual(gaussianVector(createRng(3, 'hutchpp'), 8));
    const signs = rademacherVector(createRng(3), 64);
    expect(signs.every((x) => x === 1 || x === -1)).toBe(true);
  });
});
