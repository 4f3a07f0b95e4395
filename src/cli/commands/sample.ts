import { ACTIVATIONS, TWO_LAYER_LOSSES, type ActivationName, type TwoLayerLoss } from '../../twolayer/model.js';
import { parseNumberOption } from '../../curvature/options.js';
import { LimitError } from '../../hessian/limits.js';
import { formatBytes } from '../../io/input.js';
import { MAX_MODEL_FILE_BYTES } from '../../models/reader.js';
import { sampledLoss, sampleTwoLayerModel, toDecimalModel } from '../../twolayer/sample.js';
import { twoLayerModelText } from '../../families/model-writer.js';
import { flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { emit } from '../io.js';

export const sampleCommand: CommandSpec = {
  name: 'sample',
  summary: 'Write a random two-layer model file (seeded LeCun-scale weights, Gaussian inputs, teacher targets), optionally trained by gradient descent.',
  positionals: [],
  flags: {
    d: { kind: 'integer', min: 1, max: 4096, description: 'input dimension (default 8)' },
    h: { kind: 'integer', min: 1, max: 4096, description: 'hidden width (default 16)' },
    c: { kind: 'integer', min: 1, max: 1024, description: 'outputs / classes (default 3)' },
    n: { kind: 'integer', min: 1, max: 100000, description: 'samples (default 64)' },
    activation: { kind: 'string', description: `${ACTIVATIONS.join(', ')} (default relu)`, valueName: 'NAME' },
    loss: { kind: 'string', description: `${TWO_LAYER_LOSSES.join(' or ')} (default cross-entropy)`, valueName: 'NAME' },
    seed: { kind: 'integer', min: 0, description: 'seed of the weights (default 1)' },
    'data-seed': { kind: 'integer', min: 0, description: 'seed of the inputs and the teacher (default 0; same data seed, same data)' },
    'input-mean': { kind: 'string', description: 'mean of every input entry (default 0)', valueName: 'X' },
    'train-steps': { kind: 'integer', min: 0, max: 1000000, description: 'full-batch gradient-descent steps after sampling (default 0)' },
    'learning-rate': { kind: 'string', description: 'gradient-descent step size (default 0.1)', valueName: 'ETA' },
    name: { kind: 'string', description: 'the model\'s "name"', valueName: 'TEXT' },
    out: { kind: 'string', description: 'write the model to FILE (whole, or not at all); default: stdout', valueName: 'FILE' },
  },
};

function finiteFlag(args: ParsedArgs, name: string, fallback: number): number {
  const text = flagString(args, name);
  if (text === undefined) return fallback;
  // The decimal syntax of every numeric option (no "", "0x10", "Infinity").
  return parseNumberOption(text, `--${name}`, { min: -1e300, max: 1e300 });
}

/** Characters written per sampled entry (a shortest round-trip decimal, a comma, a space, a sign). */
const CHARS_PER_ENTRY = 24;

/**
 * Refuses up front a model whose file would exceed the model-file limit (it could not be read back,
 * and the text alone would exhaust memory): the estimate, the limit and the flags that set the size.
 */
function assertSampleFits(spec: { d: number; h: number; c: number; n: number }): void {
  const { d, h, c, n } = spec;
  const entries = h * d + c * h + d * n + c * n;
  const bytes = entries * CHARS_PER_ENTRY;
  if (bytes > MAX_MODEL_FILE_BYTES) {
    throw new LimitError(
      `sample: the model file would hold ${entries} entries, about ${formatBytes(bytes)}, above the model-file limit of ${formatBytes(MAX_MODEL_FILE_BYTES)} ` +
        '(it could not be read back); lower --d, --h, --c or --n (the entries are h·d + c·h + d·n + c·n)',
    );
  }
}

export function runSample(args: ParsedArgs): number {
  const activation = flagString(args, 'activation') ?? 'relu';
  const a = ACTIVATIONS.find((x) => x === activation);
  if (a === undefined) throw new UsageError(`sample: unknown activation "${activation}" (supported: ${ACTIVATIONS.join(', ')})`);
  const lossName = flagString(args, 'loss') ?? 'cross-entropy';
  const l = TWO_LAYER_LOSSES.find((x) => x === lossName);
  if (l === undefined) throw new UsageError(`sample: unknown loss "${lossName}" (supported: ${TWO_LAYER_LOSSES.join(', ')})`);
  const c = flagInt(args, 'c', 3);
  if (l === 'cross-entropy' && c < 2) throw new UsageError('sample: cross-entropy needs --c of at least 2 classes');
  const eta = finiteFlag(args, 'learning-rate', 0.1);
  if (!(eta > 0)) throw new UsageError(`sample: --learning-rate must be positive, got ${eta}`);
  const spec = {
    d: flagInt(args, 'd', 8),
    h: flagInt(args, 'h', 16),
    c,
    n: flagInt(args, 'n', 64),
    activation: a satisfies ActivationName,
    loss: l satisfies TwoLayerLoss,
    seed: flagInt(args, 'seed', 1),
    dataSeed: flagInt(args, 'data-seed', 0),
    inputMean: finiteFlag(args, 'input-mean', 0),
    trainSteps: flagInt(args, 'train-steps', 0),
    learningRate: eta,
  };
  assertSampleFits(spec);
  const model = sampleTwoLayerModel(spec);
  const loss = sampledLoss(model);
  if (!Number.isFinite(loss)) throw new UsageError(`sample: the loss diverged (${loss}) during training; lower --learning-rate`);
  const name = flagString(args, 'name');
  const description =
    `sampled: d=${spec.d} h=${spec.h} c=${spec.c} n=${spec.n}, ${spec.activation}, ${spec.loss}, seed ${spec.seed}, data seed ${spec.dataSeed}, ` +
    `input mean ${spec.inputMean}, ${spec.trainSteps} GD steps at ${spec.learningRate}; loss ${loss}`;
  const exact = toDecimalModel(model);
  emit(twoLayerModelText({ ...exact, description, ...(name !== undefined ? { name } : {}) }), flagString(args, 'out'));
  return 0;
}
