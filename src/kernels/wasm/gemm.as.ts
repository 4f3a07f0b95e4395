// AssemblyScript source of dln-hessian's WebAssembly SIMD float64 kernel (compiled by `npm run build`
// to dist/src/kernels/wasm/gemm.wasm; not part of the TypeScript program). Column-major operands
// live in the module's memory at byte offsets chosen by the JavaScript side (wasm-kernel.ts).
//
// gemm: C <- alpha op(A) op(B) + beta C, GotoBLAS layering as the JavaScript reference (op(B) packed
// into KC x 4 column panels, op(A) into 4 x KC row panels of an MC x KC block) with a 4 x 4
// micro-kernel holding C in eight f64x2 registers. Every entry of C is a sum of the same k products
// as the textbook formula (in chunks of KC), so |C^ - C| <= gamma_k |alpha| |op(A)| |op(B)| + ...

const MR: i32 = 4;
const NR: i32 = 4;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 2048;

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes of the packing buffers gemm needs: A block, then B block, then one 4 x 4 edge tile. */
export function packBytes(): usize {
  return (<usize>(MC * KC) + <usize>(NC * KC) + <usize>(MR * NR)) << 3;
}

@inline function at(base: usize, idx: usize): usize {
  return base + (idx << 3);
}

function scaleC(len: usize, beta: f64, c: usize): void {
  if (beta == 1.0) return;
  if (beta == 0.0) {
    memory.fill(c, 0, len << 3);
    return;
  }
  const bv = f64x2.splat(beta);
  let i: usize = 0;
  for (; i + 2 <= len; i += 2) v128.store(at(c, i), f64x2.mul(v128.load(at(c, i)), bv));
  for (; i < len; i++) store<f64>(at(c, i), beta * load<f64>(at(c, i)));
}

// op(A)[ic : ic+mc, pc : pc+kc] into MR-row panels: panel q, column p, row ii at pa[q*MR*kc + p*MR + ii].
// Untransposed A is read down its columns (unit stride): reading 4 rows per column across a whole
// panel first would stride by m (4 KiB at m = 512, one cache set) and cost a miss per 32 bytes.
function packA(ta: bool, a: usize, m: i32, k: i32, ic: i32, pc: i32, mc: i32, kc: i32, pa: usize): void {
  if (!ta) {
    const full = mc & ~(MR - 1);
    for (let p: i32 = 0; p < kc; p++) {
      const col = at(a, <usize>ic + <usize>(pc + p) * <usize>m);
      let q: i32 = 0;
      for (; q < full; q += MR) {
        const dst = at(pa, <usize>(q * kc + p * MR));
        const src = at(col, <usize>q);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
      if (q < mc) {
        const dst = at(pa, <usize>(q * kc + p * MR));
        for (let ii: i32 = 0; ii < MR; ii++) store<f64>(at(dst, <usize>ii), q + ii < mc ? load<f64>(at(col, <usize>(q + ii))) : 0.0);
      }
    }
    return;
  }
  // op(A)(i, p) = A[p + i k]: row i of op(A) is a column of A (unit stride in p).
  for (let q: i32 = 0; q < mc; q += MR) {
    const mr = min(MR, mc - q);
    const base = at(pa, <usize>(q * kc));
    const i0 = ic + q;
    for (let ii: i32 = 0; ii < MR; ii++) {
      if (ii < mr) {
        const src = at(a, <usize>pc + <usize>(i0 + ii) * <usize>k);
        for (let p: i32 = 0; p < kc; p++) store<f64>(at(base, <usize>(p * MR + ii)), load<f64>(at(src, <usize>p)));
      } else {
        for (let p: i32 = 0; p < kc; p++) store<f64>(at(base, <usize>(p * MR + ii)), 0.0);
      }
    }
  }
}

// op(B)[pc : pc+kc, jc : jc+nc] into NR-column panels: panel q, row p, column jj at pb[q*NR*kc + p*NR + jj].
function packB(tb: bool, b: usize, k: i32, n: i32, pc: i32, jc: i32, kc: i32, nc: i32, pb: usize): void {
  for (let q: i32 = 0; q < nc; q += NR) {
    const nr = min(NR, nc - q);
    const base = at(pb, <usize>(q * kc));
    const j0 = jc + q;
    if (tb && nr == NR) {
      // op(B)(p, j) = B[j + p n]: four consecutive entries per row p.
      for (let p: i32 = 0; p < kc; p++) {
        const src = at(b, <usize>j0 + <usize>(pc + p) * <usize>n);
        const dst = at(base, <usize>(p * NR));
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let jj: i32 = 0; jj < NR; jj++) {
      if (jj >= nr) {
        for (let p: i32 = 0; p < kc; p++) store<f64>(at(base, <usize>(p * NR + jj)), 0.0);
      } else if (tb) {
        const src = at(b, <usize>(j0 + jj) + <usize>pc * <usize>n);
        for (let p: i32 = 0; p < kc; p++) store<f64>(at(base, <usize>(p * NR + jj)), load<f64>(at(src, <usize>p * <usize>n)));
      } else {
        const src = at(b, <usize>pc + <usize>(j0 + jj) * <usize>k);
        for (let p: i32 = 0; p < kc; p++) store<f64>(at(base, <usize>(p * NR + jj)), load<f64>(at(src, <usize>p)));
      }
    }
  }
}

// C[c + i + j ldc] += alpha sum_p pa[p*4 + i] pb[p*4 + j], i, j < 4 (full tile) or into the edge tile.
function kernel4x4(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, alpha: f64, mr: i32, nr: i32, edge: usize): void {
  let c0l = f64x2.splat(0.0), c0h = f64x2.splat(0.0);
  let c1l = f64x2.splat(0.0), c1h = f64x2.splat(0.0);
  let c2l = f64x2.splat(0.0), c2h = f64x2.splat(0.0);
  let c3l = f64x2.splat(0.0), c3h = f64x2.splat(0.0);
  for (let p: i32 = 0; p < kc; p++) {
    const al = v128.load(pa);
    const ah = v128.load(pa, 16);
    let bv = v128.load64_splat(pb);
    c0l = f64x2.add(c0l, f64x2.mul(al, bv));
    c0h = f64x2.add(c0h, f64x2.mul(ah, bv));
    bv = v128.load64_splat(pb, 8);
    c1l = f64x2.add(c1l, f64x2.mul(al, bv));
    c1h = f64x2.add(c1h, f64x2.mul(ah, bv));
    bv = v128.load64_splat(pb, 16);
    c2l = f64x2.add(c2l, f64x2.mul(al, bv));
    c2h = f64x2.add(c2h, f64x2.mul(ah, bv));
    bv = v128.load64_splat(pb, 24);
    c3l = f64x2.add(c3l, f64x2.mul(al, bv));
    c3h = f64x2.add(c3h, f64x2.mul(ah, bv));
    pa += 32;
    pb += 32;
  }
  if (alpha != 1.0) {
    const av = f64x2.splat(alpha);
    c0l = f64x2.mul(c0l, av); c0h = f64x2.mul(c0h, av);
    c1l = f64x2.mul(c1l, av); c1h = f64x2.mul(c1h, av);
    c2l = f64x2.mul(c2l, av); c2h = f64x2.mul(c2h, av);
    c3l = f64x2.mul(c3l, av); c3h = f64x2.mul(c3h, av);
  }
  if (mr == MR && nr == NR) {
    const s = ldc << 3;
    let o = c;
    v128.store(o, f64x2.add(v128.load(o), c0l)); v128.store(o, f64x2.add(v128.load(o, 16), c0h), 16);
    o += s;
    v128.store(o, f64x2.add(v128.load(o), c1l)); v128.store(o, f64x2.add(v128.load(o, 16), c1h), 16);
    o += s;
    v128.store(o, f64x2.add(v128.load(o), c2l)); v128.store(o, f64x2.add(v128.load(o, 16), c2h), 16);
    o += s;
    v128.store(o, f64x2.add(v128.load(o), c3l)); v128.store(o, f64x2.add(v128.load(o, 16), c3h), 16);
    return;
  }
  v128.store(edge, c0l); v128.store(edge, c0h, 16);
  v128.store(edge, c1l, 32); v128.store(edge, c1h, 48);
  v128.store(edge, c2l, 64); v128.store(edge, c2h, 80);
  v128.store(edge, c3l, 96); v128.store(edge, c3h, 112);
  for (let jj: i32 = 0; jj < nr; jj++) {
    for (let ii: i32 = 0; ii < mr; ii++) {
      const dst = at(c, <usize>ii + <usize>jj * ldc);
      store<f64>(dst, load<f64>(dst) + load<f64>(at(edge, <usize>(ii + jj * MR))));
    }
  }
}

/**
 * C <- alpha op(A) op(B) + beta C. A stored m x k (k x m when ta), B stored k x n (n x k when tb),
 * C m x n, all column-major at byte offsets a, b, c; work: packBytes() bytes of scratch.
 */
export function gemm(ta: bool, tb: bool, m: i32, n: i32, k: i32, alpha: f64, a: usize, b: usize, beta: f64, c: usize, work: usize): void {
  scaleC(<usize>m * <usize>n, beta, c);
  if (m == 0 || n == 0 || k == 0 || alpha == 0.0) return;
  const pa = work;
  const pb = at(work, <usize>(MC * KC));
  const edge = at(pb, <usize>(NC * KC));
  for (let jc: i32 = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc: i32 = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(tb, b, k, n, pc, jc, kc, nc, pb);
      for (let ic: i32 = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(ta, a, m, k, ic, pc, mc, kc, pa);
        for (let jp: i32 = 0; jp < nc; jp += NR) {
          const nr = min(NR, nc - jp);
          const bOff = at(pb, <usize>(jp * kc));
          for (let ip: i32 = 0; ip < mc; ip += MR) {
            const mr = min(MR, mc - ip);
            const cOff = at(c, <usize>(ic + ip) + <usize>(jc + jp) * <usize>m);
            kernel4x4(kc, at(pa, <usize>(ip * kc)), bOff, cOff, <usize>m, alpha, mr, nr, edge);
          }
        }
      }
    }
  }
}

/** y <- alpha op(A) x + beta y with A stored m x n column-major (op(A) = A^T when t). */
export function gemv(t: bool, m: i32, n: i32, alpha: f64, a: usize, x: usize, beta: f64, y: usize): void {
  const ly: usize = t ? <usize>n : <usize>m;
  scaleC(ly, beta, y);
  if (alpha == 0.0) return;
  const um = <usize>m;
  if (t) {
    for (let j: i32 = 0; j < n; j++) {
      const col = at(a, <usize>j * um);
      let s0 = f64x2.splat(0.0), s1 = f64x2.splat(0.0);
      let i: usize = 0;
      for (; i + 4 <= um; i += 4) {
        s0 = f64x2.add(s0, f64x2.mul(v128.load(at(col, i)), v128.load(at(x, i))));
        s1 = f64x2.add(s1, f64x2.mul(v128.load(at(col, i), 16), v128.load(at(x, i), 16)));
      }
      const s2 = f64x2.add(s0, s1);
      let s = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
      for (; i < um; i++) s += load<f64>(at(col, i)) * load<f64>(at(x, i));
      const dst = at(y, <usize>j);
      store<f64>(dst, load<f64>(dst) + alpha * s);
    }
  } else {
    for (let j: i32 = 0; j < n; j++) {
      const col = at(a, <usize>j * um);
      const xj = alpha * load<f64>(at(x, <usize>j));
      const xv = f64x2.splat(xj);
      let i: usize = 0;
      for (; i + 2 <= um; i += 2) v128.store(at(y, i), f64x2.add(v128.load(at(y, i)), f64x2.mul(v128.load(at(col, i)), xv)));
      for (; i < um; i++) store<f64>(at(y, i), load<f64>(at(y, i)) + load<f64>(at(col, i)) * xj);
    }
  }
}
