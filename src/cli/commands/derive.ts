import { extname } from 'node:path';
import { DerivationCheckError } from '../../derivation/checks.js';
import { DERIVATION_FORMATS, DOCUMENT_BUILDERS, deriveDocument, renderDocument, type DerivationFormat } from '../../derivation/registry.js';
import { DERIVE_LIMITS, DerivationInputError, type DeriveRequest } from '../../derivation/request.js';
import { flagBool, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { emit } from '../io.js';

/** The `derive` command: a checked derivation document (docs/derive.md). */
export const deriveCommand: CommandSpec = {
  name: 'derive',
  summary: 'A derivation of the Hessian (gradient, every block, minimizer structure, bounds) in Markdown, LaTeX or HTML, every step checked on an exact instance against the engine.',
  positionals: [],
  flags: {
    depth: { kind: 'integer', min: 1, max: DERIVE_LIMITS.maxDepth, description: 'number of layers N (required unless --model)', valueName: 'N' },
    widths: { kind: 'string', description: 'widths d_0,...,d_N (default 2 for every width)', valueName: 'd0,...,dN' },
    data: { kind: 'boolean', description: 'deep linear network with data, L = (1/2n)‖PX − Y‖² (default: deep matrix factorization)' },
    model: { kind: 'string', description: 'use this model (or example:ID) as the worked instance instead of the built-in one', valueName: 'MODEL.json' },
    format: { kind: 'string', description: `${DERIVATION_FORMATS.join(' | ')} (default: from the --out extension, else md)`, valueName: 'FORMAT' },
    out: { kind: 'string', description: 'write the document to FILE (whole, or not at all)', valueName: 'FILE' },
    arch: { kind: 'string', description: `architecture (${DOCUMENT_BUILDERS.map((b) => b.architecture).join(', ')}; default ${DOCUMENT_BUILDERS[0]?.architecture ?? ''})`, valueName: 'NAME' },
  },
};

/** Exit status when a check of the generated document disagrees. */
export const EXIT_CHECK_FAILED = 1;

const EXTENSIONS: Readonly<Record<string, DerivationFormat>> = { '.md': 'md', '.markdown': 'md', '.tex': 'tex', '.html': 'html', '.htm': 'html' };

function parseWidths(text: string): number[] {
  if (!/^\s*\d+(\s*,\s*\d+)*\s*$/.test(text)) throw new UsageError(`derive: --widths expects positive integers separated by commas (d0,d1,...,dN), got "${text}"`);
  const widths = text.split(',').map((s) => Number(s.trim()));
  const bad = widths.findIndex((d) => d < 1);
  if (bad >= 0) throw new UsageError(`derive: --widths: d_${bad} must be at least 1, got ${widths[bad]}`);
  return widths;
}

function formatOf(args: ParsedArgs): DerivationFormat {
  const f = flagString(args, 'format');
  if (f !== undefined) {
    if (!(DERIVATION_FORMATS as readonly string[]).includes(f)) throw new UsageError(`derive: --format must be one of ${DERIVATION_FORMATS.join(', ')}, got "${f}"`);
    return f as DerivationFormat;
  }
  const out = flagString(args, 'out');
  return (out === undefined ? undefined : EXTENSIONS[extname(out).toLowerCase()]) ?? 'md';
}

/** Runs `derive`: 0 written, 1 a check disagreed (nothing written), 2 bad input (thrown, mapped by main). */
export function runDerive(args: ParsedArgs): number {
  const format = formatOf(args);
  const widthsText = flagString(args, 'widths');
  const depth = args.flags.get('depth');
  const model = flagString(args, 'model');
  const arch = flagString(args, 'arch');
  const request: DeriveRequest = {
    ...(typeof depth === 'number' ? { depth } : {}),
    ...(widthsText !== undefined ? { widths: parseWidths(widthsText) } : {}),
    data: flagBool(args, 'data'),
    ...(model !== undefined ? { modelSource: model } : {}),
    ...(arch !== undefined ? { architecture: arch } : {}),
  };
  let text: string;
  let summary: string;
  try {
    const result = deriveDocument(request);
    text = renderDocument(result.document, format);
    const s = result.stats;
    summary = `${s.chains} chains (${s.equalities} equalities), ${s.identities} identity checks and ${s.rows} table rows agree`;
  } catch (e) {
    if (e instanceof DerivationInputError) throw new UsageError(`derive: ${e.message}`);
    if (e instanceof DerivationCheckError) {
      process.stderr.write(`dln-hessian: derive: ${e.message}\nno document was written\n`);
      return EXIT_CHECK_FAILED;
    }
    throw e;
  }
  const out = flagString(args, 'out');
  emit(text, out);
  if (out !== undefined) process.stdout.write(`derive: ${summary}; wrote ${out} (${format})\n`);
  return 0;
}
