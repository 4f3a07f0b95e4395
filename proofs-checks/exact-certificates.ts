/**
 * Known Hessian values of docs/math.md §2–3, certified in exact arithmetic on the full Hessian (no
 * reduced operator, no floating point): `λ*` is the largest eigenvalue of `H` iff `λ* I − H` is
 * positive semidefinite and singular, decided by the pivot signs of an exact LDLᵀ (Sylvester's law).
 */
import { Q } from '../src/field/field.js';
import { Rational } from '../src/field/rational.js';
import { hessian, preparePoint, specFromModel, type NetworkSpec } from '../src/hessian/index.js';
import { at, fromRows, generate, identity, sub, scale, type Matrix } from '../src/linalg/matrix.js';
import { inertia } from '../src/linalg/ldlt.js';
import { loadExample } from '../src/models/examples/index.js';
import type { CheckCase, ClaimCheck } from './check.js';

const q = (s: string): Rational => Rational.parse(s);
const diag = (...d: string[]): Matrix<Rational> => generate(d.length, d.length, (i, j) => (i === j ? q(d[i] as string) : Rational.ZERO));

function dmf(weights: Matrix<Rational>[], target: Matrix<Rational>): NetworkSpec<Rational> {
  return { weights, objective: { kind: 'dmf', target }, reduction: 'half' };
}

/** Certifies `λ_max(H) = lambda` exactly. */
function certifyLambdaMax(name: string, spec: NetworkSpec<Rational>, lambda: string): CheckCase {
  const H = hessian(preparePoint(Q, spec));
  const shifted = sub(Q, scale(Q, q(lambda), identity(Q, H.rows)), H);
  const { inertia: ine } = inertia(shifted);
  const passed = ine.negative === 0 && ine.zero >= 1;
  return {
    name,
    passed,
    details: `inertia of ${lambda}·I − H (${H.rows}×${H.rows}): ${ine.positive} positive, ${ine.negative} negative, ${ine.zero} zero ⇒ ${
      passed ? `λ_max = ${lambda} exactly` : `λ_max ≠ ${lambda}`
    }`,
  };
}

export const exactCertificates: ClaimCheck = {
  id: 'known-sharpness-values',
  claim: 'docs/math.md §2–3: the check values of the Hessian and of λ_max at known minimizers hold exactly.',
  run() {
    const cases: CheckCase[] = [];
    const s2 = hessian(preparePoint(Q, specFromModel(loadExample('scalar-chain-2'))));
    const want = [['4', '2'], ['2', '1']];
    const got = [0, 1].map((i) => [0, 1].map((j) => at(s2, i, j).toString()));
    cases.push({
      name: 'scalar w = (1,2), m = 2: H = [[4,2],[2,1]]',
      passed: JSON.stringify(got) === JSON.stringify(want),
      details: `H = ${JSON.stringify(got)}`,
    });
    cases.push(certifyLambdaMax('scalar w = (1,2), m = 2: λ_max = 5', specFromModel(loadExample('scalar-chain-2')), '5'));
    cases.push(certifyLambdaMax('scalar w = (1,2,3): λ_max = 36 + 9 + 4 = 49', specFromModel(loadExample('scalar-chain-3')), '49'));
    cases.push(
      certifyLambdaMax(
        'depth 3, W = diag(2,½), diag(¼,4), diag(2,½), M = I: λ_max = 33/2 (the spectral-norm sum is 24)',
        specFromModel(loadExample('dmf-diagonal-depth3')),
        '33/2',
      ),
    );
    for (const [N, lambda] of [[2, '8'], [3, '48'], [4, '256']] as const) {
      const weights = Array.from({ length: N }, () => diag('2', '1'));
      const target = diag(String(2 ** N), '1');
      cases.push(certifyLambdaMax(`balanced W_i = diag(2,1), N = ${N}: λ_max = N·4^(N−1) = ${lambda}`, dmf(weights, target), lambda));
    }
    cases.push(
      certifyLambdaMax('depth 2, W_1 = diag(2,½), W_2 = diag(½,2), M = I: λ_max = 8 (flattest value 2)', dmf([diag('2', '1/2'), diag('1/2', '2')], diag('1', '1')), '8'),
    );
    cases.push(
      certifyLambdaMax("'sum' loss scale doubles every eigenvalue: w = (1,2), m = 2 gives λ_max = 10", {
        ...dmf([fromRows([[q('1')]]), fromRows([[q('2')]])], fromRows([[q('2')]])),
        reduction: 'sample-mean',
      }, '10'),
    );
    return { cases };
  },
};
