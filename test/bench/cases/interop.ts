import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importModel } from '../../../src/interop/import.js';
import { importedModelFiles } from '../../../src/interop/model-files.js';
import { parseTensorFile, encodeTensorFile } from '../../../src/interop/tensor-file.js';
import { loadAnySource } from '../../../src/models/source.js';
import { writeFilesAtomic } from '../../../src/plots/files.js';
import { type BenchCase, type BenchMeasurement, measure, seededRandom } from '../harness.js';

/**
 * Loading an imported model of 4 layers 256×256 (262 144 float32 weights, DMF with a 256×256 float32
 * target): the model file with every entry inline as exact text, against the model file that
 * references a companion .safetensors. Both read every value exactly (a Rational each).
 */
function files(): { dir: string; inline: string; referenced: string } {
  const rand = seededRandom(20261204);
  const d = 256;
  const f32 = (name: string) => ({ name, dtype: 'float32' as const, shape: [d, d], values: Float32Array.from({ length: d * d }, () => (rand() - 0.5) / 8) });
  const weights = parseTensorFile(encodeTensorFile('npz', [0, 1, 2, 3].map((i) => f32(`layers.${i}.weight`))), 'w.npz');
  const data = parseTensorFile(encodeTensorFile('npz', [f32('target')]), 'd.npz');
  const imp = importModel(weights, { kind: 'dmf', data });
  const dir = mkdtempSync(join(tmpdir(), 'bench-interop-'));
  const inline = join(dir, 'inline.json');
  const referenced = join(dir, 'ref.json');
  writeFilesAtomic(importedModelFiles(imp, inline, 'inline'));
  writeFilesAtomic(importedModelFiles(imp, referenced, 'file'));
  return { dir, inline, referenced };
}

function loadCase(which: 'inline' | 'referenced'): BenchCase {
  return {
    group: 'interop',
    name: `load 4×256² model (${which === 'inline' ? 'entries inline in JSON' : 'tensors in .safetensors'})`,
    run(): BenchMeasurement {
      const f = files();
      try {
        const path = f[which];
        const t = measure(() => loadAnySource(path).model.weights.length, { warmup: 1, repetitions: 3, maxSeconds: 60 });
        const bytes = statSync(path).size + (which === 'referenced' ? statSync(path.replace(/\.json$/, '.safetensors')).size : 0);
        return { seconds: t.best, peakRssMiB: t.peakRssMiB, metric: { name: 'bytes on disk', value: bytes / 1e6, unit: 'MB' }, notes: `median ${t.median.toFixed(3)} s; ${which === 'referenced' ? 'JSON + safetensors' : 'JSON'} ${(bytes / 1e6).toFixed(2)} MB` };
      } finally {
        rmSync(f.dir, { recursive: true, force: true });
      }
    },
  };
}

/** The interop cases. */
export const interopCases: readonly BenchCase[] = [loadCase('inline'), loadCase('referenced')];
