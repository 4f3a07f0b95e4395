/**
 * Markdown rendering of a {@link DerivationDocument} (GitHub-flavoured): display formulas and
 * equality chains as ```` ```math ```` blocks of LaTeX (rendered by GitHub, readable as text
 * elsewhere), inline formulas as code spans in the Unicode notation of `docs/math.md`.
 */
import { chainTex, type Block, type DerivationDocument, type Inline } from './document.js';

function inlineMd(xs: readonly Inline[], inTable: boolean): string {
  const s = xs
    .map((x) => {
      switch (x.kind) {
        case 'text':
          return x.text;
        case 'strong':
          return `**${x.text}**`;
        case 'code':
          return `\`${x.text}\``;
        case 'break':
          return inTable ? '<br>' : '\n';
        case 'math':
        case 'value':
          return `\`${x.formula.text}\``;
      }
    })
    .join('');
  return inTable ? s.replace(/\|/g, '\\|').replace(/\n/g, ' ') : s;
}

function blockMd(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level + 1)} ${b.text}`;
    case 'paragraph':
      return inlineMd(b.content, false);
    case 'display':
      return `\`\`\`math\n${b.formula.tex}\n\`\`\``;
    case 'chain':
      return `\`\`\`math\n${chainTex(b)}\n\`\`\``;
    case 'list':
      return b.items.map((it) => `- ${inlineMd(it, false)}`).join('\n');
    case 'table': {
      const head = `| ${b.header.join(' | ')} |`;
      const rule = `|${b.header.map(() => '---').join('|')}|`;
      const rows = b.rows.map((r) => `| ${r.map((c) => inlineMd(c, true)).join(' | ')} |`);
      return [head, rule, ...rows].join('\n');
    }
    case 'code':
      return `\`\`\`sh\n${b.text}\n\`\`\``;
  }
}

/** The document as Markdown (ends with a newline). */
export function renderMarkdown(doc: DerivationDocument): string {
  return `# ${doc.title}\n\n${doc.blocks.map(blockMd).join('\n\n')}\n`;
}
