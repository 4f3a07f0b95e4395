/** Model problems and their file format (docs/model-format.md). */
export { EXIT_BAD_INPUT, FileWriteError, ModelError } from './errors.js';
export type { ModelErrorKind, ModelErrorOptions } from './errors.js';
export { describeJson, getMember, JsonSyntaxError, MAX_JSON_DEPTH, parseJson } from './json.js';
export type { JsonArray, JsonBoolean, JsonLocation, JsonMember, JsonNode, JsonNull, JsonNumber, JsonObject, JsonString } from './json.js';
export {
  convertModel,
  depth,
  makeDlnModel,
  makeDmfModel,
  MODEL_KINDS,
  parameterCount,
  sampleCount,
  shapeProblem,
  toFloat64Model,
  widthsOf,
} from './model.js';
export type { Dataset, DeepLinearModel, Dims, DlnModel, DmfModel, Reduction, ModelKind, ModelOptions, ShapeProblem } from './model.js';
export { loadModelFile, MAX_ENTRY_CHARS, MAX_MODEL_FILE_BYTES, MODEL_KEYS, modelFromJson, parseModel } from './load.js';
export { builtinExamples, exampleIds, getExample, loadExample } from './examples/index.js';
export type { BuiltinExample } from './examples/index.js';
export { EXAMPLE_PREFIX, loadModelSource } from './source.js';
