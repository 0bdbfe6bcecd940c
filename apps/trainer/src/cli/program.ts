// The `coinsphere` program: every command registered on one commander program, and the one place a failure
// becomes a line on stderr and an exit code. Commander never exits the process and never prints its own errors
// (exitOverride, configureOutput): a usage error is one line, `coinsphere: <what> See \`coinsphere <cmd> --help\`.`,
// with exit 2, so tests run the real parser in-process (runCli) and main.ts only sets process.exitCode.
import { printable } from '@coinsphere/model/core';
import { Command, CommanderError } from 'commander';

import * as bench from '../commands/bench.ts';
import * as db from '../commands/db.ts';
import * as evaluate from '../commands/evaluate.ts';
import * as ingest from '../commands/ingest.ts';
import * as jobs from '../commands/jobs.ts';
import * as monitor from '../commands/monitor.ts';
import * as models from '../commands/models.ts';
import * as outcomes from '../commands/outcomes.ts';
import * as predict from '../commands/predict.ts';
import * as publish from '../commands/publish.ts';
import * as serve from '../commands/serve.ts';
import * as snapshot from '../commands/snapshot.ts';
import * as start from '../commands/start.ts';
import * as status from '../commands/status.ts';
import * as train from '../commands/train.ts';
import * as worker from '../commands/worker.ts';
import { isDebug } from './env.ts';
import { commandPath, exitCodeOf } from './errors.ts';
import { UsageError } from './flags.ts';
import { versionLine } from './version.ts';

/** Where the program writes: the process's streams, or a test's buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

/** Thrown where commander would have exited after printing help or the version: not a failure. */
class Done extends Error {
  constructor(readonly exitCode: number) {
    super('done');
  }
}

/** Commander's own usage errors (unknown option, missing value) as a UsageError of `command`. */
function usageErrorOf(error: CommanderError, command: Command): Error {
  if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) return new Done(error.exitCode);
  const usage = new UsageError(`${error.message.replace(/^error: /, '').replace(/\.?$/, '.')}`);
  usage.command = commandPath(command);
  return usage;
}

function applyToTree(command: Command, io: CliIo): void {
  command.exitOverride((error) => {
    throw usageErrorOf(error, command);
  });
  command.configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} });
  for (const sub of command.commands) applyToTree(sub, io);
}

/** The program with every command; `io` receives help text (commands write their own output). */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('coinsphere')
    .description('Coinsphere ML: LSTM direction forecasts for crypto assets, with honest baselines.')
    .option('-V, --version', 'print the version and the git commit of this code')
    .on('option:version', () => {
      io.out(`${versionLine()}\n`);
      throw new Done(0);
    });
  for (const command of [start, db, ingest, status, train, evaluate, predict, publish, models, outcomes, monitor, serve, worker, jobs, snapshot, bench]) command.register(program);
  applyToTree(program, io);
  return program;
}

/** The most characters of a failure's message printed (it may quote a file or a server at length). */
const FAILURE_MAX_CHARS = 1000;

/** The one line a failure prints (usage errors say where the help is). */
export function failureLine(error: unknown): string {
  // One line, its control characters escaped and its length capped: messages quote files and servers.
  const message = printable((error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' '), FAILURE_MAX_CHARS);
  if (!(error instanceof UsageError)) return `coinsphere: ${message}`;
  const where = error.command ? `coinsphere ${error.command} --help` : 'coinsphere --help';
  return `coinsphere: ${message} See \`${where}\`.`;
}

/** Runs `coinsphere <args>` in this process and resolves to its exit code; failures print one line to `io.err`. */
export async function runCli(args: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof Done) return error.exitCode;
    io.err(`${failureLine(error)}\n`);
    if (isDebug() && error instanceof Error) io.err(`${error.stack}\n`);
    return exitCodeOf(error);
  }
}
