/**
 * The engine's seeded random numbers: every estimate, generated model and start vector is
 * reproducible from its seed. mulberry32 for uniforms (`mulberry32.ts`, kept dependency-free for
 * the autodiff page), Box–Muller for Gaussians, and independent named sub-streams so that adding a
 * method never changes the draws of another.
 */
import { boxMullerRadius, mulberry32 } from './mulberry32.js';

/** A seeded source of random numbers. */
export interface Rng {
  /** Uniform in `[0, 1)`. */
  uniform(): number;
  /** Standard normal `N(0, 1)` (Box–Muller: `√(−2 ln u₁) cos(2π u₂)`, the sine half kept for the next call). */
  gaussian(): number;
  /** `±1` with probability ½ each. */
  rademacher(): number;
}

/** 32-bit FNV-1a of a string, then xor-shift mixed with the seed (for named sub-streams). */
function mixSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let x = (h ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The generator for `seed` (an integer; only its low 32 bits matter) and an optional stream label:
 * `createRng(7, 'hutchinson')` and `createRng(7, 'hutchpp')` are independent, each reproducible.
 */
export function createRng(seed: number, stream = ''): Rng {
  const next = mulberry32(stream === '' ? seed : mixSeed(seed, stream));
  let spare: number | undefined;
  return {
    uniform: next,
    gaussian() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      const r = boxMullerRadius(next());
      const angle = 2 * Math.PI * next();
      spare = r * Math.sin(angle);
      return r * Math.cos(angle);
    },
    rademacher() {
      return next() < 0.5 ? -1 : 1;
    },
  };
}

/** `n` i.i.d. standard normal entries. */
export function gaussianVector(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.gaussian();
  return v;
}

/** `n` i.i.d. Rademacher (±1) entries. */
export function rademacherVector(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.rademacher();
  return v;
}
