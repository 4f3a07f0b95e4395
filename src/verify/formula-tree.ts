/**
 * The checked formula tree: each node typed as a scalar or a matrix with a symbolic shape
 * (`d_{i−1} × d_0`, …) whose dimensions are widths at affine indices (src/symbolic/affine-index.ts).
 */
import type { Rational } from '../field/rational.js';
import { ixEqual, ixFormat, type Index } from '../symbolic/affine-index.js';
import type { Span } from './formula-error.js';

/** An affine index naming the width `d_index` (the project's one index algebra, with `N` the depth). */
export type AffineIndex = Index;

/** A matrix dimension: `d_{index}` for an affine index, or `null` when the index is not affine (checked at evaluation). */
export type Dim = AffineIndex | null;

/** The static type of a sub-expression. */
export type FormulaType = { readonly kind: 'scalar' } | { readonly kind: 'matrix'; readonly rows: Dim; readonly cols: Dim };

/** The scalar type. */
export const SCALAR: FormulaType = { kind: 'scalar' };

/** Functions of one matrix argument giving a scalar. */
export type MatrixScalarFunction = 'norm2' | 'fro' | 'trace';
/** The layer-indexed matrices. */
export type LayerMatrix = 'W' | 'A' | 'B';
/** Reductions over the layers `i = 1..N`. */
export type LayerReduction = 'sumLayers' | 'maxLayers' | 'minLayers';

/** A node of a checked formula; `span` is where it stands in the text and `text` its source. */
export type FormulaNode = (
  | { readonly op: 'const'; readonly value: Rational }
  | { readonly op: 'N' }
  | { readonly op: 'var'; readonly name: string }
  | { readonly op: 'M' | 'P' }
  | { readonly op: LayerMatrix; readonly index: FormulaNode }
  | { readonly op: 'd'; readonly index: FormulaNode }
  | { readonly op: 'neg'; readonly arg: FormulaNode }
  | { readonly op: 'add' | 'sub' | 'mul' | 'div' | 'pow'; readonly left: FormulaNode; readonly right: FormulaNode }
  | { readonly op: MatrixScalarFunction | 'transpose' | 'abs' | 'sqrt'; readonly arg: FormulaNode }
  | { readonly op: 'sigma'; readonly arg: FormulaNode; readonly k: FormulaNode }
  | { readonly op: 'max' | 'min'; readonly args: readonly FormulaNode[] }
  | { readonly op: LayerReduction; readonly variable: string; readonly body: FormulaNode }
) & { readonly type: FormulaType; readonly span: Span; readonly text: string };

/** A parsed and checked formula. */
export interface Formula {
  /** The text as given. */
  readonly source: string;
  readonly root: FormulaNode;
}

/** Names with a meaning in formulas (quantities and functions). */
export const FORMULA_SYMBOLS = ['N', 'M', 'P'] as const;
export const FORMULA_FUNCTIONS = [
  'd',
  'W',
  'A',
  'B',
  'norm2',
  'fro',
  'sigma',
  'trace',
  'transpose',
  'abs',
  'sqrt',
  'max',
  'min',
  'sumLayers',
  'maxLayers',
  'minLayers',
] as const;

/** `N − 1`, `i + 1`, `0`: the affine index as text. */
export function formatAffine(a: AffineIndex): string {
  return ixFormat(a);
}

/** `d_{N - 1}`, `d_0`, or `?` for a dimension only known at evaluation. */
export function formatDim(d: Dim): string {
  if (d === null) return '?';
  const s = ixFormat(d);
  return /^[0-9A-Za-z]+$/.test(s) ? `d_${s}` : `d_{${s}}`;
}

/** `a scalar`, `a d_N×d_0 matrix`. */
export function formatType(t: FormulaType): string {
  return t.kind === 'scalar' ? 'a scalar' : `a ${formatDim(t.rows)}×${formatDim(t.cols)} matrix`;
}

/** Whether two dimensions are known to differ (both affine and not the same expression). */
export function dimsConflict(a: Dim, b: Dim): boolean {
  return a !== null && b !== null && !ixEqual(a, b);
}

/** The children of a checked node, in order. */
export function formulaChildren(node: FormulaNode): readonly FormulaNode[] {
  switch (node.op) {
    case 'W':
    case 'A':
    case 'B':
    case 'd':
      return [node.index];
    case 'neg':
    case 'norm2':
    case 'fro':
    case 'trace':
    case 'transpose':
    case 'abs':
    case 'sqrt':
      return [node.arg];
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      return [node.left, node.right];
    case 'sigma':
      return [node.arg, node.k];
    case 'max':
    case 'min':
      return node.args;
    case 'sumLayers':
    case 'maxLayers':
    case 'minLayers':
      return [node.body];
    default:
      return [];
  }
}

