/**
 * The landscape plot: a heatmap of `L(θ + αη + βδ)` with its contour lines, the contours of the
 * plane's quadratic model `L(θ) + gᵀx + ½xᵀH̃x` dashed over it (for the Hessian plane
 * `H̃ = diag(λ_max, λ_min)`: the model `½λt²` of each axis), and the two axis cuts against the model.
 */
import { maxOf, minOf } from '../linalg/extrema.js';
import { quadraticModel, type LandscapeData } from '../curvature/landscape.js';
import { contourSegments, evenLevels } from './contours.js';
import type { VegaLiteSpec } from './render.js';

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(4));

/** Number of contour levels drawn. */
export const CONTOUR_LEVELS = 14;

/** Whether the colour scale is logarithmic: all losses positive and spanning more than three decades. */
export function usesLogScale(data: LandscapeData): boolean {
  const vals = data.loss.flat().filter((v): v is number => v !== null);
  if (vals.length === 0) return false;
  const lo = minOf(vals);
  const hi = maxOf(vals);
  return lo > 0 && hi / lo > 1e3;
}

/** The Vega-Lite specification of the landscape plot of `data`. */
export function landscapeSpec(data: LandscapeData): VegaLiteSpec {
  const log = usesLogScale(data);
  const tr = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : log ? (v > 0 ? Math.log10(v) : null) : v);
  const { alpha, beta, grid } = data;
  const dA = grid > 1 ? ((alpha[1] as number) - (alpha[0] as number)) / 2 : 0.5;
  const dB = grid > 1 ? ((beta[1] as number) - (beta[0] as number)) / 2 : 0.5;
  const cells: { x0: number; x1: number; y0: number; y1: number; value: number; loss: number }[] = [];
  data.loss.forEach((row, j) =>
    row.forEach((v, i) => {
      const t = tr(v);
      if (t === null || v === null) return;
      const a = alpha[i] as number;
      const b = beta[j] as number;
      // Cells overlap by 2% so that anti-aliasing leaves no seams between them.
      cells.push({ x0: a - 1.02 * dA, x1: a + 1.02 * dA, y0: b - 1.02 * dB, y1: b + 1.02 * dB, value: t, loss: v });
    }),
  );
  const values = cells.map((c) => c.value);
  const lo = minOf(values);
  const hi = maxOf(values);
  const levels = evenLevels(lo, hi, CONTOUR_LEVELS);
  const zLoss = data.loss.map((row) => row.map(tr));
  const zModel = beta.map((b) => alpha.map((a) => tr(quadraticModel(data, a, b))));
  const lossContours = contourSegments(alpha, beta, zLoss, levels);
  const modelContours = contourSegments(alpha, beta, zModel, levels);
  const isHessian = data.plane === 'hessian' && data.eigen !== undefined;
  const etaName = isHessian ? `η = v_max (λ_max = ${fmt(data.eigen?.lambdaMax ?? NaN)})` : `η (‖η‖ = ${fmt(data.directionNorms[0])})`;
  const deltaName = isHessian ? `δ = v_min (λ_min = ${fmt(data.eigen?.lambdaMin ?? NaN)})` : `δ (‖δ‖ = ${fmt(data.directionNorms[1])})`;
  const span = data.span;
  const xScale = { domain: [-span - dA, span + dA], nice: false, zero: false };
  const yScale = { domain: [-span - dB, span + dB], nice: false, zero: false };
  const rule = (rows: unknown[], color: string, dash: number[] | undefined, width: number): Record<string, unknown> => ({
    data: { values: rows },
    mark: { type: 'rule', color, strokeWidth: width, ...(dash !== undefined ? { strokeDash: dash } : {}) },
    encoding: {
      x: { field: 'x1', type: 'quantitative', scale: xScale },
      y: { field: 'y1', type: 'quantitative', scale: yScale },
      x2: { field: 'x2' },
      y2: { field: 'y2' },
    },
  });
  const [g1, g2] = data.quadratic.gradient;
  const [[h11], [, h22]] = data.quadratic.hessian;
  const cutRows: { t: number; loss: number; curve: string; kind: string }[] = [];
  const curveNames: string[] = [];
  const pushCut = (axis: readonly number[], vals: readonly (number | null)[], name: string, g: number, h: number): void => {
    const lossName = `L along ${name}`;
    const modelName = `quadratic model along ${name.split(' (')[0] ?? name} (dashed)`;
    curveNames.push(lossName, modelName);
    axis.forEach((t, k) => {
      const v = vals[k] ?? null;
      if (v !== null && (!log || v > 0)) cutRows.push({ t, loss: v, curve: lossName, kind: 'loss' });
      const m = data.center + g * t + 0.5 * h * t * t;
      if (!log || m > 0) cutRows.push({ t, loss: m, curve: modelName, kind: 'model' });
    });
  };
  pushCut(alpha, data.cuts.alpha, etaName, g1, h11);
  pushCut(beta, data.cuts.beta, deltaName, g2, h22);
  const cutLoss = cutRows.filter((r) => r.kind === 'loss').map((r) => r.loss);
  const yLo = minOf(cutLoss);
  const yHi = maxOf(cutLoss);
  const pad = log ? 0 : (yHi - yLo) * 0.08 || Math.max(Math.abs(yHi), 1) * 0.1;
  const yDomain = log ? [yLo / 2, yHi * 2] : [yLo - pad, yHi + pad];
  const planeText = isHessian
    ? `Hessian plane: top and bottom eigenvectors (slice Hessian ${data.eigen?.isDiagonal === true ? '=' : '≠'} diag(λ_max, λ_min))`
    : data.plane === 'random'
      ? `random plane: ${data.distribution ?? ''} directions, seed ${data.seed}, cos ∠(η, δ) = ${fmt(data.cosine)}`
      : `plane of the given directions, cos ∠(η, δ) = ${fmt(data.cosine)}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Loss landscape: ${data.model}`,
      subtitle: [
        `${planeText}; ${grid}×${grid} grid on [−${fmt(span)}, ${fmt(span)}]², ${data.params} parameters, L(θ) = ${fmt(data.center)}`,
        `solid: contours of L${log ? ' (log scale)' : ''}; dashed red: quadratic model L(θ) + gᵀx + ½xᵀH̃x, g = (${fmt(g1)}, ${fmt(g2)})`,
      ],
    },
    background: 'white',
    config: { view: { stroke: null }, axis: { grid: false }, mark: { aria: false }, aria: false },
    hconcat: [
      {
        width: 380,
        height: 380,
        title: 'L(θ + αη + βδ)',
        layer: [
          {
            data: { values: cells },
            mark: { type: 'rect', clip: true },
            encoding: {
              x: { field: 'x0', type: 'quantitative', title: `α, along ${etaName}`, scale: xScale },
              x2: { field: 'x1' },
              y: { field: 'y0', type: 'quantitative', title: `β, along ${deltaName}`, scale: yScale },
              y2: { field: 'y1' },
              color: { field: 'value', type: 'quantitative', title: log ? 'log₁₀ L' : 'L', scale: { scheme: 'viridis' } },
            },
          },
          rule(lossContours, 'white', undefined, 0.8),
          rule(modelContours, '#ff4040', [4, 3], 1.1),
          {
            data: { values: [{ x: 0, y: 0 }] },
            mark: { type: 'point', shape: 'cross', color: '#ff4040', size: 90, filled: true },
            encoding: { x: { field: 'x', type: 'quantitative', scale: xScale }, y: { field: 'y', type: 'quantitative', scale: yScale } },
          },
        ],
      },
      {
        width: 380,
        height: 380,
        title: 'axis cuts: loss (solid) and quadratic model (dashed)',
        data: { values: cutRows },
        mark: { type: 'line', clip: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 't (α or β)' },
          y: { field: 'loss', type: 'quantitative', title: 'L', scale: { type: log ? 'log' : 'linear', domain: yDomain, nice: false, zero: false } },
          color: { field: 'curve', type: 'nominal', title: null, scale: { domain: curveNames, range: ['#e6550d', '#e6550d', '#3182bd', '#3182bd'] }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 500 } },
          strokeDash: { field: 'curve', type: 'nominal', title: null, scale: { domain: curveNames, range: [[1, 0], [5, 3], [1, 0], [5, 3]] }, legend: null },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
