/**
 * Renders a Vega-Lite specification to SVG in Node, headless (no browser): the spec is compiled by
 * vega-lite and rendered by `new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG()`.
 *
 * vega and vega-lite are ES modules with top-level await (vega-canvas probes for node-canvas), which
 * CommonJS cannot `require`; the rendering runs in a worker thread that `import()`s them, and the
 * caller waits for it synchronously (`Atomics.wait` on a shared flag, then `receiveMessageOnPort`),
 * so the CLI stays synchronous. The SVG is checked for well-formedness before it is returned.
 */
import { resolveOptional } from '../errors/optional-dependency.js';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { checkSvg } from './svg-check.js';

/** Rendering failed (vega error, timeout, or a malformed result). */
export class PlotRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlotRenderError';
  }
}

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, flag, spec, vegaUrl, vegaLiteUrl } = workerData;
const done = (message) => {
  try { port.postMessage(message); } finally { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }
};
process.on('uncaughtException', (e) => done({ ok: false, error: String((e && e.stack) || e) }));
(async () => {
  const vl = await import(vegaLiteUrl);
  const vega = await import(vegaUrl);
  // Warnings (e.g. merged legend properties) are not errors: keep them off the terminal.
  const compiled = vl.compile(spec, { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
})().then((svg) => done({ ok: true, svg }), (e) => done({ ok: false, error: String((e && e.stack) || e) }));
`;

interface WorkerReply {
  readonly ok: boolean;
  readonly svg?: string;
  readonly error?: string;
}

/**
 * Rounds the numbers in geometric attributes (path data, coordinates, sizes, transforms, offsets) to
 * 2 decimals: a hundredth of a pixel is invisible and vega writes 15 digits, so files shrink by about
 * half. Text content and descriptive attributes (titles, labels, `aria-label`) are left as they are.
 */
export function compactSvg(svg: string): string {
  return svg.replace(/ (d|transform|x|y|x1|x2|y1|y2|width|height|cx|cy|r|rx|ry|points|offset|stroke-width|opacity)="([^"]*)"/g, (_m, name: string, value: string) => ` ${name}="${value.replace(/-?\d+(?:\.\d+)?e[-+]?\d+|-?\d+\.\d{3,}/g, (x) => {
    const r = Number(Number(x).toFixed(2));
    return Object.is(r, -0) ? '0' : String(r);
  })}"`);
}

/** Renders `spec` (Vega-Lite) to an SVG string. Throws {@link PlotRenderError}, or `MissingDependencyError` when vega is not installed. */
export function renderVegaLiteSvg(spec: VegaLiteSpec, timeoutMs = 120000): string {
  const [vegaPath, vegaLitePath] = resolveOptional(['vega', 'vega-lite'], 'rendering plots to SVG') as [string, string];
  const vegaUrl = pathToFileURL(vegaPath).href;
  const vegaLiteUrl = pathToFileURL(vegaLitePath).href;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag, spec, vegaUrl, vegaLiteUrl }, transferList: [port2] });
  worker.unref();
  try {
    const waited = Atomics.wait(flag, 0, 0, timeoutMs);
    const msg = receiveMessageOnPort(port1);
    if (msg === undefined) throw new PlotRenderError(waited === 'timed-out' ? `rendering timed out after ${timeoutMs / 1000} s` : 'the renderer exited without a result');
    const reply = msg.message as WorkerReply;
    if (!reply.ok || typeof reply.svg !== 'string') throw new PlotRenderError(`vega could not render the plot: ${reply.error ?? 'no SVG'}`);
    const svg = compactSvg(reply.svg);
    try {
      checkSvg(svg);
    } catch (e) {
      throw new PlotRenderError(`vega produced an invalid SVG: ${e instanceof Error ? e.message : String(e)}`);
    }
    return svg;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
