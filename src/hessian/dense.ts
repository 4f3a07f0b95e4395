import { at, blocks, fromColumnMajor, generate, identity, mul, transpose, zeros, type Matrix } from '../linalg/matrix.js';
import { parameterOffsets, type NetworkPoint } from './point.js';

/** Which parts of the Hessian to assemble. */
export type HessianPart = 'full' | 'gauss-newton' | 'residual';

/**
 * The Hessian blocks `H_{ij} = ∂²L / ∂vec W_i ∂vec W_jᵀ` (0-based `i, j`), each `d_i d_{i−1} × d_j d_{j−1}`
 * in the documentation's 1-based numbering. Closed forms (MATH.md §2), times the loss-scale factor `c`:
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
  const withGN = part !== 'residual';
  const withResidual = part !== 'gauss-newton';
  const rows = (i: number): number => (pt.widths[i + 1] as number) * (pt.widths[i] as number);
  // Σ-weighted input products B_i Σ B_jᵀ (Σ = I for DMF), computed once per pair.
  const SB = pt.B.map((Bj) => (pt.sigma === null ? transpose(Bj) : mul(F, pt.sigma, transpose(Bj))));
  const grid: Matrix<S>[][] = [];
  for (let i = 0; i < N; i++) {
    const row: Matrix<S>[] = [];
    for (let j = 0; j < N; j++) {
      let block = withGN ? gaussNewtonBlock(pt, i, j, SB[j] as Matrix<S>) : zeros(F, rows(i), rows(j));
      if (withResidual && i !== j) {
        const R = j > i ? transpose(residualBlock(pt, i, j)) : residualBlock(pt, j, i);
        block = fromColumnMajor(block.rows, block.cols, block.data.map((x, k) => F.add(x, R.data[k] as S)));
      }
      row.push(block);
    }
    grid.push(row);
  }
  return grid;
}

/** `c · (B_i Σ B_jᵀ) ⊗ (A_iᵀ A_j)` (`SBj = Σ B_jᵀ`). */
function gaussNewtonBlock<S>(pt: NetworkPoint<S>, i: number, j: number, SBj: Matrix<S>): Matrix<S> {
  const F = pt.F;
  const AtA = mul(F, transpose(pt.A[i] as Matrix<S>), pt.A[j] as Matrix<S>); // d_i × d_j
  const BSB = mul(F, pt.B[i] as Matrix<S>, SBj); // d_{i−1} × d_{j−1}
  const cAtA = F.eq(pt.c, F.one) ? AtA : generate(AtA.rows, AtA.cols, (a, p) => F.mul(pt.c, at(AtA, a, p)));
  return kronEntries(F, BSB, cAtA);
}

/** `Y ⊗ Z` written out (`Y` indexes the column position `b`, `Z` the row position `a`). */
function kronEntries<S>(F: NetworkPoint<S>['F'], Y: Matrix<S>, Z: Matrix<S>): Matrix<S> {
  return generate(Y.rows * Z.rows, Y.cols * Z.cols, (r, s) =>
    F.mul(at(Y, Math.floor(r / Z.rows), Math.floor(s / Z.cols)), at(Z, r % Z.rows, s % Z.cols)),
  );
}

/**
 * The residual block `H^R_{ji}` for `j > i` (rows: `vec W_j`, columns: `vec W_i`), times `c`:
 * entry `((a,b),(p,q)) = c (A_jᵀ R B_iᵀ)_{aq} (C_{ji})_{bp}`.
 */
function residualBlock<S>(pt: NetworkPoint<S>, i: number, j: number): Matrix<S> {
  const F = pt.F;
  const dj = pt.widths[j + 1] as number;
  const djm1 = pt.widths[j] as number;
  const di = pt.widths[i + 1] as number;
  const dim1 = pt.widths[i] as number;
  const X = mul(F, mul(F, transpose(pt.A[j] as Matrix<S>), pt.R), transpose(pt.B[i] as Matrix<S>)); // d_j × d_{i−1}
  // C_{ji} = W_{j−1} ⋯ W_{i+1} (1-based), an identity when j = i + 1.
  let C = identity(F, di);
  for (let k = i + 1; k < j; k++) C = mul(F, pt.weights[k] as Matrix<S>, C);
  const cX = F.eq(pt.c, F.one) ? X : generate(X.rows, X.cols, (a, q) => F.mul(pt.c, at(X, a, q)));
  return generate(dj * djm1, di * dim1, (r, s) => {
    const a = r % dj;
    const b = Math.floor(r / dj);
    const p = s % di;
    const q = Math.floor(s / di);
    return F.mul(at(cX, a, q), at(C, b, p));
  });
}

/** The full Hessian `∇²L` (Gauss–Newton plus residual part) as one dense symmetric matrix over θ. */
export function hessian<S>(pt: NetworkPoint<S>): Matrix<S> {
  return blocks(hessianBlocks(pt, 'full'));
}

/** The Gauss–Newton part `G = c JᵀΣ̃J` alone (equal to the Hessian at zero-loss points). */
export function gaussNewton<S>(pt: NetworkPoint<S>): Matrix<S> {
  return blocks(hessianBlocks(pt, 'gauss-newton'));
}

/** The residual part `H − G` alone (zero diagonal blocks; zero at zero-loss points). */
export function residualPart<S>(pt: NetworkPoint<S>): Matrix<S> {
  return blocks(hessianBlocks(pt, 'residual'));
}

/** Index of parameter `(layer, row, col)` (all 0-based) in θ. */
export function parameterIndex(widths: readonly number[], layer: number, row: number, col: number): number {
  const offsets = parameterOffsets(widths);
  return (offsets[layer] as number) + row + col * (widths[layer + 1] as number);
}
