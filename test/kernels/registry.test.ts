import { availableParallelism } from 'node:os';

type Registry = typeof import('../../src/kernels/registry.js');

/** A fresh copy of the registry module (its choice is made once per process) under `env`. */
function freshRegistry(env: Record<string, string | undefined>): Registry {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(env)) {
    saved[key] = process.env[key];
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  let mod: Registry | undefined;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require('../../src/kernels/registry.js') as Registry;
    });
    // Force the choice while the environment is set.
    mod?.activeKernel();
  } finally {
    for (const key of Object.keys(saved)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  return mod as Registry;
}

const cores = availableParallelism();

describe('kernel registry', () => {
  it('DLN_KERNEL=js selects the JavaScript kernel; the default is the first that loaded of native, wasm, js', () => {
    expect(freshRegistry({ DLN_KERNEL: 'js', DLN_THREADS: undefined }).activeKernel().name).toBe('js');
    const r = freshRegistry({ DLN_KERNEL: undefined, DLN_THREADS: undefined });
    const first = r.kernelStatuses().find((s) => s.available);
    expect(r.activeKernel().name).toBe(first?.name);
  });

  it('a DLN_KERNEL that is not a kernel name is a KernelSettingError naming the choices', () => {
    expect(() => freshRegistry({ DLN_KERNEL: 'cuda' })).toThrow(/DLN_KERNEL="cuda" is not a kernel \(use one of native, wasm, js\)/);
  });

  it('a kernel that did not load is a notice, not a failure, when named by DLN_KERNEL; useKernel says why', () => {
    const r = freshRegistry({ DLN_KERNEL: 'native', DLN_NATIVE_ADDON: '/nonexistent/dln_blas.node' });
    expect(r.activeKernel().name).not.toBe('native');
    expect(r.kernelNotices()).toEqual([expect.stringMatching(/DLN_KERNEL=native asked for a kernel that did not load; using (wasm|js)/)]);
    const status = r.kernelStatuses().find((s) => s.name === 'native');
    expect(status?.available).toBe(false);
    expect(status?.reason).toMatch(/addon/);
    expect(() => r.useKernel('native')).toThrow(/the native kernel is not available: /);
  });

  it('thread counts: default the available cores; DLN_THREADS and setThreads checked against them', () => {
    expect(freshRegistry({ DLN_THREADS: undefined }).configuredThreads()).toBe(cores);
    expect(freshRegistry({ DLN_THREADS: '1' }).configuredThreads()).toBe(1);
    expect(() => freshRegistry({ DLN_THREADS: 'two' })).toThrow(/DLN_THREADS must be a whole number of threads from 1 to \d+ \(the available cores\), got "two"/);
    expect(() => freshRegistry({ DLN_THREADS: String(cores + 1) })).toThrow(/more would oversubscribe them/);
    const r = freshRegistry({ DLN_THREADS: undefined });
    expect(() => r.setThreads(0)).toThrow(r.KernelSettingError);
    r.setThreads(1);
    expect(r.configuredThreads()).toBe(1);
    expect(r.activeThreads()).toBe(1);
  });

  it('the native kernel, where it loads, runs the configured number of BLAS threads', () => {
    const r = freshRegistry({ DLN_THREADS: undefined, DLN_KERNEL: undefined });
    if (!r.availableKernels().some((k) => k.name === 'native')) return;
    const k = r.useKernel('native');
    r.setThreads(1);
    expect(k.threads()).toBe(1);
    r.setThreads(cores);
    expect(k.threads()).toBe(cores);
  });
});
