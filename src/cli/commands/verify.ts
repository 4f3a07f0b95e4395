/**
 * `dln-hessian verify "FORMULA"`: checks a formula over the engine's quantities against the exact
 * sharpness `λ_max` of generated minimizers, and shrinks a failure to a small exact counterexample
 * (docs/verify.md). Exit status 0 when it holds, 1 on a counterexample, 2 on a usage error.
 */
import { jsonText } from '../json-output.js';
import { MINIMIZER_KINDS, type MinimizerKind } from '../../generators/minimizers.js';
import { deepLinearModelText, writeAnyModelFile } from '../../families/model-writer.js';
import { FormulaError } from '../../verify/formula-error.js';
import { parseFormula } from '../../verify/formula.js';
import { RELATIONS, type Relation } from '../../verify/relation.js';
import { DEFAULT_MAX_BITS, relationText } from '../../verify/case-check.js';
import { verifyFormula, type VerifyResult } from '../../verify/verifier.js';
import { flagBool, flagInt, flagString, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';

/** Exit status when a counterexample is found. */
export const EXIT_COUNTEREXAMPLE = 1;

/** Generator limits (see `minimizerArbitrary`). */
const DEPTH_LIMITS: readonly [number, number] = [1, 12];
const WIDTH_LIMITS: readonly [number, number] = [1, 8];

export const verifyCommand: CommandSpec = {
  name: 'verify',
  summary: 'Check a formula F against the exact λ_max of generated minimizers (F = λ_max, F ≥ λ_max or F ≤ λ_max); shrink failures.',
  positionals: ['FORMULA'],
  flags: {
    relation: { kind: 'string', valueName: 'REL', description: 'equal (F = λ_max, default), upper (F ≥ λ_max) or lower (F ≤ λ_max)' },
    depth: { kind: 'string', valueName: 'MIN..MAX', description: `depth range N, e.g. 2..4 (default) or 3; within ${DEPTH_LIMITS.join('..')}` },
    width: { kind: 'string', valueName: 'MIN..MAX', description: `range of every width d_i, e.g. 1..4 (default) or 2; within ${WIDTH_LIMITS.join('..')}` },
    cases: { kind: 'integer', min: 1, max: 1000000, description: 'number of generated minimizers (default 200)' },
    seed: { kind: 'integer', min: 0, max: 2147483647, valueName: 'S', description: 'fast-check seed (default: random; printed for replay)' },
    kind: { kind: 'string', valueName: 'K1,K2', description: `minimizer kinds, comma-separated (default all: ${MINIMIZER_KINDS.join(',')})` },
    'max-bits': {
      kind: 'integer',
      min: 16,
      max: 100000,
      valueName: 'BITS',
      description: `finest precision of irrational enclosures before a case counts as undecided (default ${DEFAULT_MAX_BITS})`,
    },
    out: { kind: 'string', valueName: 'FILE', description: 'write the counterexample model file there (only on a counterexample)' },
    json: { kind: 'boolean', description: 'print one JSON object' },
  },
};

/** `"2..4"` or `"3"` as an inclusive range within `limits`. */
export function parseRange(name: string, text: string, limits: readonly [number, number]): [number, number] {
  const m = /^\s*(\d+)\s*(?:(?:\.\.|-)\s*(\d+))?\s*$/.exec(text);
  if (m === null) throw new UsageError(`verify: --${name} expects MIN..MAX or a single number, e.g. 2..4, got "${text}"`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo > hi) throw new UsageError(`verify: --${name} ${text}: the minimum exceeds the maximum`);
  if (lo < limits[0] || hi > limits[1]) throw new UsageError(`verify: --${name} ${text}: must lie within ${limits[0]}..${limits[1]}`);
  return [lo, hi];
}

function parseKinds(text: string): MinimizerKind[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`verify: --kind needs at least one of ${MINIMIZER_KINDS.join(', ')}`);
  const kinds: MinimizerKind[] = [];
  for (const n of names) {
    const k = MINIMIZER_KINDS.find((x) => x === n);
    if (k === undefined) throw new UsageError(`verify: unknown minimizer kind "${n}" (kinds: ${MINIMIZER_KINDS.join(', ')})`);
    if (!kinds.includes(k)) kinds.push(k);
  }
  return kinds;
}

function parseRelation(text: string | undefined): Relation {
  if (text === undefined) return 'equal';
  const r = RELATIONS.find((x) => x === text);
  if (r === undefined) throw new UsageError(`verify: --relation must be one of ${RELATIONS.join(', ')}, got "${text}"`);
  return r;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function undecidedNote(r: VerifyResult): string {
  if (r.undecided === 0) return `every case decided rigorously (exact values or disjoint enclosures)`;
  const digits = r.undecidedMinDigits === null ? '' : `, agreeing to at least ${r.undecidedMinDigits} digits`;
  return `${r.proven} decided rigorously; ${r.undecided} consistent but undecided at ${r.maxBits} bits (enclosures still overlap${digits}; irrational values cannot be proven equal)`;
}

function text(r: VerifyResult, ranges: { depth: readonly [number, number]; width: readonly [number, number] }, out: string | undefined): string {
  const lines = [
    `formula      F = ${r.formula}`,
    `relation     ${relationText(r.relation)}`,
    `minimizers   depth ${ranges.depth.join('..')}, widths ${ranges.width.join('..')}`,
  ];
  if (r.verdict === 'holds') {
    lines.push(`verdict      holds on ${plural(r.casesTried, 'generated minimizer')} (seed ${r.seed})`);
    lines.push(`rigor        ${undecidedNote(r)}`);
    lines.push(`time         ${r.seconds.toFixed(2)} s`);
    return lines.join('\n');
  }
  const c = r.counterexample;
  if (c === undefined) throw new Error('internal: counterexample verdict without a counterexample');
  lines.push(`verdict      counterexample (after shrinking): ${c.explanation}`);
  lines.push(
    `cases        ${r.casesTried} tried (seed ${r.seed}), ${plural(r.shrinks, 'shrinking step')}, ${plural(r.smallerSearches, 'search')} in smaller depths/widths`,
  );
  lines.push(`F            ${c.formulaValue.text}${c.formulaValue.exact === undefined ? ` ≈ ${c.formulaValue.approx}` : ''}`);
  lines.push(`λ_max        ${c.lambdaMax.text}${c.lambdaMax.exact === undefined ? ` ≈ ${c.lambdaMax.approx}` : ''}`);
  lines.push(`size         ${plural(c.parameters, 'parameter')}, depth N = ${c.model.weights.length}, widths d_0..d_N = ${c.model.widths.join(', ')}`);
  lines.push(`time         ${r.seconds.toFixed(2)} s`);
  if (out !== undefined) lines.push(`written      ${out}`);
  lines.push('', 'counterexample model file (exact):', deepLinearModelText(c.model).trimEnd());
  return lines.join('\n');
}

function json(r: VerifyResult, ranges: { depth: readonly [number, number]; width: readonly [number, number] }, kinds: readonly MinimizerKind[], out: string | undefined): string {
  const c = r.counterexample;
  const obj = {
    formula: r.formula,
    relation: r.relation,
    verdict: r.verdict,
    casesTried: r.casesTried,
    seed: r.seed,
    depth: ranges.depth,
    width: ranges.width,
    kinds,
    proven: r.proven,
    undecided: r.undecided,
    undecidedMinDigits: r.undecidedMinDigits,
    maxBits: r.maxBits,
    shrinks: r.shrinks,
    smallerSearches: r.smallerSearches,
    seconds: r.seconds,
    ...(c !== undefined
      ? {
          counterexample: {
            explanation: c.explanation,
            formulaValue: c.formulaValue,
            lambdaMax: c.lambdaMax,
            parameters: c.parameters,
            widths: c.model.widths,
            modelFile: deepLinearModelText(c.model),
            ...(out !== undefined ? { writtenTo: out } : {}),
          },
        }
      : {}),
  };
  return jsonText('verify', obj);
}

/** Runs `verify`: 0 when the relation holds on every case, 1 on a counterexample; usage errors throw. */
export function runVerify(args: ParsedArgs): number {
  const source = args.positionals[0] as string;
  const relation = parseRelation(flagString(args, 'relation'));
  const depthText = flagString(args, 'depth');
  const widthText = flagString(args, 'width');
  const depth = depthText === undefined ? ([2, 4] as const) : parseRange('depth', depthText, DEPTH_LIMITS);
  const width = widthText === undefined ? ([1, 4] as const) : parseRange('width', widthText, WIDTH_LIMITS);
  const kindText = flagString(args, 'kind');
  const kinds = kindText === undefined ? MINIMIZER_KINDS.slice() : parseKinds(kindText);
  const cases = flagInt(args, 'cases', 200);
  const seed = flagInt(args, 'seed', Math.floor(Math.random() * 2147483647));
  const maxBits = flagInt(args, 'max-bits', DEFAULT_MAX_BITS);
  const out = flagString(args, 'out');
  if (out !== undefined && out.trim() === '') throw new UsageError('verify: --out needs a file name');
  let result: VerifyResult;
  try {
    const formula = parseFormula(source);
    result = verifyFormula(formula, { relation, depth, width, cases, seed, kinds, maxBits });
  } catch (e) {
    if (e instanceof FormulaError) throw new UsageError(e.describe());
    throw e;
  }
  if (result.verdict === 'counterexample' && result.counterexample !== undefined && out !== undefined) {
    writeAnyModelFile(out, { family: 'deep-linear', model: result.counterexample.model });
  }
  const written = result.verdict === 'counterexample' ? out : undefined;
  process.stdout.write(`${flagBool(args, 'json') ? json(result, { depth, width }, kinds, written) : text(result, { depth, width }, written)}\n`);
  return result.verdict === 'holds' ? 0 : EXIT_COUNTEREXAMPLE;
}
