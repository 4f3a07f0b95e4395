/**
 * The JavaScript float64 kernel: the reference every other kernel is tested against and the last
 * fallback. The large-size product follows the GotoBLAS/BLIS layering: `op(B)` is packed into
 * `KC × NR` column panels, `op(A)` into `MR × KC` row panels of an `MC × KC` block, and a
 * register-tiled micro-kernel accumulates a `4 × 4` block of `C` in 16 local variables while it
 * streams the two panels (transposes are absorbed by the packing). Packing makes every inner-loop
 * read unit-stride from a `Float64Array`; the `B` micro-panel (8 KiB) stays in L1 and the `A` block
 * (256 KiB) in L2.
 *
 * Measured on one core of the 2-core Xeon build machine (Node 20), 512³: plain triple loop
 * ≈ 1.2 GFLOP/s, packed 4×4 micro-kernel ≈ 4.5 (4×2, 2×4, 4×3, 8×2, 8×4, 4×6, 4×8 tiles and a 2-way
 * k-unrolled 4×4 all within 4.1–4.7; 4×4 kept as the simplest of the fastest).
 *
 * Rounding: as stated in `kernel.ts`; products of integer matrices whose partial sums stay below
 * 2^53 are exact. NaN and ±Infinity propagate as in IEEE arithmetic (zeros are not skipped).
 */
import type { F64Kernel } from './kernel.js';

const MR = 4;
const NR = 4;
/** Depth of a packed panel (the `k`-chunk accumulated per pass). */
const KC = 256;
/** Rows of the packed `A` block (a multiple of {@link MR}). */
const MC = 128;
/** Columns of the packed `B` block (a multiple of {@link NR}); bounds the packing buffer. */
const NC = 2048;
/**
 * At most this many multiply–adds, or fewer than 4 rows or columns in `C`, and the packing overhead
 * outweighs its gain: a plain column-oriented loop is used.
 */
const SMALL_WORK = 7 * 7 * 7;

/** Reused buffers (JavaScript is single-threaded and the kernel never re-enters). */
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(0);
let scratch = new Float64Array(0);
const edgeTile = new Float64Array(MR * NR);

/** `C ← β C` with BLAS semantics for `β = 0` (overwrite, never read). */
function scaleC(len: number, beta: number, c: Float64Array): void {
  if (beta === 1) return;
  if (beta === 0) c.fill(0, 0, len);
  else for (let i = 0; i < len; i++) c[i] = beta * (c[i] as number);
}

/**
 * `C ← α op(A) op(B) + β C` in JavaScript (see {@link F64Kernel.gemm}); accepts plain arrays too.
 */
export function jsGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  beta: number,
  c: Float64Array,
): void {
  scaleC(m * n, beta, c);
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  if (alpha !== 1) {
    // C += α (op(A) op(B)): the product into scratch, then one scaled addition.
    if (scratch.length < m * n) scratch = new Float64Array(m * n);
    const t = scratch;
    t.fill(0, 0, m * n);
    accumulate(transA, transB, m, n, k, a, b, t);
    for (let i = 0; i < m * n; i++) c[i] = (c[i] as number) + alpha * (t[i] as number);
    return;
  }
  accumulate(transA, transB, m, n, k, a, b, c);
}

/** `C += op(A) op(B)`. */
function accumulate(transA: boolean, transB: boolean, m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>, c: Float64Array): void {
  if (m * n * k <= SMALL_WORK || m < MR || n < NR) smallGemm(transA, transB, m, n, k, a, b, c);
  else blockedGemm(transA, transB, m, n, k, a, b, c);
}

/** `C += op(A) op(B)` by columns: `C[:, j] += op(A)[:, p] · op(B)[p, j]`. */
function smallGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>, c: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const co = j * m;
    for (let p = 0; p < k; p++) {
      const bpj = (transB ? b[j + p * n] : b[p + j * k]) as number;
      if (transA) {
        for (let i = 0; i < m; i++) c[co + i] = (c[co + i] as number) + (a[p + i * k] as number) * bpj;
      } else {
        const ao = p * m;
        for (let i = 0; i < m; i++) c[co + i] = (c[co + i] as number) + (a[ao + i] as number) * bpj;
      }
    }
  }
}

function blockedGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>, c: Float64Array): void {
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, n);
  const needB = Math.ceil(ncMax / NR) * NR * kcMax;
  if (packB.length < needB) packB = new Float64Array(needB);
  const needA = Math.ceil(Math.min(MC, m) / MR) * MR * kcMax;
  if (packA.length < needA) packA = new Float64Array(needA);
  const pa = packA;
  const pb = packB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nPanB = Math.ceil(nc / NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelsB(transB, k, n, kc, nc, pc, jc, b, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const nPanA = Math.ceil(mc / MR);
        packPanelsA(transA, m, k, kc, mc, ic, pc, a, pa);
        for (let jp = 0; jp < nPanB; jp++) {
          const j0 = jc + jp * NR;
          const nr = Math.min(NR, jc + nc - j0);
          const bOff = jp * NR * kc;
          for (let ip = 0; ip < nPanA; ip++) {
            const i0 = ic + ip * MR;
            const mr = Math.min(MR, ic + mc - i0);
            const aOff = ip * MR * kc;
            if (mr === MR && nr === NR) {
              kernel4x4(kc, pa, aOff, pb, bOff, c, i0 + j0 * m, m);
            } else {
              // Edge tile: the packed panels are zero-padded; run the full kernel into a scratch tile
              // and add back only the valid part.
              edgeTile.fill(0);
              kernel4x4(kc, pa, aOff, pb, bOff, edgeTile, 0, MR);
              for (let jj = 0; jj < nr; jj++) {
                const co = i0 + (j0 + jj) * m;
                for (let ii = 0; ii < mr; ii++) c[co + ii] = (c[co + ii] as number) + (edgeTile[ii + jj * MR] as number);
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Packs `op(B)[pc : pc+kc, jc : jc+nc]` into `NR`-column panels: panel `q`, row `p`, column `jj` goes
 * to `pb[q·NR·kc + p·NR + jj]`; columns past `n` are zero. `B` is stored k×n, or n×k when `transB`.
 */
function packPanelsB(transB: boolean, k: number, n: number, kc: number, nc: number, pc: number, jc: number, b: ArrayLike<number>, pb: Float64Array): void {
  const nPan = Math.ceil(nc / NR);
  for (let q = 0; q < nPan; q++) {
    const base = q * NR * kc;
    for (let jj = 0; jj < NR; jj++) {
      const jl = q * NR + jj;
      if (jl >= nc) {
        for (let p = 0; p < kc; p++) pb[base + p * NR + jj] = 0;
      } else if (transB) {
        const j = jc + jl;
        for (let p = 0; p < kc; p++) pb[base + p * NR + jj] = b[j + (pc + p) * n] as number;
      } else {
        const bo = pc + (jc + jl) * k;
        for (let p = 0; p < kc; p++) pb[base + p * NR + jj] = b[bo + p] as number;
      }
    }
  }
}

/**
 * Packs `op(A)[ic : ic+mc, pc : pc+kc]` into `MR`-row panels: panel `q`, column `p`, row `ii` goes to
 * `pa[q·MR·kc + p·MR + ii]`; rows past the block are zero. `A` is stored m×k, or k×m when `transA`.
 */
function packPanelsA(transA: boolean, m: number, k: number, kc: number, mc: number, ic: number, pc: number, a: ArrayLike<number>, pa: Float64Array): void {
  const nPan = Math.ceil(mc / MR);
  for (let q = 0; q < nPan; q++) {
    const base = q * MR * kc;
    const i0 = ic + q * MR;
    const mr = Math.min(MR, ic + mc - i0);
    if (transA) {
      for (let ii = 0; ii < MR; ii++) {
        if (ii < mr) {
          const ao = pc + (i0 + ii) * k;
          for (let p = 0; p < kc; p++) pa[base + p * MR + ii] = a[ao + p] as number;
        } else {
          for (let p = 0; p < kc; p++) pa[base + p * MR + ii] = 0;
        }
      }
    } else if (mr === MR) {
      for (let p = 0; p < kc; p++) {
        const ao = i0 + (pc + p) * m;
        const d = base + p * MR;
        pa[d] = a[ao] as number;
        pa[d + 1] = a[ao + 1] as number;
        pa[d + 2] = a[ao + 2] as number;
        pa[d + 3] = a[ao + 3] as number;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const ao = i0 + (pc + p) * m;
        const d = base + p * MR;
        let ii = 0;
        for (; ii < mr; ii++) pa[d + ii] = a[ao + ii] as number;
        for (; ii < MR; ii++) pa[d + ii] = 0;
      }
    }
  }
}

/** The micro-kernel: `C[co + i + j·ldc] += Σ_p pa[ao + p·4 + i] · pb[bo + p·4 + j]` for `i, j < 4`. */
function kernel4x4(kc: number, pa: Float64Array, ao: number, pb: Float64Array, bo: number, c: Float64Array, co: number, ldc: number): void {
  let c00 = 0, c10 = 0, c20 = 0, c30 = 0;
  let c01 = 0, c11 = 0, c21 = 0, c31 = 0;
  let c02 = 0, c12 = 0, c22 = 0, c32 = 0;
  let c03 = 0, c13 = 0, c23 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ao] as number;
    const a1 = pa[ao + 1] as number;
    const a2 = pa[ao + 2] as number;
    const a3 = pa[ao + 3] as number;
    let bv = pb[bo] as number;
    c00 += a0 * bv; c10 += a1 * bv; c20 += a2 * bv; c30 += a3 * bv;
    bv = pb[bo + 1] as number;
    c01 += a0 * bv; c11 += a1 * bv; c21 += a2 * bv; c31 += a3 * bv;
    bv = pb[bo + 2] as number;
    c02 += a0 * bv; c12 += a1 * bv; c22 += a2 * bv; c32 += a3 * bv;
    bv = pb[bo + 3] as number;
    c03 += a0 * bv; c13 += a1 * bv; c23 += a2 * bv; c33 += a3 * bv;
    ao += MR;
    bo += NR;
  }
  let o = co;
  c[o] = (c[o] as number) + c00; c[o + 1] = (c[o + 1] as number) + c10; c[o + 2] = (c[o + 2] as number) + c20; c[o + 3] = (c[o + 3] as number) + c30;
  o += ldc;
  c[o] = (c[o] as number) + c01; c[o + 1] = (c[o + 1] as number) + c11; c[o + 2] = (c[o + 2] as number) + c21; c[o + 3] = (c[o + 3] as number) + c31;
  o += ldc;
  c[o] = (c[o] as number) + c02; c[o + 1] = (c[o + 1] as number) + c12; c[o + 2] = (c[o + 2] as number) + c22; c[o + 3] = (c[o + 3] as number) + c32;
  o += ldc;
  c[o] = (c[o] as number) + c03; c[o + 1] = (c[o + 1] as number) + c13; c[o + 2] = (c[o + 2] as number) + c23; c[o + 3] = (c[o + 3] as number) + c33;
}

/** `y ← α op(A) x + β y` in JavaScript (see {@link F64Kernel.gemv}). */
export function jsGemv(trans: boolean, m: number, n: number, alpha: number, a: ArrayLike<number>, x: ArrayLike<number>, beta: number, y: Float64Array): void {
  const ly = trans ? n : m;
  scaleC(ly, beta, y);
  if (alpha === 0) return;
  if (trans) {
    for (let j = 0; j < n; j++) {
      const o = j * m;
      let s = 0;
      for (let i = 0; i < m; i++) s += (a[o + i] as number) * (x[i] as number);
      y[j] = (y[j] as number) + alpha * s;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const o = j * m;
      const xj = alpha * (x[j] as number);
      for (let i = 0; i < m; i++) y[i] = (y[i] as number) + (a[o + i] as number) * xj;
    }
  }
}

/** The JavaScript kernel (single-threaded). */
export const jsKernel: F64Kernel = {
  name: 'js',
  description: 'JavaScript reference (packed 4×4 micro-kernel, single-threaded)',
  maxThreads: 1,
  setThreads: () => undefined,
  threads: () => 1,
  gemm: jsGemm,
  gemv: jsGemv,
};
