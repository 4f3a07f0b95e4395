import type { BuiltinExample } from './types.js';

/** Quadratic activation σ(z) = z², squared loss: loss, gradient and Hessian are exact rationals. */
export const twoLayerQuadraticSquared: BuiltinExample = {
  id: 'two-layer-quadratic-squared',
  family: 'two-layer',
  summary: 'Quadratic activation σ(z) = z², squared loss: loss, gradient and Hessian are exact rationals.',
  facts: { loss: '161/1536', minimizer: false },
  text: `{
  "name": "two-layer-quadratic-squared",
  "description": "Quadratic activation σ(z) = z², squared loss: loss, gradient and Hessian are exact rationals (the σ″ = 2 term appears in H_11).",
  "kind": "two-layer",
  "activation": "quadratic",
  "loss": "squared",
  "weights": [
    [[1, 0.5],
     [-0.5, 1]],
    [[1, -1]]
  ],
  "data": {
    "inputs": [[1, 0, 2],
               [0, 1, -0.5]],
    "targets": [[1, 0, 0.75]]
  },
  "reduction": "half"
}
`,
};
