/** Test support for golden documents (docs/derivations/): where they are, and their math checked by KaTeX. */
import { join } from 'node:path';

/** docs/derivations/, where the golden documents live. */
export const GOLDEN_DIR = join(__dirname, '..', '..', 'docs', 'derivations');

/** `UPDATE_GOLDEN=1`: rewrite the golden files instead of comparing. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** The math segments of a LaTeX document: `$…$` and `\[…\]` (escaped `\$` in text skipped). */
export function mathSegments(tex: string): string[] {
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

/** Expects more than `minSegments` math segments in `tex`, each rendered by KaTeX without error. */
export function expectKatexMath(tex: string, minSegments: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const katex = require('katex') as { renderToString(tex: string, options: { throwOnError: boolean; displayMode: boolean }): string };
  const segments = mathSegments(tex);
  expect(segments.length).toBeGreaterThan(minSegments);
  for (const m of segments) expect(() => katex.renderToString(m, { throwOnError: true, displayMode: true })).not.toThrow();
}
