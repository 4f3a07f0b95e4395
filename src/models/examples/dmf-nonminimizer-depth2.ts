import type { BuiltinExample } from './types.js';

/** Depth-2 2x2 factorization of M = I away from any minimizer: loss 57/32. */
export const dmfNonminimizerDepth2: BuiltinExample = {
  id: 'dmf-nonminimizer-depth2',
  family: 'deep-linear',
  summary: 'Depth-2 2x2 factorization of M = I away from any minimizer: loss 57/32.',
  facts: { loss: '57/32', minimizer: false },
  text: `{
  "name": "dmf-nonminimizer-depth2",
  "description": "Depth-2 factorization of M = I at a point that is not a minimizer (not even critical): P = W_2 W_1 = [[1/2, 1/4], [1, -1/2]], loss = 57/32. The Hessian has a residual part here.",
  "kind": "dmf",
  "weights": [
    [[1, "1/2"],
     [0,     1]],
    [["1/2",  0],
     [    1, -1]]
  ],
  "target": [[1, 0],
             [0, 1]],
  "reduction": "half"
}
`,
};
