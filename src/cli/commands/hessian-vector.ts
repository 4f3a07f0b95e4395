import { loadNetwork } from '../../families/registry.js';
import { createRng, gaussianVector } from '../../random/rng.js';
import { norm2 } from '../../linalg/vectors.js';
import { describeJson, getMember, type JsonNode } from '../../models/json.js';
import { ModelReader, parseModelJson, readModelText } from '../../models/reader.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { BACKEND_FLAG, parseBackend, withBackend } from '../backend.js';
import { formatNumber } from '../format.js';
import { emit } from '../io.js';
import { jsonText } from '../json-output.js';
import { ORDER_FLAG, parseOrder } from '../order-flag.js';
import { inOrder, orderDescription, toColumnOrder } from '../../curvature/order.js';

/** `dln-hessian hessian-vector`: one Hessian–vector product, by the closed forms or by automatic differentiation. */
export const hessianVectorCommand: CommandSpec = {
  name: 'hessian-vector',
  summary: 'One Hessian–vector product H·v at the model’s weights: closed form (binary64) or autodiff on a TensorFlow.js backend (--backend).',
  positionals: ['MODEL.json'],
  flags: {
    vector: { kind: 'string', description: 'v from a JSON file: an array of numbers, or {"vector": [...]}, in the order of --order', valueName: 'FILE.json' },
    order: ORDER_FLAG,
    seed: { kind: 'integer', min: 0, description: 'without --vector: v is standard Gaussian from this seed (default 0)' },
    backend: BACKEND_FLAG,
    json: { kind: 'boolean', description: 'print one JSON object with the whole product' },
    out: { kind: 'string', description: 'write the JSON object (with the whole product) to FILE, whole or not at all', valueName: 'FILE.json' },
  },
};

/**
 * The vector of `--vector FILE`: a JSON array, or `{"vector": [...]}`, of the model's parameter
 * count. The file is read by the model reader (regular files only, the size limit on the bytes
 * read, syntax errors with line and column) and every entry by the model files' exact-number rules
 * (numbers or exact strings such as "3/4"; no "", "0x10", NaN), then rounded to binary64.
 */
function readVector(path: string, length: number): number[] {
  const root = parseModelJson(readModelText(path, 'vector file'), path);
  const reader = new ModelReader(path);
  let list: JsonNode | undefined = root;
  if (root.kind === 'object') {
    reader.checkKeys(root, ['vector'], '');
    list = getMember(root, 'vector')?.value;
  }
  if (list === undefined || list.kind !== 'array') {
    return reader.fail(`expected an array of numbers or an object {"vector": [...]}, got ${list === undefined ? 'an object without "vector"' : describeJson(list)}`, 'vector', list ?? root);
  }
  if (list.items.length !== length) reader.fail(`vector: expected ${length} entries (the parameter count), got ${list.items.length}`, 'vector', list);
  return list.items.map((x, i) => reader.entry(x, `vector[${i + 1}]`).toNumber());
}

function gaussian(length: number, seed: number): number[] {
  return Array.from(gaussianVector(createRng(seed), length));
}

const norm = norm2;

/** Runs `hessian-vector`. */
export async function runHessianVector(args: ParsedArgs): Promise<number> {
  const source = args.positionals[0] as string;
  const backend = parseBackend(args);
  const vectorFile = flagString(args, 'vector');
  if (vectorFile !== undefined && args.flags.has('seed')) throw new UsageError('--vector and --seed exclude each other');
  const order = parseOrder(args);
  const network = loadNetwork(source);
  const device = network.deviceModel();
  // v in θ (column) order; the file is in --order, and so is the product written.
  const v = vectorFile !== undefined ? toColumnOrder(network, readVector(vectorFile, device.dimension), order) : gaussian(device.dimension, flagInt(args, 'seed', 0));
  let Hv: ArrayLike<number>;
  let how: string;
  let tolerance: number | undefined;
  if (backend === 'closed') {
    Hv = network.hessian.matvec(v);
    how = 'closed form (binary64)';
  } else {
    [Hv, how, tolerance] = await withBackend(backend, async (session) => {
      const model = await session.load(device);
      const product = await model.hvp(v);
      return [product, `autodiff, ${session.describe()}`, model.tolerance] as const;
    });
  }
  const product = inOrder(network, Array.from(Hv), order);
  const vHv = Array.from(Hv).reduce((s, x, i) => s + x * (v[i] as number), 0);
  const result = {
    model: source,
    backend,
    method: how,
    order,
    orderDescription: orderDescription(network, order),
    vector: vectorFile ?? `gaussian, seed ${flagInt(args, 'seed', 0)}`,
    parameters: product.length,
    vectorNorm: norm(v),
    productNorm: norm(product),
    vHv,
    ...(tolerance !== undefined ? { relativeTolerance: tolerance } : {}),
    product,
  };
  const out = flagString(args, 'out');
  if (flagBool(args, 'json') || out !== undefined) {
    emit(jsonText('hessian-vector', result, true), out);
    if (out === undefined) return 0;
  }
  const head = product.slice(0, 8).map((x) => formatNumber(x, 8));
  process.stdout.write(
    [
      `model        ${source} (${product.length} parameters)`,
      `method       ${how}`,
      `v            ${result.vector}, ‖v‖ = ${formatNumber(result.vectorNorm, 12)}`,
      `order        ${result.orderDescription}`,
      `‖Hv‖         ${formatNumber(result.productNorm, 12)}`,
      `vᵀHv         ${formatNumber(vHv, 12)}`,
      ...(tolerance !== undefined ? [`tolerance    ${formatNumber(tolerance, 2)} relative to ‖H‖‖v‖ (float32 rounding bound, docs/autodiff.md)`] : []),
      `Hv[1..${head.length}]     ${head.join(', ')}${product.length > 8 ? ', …' : ''}`,
      out !== undefined ? `written      ${out}` : '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );
  return 0;
}
