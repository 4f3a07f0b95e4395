/**
 * LaTeX rendering of a {@link DerivationDocument}: a standalone `article` (amsmath, amssymb,
 * longtable) with inline `$…$`, display `\[…\]` and equality chains as `aligned` environments.
 * No date or other varying content, so the output is byte-for-byte reproducible.
 */
import { chainTex, type Block, type DerivationDocument, type Inline } from './document.js';

const TEXT_REPLACEMENTS: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '^': '\\^{}',
  '~': '\\~{}',
  '–': '--',
  '—': '---',
  '‘': '`',
  '’': "'",
  '“': '``',
  '”': "''",
  '…': '\\ldots{}',
  '×': '$\\times$',
  '→': '$\\to$',
  '≤': '$\\le$',
  '≥': '$\\ge$',
  '≠': '$\\ne$',
  '§': '\\S{}',
  '½': '$\\frac{1}{2}$',
  'ᵀ': '$^{\\top}$',
  'Σ': '$\\Sigma$',
  'λ': '$\\lambda$',
  'δ': '$\\delta$',
  'η': '$\\eta$',
  '⊗': '$\\otimes$',
  '⪰': '$\\succeq$',
  '·': '$\\cdot$',
  '−': '$-$',
  '′': "'",
  'ℚ': '$\\mathbb{Q}$',
  'ℝ': '$\\mathbb{R}$',
  'σ': '$\\sigma$',
  'ρ': '$\\rho$',
  'τ': '$\\tau$',
  'μ': '$\\mu$',
  'ν': '$\\nu$',
  '⟨': '$\\langle$',
  '⟩': '$\\rangle$',
};

/** Text-mode LaTeX for plain text (special characters escaped; other non-ASCII characters become `?`). */
export function escapeLatexText(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = TEXT_REPLACEMENTS[ch];
    if (r !== undefined) out += r;
    else if (ch.charCodeAt(0) > 126) out += '?';
    else out += ch;
  }
  return out;
}

function inlineTex(xs: readonly Inline[]): string {
  return xs
    .map((x) => {
      switch (x.kind) {
        case 'text':
          return escapeLatexText(x.text);
        case 'strong':
          return `\\textbf{${escapeLatexText(x.text)}}`;
        case 'code':
          return `\\texttt{${escapeLatexText(x.text)}}`;
        case 'break':
          return '\\newline ';
        case 'math':
        case 'value':
          return `$${x.formula.tex}$`;
      }
    })
    .join('');
}

function blockTex(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `\\${b.level === 1 ? 'section' : b.level === 2 ? 'subsection' : 'subsubsection'}*{${escapeLatexText(b.text)}}`;
    case 'paragraph':
      return inlineTex(b.content);
    case 'display':
      return `\\[\n${b.formula.tex}\n\\]`;
    case 'chain':
      return `\\[\n${chainTex(b)}\n\\]`;
    case 'list':
      return `\\begin{itemize}\n${b.items.map((it) => `  \\item ${inlineTex(it)}`).join('\n')}\n\\end{itemize}`;
    case 'table': {
      const cols = b.header.map((_, k) => (k === b.header.length - 1 ? 'p{1.6cm}' : 'p{4.3cm}')).join(' ');
      const head = `${b.header.map((h) => `\\textbf{${escapeLatexText(h)}}`).join(' & ')} \\\\`;
      const rows = b.rows.map((r) => `${r.map(inlineTex).join(' & ')} \\\\`);
      return `{\\small\n\\begin{longtable}{${cols}}\n\\hline\n${head}\n\\hline\n\\endhead\n${rows.join('\n')}\n\\hline\n\\end{longtable}\n}`;
    }
    case 'code':
      return `\\begin{verbatim}\n${b.text}\n\\end{verbatim}`;
  }
}

/** The document as a standalone LaTeX file (ends with a newline). */
export function renderLatex(doc: DerivationDocument): string {
  const preamble = [
    '\\documentclass[11pt]{article}',
    '\\usepackage[utf8]{inputenc}',
    '\\usepackage[T1]{fontenc}',
    '\\usepackage{amsmath,amssymb}',
    '\\usepackage{longtable}',
    '\\usepackage[margin=2.2cm]{geometry}',
    '\\setlength{\\parindent}{0pt}',
    '\\setlength{\\parskip}{0.6em}',
    '\\allowdisplaybreaks',
    `\\title{${escapeLatexText(doc.title)}}`,
    '\\date{}',
    '\\begin{document}',
    '\\maketitle',
  ];
  return `${preamble.join('\n')}\n\n${doc.blocks.map(blockTex).join('\n\n')}\n\n\\end{document}\n`;
}
