/**
 * Rendering of {@link Expr} trees: LaTeX ({@link toTex}) and plain Unicode for Markdown
 * ({@link toMarkdown}, in the notation of `docs/math.md §2`: `(B_i Σ B_jᵀ) ⊗ (A_iᵀA_j)`).
 *
 * Parentheses follow from precedence: sums bind loosest, then Kronecker products, then matrix
 * products; Kronecker operands that are products are parenthesised, as in `docs/math.md`.
 */
import type { Rational } from '../field/rational.js';
import { children, reindex, substituteIndices, type Dim, type Expr, type Size } from './expr.js';
import { ixIsConst, ixShift, ixSubstitute, type Index } from '../symbolic/affine-index.js';

type Flavor = 'tex' | 'text';

const ADD = 1;
const KRON = 2;
const MUL = 3;
const ATOM = 5;

/** The constant difference `a − b` when both have the same variables, else `undefined`. */
function constantGap(a: Index, b: Index): number | undefined {
  const diff = ixSubstitute({ c: a.c - b.c, terms: [...a.terms, ...b.terms.map(([v, k]) => [v, -k] as const)] }, new Map());
  return ixIsConst(diff) ? diff.c : undefined;
}

/** Rendered index: `i+1`, `j−1`, `N`, `3`. */
export function indexText(a: Index, flavor: Flavor): string {
  const minus = flavor === 'tex' ? '-' : '−';
  const parts: string[] = [];
  for (const [v, k] of a.terms) {
    const mag = Math.abs(k) === 1 ? v : `${Math.abs(k)}${v}`;
    if (parts.length === 0) parts.push(k < 0 ? `${minus}${mag}` : mag);
    else parts.push(k < 0 ? `${minus}${mag}` : `+${mag}`);
  }
  if (a.c !== 0 || parts.length === 0) {
    if (parts.length === 0) parts.push(a.c < 0 ? `${minus}${-a.c}` : String(a.c));
    else parts.push(a.c < 0 ? `${minus}${-a.c}` : `+${a.c}`);
  }
  return parts.join('');
}

function subscript(indices: readonly Index[], flavor: Flavor): string {
  if (indices.length === 0) return '';
  const parts = indices.map((a) => indexText(a, flavor));
  const compact = parts.every((p) => p.length === 1);
  const body = compact ? parts.join('') : parts.join(',');
  if (flavor === 'tex') return `_{${body}}`;
  return body.length === 1 ? `_${body}` : `_{${body}}`;
}

function dimText(d: Dim, flavor: Flavor): string {
  if (d.kind === 'literal') return String(d.value);
  if (d.kind === 'samples') return 'n';
  if (d.kind === 'named') return d.name;
  const s = indexText(d.index, flavor);
  if (flavor === 'tex') return `d_{${s}}`;
  return s.length === 1 ? `d_${s}` : `d_{${s}}`;
}

function sizeText(s: Size, flavor: Flavor): string | undefined {
  return s.dim === undefined ? undefined : dimText(s.dim, flavor);
}

function rationalText(q: Rational, flavor: Flavor): string {
  if (flavor === 'tex') return q.toTex();
  return q.toString().replace('-', '−');
}

function precedence(e: Expr, flavor: Flavor): number {
  switch (e.kind) {
    case 'add':
    case 'neg':
    case 'sum':
    case 'pairSum':
    case 'max':
      return ADD;
    case 'kron':
      return KRON;
    case 'mul':
      return MUL;
    case 'num':
      if (e.value.sign() < 0) return ADD;
      return flavor === 'text' && !e.value.isInteger() ? MUL : ATOM;
    case 'chain': {
      const gap = constantGap(e.hi, e.lo);
      return gap !== undefined && gap <= 0 ? ATOM : MUL;
    }
    default:
      return ATOM;
  }
}

/** Whether an expression renders taller than a line (big operators, fractions, block rows), so delimiters around it should grow. */
function tall(e: Expr): boolean {
  switch (e.kind) {
    case 'sum':
    case 'pairSum':
    case 'max':
    case 'frac':
    case 'blockRow':
      return true;
    case 'num':
      return !e.value.isInteger();
    default:
      return children(e).some(tall);
  }
}

/** Whether a term binds to everything on its right (big operators). */
function isBigOperator(e: Expr): boolean {
  return e.kind === 'sum' || e.kind === 'pairSum' || e.kind === 'max';
}

function paren(s: string, flavor: Flavor): string {
  return flavor === 'tex' ? `\\left(${s}\\right)` : `(${s})`;
}

function wrap(e: Expr, minPrec: number, flavor: Flavor, allowBigOperator = false): string {
  const s = render(e, flavor);
  if (allowBigOperator && isBigOperator(e)) return s;
  return precedence(e, flavor) < minPrec ? paren(s, flavor) : s;
}

function chainFactors(e: Extract<Expr, { kind: 'chain' }>): Index[] | undefined {
  const gap = constantGap(e.hi, e.lo);
  if (gap === undefined || gap > 2) return undefined;
  const out: Index[] = [];
  for (let k = gap; k >= 0; k--) out.push(ixShift(e.lo, k));
  return out;
}

function joinFactors(parts: readonly string[], flavor: Flavor): string {
  if (flavor === 'tex') return parts.join(' ');
  let s = '';
  for (const p of parts) {
    if (s !== '' && /[0-9]$/.test(s) && /^[0-9]/.test(p)) s += '·';
    s += p;
  }
  return s;
}

function render(e: Expr, flavor: Flavor): string {
  const tex = flavor === 'tex';
  switch (e.kind) {
    case 'sym':
      return `${tex ? e.tex : e.text}${subscript(e.indices, flavor)}`;
    case 'num':
      return rationalText(e.value, flavor);
    case 'identity': {
      const s = e.show ? sizeText(e.size, flavor) : undefined;
      if (s === undefined) return 'I';
      return tex ? `I_{${s}}` : `I_{${s}}`;
    }
    case 'commutation': {
      const r = sizeText(e.rows, flavor);
      const c = sizeText(e.cols, flavor);
      if (r === undefined || c === undefined) return 'T';
      return `T_{${r},${c}}`;
    }
    case 'mul': {
      const parts = e.factors.map((f, k) => wrap(f, f.kind === 'num' ? MUL + 1 : MUL, flavor, k === e.factors.length - 1));
      return joinFactors(parts, flavor);
    }
    case 'add':
      return e.terms
        .map((t, k) => {
          const last = k === e.terms.length - 1;
          const minus = tex ? '-' : '−';
          if (t.kind === 'neg') {
            const body = wrap(t.arg, ADD + 1, flavor, last);
            return k === 0 ? `${minus}${body}` : ` ${minus} ${body}`;
          }
          if (t.kind === 'num' && t.value.sign() < 0 && k > 0) return ` ${minus} ${rationalText(t.value.neg(), flavor)}`;
          const body = isBigOperator(t) && !last ? paren(render(t, flavor), flavor) : render(t, flavor);
          return k === 0 ? body : ` + ${body}`;
        })
        .join('');
    case 'neg':
      return `${tex ? '-' : '−'}${wrap(e.arg, ADD + 1, flavor, true)}`;
    case 'frac':
      return tex ? `\\frac{${render(e.num, flavor)}}{${render(e.den, flavor)}}` : `(${wrap(e.num, MUL, flavor)}/${wrap(e.den, MUL, flavor)})`;
    case 'transpose': {
      const arg = e.arg.kind === 'transpose' ? paren(render(e.arg, flavor), flavor) : wrap(e.arg, ATOM, flavor);
      // A symbol whose name carries a superscript (H^{R}) is grouped, so that ᵀ is not a second superscript.
      if (tex && e.arg.kind === 'sym' && e.arg.tex.includes('^')) return `{${arg}}^{\\top}`;
      return tex ? `${arg}^{\\top}` : `${arg}ᵀ`;
    }
    case 'kron':
      return `${wrap(e.left, ATOM, flavor)} ${tex ? '\\otimes' : '⊗'} ${wrap(e.right, ATOM, flavor)}`;
    case 'vec':
      if (!tex) return `vec(${render(e.arg, flavor)})`;
      return tall(e.arg) ? `\\operatorname{vec}\\left(${render(e.arg, flavor)}\\right)` : `\\operatorname{vec}(${render(e.arg, flavor)})`;
    case 'trace':
      return tex ? `\\operatorname{tr}(${render(e.arg, flavor)})` : `tr(${render(e.arg, flavor)})`;
    case 'inner': {
      if (!tex) return `⟨${render(e.left, flavor)}, ${render(e.right, flavor)}⟩`;
      const big = tall(e.left) || tall(e.right);
      return big ? `\\left\\langle ${render(e.left, flavor)}, ${render(e.right, flavor)} \\right\\rangle` : `\\langle ${render(e.left, flavor)}, ${render(e.right, flavor)} \\rangle`;
    }
    case 'fro2':
      if (!tex) return `‖${render(e.arg, flavor)}‖_F²`;
      return tall(e.arg) ? `\\left\\| ${render(e.arg, flavor)} \\right\\|_F^2` : `\\|${render(e.arg, flavor)}\\|_F^2`;
    case 'spec2':
      return tex ? `\\|${render(e.arg, flavor)}\\|_2^2` : `‖${render(e.arg, flavor)}‖₂²`;
    case 'lmax':
      return tex ? `\\lambda_{\\max}(${render(e.arg, flavor)})` : `λ_max(${render(e.arg, flavor)})`;
    case 'sum': {
      const body = e.body.kind === 'add' || e.body.kind === 'neg' ? paren(render(e.body, flavor), flavor) : render(e.body, flavor);
      return tex
        ? `\\sum_{${e.index}=${indexText(e.from, flavor)}}^{${indexText(e.to, flavor)}} ${body}`
        : `Σ_{${e.index}=${indexText(e.from, flavor)}}^{${indexText(e.to, flavor)}} ${body}`;
    }
    case 'pairSum': {
      const body = e.body.kind === 'add' || e.body.kind === 'neg' ? paren(render(e.body, flavor), flavor) : render(e.body, flavor);
      const f = indexText(e.from, flavor);
      const t = indexText(e.to, flavor);
      return tex ? `\\sum_{${f} \\le ${e.lo} < ${e.hi} \\le ${t}} ${body}` : `Σ_{${f}≤${e.lo}<${e.hi}≤${t}} ${body}`;
    }
    case 'max': {
      const f = indexText(e.from, flavor);
      const t = indexText(e.to, flavor);
      const body = e.body.kind === 'add' || e.body.kind === 'neg' ? paren(render(e.body, flavor), flavor) : render(e.body, flavor);
      return tex ? `\\max_{${f} \\le ${e.index} \\le ${t}} ${body}` : `max_{${f}≤${e.index}≤${t}} ${body}`;
    }
    case 'chain': {
      const listed = chainFactors(e);
      const at = (k: Index): string => render(reindex(e.symbol, [k, ...e.symbol.indices.slice(1)]), flavor);
      if (listed === undefined) return joinFactors([at(e.hi), tex ? '\\cdots' : '⋯', at(e.lo)], flavor).replace(/ ?⋯ ?/, '⋯');
      if (listed.length === 0) return 'I';
      return joinFactors(listed.map(at), flavor);
    }
    case 'blockRow': {
      const gap = constantGap(e.to, e.from);
      const at = (k: Index): string => render(substituteIndices(e.body, new Map([[e.index, k]])), flavor);
      let items: string[];
      if (gap !== undefined && gap >= 0 && gap <= 3) items = Array.from({ length: gap + 1 }, (_, k) => at(ixShift(e.from, k)));
      else items = [at(e.from), tex ? '\\cdots' : '…', at(e.to)];
      return tex ? `\\begin{bmatrix} ${items.join(' & ')} \\end{bmatrix}` : `[${items.join(', ')}]`;
    }
  }
}

/** LaTeX of an expression (math mode, no delimiters), e.g. `\left(B_{i} \Sigma B_{j}^{\top}\right) \otimes …`. */
export function toTex(e: Expr): string {
  return render(e, 'tex');
}

/** Plain Unicode of an expression in the notation of `docs/math.md`, e.g. `(B_iΣB_jᵀ) ⊗ (A_iᵀA_j)` (for Markdown code spans and terminals). */
export function toMarkdown(e: Expr): string {
  return render(e, 'text');
}
