/**
 * docs/math.md §3: at every minimizer the nonzero spectrum of H equals the spectrum of K, and balanced
 * minimizers have the spectrum λ_pq = Σ_k s_p^{2k/N} s_q^{2(N−1−k)/N}. Both checked exactly, as
 * polynomial identities, on generated rational minimizers of every kind.
 */
import fc from 'fast-check';
import { Q } from '../src/field/field.js';
import { Rational } from '../src/field/rational.js';
import { minimizerCaseArbitrary } from '../src/generators/arbitraries.js';
import { generateMinimizer } from '../src/generators/minimizers.js';
import { hessian, preparePoint, specFromModel } from '../src/hessian/index.js';
import { reducedProblem } from '../src/hessian/reduced.js';
import { characteristicPolynomial } from '../src/linalg/charpoly.js';
import { generate, type Matrix } from '../src/linalg/matrix.js';
import { Polynomial } from '../src/linalg/polynomial.js';
import { makeDmfModel } from '../src/models/model.js';
import type { CheckCase, ClaimCheck } from './check.js';

const tPow = (k: number): Polynomial => Polynomial.fromCoefficients([...Array.from({ length: k }, () => Rational.ZERO), Rational.ONE]);

export const reducedSpectrum: ClaimCheck = {
  id: 'reduced-spectrum',
  claim: 'docs/math.md §3: at a minimizer, H = JᵀJ and K = JJᵀ share their nonzero spectrum: t^m·det(tI − H) = t^p·det(tI − K) exactly.',
  run() {
    const samples = fc.sample(minimizerCaseArbitrary({ depth: [1, 4], width: [1, 3], kinds: ['balanced', 'gl-orbit', 'diagonal', 'random'] }), { numRuns: 40, seed: 2509 });
    const cases: CheckCase[] = samples.map(({ kind, model }, n) => {
      const pt = preparePoint(Q, specFromModel(model));
      const H = hessian(pt);
      const red = reducedProblem(pt);
      const lhs = tPow(red.K.rows).mul(characteristicPolynomial(H));
      const rhs = tPow(H.rows).mul(characteristicPolynomial(red.K));
      return {
        name: `#${n + 1} ${kind}, widths ${pt.widths.join('-')}`,
        passed: lhs.equals(rhs),
        details: `H ${H.rows}×${H.rows}, K ${red.K.rows}×${red.K.rows}; det(tI − K) = ${characteristicPolynomial(red.K).toString()}`.slice(0, 300),
      };
    });
    return { cases };
  },
};

export const balancedSpectrum: ClaimCheck = {
  id: 'balanced-spectrum',
  claim: 'docs/math.md §3: a balanced minimizer of M (singular values s_p^N) has K-spectrum λ_pq = Σ_{k=0}^{N−1} s_p^{2k} s_q^{2(N−1−k)} (in the N-th roots s_p), so λ_max = N·σ₁(M)^{2−2/N}.',
  run() {
    const cases: CheckCase[] = [];
    const roots = [['2', '1'], ['3/2', '1/2'], ['2', '1', '1/2']];
    for (const N of [2, 3, 4]) {
      for (const rts of roots) {
        const s = rts.map((x) => Rational.parse(x));
        const d = s.length;
        // Target diag(s_p^N) conjugated by the generator's rational orthogonal matrices (balanced kind).
        const target: Matrix<Rational> = generate(d, d, (i, j) => (i === j ? (s[i] as Rational).pow(N) : Rational.ZERO));
        const gen = generateMinimizer({ target, depth: N, kind: 'balanced', seed: N * 10 + d, exact: true });
        const model = makeDmfModel(gen.model.weights, gen.model.target);
        const K = reducedProblem(preparePoint(Q, specFromModel(model))).K;
        const expected: Rational[] = [];
        for (const sp of s)
          for (const sq of s) {
            let l = Rational.ZERO;
            for (let k = 0; k < N; k++) l = l.add(sp.pow(2 * k).mul(sq.pow(2 * (N - 1 - k))));
            expected.push(l);
          }
        const want = Polynomial.fromRoots(expected);
        const got = characteristicPolynomial(K);
        const top = expected.reduce((a, b) => (a.compare(b) >= 0 ? a : b));
        cases.push({
          name: `N = ${N}, s = (${rts.join(', ')})`,
          passed: got.equals(want),
          details: `det(tI − K) = Π (t − λ_pq); λ_max = ${top.toString()} = N·s₁^(2N−2)`,
        });
      }
    }
    return { cases };
  },
};
