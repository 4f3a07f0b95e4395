import { jsonText } from '../json-output.js';
import { loadNetwork } from '../../families/registry.js';
import { MAX_DENSE_PARAMS_CEILING } from '../../hessian/limits.js';
import { analyzeStructure, type LayerStructure, type StructureMeasures } from '../../structure/structure.js';
import { DEFAULT_DENSE_UP_TO } from '../../structure/top-eigen.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';

export const structureCommand: CommandSpec = {
  name: 'structure',
  summary: 'Layer-wise Hessian structure (arXiv 2010.04261): exact block vs E[xxᵀ] ⊗ E[M], top eigenspace overlap, reshaped eigenvectors, effect of centring.',
  positionals: ['MODEL.json'],
  flags: {
    layer: { kind: 'integer', min: 1, description: 'analyse only layer L (numbered from 1; default: every layer)', valueName: 'L' },
    top: { kind: 'integer', min: 1, max: 200, description: 'number of top eigenpairs k (default 10)', valueName: 'K' },
    json: { kind: 'boolean', description: 'print one JSON object {"model", "layers": [{"layer", "kroneckerRelativeError", "topOverlap", "reshapedSingularValues", …}], …}' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    'no-centred': { kind: 'boolean', description: 'skip the centred-input analysis' },
    seed: { kind: 'integer', min: 0, description: 'seed of the random part of the block-Lanczos start (default 0)' },
    'dense-up-to': { kind: 'integer', min: 1, max: MAX_DENSE_PARAMS_CEILING, description: `diagonalise layer blocks densely up to N parameters (default ${DEFAULT_DENSE_UP_TO}); block Lanczos above`, valueName: 'N' },
    tolerance: { kind: 'string', description: 'block-Lanczos residual tolerance relative to λ_max (default 1e-6; larger is faster, less accurate)', valueName: 'TOL' },
  },
};

const fmt = (x: number, digits = 6): string => formatNumber(x, digits);
const list = (xs: readonly number[], digits = 6): string => xs.map((x) => fmt(x, digits)).join(', ');

function measuresText(m: StructureMeasures, k: number, D: number, indent: string): string[] {
  const lines = [
    `${indent}relative Frobenius error ‖H − K‖/‖H‖   ${fmt(m.kroneckerRelativeError)}  (${m.errorMethod}; ‖H‖_F = ${fmt(m.frobeniusNorm)}, ‖K‖_F = ${fmt(m.kroneckerFrobeniusNorm)})`,
    `${indent}top-${k} eigenspace overlap with K        ${fmt(m.topOverlap)}  (chance k/D = ${fmt(k / D, 3)})`,
    `${indent}overlap for j = 1..${k}                    ${list(m.overlapByK, 4)}`,
    `${indent}top eigenvalues of H                     ${list(m.topEigenvalues)}`,
    `${indent}top eigenvalues of K                     ${list(m.kroneckerTopEigenvalues)}`,
    `${indent}relative eigenvalue errors               ${list(m.eigenvalueRelativeErrors, 3)}`,
    `${indent}gap λ_k − λ_{k+1} of H                   ${m.eigenGap === null ? 'n/a (k = D)' : fmt(m.eigenGap, 4)}${m.eigenGap !== null && m.eigenGap <= 1e-9 * Math.abs(m.topEigenvalues[0] ?? 1) ? '  (the top-k eigenspace is not well defined: choose another k)' : ''}`,
    `${indent}top eigenvectors reshaped to W's shape:`,
    `${indent}   #  ${'λ'.padStart(12)}  ${'s₂/s₁'.padStart(9)}  ${'s₁² (energy)'.padStart(12)}  ${'|⟨v₁, E[x]⟩|/‖E[x]‖'.padStart(20)}`,
  ];
  m.topEigenvalues.forEach((l, i) => {
    const al = m.meanAlignment[i];
    lines.push(
      `${indent}  ${String(i + 1).padStart(2)}  ${fmt(l).padStart(12)}  ${fmt(m.singularValueRatios[i] ?? 0, 4).padStart(9)}  ${fmt(m.firstPairEnergy[i] ?? 0, 4).padStart(12)}  ${(al === null || al === undefined ? 'n/a' : fmt(al, 4)).padStart(20)}`,
    );
  });
  lines.push(
    `${indent}solver: ${m.solver.method}${m.solver.method === 'block-lanczos' ? `, ${m.solver.matvecs} products, max residual ${fmt(m.solver.maxResidual, 2)}${m.solver.converged ? '' : ' (NOT converged)'}` : ''}`,
  );
  return lines;
}

function layerText(l: LayerStructure): string[] {
  const [q, p] = l.shape;
  const lines = [
    `layer ${l.layer}: ${l.name} (${q}×${p}, ${l.dimension} parameters), ${l.samples} samples, k = ${l.top}`,
    `  ${l.description}`,
    `  input: ‖E[x]‖ = ${fmt(l.inputMeanNorm)}, λ_max(E[xxᵀ]) = ${fmt(l.inputMomentTop)}, ‖E[x]‖²/λ_max(E[xxᵀ]) = ${fmt(l.meanSpikeShare, 4)}`,
    `  top eigenvalues of E[M]: ${list(l.meanCurvatureTop)}`,
    '  exact block H vs K = E[xxᵀ] ⊗ E[M] (column-major vec; the paper\'s E[M] ⊗ E[xxᵀ] in row-major):',
    ...measuresText(l, l.top, l.dimension, '    '),
  ];
  if (l.centred !== undefined) {
    lines.push(
      `  centred input x − E[x] (batch normalisation's centring; each M_s unchanged): λ_max(Cov x) = ${fmt(l.centred.inputMomentTop)}`,
      ...measuresText(l.centred, l.top, l.dimension, '    '),
    );
  }
  return lines;
}

export function runStructure(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const ml = loadNetwork(source).layers();
  const layer = args.flags.get('layer');
  if (typeof layer === 'number' && layer > ml.layers.length) {
    throw new UsageError(`structure: --layer ${layer} is out of range: the model has ${ml.layers.length} layers (numbered from 1)`);
  }
  const tolText = flagString(args, 'tolerance');
  const tolerance = tolText === undefined ? 1e-6 : Number(tolText);
  if (!(tolerance > 0 && tolerance < 1)) throw new UsageError(`structure: --tolerance must be a number in (0, 1), got "${tolText ?? ''}"`);
  const report = analyzeStructure(ml.layers, {
    tolerance,
    top: flagInt(args, 'top', 10),
    centred: !flagBool(args, 'no-centred'),
    seed: flagInt(args, 'seed', 0),
    denseUpTo: flagInt(args, 'dense-up-to', DEFAULT_DENSE_UP_TO),
    ...(typeof layer === 'number' ? { layers: [layer] } : {}),
  });
  for (const w of ml.warnings) process.stderr.write(`dln-hessian: warning: ${w}\n`);
  let text: string;
  if (flagBool(args, 'json')) {
    text = jsonText('structure', { model: source, family: ml.family, summary: ml.summary, warnings: ml.warnings, seconds: report.seconds, layers: report.layers });
  } else {
    const lines = [`model        ${source}`, `             ${ml.summary}`, ''];
    for (const l of report.layers) lines.push(...layerText(l), '');
    lines.push(`(${report.seconds.toFixed(2)} s)`);
    text = lines.join('\n');
  }
  emit(text, flagString(args, 'out'));
  return 0;
}
