import type { BuiltinExample } from './types.js';

/** Depth-3 diagonal minimizer of M = I: lambda_max = 33/2 below the spectral-norm sum 24. */
export const dmfDiagonalDepth3: BuiltinExample = {
  id: 'dmf-diagonal-depth3',
  family: 'deep-linear',
  summary: 'Depth-3 diagonal minimizer of M = I: lambda_max = 33/2 below the spectral-norm sum 24.',
  facts: { loss: '0', minimizer: true, lambdaMax: '33/2' },
  text: `{
  "name": "dmf-diagonal-depth3",
  "description": "Depth-3 diagonal factorization of M = I: W_1 = diag(2, 1/2), W_2 = diag(1/4, 4), W_3 = diag(2, 1/2). A minimizer with lambda_max = 33/2, while the sum of ||A_i||^2 ||B_i||^2 is 24: for N >= 3 the spectral-norm sum is only an upper bound.",
  "kind": "dmf",
  "weights": [
    [[2,     0],
     [0, "1/2"]],
    [["1/4", 0],
     [    0, 4]],
    [[2,     0],
     [0, "1/2"]]
  ],
  "target": [[1, 0],
             [0, 1]],
  "reduction": "half"
}
`,
};
