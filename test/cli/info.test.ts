import { availableParallelism } from 'node:os';
import { runCli } from '../support/cli.js';
import { activeKernel, kernelStatuses } from '../../src/kernels/registry.js';

describe('dln-hessian info', () => {
  it('prints the active kernel, the thread count, a measured GFLOP/s and the kernels that loaded', () => {
    const r = runCli('info', '--size', '64');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^kernel: +${activeKernel().name} \\(`, 'm'));
    expect(r.stdout).toMatch(/^threads: +\d+/m);
    expect(r.stdout).toMatch(/^measured: \w+ float64 GEMM 64³, \d+ threads?: \d+\.\d GFLOP\/s/m);
    const notLoaded = kernelStatuses().filter((s) => !s.available);
    // One notice line per kernel that failed to load, never a failure.
    expect(r.stdout.split('\n').filter((l) => l.startsWith('notice:') && l.includes('did not load'))).toHaveLength(notLoaded.length);
  });

  it('--json gives one object whose measurement is a positive throughput of the active kernel', () => {
    const r = runCli('info', '--size', '32', '--json', '--all');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { kernel: { name: string }; cores: number; threads: { configured: number }; measured: { kernel: string; gflops: number; size: number }[]; kernels: { name: string; available: boolean }[] };
    expect(j.kernel.name).toBe(activeKernel().name);
    expect(j.cores).toBe(availableParallelism());
    expect(j.measured[0]?.kernel).toBe(j.kernel.name);
    expect(j.measured.length).toBe(j.kernels.filter((k) => k.available).length);
    for (const m of j.measured) {
      expect(m.size).toBe(32);
      expect(m.gflops).toBeGreaterThan(0);
    }
  });

  it('--threads is a global option: accepted before or after the command, checked against the cores (exit 2)', () => {
    const one = runCli('--threads', '1', 'info', '--size', '32', '--json');
    expect(one.code).toBe(0);
    expect((JSON.parse(one.stdout) as { threads: { configured: number; active: number } }).threads).toEqual({ configured: 1, active: 1 });
    const after = runCli('info', '--size', '32', '--json', '--threads=1');
    expect(after.code).toBe(0);
    const bad = runCli('info', '--threads', String(availableParallelism() + 1));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads = \d+: the thread count must be from 1 to \d+ \(the available cores; more would oversubscribe them\)/);
    expect(bad.stdout).toBe('');
    const missing = runCli('info', '--threads');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--threads needs a value/);
  });
});
