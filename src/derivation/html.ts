/**
 * A self-contained HTML page for a {@link DerivationDocument}: every formula rendered on the server
 * with KaTeX (`renderToString`, no scripts in the page), KaTeX's stylesheet and fonts inlined
 * (see {@link selfContainedKatexCss}). The page shows correctly offline.
 *
 * KaTeX is loaded on first use. A formula KaTeX cannot parse is a bug of the generator: rendering
 * runs with `throwOnError: false` and the output is then searched for `katex-error` elements, which
 * are reported together, with their LaTeX.
 */
import { chainTex, type Block, type DerivationDocument, type Inline } from './document.js';
import { selfContainedKatexCss } from './katex-assets.js';

type RenderToString = (tex: string, options: { displayMode: boolean; throwOnError: boolean; output: 'html'; strict: 'ignore' }) => string;

let katexRender: RenderToString | undefined;

function loadKatex(): RenderToString {
  if (katexRender === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const katex = require('katex') as { renderToString: RenderToString };
    katexRender = (tex, options) => katex.renderToString(tex, options);
  }
  return katexRender;
}

/** A formula KaTeX could not render. */
export class KatexRenderError extends Error {
  constructor(readonly formulas: readonly string[]) {
    super(`KaTeX could not render ${formulas.length} formula(s): ${formulas.map((f) => JSON.stringify(f)).join('; ')}`);
    this.name = 'KatexRenderError';
  }
}

/** HTML-escapes text. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Typographic minus for numbers shown as text. */
function numberHtml(s: string): string {
  return escapeHtml(s).replace(/(^|[\s([,])-/g, '$1−');
}

/** A computed value as HTML: a bracketed grid of entries for a matrix, plain text otherwise. */
function valueHtml(text: string, grid: readonly (readonly string[])[] | undefined): string {
  if (grid === undefined) return `<span class="num">${numberHtml(text)}</span>`;
  const rows = grid.map((r) => `<tr>${r.map((x) => `<td>${numberHtml(x)}</td>`).join('')}</tr>`).join('');
  return `<table class="mat">${rows}</table>`;
}

const PAGE_CSS = `
body{margin:0;background:#fafafa;color:#1a1a1a;font:16px/1.55 Georgia,'Times New Roman',serif}
main{max-width:72rem;margin:0 auto;padding:2rem 2.5rem 4rem;background:#fff}
h1{font-size:1.7rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.3rem;margin:2.2rem 0 .6rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.1rem;margin:1.6rem 0 .4rem}
p{margin:.6rem 0}
.display{overflow-x:auto;overflow-y:hidden;margin:.8rem 0}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
.table-wrap{overflow-x:auto}
td code{font-size:.78em;color:#555}
th,td{border:1px solid #ccc;padding:.35rem .55rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}
td.ok{color:#11661f;font-weight:bold}
td.bad{color:#a30000;font-weight:bold}
table.mat{display:inline-table;border-collapse:separate;border-spacing:0;margin:0;border-left:1.5px solid #333;border-right:1.5px solid #333;border-radius:3px;font-size:.85rem;vertical-align:middle}
table.mat td{border:none;padding:.05rem .45rem;text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.num{font-variant-numeric:tabular-nums}
code,pre{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.88em}
pre{background:#f4f4f4;padding:.6rem .8rem;overflow-x:auto}
`;

/** The document as one HTML page (ends with a newline). */
export function renderHtml(doc: DerivationDocument): string {
  const render = loadKatex();
  const failed: string[] = [];
  const math = (tex: string, displayMode: boolean): string => {
    const out = render(tex, { displayMode, throwOnError: false, output: 'html', strict: 'ignore' });
    if (out.includes('katex-error')) failed.push(tex);
    return out;
  };
  const inl = (xs: readonly Inline[]): string =>
    xs
      .map((x) => {
        switch (x.kind) {
          case 'text':
            return escapeHtml(x.text);
          case 'strong':
            return `<strong>${escapeHtml(x.text)}</strong>`;
          case 'code':
            return `<code>${escapeHtml(x.text)}</code>`;
          case 'break':
            return '<br>';
          case 'math':
            return math(x.formula.tex, false);
          case 'value':
            return valueHtml(x.formula.text, x.grid);
        }
      })
      .join('');
  const block = (b: Block): string => {
    switch (b.kind) {
      case 'heading':
        return `<h${b.level + 1}>${escapeHtml(b.text)}</h${b.level + 1}>`;
      case 'paragraph':
        return `<p>${inl(b.content)}</p>`;
      case 'display':
        return `<div class="display">${math(b.formula.tex, true)}</div>`;
      case 'chain':
        return `<div class="display">${math(chainTex(b), true)}</div>`;
      case 'list':
        return `<ul>\n${b.items.map((it) => `<li>${inl(it)}</li>`).join('\n')}\n</ul>`;
      case 'table': {
        const head = `<tr>${b.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
        const rows = b.rows.map((r) => `<tr>${r.map((c, k) => {
          const cls = k === r.length - 1 && b.header[k] === 'agrees' ? (c.some((x) => x.kind === 'text' && x.text.startsWith('yes')) ? ' class="ok"' : ' class="bad"') : '';
          return `<td${cls}>${inl(c)}</td>`;
        }).join('')}</tr>`);
        return `<div class="table-wrap"><table>\n${head}\n${rows.join('\n')}\n</table></div>`;
      }
      case 'code':
        return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
    }
  };
  const body = doc.blocks.map(block).join('\n');
  if (failed.length > 0) throw new KatexRenderError(failed);
  const css = selfContainedKatexCss(body);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${css}</style>`,
    `<style>${PAGE_CSS.trim()}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
