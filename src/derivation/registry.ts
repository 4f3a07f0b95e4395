/**
 * Document builders by architecture, and the entry points of the derivation library:
 * {@link deriveDocument} (build and check) and {@link renderDocument} (Markdown, LaTeX or HTML).
 *
 * A new architecture (e.g. two-layer networks, `docs/math.md §5`) adds a {@link DocumentBuilder} to
 * {@link DOCUMENT_BUILDERS}; the `derive` command picks it with `--arch NAME`.
 */
import { DerivationCheckError } from './checks.js';
import { deepLinearDocument } from './deep-linear/builder.js';
import { twoLayerDocument } from './two-layer.js';
import type { DerivationDocument } from './document.js';
import { renderHtml } from './html.js';
import { renderLatex } from './latex.js';
import { renderMarkdown } from './markdown.js';
import { DerivationInputError, type DeriveRequest } from './request.js';
import type { DerivationResult } from './result.js';

/** Builds the checked derivation document of one model family. */
export interface DocumentBuilder {
  /** Name used by `--arch`, e.g. `deep-linear`. */
  readonly architecture: string;
  /** One line for help texts. */
  readonly summary: string;
  /** Builds the document and runs its checks (failures are returned in the result, not thrown). */
  build(request: DeriveRequest): DerivationResult;
}

/** Deep linear networks: deep matrix factorization `½‖W_N⋯W_1 − M‖²` and networks with data `(1/2n)‖PX − Y‖²`. */
export const deepLinearBuilder: DocumentBuilder = {
  architecture: 'deep-linear',
  summary: 'deep linear networks: deep matrix factorization, or with data (--data); scalar chains when every width is 1',
  build: deepLinearDocument,
};

/** The registered builders, the default first. */
/** Two-layer networks `W_2 σ(W_1 x)` (`docs/math.md §5`): a two-layer model file (`--model`) or the built-in quadratic instance (`--widths d,h,c`). */
export const twoLayerBuilder: DocumentBuilder = {
  architecture: 'two-layer',
  summary: 'two-layer networks W_2 σ(W_1 x): --model a two-layer file, or the built-in quadratic instance with --widths d,h,c',
  build: twoLayerDocument,
};

export const DOCUMENT_BUILDERS: readonly DocumentBuilder[] = [deepLinearBuilder, twoLayerBuilder];

/** The builder for an architecture; {@link DerivationInputError} listing the known ones otherwise. */
export function documentBuilder(architecture: string): DocumentBuilder {
  const b = DOCUMENT_BUILDERS.find((x) => x.architecture === architecture);
  if (b === undefined) {
    throw new DerivationInputError(`--arch: unknown architecture "${architecture}" (available: ${DOCUMENT_BUILDERS.map((x) => x.architecture).join(', ')})`);
  }
  return b;
}

/**
 * Builds the derivation document a request asks for and checks it: every chain of equalities on
 * the exact instance, every identity on random rational matrices, every closed form against the
 * engine.
 *
 * @throws DerivationInputError for an inconsistent or unsupported request; LimitError above the
 *   size limits; ModelError for a bad model file; DerivationCheckError (with the result) when a
 *   check disagrees.
 */
export function deriveDocument(request: DeriveRequest): DerivationResult {
  const result = documentBuilder(request.architecture ?? 'deep-linear').build(request);
  if (result.failures.length > 0) throw new DerivationCheckError(result.failures);
  return result;
}

/** Output formats of a document. */
export type DerivationFormat = 'md' | 'tex' | 'html';

/** The formats, in the order help texts list them. */
export const DERIVATION_FORMATS: readonly DerivationFormat[] = ['md', 'tex', 'html'];

/** A document as Markdown, a standalone LaTeX file, or a self-contained HTML page. */
export function renderDocument(doc: DerivationDocument, format: DerivationFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(doc);
    case 'tex':
      return renderLatex(doc);
    case 'html':
      return renderHtml(doc);
  }
}
