/**
 * The generated documents committed under docs/derivations/ (the golden files): their requests,
 * formats, and the index page that links them. Regenerate with
 * `UPDATE_GOLDEN=1 npx jest test/derivation/golden.test.ts`.
 */
import type { DerivationFormat } from './registry.js';
import type { DeriveRequest } from './request.js';
import type { DerivationStats } from './result.js';

/** One committed document. */
export interface GalleryEntry {
  /** File stem in docs/derivations/ (`dmf-depth3` → `dmf-depth3.md`, …). */
  readonly name: string;
  readonly request: DeriveRequest;
  readonly formats: readonly DerivationFormat[];
  /** The command line that regenerates it. */
  readonly command: string;
  readonly summary: string;
}

/** The committed documents. */
export const GALLERY: readonly GalleryEntry[] = [
  {
    name: 'dmf-depth2',
    request: { depth: 2 },
    formats: ['md', 'tex'],
    command: 'dln-hessian derive --depth 2',
    summary: 'Deep matrix factorization, depth 2: the reduced operator is a Kronecker sum and λ_max = ‖W_1‖² + ‖W_2‖² (the spectral-norm bound is attained).',
  },
  {
    name: 'dmf-depth3',
    request: { depth: 3 },
    formats: ['md', 'tex', 'html'],
    command: 'dln-hessian derive --depth 3',
    summary: 'Deep matrix factorization, depth 3, on the docs/math.md §3 counterexample up to orthogonal factors: 16 < λ_max = 33/2 < 24.',
  },
  {
    name: 'dmf-depth4',
    request: { depth: 4 },
    formats: ['md', 'tex'],
    command: 'dln-hessian derive --depth 4',
    summary: 'Deep matrix factorization, depth 4: ten Hessian blocks, residual blocks through C_{ji} of up to two layers.',
  },
  {
    name: 'dln-data-depth3',
    request: { depth: 3, widths: [2, 3, 3, 2], data: true },
    formats: ['md', 'tex'],
    command: 'dln-hessian derive --depth 3 --widths 2,3,3,2 --data',
    summary: 'Deep linear network with data (n = 4 samples), widths 2, 3, 3, 2: Σ = XXᵀ/n in every Gauss–Newton block, K of size d_N n.',
  },
  {
    name: 'scalar-chain-depth3',
    request: { depth: 3, widths: [1, 1, 1, 1] },
    formats: ['md', 'tex'],
    command: 'dln-hessian derive --depth 3 --widths 1,1,1,1',
    summary: 'Scalar chain of depth 3: the fully symbolic Hessian from mathjs, equal to the matrix form; λ_max = Σ_i Π_{k≠i} w_k² at the minimizer.',
  },
];

/** The index page of docs/derivations/ (Markdown), with the checks of each document. */
export function galleryIndex(stats: ReadonlyMap<string, DerivationStats>): string {
  const lines = [
    '# Generated derivations',
    '',
    'Each document derives the gradient and every block of the Hessian of a deep linear network in the',
    'conventions of docs/math.md §1, the structure of the Hessian at a minimizer and the bounds on its',
    'largest eigenvalue, and checks every step on an exact worked instance against the engine',
    '(see [docs/derive.md](../derive.md)). These files are generated; the golden test',
    '`test/derivation/golden.test.ts` regenerates them and compares byte for byte',
    '(`UPDATE_GOLDEN=1 npx jest test/derivation/golden.test.ts` rewrites them).',
    '',
    '| document | formats | command | checks |',
    '|---|---|---|---|',
  ];
  for (const e of GALLERY) {
    const s = stats.get(e.name);
    const checks = s === undefined ? '' : `${s.chains} chains (${s.equalities} equalities), ${s.rows} table rows`;
    const links = e.formats.map((f) => `[${f}](${e.name}.${f})`).join(' · ');
    lines.push(`| ${e.summary} | ${links} | \`${e.command}\` | ${checks} |`);
  }
  return `${lines.join('\n')}\n`;
}
