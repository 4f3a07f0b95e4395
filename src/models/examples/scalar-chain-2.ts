import type { BuiltinExample } from './types.js';

/** Scalar chain w = (1, 2), m = 2: Hessian [[4, 2], [2, 1]], lambda_max = 5. */
export const scalarChain2: BuiltinExample = {
  id: 'scalar-chain-2',
  family: 'deep-linear',
  summary: 'Scalar chain w = (1, 2), m = 2: Hessian [[4, 2], [2, 1]], lambda_max = 5.',
  facts: { loss: '0', minimizer: true, lambdaMax: '5' },
  text: `{
  "name": "scalar-chain-2",
  "description": "Scalar chain w = (1, 2) fitting m = 2: a minimizer (P = 2). Hessian [[4, 2], [2, 1]], lambda_max = 5 (half convention).",
  "kind": "dmf",
  "weights": [
    [[1]],
    [[2]]
  ],
  "target": [[2]],
  "reduction": "half"
}
`,
};
