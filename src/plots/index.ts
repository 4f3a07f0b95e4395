/**
 * Plots (`dln-hessian/plots`): Vega-Lite specifications of landscapes and spectra, rendered to SVG
 * headless (no browser) with vega and vega-lite, optional peer dependencies of the package; the
 * data files they are computed from, and a strict checker of the SVG written.
 *
 * @example
 * ```ts
 * import { renderVegaLiteSvg, spectrumSpec } from 'dln-hessian/plots';
 * const svg = renderVegaLiteSvg(spectrumSpec(data)); // data: a SpectrumData file written by `spectrum --data`
 * ```
 *
 * @packageDocumentation
 */
export { contourSegments, evenLevels } from './contours.js';
export type { ContourSegment } from './contours.js';
export { CONTOUR_LEVELS, landscapeSpec, usesLogScale } from './landscape-plot.js';
export { compactSvg, PlotRenderError, renderVegaLiteSvg } from './render.js';
export type { VegaLiteSpec } from './render.js';
export { DENSITY_FLOOR, MAX_TICKS, spectrumSpec } from './spectrum-plot.js';
export { parseXml, XmlError } from './svg-check.js';
export type { XmlElement } from './svg-check.js';
export { escapeSpec, trainSpec } from './dynamics-plot.js';
