/**
 * The symbols and definitions of a deep linear network's derivation (`docs/math.md §1`):
 * `A_i = W_N ⋯ W_{i+1}`, `B_i = W_{i−1} ⋯ W_1`, `C_{ji} = W_{j−1} ⋯ W_{i+1}`, `P = W_N ⋯ W_1`,
 * `Σ = XXᵀ/n`, `R = P − M` or `(PX − Y)Xᵀ/n`, `δP = Σ_i A_iU_iB_i`, `δ²P = Σ_{i<j} A_jU_jC_{ji}U_iB_i`.
 */
import { mul, num, sym, transpose, type Expr, type SymbolNode } from '../expr.js';
import { ix, ixConst, type Index } from '../../symbolic/affine-index.js';

/** Layer index variables `i`, `j`, `k`, the depth `N`, and the first layer `1`. */
export const i = ix('i');
export const j = ix('j');
export const k = ix('k');
export const N = ix('N');
export const ONE = ixConst(1);

/** `W_a`, the layer `a` (`d_a × d_{a−1}`). */
export const W = (a: Index): SymbolNode => sym('W', [a]);
/** `U_a`, the direction of layer `a` in the expansions. */
export const U = (a: Index): SymbolNode => sym('U', [a]);
/** `A_a = W_N ⋯ W_{a+1}` (output side). */
export const A = (a: Index): SymbolNode => sym('A', [a]);
/** `B_a = W_{a−1} ⋯ W_1` (input side). */
export const B = (a: Index): SymbolNode => sym('B', [a]);
/** `C_{ab} = W_{a−1} ⋯ W_{b+1}` for `a > b`. */
export const C = (a: Index, b: Index): SymbolNode => sym('C', [a, b]);
/** `P = W_N ⋯ W_1`; `M` the DMF target; `X`, `Y` the data; `V` a probe for the operator form of `K`; `R` the residual; `E` the fitting error; `n` the sample count. */
export const P = sym('P');
export const M = sym('M');
export const X = sym('X');
export const Y = sym('Y');
export const V = sym('V');
export const R = sym('R');
export const E = sym('E');
export const n = sym('n', [], { scalar: true });
/** `Σ = XXᵀ/n` (symmetric). */
export const Sigma = sym('Σ', [], { tex: '\\Sigma', text: 'Σ', symmetric: true });
/** `δP = Σ_i A_iU_iB_i` and `δ²P = Σ_{i<j} A_jU_jC_{ji}U_iB_i`, the first- and second-order changes of `P` along `U`. */
export const dP = sym('δP', [], { tex: '\\delta P', text: 'δP' });
export const d2P = sym('δ²P', [], { tex: '\\delta^{2} P', text: 'δ²P' });
/** The Jacobian `J = [B_1ᵀ ⊗ A_1, …]` and the reduced operator `K`. */
export const J = sym('J');
export const K = sym('K', [], { symmetric: true });
/** Hessian blocks: `H_{ab}`, the Gauss–Newton part `G_{ab}` and the residual part `Hᴿ_{ab}`. */
export const H = (a: Index, b: Index): SymbolNode => sym('H', [a, b]);
export const G = (a: Index, b: Index): SymbolNode => sym('G', [a, b]);
export const HR = (a: Index, b: Index): SymbolNode => sym('Hᴿ', [a, b], { tex: 'H^{R}' });
/** Block `j` of the Hessian–vector product, as a matrix shaped like `W_j`. */
export const Hu = (a: Index): SymbolNode => sym('(Hu)', [a], { tex: '(Hu)' });

/** The variant of the network a document is about. */
export interface Variant {
  readonly data: boolean;
  /** The loss-scale factor `c` (1 for `½‖·‖²`, 2 for `‖·‖²`). */
  readonly c: 1 | 2;
}

/** `c · e` (just `e` when `c = 1`). */
export function withC(v: Variant, e: Expr): Expr {
  return v.c === 1 ? e : mul(num(v.c), e);
}

/** `B_i` with data folded in: `B_i Σ` (data) or `B_i`. */
export function rightGram(v: Variant, a: Index, b: Index): Expr {
  return v.data ? mul(B(a), Sigma, transpose(B(b))) : mul(B(a), transpose(B(b)));
}

