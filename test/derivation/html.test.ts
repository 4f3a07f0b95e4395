/**
 * The HTML page in headless Chromium (Debian's `chromium` through playwright-core): every formula
 * rendered without a KaTeX error, one `.katex` element per formula of the document, every glyph in
 * a KaTeX font that the page embeds and that loaded, no network request, and a screenshot.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { countFormulas } from '../../src/derivation/document.js';
import { deriveDocument, renderDocument } from '../../src/derivation/registry.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface PageFacts {
  katex: number;
  errors: number;
  missingFonts: string[];
  loadedFamilies: string[];
}

/**
 * Runs in the page (a string, so that this file needs no DOM types): counts KaTeX renderings and
 * errors, and finds text in a KaTeX font family that is not among the loaded font faces.
 */
const PAGE_FACTS = `(async () => {
  await document.fonts.ready;
  const loaded = new Set();
  document.fonts.forEach((f) => { if (f.status === 'loaded') loaded.add(f.family.replace(/["']/g, '')); });
  const missing = new Set();
  document.querySelectorAll('.katex *').forEach((el) => {
    const hasText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent || '').trim() !== '');
    if (!hasText) return;
    const family = (getComputedStyle(el).fontFamily.split(',')[0] || '').trim().replace(/["']/g, '');
    if (family.startsWith('KaTeX_') && !loaded.has(family)) missing.add(family);
  });
  return {
    katex: document.querySelectorAll('.katex').length,
    errors: document.querySelectorAll('.katex-error').length,
    missingFonts: [...missing],
    loadedFamilies: [...loaded].sort(),
  };
})()`;

describe('derivation HTML in headless Chromium', () => {
  let context: BrowserContext | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'dln-derive-html-'));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`headless Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (CI installs it)`);
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dln-chromium-profile-')), { executablePath: CHROMIUM, headless: true, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  const cases = [
    { name: 'dmf-depth3', request: { depth: 3 } },
    { name: 'scalar-chain-depth3', request: { depth: 3, widths: [1, 1, 1, 1] } },
  ];
  for (const { name, request } of cases) {
    test(
      `${name}: every formula renders, fonts are embedded, screenshot`,
      async () => {
        if (context === undefined) throw new Error('no browser');
        const result = deriveDocument(request);
        const html = renderDocument(result.document, 'html');
        const file = join(dir, `${name}.html`);
        writeFileSync(file, html);
        const page = await context.newPage();
        const external: string[] = [];
        await page.route('**/*', async (route) => {
          const url = route.request().url();
          if (url.startsWith('file:') || url.startsWith('data:')) await route.continue();
          else {
            external.push(url);
            await route.abort();
          }
        });
        await page.setViewportSize({ width: 1100, height: 900 });
        await page.goto(`file://${file}`);
        const facts = (await page.evaluate(PAGE_FACTS)) as PageFacts;
        expect(facts.errors).toBe(0);
        expect(facts.katex).toBe(countFormulas(result.document));
        expect(facts.katex).toBeGreaterThan(100);
        expect(facts.missingFonts).toEqual([]);
        expect(facts.loadedFamilies).toContain('KaTeX_Main');
        expect(facts.loadedFamilies).toContain('KaTeX_Math');
        expect(external).toEqual([]);
        const shot = join(dir, `${name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        const png = readFileSync(shot);
        const { width, height } = pngSize(png);
        expect(png.length).toBeGreaterThan(50_000);
        expect(width).toBe(1100);
        expect(height).toBeGreaterThan(3000);
        if (process.env.DERIVE_SCREENSHOT_DIR !== undefined) writeFileSync(join(process.env.DERIVE_SCREENSHOT_DIR, `${name}.png`), png);
        await page.close();
      },
      60_000,
    );
  }
});
