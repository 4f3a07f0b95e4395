/**
 * Golden files: docs/derivations/ holds generated documents; each is regenerated here and compared
 * byte for byte. `UPDATE_GOLDEN=1 npx jest test/derivation/golden.test.ts` rewrites them instead.
 * Every math segment of the LaTeX files is also parsed by KaTeX (no LaTeX compiler is needed).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GALLERY, galleryIndex } from '../../src/derivation/gallery.js';
import { deriveDocument, renderDocument } from '../../src/derivation/registry.js';
import type { DerivationStats } from '../../src/derivation/result.js';

const DIR = join(__dirname, '..', '..', 'docs', 'derivations');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The math segments of a LaTeX document: `$…$` and `\[…\]` (escaped `\$` in text skipped). */
function mathSegments(tex: string): string[] {
  const out: string[] = [];
  const body = tex.slice(tex.indexOf('\\begin{document}'));
  let k = 0;
  while (k < body.length) {
    if (body.startsWith('\\[', k)) {
      const end = body.indexOf('\\]', k + 2);
      out.push(body.slice(k + 2, end));
      k = end + 2;
    } else if (body[k] === '\\') k += 2;
    else if (body[k] === '$') {
      const end = body.indexOf('$', k + 1);
      out.push(body.slice(k + 1, end));
      k = end + 1;
    } else k++;
  }
  return out;
}

function compare(file: string, text: string): void {
  const path = join(DIR, file);
  if (UPDATE) {
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path)) throw new Error(`${path} is missing: run UPDATE_GOLDEN=1 npx jest test/derivation/golden.test.ts`);
  const golden = readFileSync(path, 'utf8');
  if (golden !== text) {
    const a = golden.split('\n');
    const b = text.split('\n');
    const line = a.findIndex((l, n) => l !== b[n]);
    throw new Error(`${file} differs from the regenerated document at line ${line + 1}:\n  golden:      ${a[line]?.slice(0, 200)}\n  regenerated: ${b[line]?.slice(0, 200)}\n(UPDATE_GOLDEN=1 rewrites the golden files)`);
  }
}

describe('docs/derivations golden files', () => {
  const stats = new Map<string, DerivationStats>();
  for (const entry of GALLERY) {
    test(`${entry.name} (${entry.formats.join(', ')})`, () => {
      const result = deriveDocument(entry.request);
      stats.set(entry.name, result.stats);
      expect(result.failures).toEqual([]);
      expect(result.document.blocks.some((b) => b.kind === 'code' && b.text === entry.command)).toBe(true);
      for (const format of entry.formats) {
        const text = renderDocument(result.document, format);
        compare(`${entry.name}.${format}`, text);
        if (format === 'tex') {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const katex = require('katex') as { renderToString(tex: string, options: { throwOnError: boolean; displayMode: boolean }): string };
          const segments = mathSegments(text);
          expect(segments.length).toBeGreaterThan(100);
          for (const m of segments) expect(() => katex.renderToString(m, { throwOnError: true, displayMode: true })).not.toThrow();
          expect(text).not.toMatch(/\?/);
        }
      }
    }, 30_000);
  }
  test('index.md', () => {
    expect(stats.size).toBe(GALLERY.length);
    compare('index.md', galleryIndex(stats));
  });
});
