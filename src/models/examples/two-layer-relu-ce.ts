import type { BuiltinExample } from './types.js';

/** ReLU network with cross-entropy loss, d = 2, h = 3, c = 3 classes, 4 samples (float64 only). */
export const twoLayerReluCe: BuiltinExample = {
  id: 'two-layer-relu-ce',
  family: 'two-layer',
  summary: 'ReLU network with cross-entropy loss, d = 2, h = 3, c = 3 classes, 4 samples (float64 only).',
  facts: { minimizer: false },
  text: `{
  "name": "two-layer-relu-ce",
  "description": "ReLU network, d = 2, h = 3, c = 3 classes, 4 samples with 0-based class indices; float64 only (cross-entropy).",
  "kind": "two-layer",
  "activation": "relu",
  "loss": "cross-entropy",
  "weights": [
    [[1, -0.5],
     [0.5, 1],
     [-1, 0.25]],
    [[1, 0, -1],
     [0, 1, 1],
     [-0.5, 0.5, 0]]
  ],
  "data": {
    "inputs": [[1, 0, -1, 0.5],
               [0, 1, 1, -2]],
    "targets": [[0, 1, 2, 1]]
  }
}
`,
};
