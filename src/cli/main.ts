#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, InputError } from '../errors/input-error.js';
import { interruptStatus } from '../process/interrupt.js';
import { commandHelp, parseArgs, UsageError, type CommandSpec, type ParsedArgs } from './args.js';
import { checkCommand, runCheck } from './commands/check.js';
import { demoCommand, runDemo } from './commands/demo.js';
import { examplesCommand, runExamples } from './commands/examples.js';
import { hessianCommand, runHessian } from './commands/hessian.js';
import { runSharpness, sharpnessCommand } from './commands/sharpness.js';
import { minimizerCommand, runMinimizer } from './commands/minimizer.js';
import { runVerify, verifyCommand } from './commands/verify.js';
import { projectionsCommand, runProjections } from './commands/projections.js';
import { runTrace, traceCommand } from './commands/trace.js';
import { runSpectrum, spectrumCommand } from './commands/spectrum.js';
import { landscapeCommand, runLandscape } from './commands/landscape.js';
import { deriveCommand, runDerive } from './commands/derive.js';
import { runStructure, structureCommand } from './commands/structure.js';
import { overlapCommand, runOverlap } from './commands/overlap.js';
import { runSample, sampleCommand } from './commands/sample.js';
import { crosscheckCommand, runCrosscheck } from './commands/crosscheck.js';
import { hessianVectorCommand, runHessianVector } from './commands/hessian-vector.js';
import { importCommand, runImport } from './commands/import.js';
import { exportCommand, runExport } from './commands/export.js';
import { runTrain, trainCommand } from './commands/train.js';
import { escapeCommand, runEscape } from './commands/escape.js';
import { infoCommand, runInfo } from './commands/info.js';
import { applyGlobalOptions, GLOBAL_OPTIONS_HELP } from './global-options.js';
// One output layer and one input reader (src/io/): a fresh list of inputs per run, file names checked before any work.
import { beginIoRun, endIoRun } from '../io/registry.js';
import { checkCommandPaths } from '../io/command-paths.js';

export { EXIT_INTERNAL };

interface Command {
  readonly spec: CommandSpec;
  /** The exit status; commands on an autodiff backend answer asynchronously. */
  readonly run: (args: ParsedArgs) => number | Promise<number>;
}

const COMMANDS: readonly Command[] = [
  { spec: checkCommand, run: runCheck },
  { spec: hessianCommand, run: runHessian },
  { spec: sharpnessCommand, run: runSharpness },
  { spec: minimizerCommand, run: runMinimizer },
  { spec: verifyCommand, run: runVerify },
  { spec: projectionsCommand, run: runProjections },
  { spec: traceCommand, run: runTrace },
  { spec: spectrumCommand, run: runSpectrum },
  { spec: hessianVectorCommand, run: runHessianVector },
  { spec: crosscheckCommand, run: runCrosscheck },
  { spec: landscapeCommand, run: runLandscape },
  { spec: deriveCommand, run: runDerive },
  { spec: structureCommand, run: runStructure },
  { spec: overlapCommand, run: runOverlap },
  { spec: sampleCommand, run: runSample },
  { spec: importCommand, run: runImport },
  { spec: exportCommand, run: runExport },
  { spec: trainCommand, run: runTrain },
  { spec: escapeCommand, run: runEscape },
  { spec: examplesCommand, run: runExamples },
  { spec: demoCommand, run: runDemo },
  { spec: infoCommand, run: runInfo },
];

function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function overview(): string {
  const lines = ['dln-hessian: exact and float64 Hessians of deep linear networks', '', 'Usage: dln-hessian COMMAND [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.spec.name.padEnd(15)} ${c.spec.summary}`);
  lines.push('', 'MODEL.json may also be a built-in example written example:ID (see `dln-hessian examples`).');
  lines.push('', 'Global options (any command):', ...GLOBAL_OPTIONS_HELP.map((l) => `  ${l}`));
  lines.push('Run `dln-hessian COMMAND --help` for the options of a command. Exit codes: 0 ok, 1 a check failed (verify, crosscheck), 2 bad input, usage or a backend that cannot start.');
  return lines.join('\n');
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit status: a number for
 * the closed-form commands, a promise of one when the command runs on an autodiff backend.
 */
export function main(argvIn: readonly string[]): number | Promise<number> {
  let argv: readonly string[];
  try {
    argv = applyGlobalOptions(argvIn);
  } catch (e) {
    return exitStatusOf(e);
  }
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview()}\n`);
    return name === undefined ? EXIT_BAD_INPUT : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.spec.name).join(', ')})`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${commandHelp(command.spec)}\n`);
      return 0;
    }
    const parsed = parseArgs(command.spec, rest);
    beginIoRun();
    checkCommandPaths(parsed.positionals, parsed.flags);
    const status = command.run(parsed);
    if (typeof status === 'number') endIoRun();
    return typeof status === 'number' ? status : status.catch(exitStatusOf).finally(endIoRun);
  } catch (e) {
    endIoRun();
    return exitStatusOf(e);
  }
}

/** Reports an error on stderr and returns its exit status: 2 for bad input or usage, 70 for a bug. */
function exitStatusOf(e: unknown): number {
  // An interrupted run fails because of the interrupt, which prints its own one line (src/process/interrupt.ts).
  const interrupted = interruptStatus();
  if (interrupted !== null) return interrupted;
  if (e instanceof InputError) {
    process.stderr.write(`dln-hessian: ${e.describe()}\n`);
    return EXIT_BAD_INPUT;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`dln-hessian: internal error: ${err.message}\n${err.stack ?? ''}\n`);
  return EXIT_INTERNAL;
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((status) => {
    process.exitCode = status;
  });
}
