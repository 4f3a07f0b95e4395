import type { Network } from '../../families/network.js';
import { jsonText } from '../json-output.js';
import { loadNetwork } from '../../families/registry.js';
import type { HessianReport } from '../../reports/hessian-report.js';
import { MAX_DENSE_PARAMS_CEILING } from '../../hessian/limits.js';
import { DEFAULT_DENSE_LIMITS, DEFAULT_EXACT_LIMITS } from '../../hessian/limits.js';
import type { Matrix } from '../../linalg/matrix.js';
import { flagBool, flagInt, flagString, type CommandSpec, type ParsedArgs } from '../args.js';
import { formatMatrix, formatNumber, matrixRows } from '../format.js';
import { emit } from '../io.js';

/** Largest Hessian printed entry by entry in text mode (JSON always carries every entry). */
const TEXT_MATRIX_LIMIT = 40;

export const hessianCommand: CommandSpec = {
  name: 'hessian',
  summary: 'Loss, gradient norm, the full Hessian (or its blocks) and its spectrum at the point of MODEL.json (any family).',
  positionals: ['MODEL.json'],
  flags: {
    exact: { kind: 'boolean', description: 'exact rational arithmetic (entries, loss and trace as fractions)' },
    json: { kind: 'boolean', description: 'print one JSON object (params, loss, hessian, eigenvalues, trace, …)' },
    blocks: { kind: 'boolean', description: 'also give the Hessian block by block (∂²L/∂vec W_i ∂vec W_jᵀ; for a two-layer net W_1, W_2)' },
    out: { kind: 'string', description: 'write the output to FILE (whole, or not at all)', valueName: 'FILE' },
    'max-exact-params': { kind: 'integer', min: 1, description: `exact Hessian size limit (default ${DEFAULT_EXACT_LIMITS.maxParams} parameters)` },
    'max-exact-bits': {
      kind: 'integer',
      min: 1,
      description: `exact Hessian digit-size limit in bits (default 2^${Math.log2(DEFAULT_EXACT_LIMITS.maxHessianBits)})`,
    },
    'max-dense-params': { kind: 'integer', min: 1, max: MAX_DENSE_PARAMS_CEILING, description: `dense Hessian size limit (default ${DEFAULT_DENSE_LIMITS.maxParams} parameters)` },
  },
};

function entries(r: HessianReport): (M: Matrix<unknown>) => (string | number)[][] {
  return (M) => matrixRows(M, (x) => (r.field === 'Q' ? String(x) : (x as number)));
}

function toJson(source: string, r: HessianReport, withBlocks: boolean, network: Network): string {
  const rows = entries(r);
  const obj: Record<string, unknown> = {
    model: source,
    convention: network.convention,
    parameters: network.blocks,
    field: r.field,
    params: r.params,
    widths: r.widths,
    loss: r.loss,
    ...(r.field === 'Q' ? { lossExact: r.exact.loss } : {}),
    gradientNorm: r.gradientNorm,
    ...(r.field === 'Q' ? { gradientNormSqExact: r.exact.gradientNormSq } : {}),
    trace: r.trace,
    ...(r.field === 'Q' ? { traceExact: r.exact.trace } : {}),
    eigenvalues: r.eigenvalues,
    eigenSolver: r.eigenSolver,
    seconds: r.seconds,
    hessian: rows(r.hessian as Matrix<unknown>),
  };
  if (withBlocks) {
    obj.blocks = (r.blocks as { row: number; col: number; matrix: Matrix<unknown> }[]).map((b) => ({
      row: b.row,
      col: b.col,
      shape: [b.matrix.rows, b.matrix.cols],
      entries: rows(b.matrix),
    }));
  }
  return jsonText('hessian', obj);
}

function toText(source: string, r: HessianReport, withBlocks: boolean, network: Network): string {
  const show = (x: unknown): string => (r.field === 'Q' ? String(x) : formatNumber(x as number, 6));
  const lines = [
    `model        ${source}`,
    `arithmetic   ${r.field === 'Q' ? 'exact rationals' : 'float64'}`,
    `parameters   ${r.params} (widths ${r.widths.join(', ')})`,
    `loss         ${network.convention.formula}`,
    `loss         ${r.field === 'Q' ? `${r.exact.loss} ≈ ${formatNumber(r.loss)}` : formatNumber(r.loss)}`,
    `‖∇L‖         ${formatNumber(r.gradientNorm)}${r.field === 'Q' ? ` (‖∇L‖² = ${r.exact.gradientNormSq})` : ''}`,
    `tr H         ${r.field === 'Q' ? `${r.exact.trace} ≈ ${formatNumber(r.trace)}` : formatNumber(r.trace)}`,
    `λ_max        ${formatNumber(r.eigenvalues[r.eigenvalues.length - 1] ?? Number.NaN)}`,
    `λ_min        ${formatNumber(r.eigenvalues[0] ?? Number.NaN)}`,
    '',
  ];
  if (r.params > TEXT_MATRIX_LIMIT) {
    lines.push(`Hessian: ${r.params}×${r.params} (not printed above ${TEXT_MATRIX_LIMIT} parameters; use --json or --out for every entry)`);
  } else if (withBlocks) {
    for (const b of r.blocks as { row: number; col: number; matrix: Matrix<unknown> }[]) {
      // A bias joins its layer's block: vec [W_l b_l] = (vec W_l, b_l).
      const layer = (l: number): string => (network.blocks.some((p) => p.name === `b_${l}`) ? `[W_${l} b_${l}]` : `W_${l}`);
      lines.push(`H[${b.row},${b.col}] = ∂²L/∂vec ${layer(b.row)} ∂vec ${layer(b.col)}ᵀ (${b.matrix.rows}×${b.matrix.cols}):`, formatMatrix(b.matrix, show), '');
    }
  } else {
    lines.push(`Hessian (θ = (${network.blocks.map((b) => (b.cols === 1 && b.name.startsWith('b') ? b.name : `vec ${b.name}`)).join(', ')}), column-major vec):`, formatMatrix(r.hessian as Matrix<unknown>, show), '');
  }
  lines.push(`eigenvalues (ascending, ${r.eigenSolver}):`, '  ' + r.eigenvalues.map((x) => formatNumber(x, 10)).join(', '));
  return lines.join('\n');
}

export function runHessian(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const network = loadNetwork(source);
  const report = network.hessianReport({
    exact: flagBool(args, 'exact'),
    exactLimits: {
      maxParams: flagInt(args, 'max-exact-params', DEFAULT_EXACT_LIMITS.maxParams),
      maxHessianBits: flagInt(args, 'max-exact-bits', DEFAULT_EXACT_LIMITS.maxHessianBits),
    },
    denseLimits: { maxParams: flagInt(args, 'max-dense-params', DEFAULT_DENSE_LIMITS.maxParams) },
    blocks: flagBool(args, 'blocks'),
  });
  const withBlocks = flagBool(args, 'blocks');
  emit(flagBool(args, 'json') ? toJson(source, report, withBlocks, network) : toText(source, report, withBlocks, network), flagString(args, 'out'));
  return 0;
}
