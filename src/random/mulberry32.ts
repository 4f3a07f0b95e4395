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
 * Box–Muller, the project's one Gaussian transform: two uniforms `u₁, u₂ ∈ [0, 1)` give the two
 * independent standard normals `ρ·cos(2πu₂)` and `ρ·sin(2πu₂)` with `ρ = √(−2 ln(1 − u₁))`
 * (`1 − u₁ ∈ (0, 1]` keeps the logarithm finite); this is `ρ`. Here (not in `rng.ts`) because the
 * autodiff device page can import nothing but this file.
 */
export function boxMullerRadius(u1: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1));
}

/**
 * A standard normal draw from a uniform generator (the cosine half of Box–Muller, see
 * {@link boxMullerRadius}), for the autodiff device page. Engine code uses the streams of `rng.ts`.
 */
export function standardNormal(rand: () => number): number {
  const r = boxMullerRadius(rand());
  return r * Math.cos(2 * Math.PI * rand());
}
