import type { BuiltinExample } from './types.js';

/** Deep linear network 2 -> 3 -> 2 with 4 samples, away from a minimizer: loss 33/512. */
export const dlnDataDepth2: BuiltinExample = {
  id: 'dln-data-depth2',
  family: 'deep-linear',
  summary: 'Deep linear network 2 -> 3 -> 2 with 4 samples, away from a minimizer: loss 33/512.',
  facts: { loss: '33/512', minimizer: false },
  text: `{
  "name": "dln-data-depth2",
  "description": "Deep linear network 2 -> 3 -> 2 with n = 4 samples (columns of X and Y), not at a minimizer: P = [[5/4, 1/2], [-1/2, 0]], loss (1/2n)||P X - Y||^2 = 33/512.",
  "kind": "dln",
  "weights": [
    [[    1,     0],
     [    0, "1/2"],
     ["1/2",     1]],
    [[1, 0, "1/2"],
     [0, 2,    -1]]
  ],
  "data": {
    "inputs": [[1, 0, 1, "-1/2"],
               [0, 1, 1,      2]],
    "targets": [[     1, "1/2", 2,     0],
                ["-1/2",     0, 0, "1/4"]]
  },
  "reduction": "half"
}
`,
};
