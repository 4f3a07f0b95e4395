/**
 * Golden two-layer derivation documents (docs/derivations/two-layer-*.{md,tex}): regenerated and
 * compared byte for byte; `UPDATE_GOLDEN=1 npx jest test/derivation/two-layer-golden.test.ts` rewrites
 * them. Every math segment of the LaTeX files is parsed by KaTeX.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveDocument, renderDocument } from '../../src/derivation/registry.js';
import type { DeriveRequest } from '../../src/derivation/request.js';
import { expectKatexMath, GOLDEN_DIR, UPDATE_GOLDEN } from '../support/golden.js';

const DIR = GOLDEN_DIR;
const UPDATE = UPDATE_GOLDEN;

const ENTRIES: { name: string; request: DeriveRequest; command: string }[] = [
  { name: 'two-layer-quadratic', request: { architecture: 'two-layer', widths: [2, 2, 1] }, command: 'dln-hessian derive --arch two-layer --widths 2,2,1' },
  { name: 'two-layer-relu-ce', request: { architecture: 'two-layer', modelSource: 'docs/examples/two-layer-relu-ce.json' }, command: 'dln-hessian derive --arch two-layer --model docs/examples/two-layer-relu-ce.json' },
];

describe('two-layer derivation documents (golden files)', () => {
  for (const entry of ENTRIES) {
    test(entry.name, () => {
      const result = deriveDocument(entry.request);
      expect(result.failures).toEqual([]);
      expect(result.rows.length).toBeGreaterThanOrEqual(4);
      expect(result.document.blocks.some((b) => b.kind === 'code' && b.text === entry.command)).toBe(true);
      for (const format of ['md', 'tex'] as const) {
        const text = renderDocument(result.document, format);
        const path = join(DIR, `${entry.name}.${format}`);
        if (UPDATE) writeFileSync(path, text);
        else {
          expect(existsSync(path)).toBe(true);
          expect(text).toBe(readFileSync(path, 'utf8'));
        }
        if (format === 'tex') {
          expectKatexMath(text, 20);
        }
      }
    }, 30_000);
  }

  test('bad requests: a deep-linear model, a wrong depth', () => {
    expect(() => deriveDocument({ architecture: 'two-layer', modelSource: 'example:scalar-chain-2' })).toThrow(/needs a two-layer model file/);
    expect(() => deriveDocument({ architecture: 'two-layer', depth: 3 })).toThrow(/has depth 2/);
  });
});
