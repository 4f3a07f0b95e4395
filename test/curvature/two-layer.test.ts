/**
 * The curvature tools on two-layer networks, through the same `CurvatureProblem` interface
 * (`loadNetwork` returns the two-layer adapter for `"kind": "two-layer"` files).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork } from '../../src/families/registry.js';
import { curvatureReference, referenceEigenvalues } from '../../src/curvature/reference.js';
import { finiteDifferenceTrace, hutchinson, hutchPlusPlus } from '../../src/curvature/trace-estimators.js';
import { hessianPlane } from '../../src/curvature/hessian-plane.js';
import { spectrumReport } from '../../src/curvature/spectrum.js';
import { randomProjections } from '../../src/curvature/projections.js';
import { computeLandscape } from '../../src/curvature/landscape.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'dln-two-layer-'));
function modelFile(activation: string): string {
  const p = join(dir, `${activation}.json`);
  writeFileSync(
    p,
    JSON.stringify({
      kind: 'two-layer',
      activation,
      loss: 'squared',
      weights: [
        [[1, '-1/2', 0], ['1/4', 1, '-1'], [0, '1/2', '3/4']],
        [[1, -1, '1/2'], ['1/2', '1/4', 1]],
      ],
      data: { inputs: [[1, 0, 2, '-1/2'], [0, 1, 1, 1], ['1/2', -1, 0, 2]], targets: [[1, 0, '1/2', 2], [0, -1, 1, '1/4']] },
    }),
  );
  return p;
}

describe('two-layer networks through CurvatureProblem', () => {
  test('tanh: no exact Hessian, float reference; estimators, loss-only curvature and the Hessian plane agree with it', () => {
    const problem = loadNetwork(modelFile('tanh'));
    expect(problem.params).toBe(15);
    const ref = curvatureReference(problem);
    expect(ref.source).toBe('float64');
    expect(ref.note).toMatch(/no exact Hessian/);
    const tr = ref.trace?.value ?? NaN;
    expect(hutchPlusPlus(problem.hessian, { samples: 60 }).estimate).toBeCloseTo(tr, 9); // sketch 20 ≥ n
    const h = hutchinson(problem.hessian, { samples: 30, seed: 4 });
    const fd = finiteDifferenceTrace(problem, { samples: 30, seed: 4 });
    // Not a polynomial: Richardson converges to about 1e-9 relative instead of terminating.
    (fd.values ?? []).forEach((v, i) => expect(Math.abs(v - ((h.values ?? [])[i] as number))).toBeLessThan(1e-7 * Math.max(1, Math.abs(v))));
    const ev = referenceEigenvalues(ref) ?? [];
    const plane = hessianPlane(problem);
    expect(plane.top.eigenvalue).toBeCloseTo(ev[ev.length - 1] as number, 9);
    expect(plane.bottom.eigenvalue).toBeCloseTo(ev[0] as number, 9);
    expect(plane.isDiagonal).toBe(true);
    expect(plane.finiteDifference?.top).toBeCloseTo(plane.top.eigenvalue, 6);
    const sp = spectrumReport(problem, { k: 2, exactEigenvalues: ev });
    expect(sp.top.pairs[0]?.eigenvalue).toBeCloseTo(ev[ev.length - 1] as number, 9);
    const pr = randomProjections(problem, { samples: 800, seed: 2, reference: ref, distributions: ['rademacher', 'filter'] });
    for (const d of pr.distributions) expect(Math.abs(d.oneD.mean.value - (d.exact?.mean.value ?? NaN))).toBeLessThan(4.5 * d.oneD.mean.standardError);
    const land = computeLandscape(problem, { plane: 'hessian', grid: 5, span: 0.5 });
    expect(land.loss[2]?.[2]).toBeCloseTo(problem.loss(problem.theta), 14);
  });

  test('identity activation: the exact rational trace; the CLI commands run on the file', () => {
    const file = modelFile('identity');
    const ref = curvatureReference(loadNetwork(file));
    expect(ref.source).toBe('exact');
    expect(ref.trace?.exact).toMatch(/^-?\d+(\/\d+)?$/);
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(main(['trace', file, '--samples', '10'])).toBe(0);
      expect(main(['projections', file, '--directions', 'hessian'])).toBe(0);
      expect(main(['spectrum', file, '--top', '2'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('two-layer ReLU network at a kink', () => {
  test('the exact Hessian is refused (no Hessian at a kink): float reference with the reason; the CLI prints the warning', () => {
    const p = join(dir, 'kink.json');
    // (W_1 x)_1 = 1·2 + 2·(−1) = 0 for the first sample: a ReLU kink.
    writeFileSync(p, JSON.stringify({ kind: 'two-layer', activation: 'relu', loss: 'squared', weights: [[[1, 2], [1, -1]], [[1, '1/2']]], data: { inputs: [[2, 1], [-1, 1]], targets: [[1, 0]] } }));
    const ref = curvatureReference(loadNetwork(p));
    expect(ref.source).toBe('float64');
    expect(ref.note).toMatch(/kink/);
    let err = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    try {
      expect(main(['trace', p, '--samples', '5'])).toBe(0);
    } finally {
      out.mockRestore();
      e.mockRestore();
    }
    expect(err).toMatch(/warning: .*ReLU kink/);
  });
});
