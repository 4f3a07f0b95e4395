import type { BuiltinExample } from './types.js';

/** Balanced depth-3 minimizer of M = diag(8, 1): lambda_max = 48 (the flattest value). */
export const dmfBalancedDepth3: BuiltinExample = {
  id: 'dmf-balanced-depth3',
  family: 'deep-linear',
  summary: 'Balanced depth-3 minimizer of M = diag(8, 1): lambda_max = 48 (the flattest value).',
  facts: { loss: '0', minimizer: true, lambdaMax: '48' },
  text: `{
  "name": "dmf-balanced-depth3",
  "description": "Balanced depth-3 factorization of M = diag(8, 1): W_i = diag(2, 1) for i = 1..3. A minimizer with lambda_max = N s_1^(2 - 2/N) = 3 * 4^2 = 48, the flattest value for this M.",
  "kind": "dmf",
  "weights": [
    [[2, 0],
     [0, 1]],
    [[2, 0],
     [0, 1]],
    [[2, 0],
     [0, 1]]
  ],
  "target": [[8, 0],
             [0, 1]],
  "reduction": "half"
}
`,
};
