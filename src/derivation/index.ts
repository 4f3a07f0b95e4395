/**
 * Generated derivation documents (issue 4): symbolic matrix calculus on expression trees, rendered
 * as Markdown, LaTeX and HTML, every step checked on an exact instance and every closed form
 * against the engine. See docs/derive.md.
 */
export { deriveDocument, renderDocument, documentBuilder, deepLinearBuilder, DOCUMENT_BUILDERS, DERIVATION_FORMATS } from './registry.js';
export type { DocumentBuilder, DerivationFormat } from './registry.js';
export { DERIVE_LIMITS, DerivationInputError } from './request.js';
export type { DeriveLimits, DeriveRequest } from './request.js';
export type { DerivationResult, DerivationStats } from './result.js';
export { CheckLedger, DerivationCheckError, layerAssignments } from './checks.js';
export type { Assignment, CheckFailure, VerificationRow } from './checks.js';
export * from './expr.js';
// Affine layer indices of the expressions: the project's one index algebra (src/symbolic/).
export { ix, ixConst, ixEqual, ixIsConst, ixShift, ixSubstitute, ixValue, type Index } from '../symbolic/affine-index.js';
export { toMarkdown, toTex, indexText } from './render.js';
export { Evaluator, EvaluationError, evaluate, valuesEqual, asMatrix, scalarValue, matrixValue } from './evaluate.js';
export type { Definition, EvalEnv, Value } from './evaluate.js';
export * from './rules.js';
export { IDENTITIES, identityNamed, identityFormula, byIdentities, because, checkIdentity } from './identities.js';
export type { Identity, IdentityKey, IdentityCheck } from './identities.js';
export { Chain } from './chain.js';
export { countFormulas, formulaOf, formula, inline, paragraph, display, heading, list, strong, code, chainTex } from './document.js';
export type { Block, ChainStep, DerivationDocument, Formula, Inline, InlinePart } from './document.js';
export { renderMarkdown } from './markdown.js';
export { renderLatex, escapeLatexText } from './latex.js';
export { renderHtml, escapeHtml, KatexRenderError } from './html.js';
export { MultiPolynomial, NotPolynomialError, polynomialFromMathNode } from './scalar-polynomial.js';
export { scalarForm, NotScalarError } from './scalar-form.js';
export type { ScalarEnv } from './scalar-form.js';
export { builtinInstance, deepLinearInstance } from './deep-linear/instance.js';
export type { DeepLinearInstance } from './deep-linear/instance.js';
export { deepLinearDocument } from './deep-linear/builder.js';
export { GALLERY, galleryIndex } from './gallery.js';
export type { GalleryEntry } from './gallery.js';
