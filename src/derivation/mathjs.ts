/**
 * mathjs, loaded on first use (it takes about 0.6 s to load; documents without a scalar chain do
 * not need it), and the TeX and text forms of its expression trees in this project's notation
 * (`w1` → `w_{1}`, `sigma` → `\sigma`, products with thin spaces).
 */
import type { MathNode } from 'mathjs';

type MathJs = typeof import('mathjs');
let mathjs: MathJs | undefined;

/** The mathjs module. */
export function loadMathjs(): MathJs {
  if (mathjs === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mathjs = require('mathjs') as MathJs;
  }
  return mathjs;
}

const GREEK: Readonly<Record<string, [string, string]>> = {
  sigma: ['\\sigma', 'σ'],
  rho: ['\\rho', 'ρ'],
  tau: ['\\tau', 'τ'],
};

/** TeX of a scalar symbol name: `w12` → `w_{12}`, `sigma` → `\sigma`, others unchanged. */
function symbolTex(name: string): string {
  const w = /^([a-z])(\d+)$/.exec(name);
  if (w !== null) return `${w[1]}_{${w[2]}}`;
  return GREEK[name]?.[0] ?? name;
}

/** LaTeX of a mathjs tree in the document's notation. */
export function mathTex(node: MathNode): string {
  const handler = (n: MathNode): string | undefined => (n.type === 'SymbolNode' ? symbolTex((n as unknown as { name: string }).name) : undefined);
  // Products by juxtaposition (KaTeX counts every \\, as a macro expansion, and big Hessians have thousands).
  return node.toTex({ handler, parenthesis: 'auto', implicit: 'hide' }).replace(/\\cdot/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Plain text of a mathjs tree: `w_1`, `σ`, `^`, `·`. */
export function mathText(node: MathNode): string {
  return node
    .toString({ parenthesis: 'auto' })
    .replace(/\b([a-z])(\d+)\b/g, '$1_$2')
    .replace(/\b(sigma|rho|tau)\b/g, (g) => GREEK[g]?.[1] ?? g)
    .replace(/ \^ /g, '^')
    .replace(/ \* /g, '·');
}
