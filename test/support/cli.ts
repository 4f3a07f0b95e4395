import { main } from '../../src/cli/main.js';

/** The outcome of one in-process CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Captures standard output and error until `stop` is called. */
function capture(): { stop: () => { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  return {
    stop: () => {
      out.mockRestore();
      err.mockRestore();
      return { stdout, stderr };
    },
  };
}

/** Runs `dln-hessian ARGV…` in process, capturing standard output and error (closed-form commands, which answer synchronously). */
export function runCli(...argv: string[]): CliRun {
  const c = capture();
  let code: number | Promise<number>;
  let streams: { stdout: string; stderr: string };
  try {
    code = main(argv);
  } finally {
    streams = c.stop();
  }
  if (typeof code !== 'number') throw new Error(`${argv[0] ?? ''} answers asynchronously: use runCliAsync`);
  return { code, ...streams };
}

/** Runs `dln-hessian ARGV…` in process and waits for it (commands on an autodiff backend are asynchronous). */
export async function runCliAsync(...argv: string[]): Promise<CliRun> {
  const c = capture();
  try {
    const code = await main(argv);
    return { code, ...c.stop() };
  } catch (e) {
    c.stop();
    throw e;
  }
}
