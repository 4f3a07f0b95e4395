import { infoReport, type InfoReport } from '../../kernels/info.js';
import { flagBool, flagInt, flagString, type CommandSpec, type ParsedArgs } from '../args.js';
import { emit } from '../io.js';

export const infoCommand: CommandSpec = {
  name: 'info',
  summary: 'Show the float64 kernel in use, its thread count and a measured GFLOP/s; kernels that failed to load.',
  positionals: [],
  flags: {
    size: { kind: 'integer', description: 'measure the float64 product at SIZE³ (default 512)', min: 16, max: 2048, valueName: 'SIZE' },
    all: { kind: 'boolean', description: 'measure every kernel that loaded, not only the active one' },
    json: { kind: 'boolean', description: 'print one JSON object' },
    out: { kind: 'string', description: 'write the report to FILE instead (whole, or not at all)', valueName: 'FILE' },
  },
};

function text(r: InfoReport): string {
  const lines = [
    `kernel:   ${r.kernel.name} (${r.kernel.description})`,
    `threads:  ${r.threads.active}${r.threads.active !== r.threads.configured ? ` (configured ${r.threads.configured}; this kernel is single-threaded)` : ''} of ${r.cores} available core${r.cores === 1 ? '' : 's'} (--threads N or DLN_THREADS to change)`,
  ];
  lines.push(`lapack:   ${r.decompositions}`);
  for (const m of r.measured) {
    lines.push(`measured: ${m.kernel} float64 GEMM ${m.size}³, ${m.threads} thread${m.threads === 1 ? '' : 's'}: ${m.gflops.toFixed(1)} GFLOP/s (best of ${m.runs} runs, ${(m.seconds * 1e3).toFixed(1)} ms)`);
  }
  lines.push(`machine:  Node ${r.node}, ${r.platform}, ${r.cpu}`);
  lines.push('kernels:  ' + r.kernels.map((s) => `${s.name} ${s.available ? 'loaded' : 'not loaded'}`).join(', '));
  for (const n of r.notices) lines.push(`notice:   ${n}`);
  return lines.join('\n');
}

export function runInfo(args: ParsedArgs): number {
  const r = infoReport(flagInt(args, 'size', 512), flagBool(args, 'all'));
  emit(flagBool(args, 'json') ? JSON.stringify(r, null, 2) : text(r), flagString(args, 'out'));
  return 0;
}
