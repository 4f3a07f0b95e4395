/**
 * The document model of a derivation: headings, paragraphs with inline formulas, display
 * formulas, chains of checked equalities, lists and tables. Renderers turn it into Markdown
 * ({@link ./markdown.js}), LaTeX ({@link ./latex.js}) and a self-contained HTML page ({@link ./html.js}).
 *
 * Every formula carries its LaTeX and a plain Unicode form, so each output shows the same formula.
 */
import type { Expr } from './expr.js';
import { toMarkdown, toTex } from './render.js';

/** A formula: LaTeX (math mode) and plain Unicode text. */
export interface Formula {
  readonly tex: string;
  readonly text: string;
}

/** Inline content of a paragraph, list item or table cell. */
export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'math'; readonly formula: Formula }
  | { readonly kind: 'strong'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  /** A line break (inside a table cell). */
  | { readonly kind: 'break' }
  /**
   * A computed value (a number, a matrix, a polynomial): math in LaTeX, a code span in Markdown, and
   * plain HTML in the page (a grid of entries for a matrix), not a KaTeX formula, which keeps
   * tables of exact matrices light.
   */
  | { readonly kind: 'value'; readonly formula: Formula; readonly grid?: readonly (readonly string[])[] };

/** One line of an equality chain: `relation rhs` with the reason. */
export interface ChainStep {
  readonly relation: '=' | '≤' | '≥';
  readonly rhs: Formula;
  /** Why the step holds (shown after the formula); absent for no comment. */
  readonly why?: Formula;
}

/** A block of a document. */
export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly content: readonly Inline[] }
  | { readonly kind: 'display'; readonly formula: Formula }
  | { readonly kind: 'chain'; readonly lhs: Formula; readonly steps: readonly ChainStep[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly (readonly Inline[])[])[] }
  | { readonly kind: 'code'; readonly text: string };

/** A whole document. */
export interface DerivationDocument {
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** A formula from a tree. */
export function formulaOf(e: Expr): Formula {
  return { tex: toTex(e), text: toMarkdown(e) };
}

/** A formula from LaTeX and text written by hand. */
export function formula(tex: string, text: string): Formula {
  return { tex, text };
}

/** Parts of inline content: strings are text, trees and formulas are inline math. */
export type InlinePart = string | Expr | Formula | Inline;

function isFormula(x: object): x is Formula {
  return 'tex' in x && 'text' in x && !('kind' in x);
}

function isInline(x: object): x is Inline {
  return 'kind' in x && (x.kind === 'text' || x.kind === 'math' || x.kind === 'strong' || x.kind === 'code' || x.kind === 'value' || x.kind === 'break');
}

/** Inline content from parts. */
export function inline(...parts: InlinePart[]): Inline[] {
  return parts.map((p): Inline => {
    if (typeof p === 'string') return { kind: 'text', text: p };
    if (isFormula(p)) return { kind: 'math', formula: p };
    if (isInline(p)) return p;
    return { kind: 'math', formula: formulaOf(p) };
  });
}

/** A paragraph from parts. */
export function paragraph(...parts: InlinePart[]): Block {
  return { kind: 'paragraph', content: inline(...parts) };
}

/** Bold text. */
export function strong(text: string): Inline {
  return { kind: 'strong', text };
}

/** A line break inside a table cell. */
export const LINE_BREAK: Inline = { kind: 'break' };

/** Literal code (a command, a file name). */
export function code(text: string): Inline {
  return { kind: 'code', text };
}

/** A computed value (see the `value` inline); `grid` holds a matrix's entries row by row. */
export function valueInline(f: Formula, grid?: readonly (readonly string[])[]): Inline {
  return grid === undefined ? { kind: 'value', formula: f } : { kind: 'value', formula: f, grid };
}

/** A display formula. */
export function display(f: Expr | Formula): Block {
  return { kind: 'display', formula: isFormula(f) ? f : formulaOf(f) };
}

/** A heading. */
export function heading(level: 1 | 2 | 3, text: string): Block {
  return { kind: 'heading', level, text };
}

/** A bulleted list. */
export function list(...items: Inline[][]): Block {
  return { kind: 'list', items };
}

/** Number of formulas a document shows (inline and display, not computed values), i.e. the number of KaTeX renderings of the HTML page. */
export function countFormulas(doc: DerivationDocument): number {
  const inl = (xs: readonly Inline[]): number => xs.filter((x) => x.kind === 'math').length;
  let n = 0;
  for (const b of doc.blocks) {
    if (b.kind === 'paragraph') n += inl(b.content);
    else if (b.kind === 'display' || b.kind === 'chain') n += 1;
    else if (b.kind === 'list') n += b.items.reduce((s, it) => s + inl(it), 0);
    else if (b.kind === 'table') n += b.rows.reduce((s, r) => s + r.reduce((t, c) => t + inl(c), 0), 0);
  }
  return n;
}

/** The chain as one LaTeX `aligned` environment: `lhs &= s_1 \qquad \text{…} \\ &= s_2 …`. */
export function chainTex(b: Extract<Block, { kind: 'chain' }>): string {
  const rel = (r: ChainStep['relation']): string => (r === '=' ? '=' : r === '≤' ? '\\le' : '\\ge');
  const lines = b.steps.map((s, k) => `${k === 0 ? b.lhs.tex : ''} &${rel(s.relation)} ${s.rhs.tex}${s.why !== undefined ? ` \\qquad ${s.why.tex}` : ''}`);
  return `\\begin{aligned}\n${lines.join(' \\\\\n')}\n\\end{aligned}`;
}
