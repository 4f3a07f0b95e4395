/**
 * The plots of training dynamics (docs/dynamics.md), drawn from the data files:
 * - a training series: `λ_max(t)` with the `2/η` line and the ansatz bounds; `L(t)` on a log axis;
 *   the Jacobian norm against `λ_max` (coloured by step);
 * - an escape run: loss contours in the plane of the top and bottom Hessian eigenvectors at `w*`
 *   with the gradient-descent trajectories for each `η` drawn on it (arXiv 2509.25783's picture).
 */
import type { EscapeData, TrainData } from '../dynamics/data-files.js';
import { contourSegments, evenLevels } from './contours.js';
import type { VegaLiteSpec } from './render.js';

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(5))) : x.toExponential(3));

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'white',
  config: { view: { stroke: null }, mark: { aria: false }, aria: false },
} as const;

/** The three panels of a training series. */
export function trainSpec(data: TrainData): VegaLiteSpec {
  const rows: { step: number; value: number; curve: string }[] = [];
  const curves = ['λ_max', '2/η', 'ansatz lower c·N‖P‖₂^(2−2/N)', 'ansatz upper c·Σ‖A_i‖₂²‖B_i‖₂²'];
  for (const p of data.series) {
    if (p.lambdaMax !== null) rows.push({ step: p.step, value: p.lambdaMax, curve: curves[0] as string });
    rows.push({ step: p.step, value: p.twoOverEta, curve: curves[1] as string });
    if (p.ansatz !== null) {
      rows.push({ step: p.step, value: p.ansatz.lower, curve: curves[2] as string });
      rows.push({ step: p.step, value: p.ansatz.upper, curve: curves[3] as string });
    }
  }
  const present = curves.filter((c) => rows.some((r) => r.curve === c));
  const lossRows = data.series.filter((p) => p.loss > 0).map((p) => ({ step: p.step, loss: p.loss }));
  const jacRows = data.series.filter((p) => p.lambdaMax !== null).map((p) => ({ step: p.step, jacobian: p.jacobianNorm, lambda: p.lambdaMax }));
  const verdict = data.verdict === 'diverged' ? `diverged at step ${data.divergedAt}` : data.verdict;
  return {
    ...BASE,
    title: {
      text: `Training dynamics: ${data.source}`,
      subtitle: [`${data.model}; ${data.optimizer}, η = ${fmt(data.eta)} (2/η = ${fmt(data.twoOverEta)}), ${data.stepsRun} steps, recorded every ${data.every}; ${verdict}`],
    },
    hconcat: [
      {
        width: 320,
        height: 260,
        title: 'sharpness λ_max(t), 2/η and the ansatz bounds',
        data: { values: rows },
        mark: { type: 'line', point: data.series.length <= 60 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step t' },
          y: { field: 'value', type: 'quantitative', title: 'λ_max' },
          color: { field: 'curve', type: 'nominal', title: null, scale: { domain: present, range: ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'].slice(0, present.length) }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 400 } },
          strokeDash: { field: 'curve', type: 'nominal', legend: null, scale: { domain: present, range: [[1, 0], [6, 3], [3, 3], [3, 3]].slice(0, present.length) } },
        },
      },
      {
        width: 320,
        height: 260,
        title: 'loss L(t) (log axis)',
        data: { values: lossRows },
        mark: { type: 'line', color: '#e6550d' },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step t' },
          y: { field: 'loss', type: 'quantitative', title: 'L', scale: { type: 'log' } },
        },
      },
      {
        width: 320,
        height: 260,
        title: 'Jacobian norm against λ_max',
        data: { values: jacRows },
        mark: { type: 'line', point: true, color: '#999999' },
        encoding: {
          x: { field: 'jacobian', type: 'quantitative', title: 'max_s ‖∂f(x_s)/∂x‖₂', scale: { zero: false } },
          y: { field: 'lambda', type: 'quantitative', title: 'λ_max', scale: { zero: false } },
          order: { field: 'step', type: 'quantitative' },
          color: { field: 'step', type: 'quantitative', title: 'step', scale: { scheme: 'viridis' } },
        },
      },
    ],
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  };
}

/** The contour picture of an escape experiment. */
export function escapeSpec(data: EscapeData): VegaLiteSpec {
  const { alpha, beta, loss, span } = data.plane;
  // log10 of the loss (contours of the raw loss crowd near the minimizer); a floor keeps zeros finite.
  const vals = loss.flat().filter((v): v is number => v !== null && v > 0);
  const floor = vals.length > 0 ? Math.min(...vals) : 1e-30;
  const z = loss.map((row) => row.map((v) => (v === null ? null : Math.log10(Math.max(v, floor)))));
  const zs = z.flat().filter((v): v is number => v !== null);
  const levels = evenLevels(Math.min(...zs), Math.max(...zs), 16);
  const segments = contourSegments(alpha, beta, z, levels);
  const dA = alpha.length > 1 ? ((alpha[1] as number) - (alpha[0] as number)) / 2 : 0.5;
  const cells: { x0: number; x1: number; y0: number; y1: number; value: number }[] = [];
  z.forEach((row, j) =>
    row.forEach((v, i) => {
      if (v === null) return;
      const a = alpha[i] as number;
      const b = beta[j] as number;
      cells.push({ x0: a - 1.02 * dA, x1: a + 1.02 * dA, y0: b - 1.02 * dA, y1: b + 1.02 * dA, value: v });
    }),
  );
  const lim = span + dA;
  const clip = (x: number): boolean => Math.abs(x) <= lim;
  const paths: { order: number; alpha: number; beta: number; run: string }[] = [];
  const names: string[] = [];
  for (const r of data.runs) {
    const name = `F = ${fmt(r.etaFactor)} (η = ${fmt(r.eta)}): ${r.verdict}${r.settled && r.verdict === 'escaped' ? ', settled' : ''}`;
    names.push(name);
    r.trajectory.forEach((p, k) => {
      if (clip(p.alpha) && clip(p.beta)) paths.push({ order: k, alpha: p.alpha, beta: p.beta, run: name });
    });
  }
  const scale = { domain: [-lim, lim], nice: false, zero: false };
  return {
    ...BASE,
    title: {
      text: `Escape from a minimizer: ${data.source}`,
      subtitle: [
        `λ_max = ${fmt(data.lambdaMax)} (${data.certified ? 'certified exactly' : 'binary64'}), start w* + ${fmt(data.perturb)}·v_1, ${data.steps} GD steps per η = F·2/λ_max${data.flattestValue !== null ? `; flattest value c·N·σ₁(M)^(2−2/N) = ${fmt(data.flattestValue)}` : ''}`,
        'background: log₁₀ L on the plane w* + α v_1 + β v_min (v_1, v_min: top and bottom Hessian eigenvectors at w*)',
      ],
    },
    width: 460,
    height: 460,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', clip: true },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'α along v_1 (top eigenvector)', scale },
          x2: { field: 'x1' },
          y: { field: 'y0', type: 'quantitative', title: 'β along v_min (bottom eigenvector)', scale },
          y2: { field: 'y1' },
          color: { field: 'value', type: 'quantitative', title: 'log₁₀ L', scale: { scheme: 'greys', reverse: true } },
        },
      },
      {
        data: { values: segments },
        mark: { type: 'rule', color: '#ffffff', strokeWidth: 0.7, clip: true },
        encoding: { x: { field: 'x1', type: 'quantitative', scale }, y: { field: 'y1', type: 'quantitative', scale }, x2: { field: 'x2' }, y2: { field: 'y2' } },
      },
      {
        data: { values: paths },
        mark: { type: 'line', strokeWidth: 1.6, clip: true },
        encoding: {
          x: { field: 'alpha', type: 'quantitative', scale },
          y: { field: 'beta', type: 'quantitative', scale },
          order: { field: 'order', type: 'quantitative' },
          color: { field: 'run', type: 'nominal', title: 'trajectories', scale: { domain: names, scheme: 'category10' }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 500 } },
        },
      },
      {
        data: { values: [{ x: 0, y: 0 }] },
        mark: { type: 'point', shape: 'cross', color: '#d62728', size: 120, filled: true },
        encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale } },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
