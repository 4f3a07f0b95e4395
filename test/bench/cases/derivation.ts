/**
 * Derivation documents (issue 4): time to build and check each committed document (every chain on
 * the exact instance, every identity, every engine comparison), and to render it as Markdown,
 * LaTeX and a self-contained HTML page (server-side KaTeX).
 */
import { GALLERY } from '../../../src/derivation/gallery.js';
import { deriveDocument, renderDocument } from '../../../src/derivation/registry.js';
import { type BenchCase, type BenchMeasurement, measure } from '../harness.js';

function documentCase(name: string): BenchCase {
  const entry = GALLERY.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no gallery entry ${name}`);
  return {
    group: 'derivation',
    name: `derive ${entry.command.replace('dln-hessian derive ', '')}: build and check`,
    run(): BenchMeasurement {
      const t = measure(() => deriveDocument(entry.request), { warmup: 1, repetitions: 3, maxSeconds: 20 });
      const s = t.result.stats;
      return {
        seconds: t.best,
        metric: { name: 'checked equalities per second', value: s.equalities / t.best, unit: 'eq/s' },
        target: { description: 'a document generates in well under a few seconds (< 3 s)', met: t.best < 3 },
        notes: `${s.chains} chains, ${s.equalities} equalities, ${s.identities} identity checks, ${s.rows} table rows, ${s.formulas} formulas; median ${t.median.toFixed(3)} s`,
        peakRssMiB: t.peakRssMiB,
      };
    },
  };
}

const renderCase: BenchCase = {
  group: 'derivation',
  name: 'render dmf-depth3 as md, tex and html',
  run(): BenchMeasurement {
    const entry = GALLERY.find((e) => e.name === 'dmf-depth3');
    if (entry === undefined) throw new Error('no gallery entry dmf-depth3');
    const doc = deriveDocument(entry.request).document;
    const t = measure(() => (['md', 'tex', 'html'] as const).map((f) => renderDocument(doc, f).length), { warmup: 1, repetitions: 5 });
    const [md, tex, html] = t.result;
    return {
      seconds: t.best,
      notes: `sizes: md ${md} B, tex ${tex} B, html ${html} B (fonts inlined); median ${t.median.toFixed(3)} s`,
      peakRssMiB: t.peakRssMiB,
    };
  },
};

/** The derivation benchmarks. */
export const derivationCases: BenchCase[] = [...GALLERY.map((e) => documentCase(e.name)), renderCase];
