import { at, fromColumnMajor, generate, identity, mul, transpose, type Matrix } from '../linalg/matrix.js';
import { parameterCountOfWidths, parameterOffsets, type NetworkPoint } from './point.js';

/** Which parts of the Hessian to assemble. */
export type HessianPart = 'full' | 'gauss-newton' | 'residual';

/**
 * The Hessian blocks `H_{ij} = ∂²L / ∂vec W_i ∂vec W_jᵀ` (0-based `i, j`), each `d_i d_{i−1} × d_j d_{j−1}`
 * in the documentation's 1-based numbering. Closed forms (`docs/math.md §2`), times the loss-scale factor `c`:
 *
 * - Gauss–Newton: `G_{ij} = (B_i Σ B_jᵀ) ⊗ (A_iᵀ A_j)`, entry `((a,b),(p,q)) = (A_iᵀA_j)_{ap} (B_iΣB_jᵀ)_{bq}`.
 * - Residual (from `2⟨R, A_j U_j C_{ji} U_i B_i⟩`, `j > i`, `C_{ji} = W_{j−1}⋯W_{i+1}`):
 *   `H^R_{ji}` entry `((a,b),(p,q)) = (A_jᵀ R B_iᵀ)_{aq} (C_{ji})_{bp}`, `H^R_{ij} = (H^R_{ji})ᵀ`, zero on the diagonal.
 *
 * Row/column `(a, b)` of a block is the column-major index `a + b·d_i` of entry `(a, b)` of `W_i`.
 */
export function hessianBlocks<S>(pt: NetworkPoint<S>, part: HessianPart = 'full'): Matrix<S>[][] {
  const F = pt.F;
  const N = pt.depth;
  const terms = blockTerms(pt, part);
  const grid: Matrix<S>[][] = [];
  for (let i = 0; i < N; i++) {
    const row: Matrix<S>[] = [];
    for (let j = 0; j < N; j++) {
      const rows = layerSize(pt, i);
      const cols = layerSize(pt, j);
      const data = new Array<S>(rows * cols).fill(F.zero);
      // Blocks below the diagonal are transposes of those above it.
      const acc = fieldAccumulator(F, data);
      if (i <= j) writeBlock(pt, terms, i, j, acc, rows, 0, 0, false);
      else writeBlock(pt, terms, j, i, acc, rows, 0, 0, true);
      row.push(fromColumnMajor(rows, cols, data));
    }
    grid.push(row);
  }
  return grid;
}

/** Number of parameters of layer `i` (0-based): `d_{i+1} d_i`. */
function layerSize<S>(pt: NetworkPoint<S>, i: number): number {
  return (pt.widths[i + 1] as number) * (pt.widths[i] as number);
}

/** The small factors of every block, computed once: `c·A_iᵀA_j`, `B_iΣB_jᵀ`, `c·A_jᵀRB_iᵀ`, `C_{ji}`. */
interface BlockTerms<S> {
  readonly withGN: boolean;
  readonly withResidual: boolean;
  /** `SB[j] = Σ B_jᵀ` (or `B_jᵀ` for DMF). */
  readonly SB: readonly Matrix<S>[];
}

function blockTerms<S>(pt: NetworkPoint<S>, part: HessianPart): BlockTerms<S> {
  const F = pt.F;
  const SB = pt.B.map((Bj) => (pt.sigma === null ? transpose(Bj) : mul(F, pt.sigma, transpose(Bj))));
  return { withGN: part !== 'residual', withResidual: part !== 'gauss-newton', SB };
}

/**
 * Writes block `(i, j)`, `i ≤ j` (or its transpose, block `(j, i)`, when `transposed`) into the
 * column-major array `dest` with leading dimension `ld`, at row `r0` and column `c0`:
 * `c (B_iΣB_jᵀ) ⊗ (A_iᵀA_j)` plus, for `j > i`, the residual block `(H^R_{ji})ᵀ` whose entry
 * `((p,q),(a,b))` of `H^R_{ji}` is `c (A_jᵀ R B_iᵀ)_{pb} (C_{ji})_{qa}`.
 */
function writeBlock<S>(pt: NetworkPoint<S>, t: BlockTerms<S>, i: number, j: number, acc: Accumulate<S>, ld: number, r0: number, c0: number, transposed: boolean): void {
  const F = pt.F;
  const di = pt.widths[i + 1] as number;
  const dim1 = pt.widths[i] as number;
  const dj = pt.widths[j + 1] as number;
  const djm1 = pt.widths[j] as number;
  // Destination index of entry (r, s) of block (i, j): transposed blocks swap the roles of r and s.
  const rowStride = transposed ? ld : 1;
  const colStride = transposed ? 1 : ld;
  const base = r0 + c0 * ld;
  if (t.withGN) {
    const cAtA = scaled(pt, mul(F, transpose(pt.A[i] as Matrix<S>), pt.A[j] as Matrix<S>)); // d_i × d_j
    const BSB = mul(F, pt.B[i] as Matrix<S>, t.SB[j] as Matrix<S>); // d_{i−1} × d_{j−1}
    const Z = cAtA.data;
    for (let q = 0; q < djm1; q++)
      for (let p = 0; p < dj; p++) {
        const col = base + (p + q * dj) * colStride;
        for (let b = 0; b < dim1; b++) {
          const y = at(BSB, b, q);
          if (F.isZero(y)) continue;
          for (let a = 0; a < di; a++) {
            acc(col + (a + b * di) * rowStride, Z[a + p * di] as S, y);
          }
        }
      }
  }
  if (t.withResidual && j > i) {
    // X = c A_jᵀ R B_iᵀ (d_j × d_{i−1}); C_{ji} = W_{j−1} ⋯ W_{i+1} (1-based), the identity when j = i + 1.
    const X = scaled(pt, mul(F, mul(F, transpose(pt.A[j] as Matrix<S>), pt.R), transpose(pt.B[i] as Matrix<S>)));
    let C = identity(F, di);
    for (let k = i + 1; k < j; k++) C = mul(F, pt.weights[k] as Matrix<S>, C);
    // Entry ((a,b) of W_i, (p,q) of W_j) = X_{pb} C_{qa}.
    for (let q = 0; q < djm1; q++)
      for (let p = 0; p < dj; p++) {
        const col = base + (p + q * dj) * colStride;
        for (let b = 0; b < dim1; b++) {
          const x = at(X, p, b);
          if (F.isZero(x)) continue;
          for (let a = 0; a < di; a++) {
            acc(col + (a + b * di) * rowStride, x, at(C, q, a));
          }
        }
      }
  }
}

/** `c·M` (skipped when `c = 1`). */
function scaled<S>(pt: NetworkPoint<S>, M: Matrix<S>): Matrix<S> {
  const F = pt.F;
  return F.eq(pt.c, F.one) ? M : generate(M.rows, M.cols, (a, b) => F.mul(pt.c, at(M, a, b)));
}

/**
 * Receives one term `a·b` of entry `k` (column-major index) of the Hessian. Every entry is a sum of at
 * most two such terms (its Gauss–Newton product and, off the diagonal blocks, one residual product).
 */
export type Accumulate<S> = (k: number, a: S, b: S) => void;

function fieldAccumulator<S>(F: NetworkPoint<S>['F'], dest: S[]): Accumulate<S> {
  return (k, a, b) => {
    dest[k] = F.add(dest[k] as S, F.mul(a, b));
  };
}

/**
 * Feeds every term of the dense Hessian (or one of its parts) of order `n` = the parameter count to
 * `acc`, and returns `n`: the closed forms of {@link hessianBlocks} for arithmetic that keeps its own
 * storage (e.g. the verified interval Hessian of `sharpness --exact`).
 */
export function accumulateHessian<S>(pt: NetworkPoint<S>, part: HessianPart, acc: Accumulate<S>): number {
  const n = parameterCountOfWidths(pt.widths);
  const offsets = parameterOffsets(pt.widths);
  const terms = blockTerms(pt, part);
  for (let i = 0; i < pt.depth; i++)
    for (let j = i; j < pt.depth; j++) {
      writeBlock(pt, terms, i, j, acc, n, offsets[i] as number, offsets[j] as number, false);
      if (j > i) writeBlock(pt, terms, i, j, acc, n, offsets[j] as number, offsets[i] as number, true);
    }
  return n;
}

function assemble<S>(pt: NetworkPoint<S>, part: HessianPart): Matrix<S> {
  const n = parameterCountOfWidths(pt.widths);
  const data = new Array<S>(n * n).fill(pt.F.zero);
  accumulateHessian(pt, part, fieldAccumulator(pt.F, data));
  return fromColumnMajor(n, n, data);
}

/** The full Hessian `∇²L` (Gauss–Newton plus residual part) as one dense symmetric matrix over θ. */
export function hessian<S>(pt: NetworkPoint<S>): Matrix<S> {
  return assemble(pt, 'full');
}

/** The Gauss–Newton part `G = c JᵀΣ̃J` alone (equal to the Hessian at zero-loss points). */
export function gaussNewton<S>(pt: NetworkPoint<S>): Matrix<S> {
  return assemble(pt, 'gauss-newton');
}

/** The residual part `H − G` alone (zero diagonal blocks; zero at zero-loss points). */
export function residualPart<S>(pt: NetworkPoint<S>): Matrix<S> {
  return assemble(pt, 'residual');
}

/** Index of parameter `(layer, row, col)` (all 0-based) in θ. */
export function parameterIndex(widths: readonly number[], layer: number, row: number, col: number): number {
  const offsets = parameterOffsets(widths);
  return (offsets[layer] as number) + row + col * (widths[layer + 1] as number);
}
