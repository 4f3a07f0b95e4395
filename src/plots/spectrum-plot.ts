/**
 * The spectrum plot: the stochastic-Lanczos-quadrature density (log scale, floored at 10^-6 of its
 * peak), the exact broadened density of the eigenvalues beside it, ticks at the exact eigenvalues,
 * and the top-k and bottom-k Ritz values.
 */
import { maxOf } from '../linalg/extrema.js';
import type { SpectrumData } from '../curvature/data-files.js';
import type { VegaLiteSpec } from './render.js';

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(4));

/** Densities are floored at this fraction of their peak on the logarithmic axis. */
export const DENSITY_FLOOR = 1e-6;

/** Largest number of eigenvalue ticks drawn (all of them up to this many). */
export const MAX_TICKS = 5000;

/** `λ ≈ value` for a converged Ritz pair; an unconverged one is not shown as a value. */
function extreme(name: string, p: { eigenvalue: number; residual: number; converged: boolean } | undefined): string {
  if (p === undefined) return `${name} not computed`;
  return p.converged ? `${name} ≈ ${fmt(p.eigenvalue)}` : `${name} not converged (Lanczos residual ${fmt(p.residual)})`;
}

/** The Vega-Lite specification of the spectrum plot of `data` (which needs a density). */
export function spectrumSpec(data: SpectrumData): VegaLiteSpec {
  const d = data.density;
  if (d === undefined) throw new RangeError('spectrumSpec: the data has no density (run spectrum with --density)');
  const peak = maxOf(d.density, d.exactDensity ?? []);
  const floor = peak * DENSITY_FLOOR;
  const rows: { t: number; density: number; curve: string }[] = [];
  d.grid.forEach((t, i) => rows.push({ t, density: Math.max(d.density[i] as number, floor), curve: `SLQ (order ${d.order}, ${d.vectors} vectors)` }));
  if (d.exactDensity !== undefined) d.grid.forEach((t, i) => rows.push({ t, density: Math.max((d.exactDensity as number[])[i] as number, floor), curve: 'exact eigenvalues, same kernel' }));
  const ticks = (data.exactEigenvalues ?? []).slice(0, MAX_TICKS).map((l) => ({ t: l, kind: 'exact eigenvalue' }));
  const ritz = [...data.top.pairs, ...data.bottom.pairs].map((p) => ({ t: p.eigenvalue, kind: 'Lanczos top/bottom-k' }));
  const xDomain = [d.grid[0] as number, d.grid[d.grid.length - 1] as number];
  const subtitle = [
    `Gaussian kernel σ = ${fmt(d.sigma)}; ${data.params} parameters; seed ${data.seed}${d.l1Error !== undefined ? `; ∫|ρ_SLQ − ρ_exact| = ${fmt(d.l1Error)}` : ''}`,
    `${extreme('λ_max', data.top.pairs[0])}, ${extreme('λ_min', data.bottom.pairs[0])} (Lanczos); density floored at ${DENSITY_FLOOR.toExponential(0)} of its peak`,
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Hessian spectral density: ${data.model}`, subtitle },
    background: 'white',
    config: { view: { stroke: null }, mark: { aria: false }, aria: false },
    vconcat: [
      {
        width: 640,
        height: 320,
        data: { values: rows },
        mark: { type: 'line', clip: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'eigenvalue λ', scale: { domain: xDomain, nice: false, zero: false } },
          y: { field: 'density', type: 'quantitative', title: 'density ρ_σ(λ)', scale: { type: 'log' }, axis: { grid: false } },
          color: { field: 'curve', type: 'nominal', title: null, legend: { orient: 'top', labelLimit: 400 } },
          strokeDash: { field: 'curve', type: 'nominal', legend: null, scale: { range: [[1, 0], [5, 3]] } },
        },
      },
      {
        width: 640,
        height: 44,
        data: { values: [...ticks, ...ritz] },
        mark: { type: 'tick', thickness: 1 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: null, scale: { domain: xDomain, nice: false, zero: false } },
          y: { field: 'kind', type: 'nominal', title: null },
          color: { field: 'kind', type: 'nominal', legend: null, scale: { domain: ['exact eigenvalue', 'Lanczos top/bottom-k'], range: ['#555555', '#d62728'] } },
        },
      },
    ],
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  };
}
