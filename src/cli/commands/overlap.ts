import { jsonText } from '../json-output.js';
import { ShapeError } from '../../linalg/matrix.js';
import { loadNetwork } from '../../families/registry.js';
import { MAX_DENSE_PARAMS_CEILING } from '../../hessian/limits.js';
import { modelOverlap } from '../../structure/model-overlap.js';
import { DEFAULT_DENSE_UP_TO } from '../../structure/top-eigen.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';

export const overlapCommand: CommandSpec = {
  name: 'overlap',
  summary: 'Overlap ‖V_Aᵀ V_B‖²_F / k of the top-k Hessian eigenspaces of two models (a layer block or the full Hessian), beside the chance level k/D.',
  positionals: ['A.json', 'B.json'],
  flags: {
    layer: { kind: 'integer', min: 1, description: 'compare the block of layer L (numbered from 1; default: the full Hessian)', valueName: 'L' },
    top: { kind: 'integer', min: 1, max: 200, description: 'number of top eigenvectors k (default 10); the overlap is given for every j = 1..k', valueName: 'K' },
    json: { kind: 'boolean', description: 'print one JSON object (overlap, chance, overlapByK, chanceByK, eigenvalues, …)' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    seed: { kind: 'integer', min: 0, description: 'seed of the random part of the block-Lanczos start (default 0)' },
    'dense-up-to': { kind: 'integer', min: 1, max: MAX_DENSE_PARAMS_CEILING, description: `diagonalise densely up to N parameters (default ${DEFAULT_DENSE_UP_TO}); block Lanczos above`, valueName: 'N' },
  },
};

export function runOverlap(args: ParsedArgs): number {
  const [pa, pb] = args.positionals as [string, string];
  const a = loadNetwork(pa);
  const b = loadNetwork(pb);
  const layer = args.flags.get('layer');
  if (typeof layer === 'number') {
    for (const [p, m] of [[pa, a], [pb, b]] as const) {
      const n = m.layers().layers.length;
      if (layer > n) throw new UsageError(`overlap: --layer ${layer} is out of range: ${p} has ${n} layers (numbered from 1)`);
    }
  }
  let r;
  try {
    r = modelOverlap(a, b, typeof layer === 'number' ? layer : null, flagInt(args, 'top', 10), {
      seed: flagInt(args, 'seed', 0),
      denseUpTo: flagInt(args, 'dense-up-to', DEFAULT_DENSE_UP_TO),
    });
  } catch (e) {
    if (e instanceof ShapeError) throw new UsageError(e.message);
    throw e;
  }
  for (const w of r.warnings) process.stderr.write(`dln-hessian: warning: ${w}\n`);
  let text: string;
  if (flagBool(args, 'json')) text = jsonText('overlap', { models: [pa, pb], ...r });
  else {
    const what = r.layer === null ? 'full Hessian' : `layer ${r.layer} block`;
    const lines = [
      `models       ${pa}`,
      `             ${pb}`,
      `compared     ${what}, D = ${r.dimension}, top k = ${r.top}`,
      `overlap      ${formatNumber(r.overlap, 6)}   (chance k/D = ${formatNumber(r.chance, 4)}, ratio ${formatNumber(r.overlap / r.chance, 4)})`,
      '',
      `   j  ${'overlap'.padStart(10)}  ${'chance j/D'.padStart(12)}`,
      ...r.overlapByK.map((o, j) => `  ${String(j + 1).padStart(2)}  ${formatNumber(o, 6).padStart(10)}  ${formatNumber(r.chanceByK[j] ?? 0, 4).padStart(12)}`),
      '',
      `top eigenvalues (first)   ${r.eigenvaluesA.map((x) => formatNumber(x, 6)).join(', ')}`,
      `top eigenvalues (second)  ${r.eigenvaluesB.map((x) => formatNumber(x, 6)).join(', ')}`,
      `solvers      ${r.methods.join(', ')}`,
    ];
    text = lines.join('\n');
  }
  emit(text, flagString(args, 'out'));
  return 0;
}
