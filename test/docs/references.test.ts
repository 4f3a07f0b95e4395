/**
 * The project's mathematics lives in docs/math.md. Every shipped file (src/, docs/, README.md,
 * proofs-checks/, and the tests) refers into the repository: no file names a mathematics page that
 * is not in it, or a path outside it; every `docs/math.md §k` (or `\S{}k` in LaTeX, `section k` in
 * JSON) names a section that exists; every Markdown link to math.md#anchor names a heading of it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MATH = join(ROOT, 'docs', 'math.md');
/** References to material outside the repository (the background file, built from parts so this file does not name it itself). */
const FORBIDDEN = [['MATH', 'md'].join('.'), '../shared', '/work/shared'];
const SELF = relative(ROOT, __filename);

/** Generated or vendored folders that are not part of the source tree. */
const SKIP = new Set(['node_modules', 'dist', 'api', 'coverage', 'bench-results', '.git']);
const TEXT = /\.(ts|js|mjs|md|tex|html|json|svg|py|txt)$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (TEXT.test(name)) out.push(path);
  }
  return out;
}

const SHIPPED = [
  ...['src', 'docs', 'proofs-checks', 'test'].flatMap((d) => files(join(ROOT, d))),
  join(ROOT, 'README.md'),
].filter((p) => relative(ROOT, p) !== SELF);

/** `## k. Title` headings of docs/math.md: number → GitHub anchor. */
function mathSections(): Map<number, string> {
  const sections = new Map<number, string>();
  for (const line of readFileSync(MATH, 'utf8').split('\n')) {
    const m = /^## (\d+)\. (.+)$/.exec(line);
    if (m === null) continue;
    sections.set(Number(m[1]), githubAnchor(`${m[1]}. ${m[2]}`));
  }
  return sections;
}

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
function githubAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every section number a text cites as `docs/math.md §k`, `§k–l`, `§k and §l`, `\S{}k`, `section k`. */
function citedSections(text: string): { numbers: number[]; at: string }[] {
  const out: { numbers: number[]; at: string }[] = [];
  const re = /docs\/math\.md`?\s*(?:§|\\S\{\}|section )(\d+)(?:[–-](\d+))?(?: and §(\d+))?/g;
  for (const m of text.matchAll(re)) {
    const [from, to, also] = [m[1], m[2], m[3]].map((x) => (x === undefined ? undefined : Number(x)));
    const numbers: number[] = [];
    for (let k = from as number; k <= (to ?? (from as number)); k++) numbers.push(k);
    if (also !== undefined) numbers.push(also);
    out.push({ numbers, at: m[0] });
  }
  return out;
}

describe('docs/math.md: the mathematics inside the repository', () => {
  const sections = mathSections();

  test('its sections are numbered 1, 2, … without gaps', () => {
    const numbers = [...sections.keys()];
    expect(numbers.length).toBeGreaterThanOrEqual(9);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(sections.get(1)).toBe('1-conventions');
  });

  test('the citation parser reads single sections, ranges, pairs and the LaTeX form', () => {
    const nums = (s: string): number[][] => citedSections(s).map((c) => c.numbers);
    expect(nums('(docs/math.md §3; arXiv)')).toEqual([[3]]);
    expect(nums('`docs/math.md §1–3`')).toEqual([[1, 2, 3]]);
    expect(nums('conventions of docs/math.md §1 and §5,')).toEqual([[1, 5]]);
    expect(nums('docs/math.md \\S{}3: $W$')).toEqual([[3]]);
    expect(nums('"docs/math.md section 6: …"')).toEqual([[6]]);
    expect(nums('`docs/math.md` §2')).toEqual([[2]]);
  });

  test('no shipped file refers to a mathematics file outside the repository', () => {
    const offending: string[] = [];
    for (const path of SHIPPED) {
      const text = readFileSync(path, 'utf8');
      text.split('\n').forEach((line, n) => {
        if (FORBIDDEN.some((f) => line.includes(f))) {
          offending.push(`${relative(ROOT, path)}:${n + 1}: ${line.trim().slice(0, 120)}`);
        }
      });
    }
    expect(offending).toEqual([]);
  });

  test('every docs/math.md §k names a section that exists', () => {
    const bad: string[] = [];
    let count = 0;
    for (const path of SHIPPED) {
      for (const c of citedSections(readFileSync(path, 'utf8'))) {
        count++;
        for (const k of c.numbers) if (!sections.has(k)) bad.push(`${relative(ROOT, path)}: "${c.at}" (no §${k})`);
      }
    }
    expect(bad).toEqual([]);
    // The code, the generated documents and the proofs-checks cite it: a parser that found nothing would prove nothing.
    expect(count).toBeGreaterThan(200);
  });

  test('the § references inside docs/math.md and its own contents links resolve', () => {
    const text = readFileSync(MATH, 'utf8');
    for (const m of text.matchAll(/§(\d+)/g)) expect(sections.has(Number(m[1]))).toBe(true);
    const anchors = new Set(sections.values());
    for (const m of text.matchAll(/\]\(#([^)]+)\)/g)) expect(anchors.has(m[1] as string)).toBe(true);
  });

  test('every Markdown link to math.md#anchor names a heading of it', () => {
    const anchors = new Set(sections.values());
    const bad: string[] = [];
    for (const path of SHIPPED.filter((p) => p.endsWith('.md'))) {
      for (const m of readFileSync(path, 'utf8').matchAll(/\]\((?:docs\/)?math\.md#([^)]+)\)/g)) {
        if (!anchors.has(m[1] as string)) bad.push(`${relative(ROOT, path)}: #${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('every relative Markdown link in README.md and docs/*.md points at a file in the repository', () => {
    const bad: string[] = [];
    const pages = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f))];
    for (const page of pages) {
      const dir = join(page, '..');
      for (const m of readFileSync(page, 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const path = join(dir, target);
        const inside = !relative(ROOT, path).startsWith('..');
        let exists = false;
        try {
          statSync(path);
          exists = true;
        } catch {
          exists = false;
        }
        if (!inside || !exists) bad.push(`${relative(ROOT, page)}: ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
