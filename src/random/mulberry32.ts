/**
 * mulberry32: a small, fast 32-bit pseudo-random generator (period 2^32), uniform in `[0, 1)`.
 * Every seeded computation in the engine (Lanczos start vectors, generated models, benchmarks)
 * draws from it, so a seed reproduces a run exactly.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A standard normal draw from a uniform generator (Box–Muller, cosine branch; `1 − u` keeps the log
 * finite), for the autodiff device page, which can import nothing but this file. Engine code uses the
 * streams of `rng.ts`.
 */
export function standardNormal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
