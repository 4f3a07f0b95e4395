/**
 * The verdict table of the known λ_max formulas (docs/math.md §3, arXiv 2509.25783), settled by the
 * property-based verifier on generated exact minimizers; written into docs/proofs/REPORT.md.
 * Each row states the expected verdict (derived by hand in docs/math.md §3) and passes when the verifier agrees.
 */
import { verifyFormula } from '../src/verify/verifier.js';
import type { Relation } from '../src/verify/relation.js';
import type { CheckCase, ClaimCheck } from './check.js';

interface Row {
  readonly formula: string;
  readonly relation: Relation;
  readonly depth: [number, number];
  readonly width: [number, number];
  readonly expected: 'holds' | 'counterexample';
  readonly why: string;
}

const SUM = 'sumLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';
const MAX = 'maxLayers(i, norm2(A(i))^2 * norm2(B(i))^2)';
const FLAT = 'N * norm2(M)^(2 - 2/N)';

const ROWS: readonly Row[] = [
  { formula: SUM, relation: 'equal', depth: [2, 2], width: [1, 3], expected: 'holds', why: 'depth 2: K is a Kronecker sum' },
  { formula: SUM, relation: 'equal', depth: [2, 4], width: [1, 1], expected: 'holds', why: 'scalar chains' },
  { formula: SUM, relation: 'equal', depth: [3, 3], width: [1, 3], expected: 'counterexample', why: 'depth 3 matrix targets (docs/math.md §3: 33/2 vs 24)' },
  { formula: SUM, relation: 'upper', depth: [2, 4], width: [1, 3], expected: 'holds', why: 'Cauchy–Schwarz' },
  { formula: MAX, relation: 'lower', depth: [2, 4], width: [1, 3], expected: 'holds', why: 'each term is a Rayleigh quotient of K' },
  { formula: FLAT, relation: 'lower', depth: [2, 4], width: [1, 3], expected: 'holds', why: 'the flattest minimizer is balanced' },
  { formula: FLAT, relation: 'equal', depth: [2, 3], width: [2, 3], expected: 'counterexample', why: 'unbalanced minimizers are sharper' },
];

export const formulaVerdicts: ClaimCheck = {
  id: 'formula-verdicts',
  claim: 'docs/math.md §3 / arXiv 2509.25783: which closed forms for λ_max hold, as equality or bound, decided on generated exact minimizers (seed 2509, 120 cases each).',
  run() {
    const cases: CheckCase[] = ROWS.map((row) => {
      const r = verifyFormula(row.formula, {
        relation: row.relation,
        depth: row.depth,
        width: row.width,
        cases: 120,
        seed: 2509,
        kinds: ['diagonal', 'balanced', 'gl-orbit', 'random'],
      });
      const ce = r.counterexample;
      const detail =
        r.verdict === 'holds'
          ? `holds on ${r.casesTried} minimizers (${r.proven} proven, ${r.undecided} equal to ≥ ${r.undecidedMinDigits ?? '—'} digits)`
          : `counterexample after ${r.shrinks} shrinks: widths ${ce?.model.widths.join('-') ?? '?'}, ${ce?.explanation ?? ''}`;
      return {
        name: `\`${row.formula}\` as ${row.relation}, depth ${row.depth.join('–')}, width ${row.width.join('–')} (${row.why})`,
        passed: r.verdict === row.expected,
        details: `expected ${row.expected}; ${detail}`,
      };
    });
    return { cases };
  },
};
