/**
 * The `.tex` derivations compile with a real TeX engine (pdflatex from Debian's texlive-latex-base):
 * every golden document in docs/derivations/ (which the golden tests keep byte-identical to what
 * `dln-hessian derive --format tex` writes). CI installs TeX; elsewhere the test is skipped with a
 * note when pdflatex is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const hasTex = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env['CI'] === 'true';
const dir = join(__dirname, '..', '..', 'docs', 'derivations');
const files = readdirSync(dir).filter((f) => f.endsWith('.tex'));

describe('LaTeX derivations compile with pdflatex', () => {
  test('TeX is installed where it is required (CI)', () => {
    if (required) expect(hasTex).toBe(true);
    else if (!hasTex) process.stderr.write('tex-compile: pdflatex not found; install texlive-latex-base to run these tests\n');
    expect(files.length).toBeGreaterThanOrEqual(5);
  });
  (hasTex ? test.each(files) : test.skip.each(files))('%s', (file) => {
    const work = mkdtempSync(join(tmpdir(), 'dln-tex-'));
    try {
      copyFileSync(join(dir, file), join(work, file));
      const out = execFileSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', file], { cwd: work, encoding: 'utf8', timeout: 120_000 });
      expect(out).not.toMatch(/^! /m);
      expect(existsSync(join(work, `${basename(file, '.tex')}.pdf`))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 150_000);
});
