/**
 * Issue 4: every generated derivation document checks itself — each chain of equalities step by
 * step on its exact worked instance, each identity of matrix calculus on random rational matrices,
 * and each closed form (gradient, Hessian blocks, HVP, H = cJᵀJ, K, λ_max, the spectral-norm bounds)
 * against the engine. This check regenerates the committed documents (docs/derivations/) and the
 * documents of the built-in example models, and passes when every check of every document agrees.
 */
import { GALLERY } from '../src/derivation/gallery.js';
import { deepLinearDocument } from '../src/derivation/deep-linear/builder.js';
import type { DeriveRequest } from '../src/derivation/request.js';
import { builtinExamples } from '../src/models/examples/index.js';
import type { CheckCase, ClaimCheck } from './check.js';

function documentCase(name: string, request: DeriveRequest): CheckCase {
  const t0 = performance.now();
  const r = deepLinearDocument(request);
  const seconds = (performance.now() - t0) / 1000;
  const s = r.stats;
  const failures = r.failures.map((f) => `${f.what}: ${f.detail}`).join('; ');
  return {
    name,
    passed: r.failures.length === 0,
    details: `${s.chains} chains (${s.equalities} equalities), ${s.identities} identity checks, ${s.rows} table rows, ${s.formulas} formulas; ${seconds.toFixed(2)} s${failures === '' ? '' : `; FAILED: ${failures}`}`.slice(0, 600),
  };
}

export const derivationDocuments: ClaimCheck = {
  id: 'derivation-documents',
  claim:
    'Issue 4 (docs/math.md §1–3): the derivation documents are right on their worked instances — every chain of equalities holds exactly, every identity holds on random rational matrices, and every closed form agrees with the engine (src/hessian, src/spectral certificates).',
  run() {
    const cases: CheckCase[] = GALLERY.map((e) => documentCase(`docs/derivations/${e.name}`, e.request));
    // The deep linear examples (the two-layer documents are the gallery's two-layer entries).
    for (const e of builtinExamples.filter((x) => x.family === 'deep-linear')) cases.push(documentCase(`--model example:${e.id}`, { modelSource: `example:${e.id}` }));
    cases.push(documentCase('--depth 1', { depth: 1 }));
    cases.push(documentCase('--depth 5 --widths 1,2,3,2,2,1', { depth: 5, widths: [1, 2, 3, 2, 2, 1] }));
    cases.push(documentCase('--depth 2 --widths 3,1,2 --data', { depth: 2, widths: [3, 1, 2], data: true }));
    return { cases };
  },
};
