import { builtinExamples, getExample } from '../../models/examples/index.js';
import { flagString, type CommandSpec, type ParsedArgs } from '../args.js';
import { emit, EXAMPLE_PREFIX } from '../io.js';

export const examplesCommand: CommandSpec = {
  name: 'examples',
  summary: 'List the built-in example models, or print one (--show ID) as a model file.',
  positionals: [],
  flags: {
    show: { kind: 'string', description: 'print the model file of example ID', valueName: 'ID' },
    out: { kind: 'string', description: 'write it to FILE instead (whole, or not at all)', valueName: 'FILE' },
  },
};

export function runExamples(args: ParsedArgs): number {
  const id = flagString(args, 'show');
  if (id !== undefined) {
    emit(getExample(id).text, flagString(args, 'out'));
    return 0;
  }
  const width = Math.max(...builtinExamples.map((e) => e.id.length)) + EXAMPLE_PREFIX.length;
  const lines = builtinExamples.map((e) => `  ${`${EXAMPLE_PREFIX}${e.id}`.padEnd(width)}  ${e.summary}`);
  emit(['Built-in examples (use them wherever MODEL.json is expected):', ...lines].join('\n'), flagString(args, 'out'));
  return 0;
}
