/**
 * KaTeX's stylesheet made self-contained: the `@font-face` rules point at the WOFF2 fonts as
 * `data:` URIs, so a page renders offline. Only the font families the rendered formulas can use are
 * embedded (the base family `KaTeX_Main`, plus every family named by a KaTeX rule whose classes all
 * occur in the page), which keeps a page at about a third of the full font set.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface KatexFiles {
  readonly css: string;
  readonly fontDir: string;
}

let files: KatexFiles | undefined;

function katexFiles(): KatexFiles {
  if (files === undefined) {
    const cssPath = require.resolve('katex/dist/katex.min.css');
    files = { css: readFileSync(cssPath, 'utf8'), fontDir: join(dirname(cssPath), 'fonts') };
  }
  return files;
}

/** Class names used in an HTML fragment. */
export function classesIn(html: string): Set<string> {
  const out = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const c of (m[1] ?? '').split(/\s+/)) if (c !== '') out.add(c);
  return out;
}

/** Font families (`KaTeX_*`) that the KaTeX rules can apply to elements with these classes. */
export function usedFontFamilies(css: string, classes: ReadonlySet<string>): Set<string> {
  const families = new Set<string>(['KaTeX_Main']);
  for (const m of css.matchAll(/([^{}@]+)\{([^{}]*)\}/g)) {
    const selectors = m[1] ?? '';
    const decls = m[2] ?? '';
    const fam = /font(?:-family)?:[^;]*?(KaTeX_[A-Za-z0-9]+)/.exec(decls);
    if (fam === null) continue;
    const applies = selectors.split(',').some((sel) => [...sel.matchAll(/\.([A-Za-z0-9_-]+)/g)].every((c) => classes.has(c[1] ?? '')));
    if (applies) families.add(fam[1] as string);
  }
  return families;
}

/** KaTeX's CSS with the needed fonts inlined as WOFF2 `data:` URIs (other `@font-face` rules dropped). */
export function selfContainedKatexCss(renderedHtml: string): string {
  const { css, fontDir } = katexFiles();
  const families = usedFontFamilies(css.replace(/@font-face\{[^}]*\}/g, ''), classesIn(renderedHtml));
  return css.replace(/@font-face\{([^}]*)\}/g, (_all, body: string) => {
    const family = /font-family:([^;]+)/.exec(body)?.[1]?.trim() ?? '';
    if (!families.has(family)) return '';
    const file = /url\(fonts\/([^)]+\.woff2)\)/.exec(body)?.[1];
    if (file === undefined) return '';
    const data = readFileSync(join(fontDir, file)).toString('base64');
    const rest = body.replace(/src:[^;}]*/, `src:url(data:font/woff2;base64,${data}) format("woff2")`);
    return `@font-face{${rest}}`;
  });
}
