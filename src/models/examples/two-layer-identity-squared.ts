import type { BuiltinExample } from './types.js';

/** Identity activation, squared loss: the deep linear network W_2 W_1 with data; its layer blocks are exactly E[x xᵀ] ⊗ E[M]. */
export const twoLayerIdentitySquared: BuiltinExample = {
  id: 'two-layer-identity-squared',
  family: 'two-layer',
  summary: 'Identity activation, squared loss: the deep linear network W_2 W_1 with data; its layer blocks are exactly E[x xᵀ] ⊗ E[M].',
  facts: { loss: '27353/4608', minimizer: false },
  text: `{
  "name": "two-layer-identity-squared",
  "description": "Identity activation with squared loss: the deep linear network W_2 W_1 with data; its layer blocks are exactly E[x xᵀ] ⊗ E[M].",
  "kind": "two-layer",
  "activation": "identity",
  "loss": "squared",
  "weights": [
    [[1, -0.5],
     ["2/3", 3],
     [0, 1]],
    [[-2, 0.25, 1]]
  ],
  "data": {
    "inputs": [[1, 0, 2, -1],
               [-1, 0.5, 1, 0]],
    "targets": [[1, -2, "1/3", 0]]
  },
  "reduction": "half"
}
`,
};
