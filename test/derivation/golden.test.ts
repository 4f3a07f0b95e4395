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
import { expectKatexMath, GOLDEN_DIR, UPDATE_GOLDEN } from '../support/golden.js';

const DIR = GOLDEN_DIR;
const UPDATE = UPDATE_GOLDEN;

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
          expectKatexMath(text, 100);
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
