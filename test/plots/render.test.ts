/**
 * Each plot rendered headless through vega-lite and vega: a valid, non-empty SVG with the expected
 * elements (heatmap cells, contour lines, axis titles; density lines and eigenvalue ticks).
 */
import { computeLandscape } from '../../src/curvature/landscape.js';
import { spectrumReport } from '../../src/curvature/spectrum.js';
import { curvatureReference, referenceEigenvalues } from '../../src/curvature/reference.js';
import { landscapeSpec } from '../../src/plots/landscape-plot.js';
import { spectrumSpec } from '../../src/plots/spectrum-plot.js';
import { renderVegaLiteSvg, PlotRenderError } from '../../src/plots/render.js';
import { allElements, checkSvg, parseXml } from '../../src/plots/svg-check.js';
import { originFixture } from '../curvature/fixtures.js';

jest.setTimeout(60000);

describe('plots', () => {
  test('landscape of the origin fixture on the Hessian plane: heatmap, loss and model contours, cuts, titles', () => {
    const { problem } = originFixture();
    const data = computeLandscape(problem, { plane: 'hessian', grid: 21, span: 1, model: 'origin fixture' });
    const svg = renderVegaLiteSvg(landscapeSpec(data));
    const s = checkSvg(svg);
    expect(s.width).toBeGreaterThan(600);
    expect(s.height).toBeGreaterThan(300);
    const root = parseXml(svg);
    const groups = allElements(root).filter((e) => e.name === 'g');
    const byClass = (c: string): number => groups.filter((g) => (g.attributes.class ?? '').includes(c)).reduce((n, g) => n + g.children.length, 0);
    expect(byClass('concat_0_layer_0_marks')).toBe(21 * 21); // heatmap cells
    expect(byClass('concat_0_layer_1_marks')).toBeGreaterThan(20); // loss contour segments
    expect(byClass('concat_0_layer_2_marks')).toBeGreaterThan(20); // quadratic-model contour segments
    expect(byClass('concat_1_marks')).toBe(4); // two cuts and two model curves
    const text = s.texts.join(' ');
    expect(text).toMatch(/Loss landscape: origin fixture/);
    expect(text).toMatch(/λ_max = 3/);
    expect(text).toMatch(/λ_min = -3/);
  });

  test('spectrum density with the exact eigenvalues: two density curves and one tick per eigenvalue and Ritz value', () => {
    const { problem } = originFixture();
    const ev = referenceEigenvalues(curvatureReference(problem)) ?? [];
    const r = spectrumReport(problem, { k: 2, exactEigenvalues: ev, density: { order: 10, vectors: 5, points: 200 } });
    const svg = renderVegaLiteSvg(spectrumSpec({ format: 'dln-hessian-spectrum', version: 1, model: 'origin fixture', ...r }));
    checkSvg(svg);
    const groups = allElements(parseXml(svg)).filter((e) => e.name === 'g');
    const marks = (c: string): number => groups.filter((g) => (g.attributes.class ?? '').includes(c)).reduce((n, g) => n + g.children.length, 0);
    expect(marks('concat_0_marks')).toBe(2);
    expect(marks('concat_1_marks')).toBe(10 + 4);
  });

  test('a vega error surfaces as PlotRenderError', () => {
    expect(() => renderVegaLiteSvg({ mark: 'nonsense-mark', data: { values: [] } })).toThrow(PlotRenderError);
  });
});
