import type { BuiltinExample } from './types.js';

/** Scalar chain w = (1, 2, 3), m = 6: lambda_max = 36 + 9 + 4 = 49. */
export const scalarChain3: BuiltinExample = {
  id: 'scalar-chain-3',
  family: 'deep-linear',
  summary: 'Scalar chain w = (1, 2, 3), m = 6: lambda_max = 36 + 9 + 4 = 49.',
  facts: { loss: '0', minimizer: true, lambdaMax: '49' },
  text: `{
  "name": "scalar-chain-3",
  "description": "Scalar chain w = (1, 2, 3) fitting m = 6: a minimizer. lambda_max = 6^2 + 3^2 + 2^2 = 49 (sum over i of the product of the other w_j squared); the flattest minimizer of m = 6 has 3 * 6^(4/3).",
  "kind": "dmf",
  "weights": [
    [[1]],
    [[2]],
    [[3]]
  ],
  "target": [[6]],
  "reduction": "half"
}
`,
};
