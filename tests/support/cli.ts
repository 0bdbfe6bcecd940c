// Runs the `coinsphere` CLI as a user would, in a child process, without blocking the test worker's event loop
// (a blocked worker misses vitest's heartbeats), or in this process (runInProcess). The one place tests and
// benchmarks start the CLI; it does not import vitest (the dashboard benchmark uses it outside vitest).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './repo-root.ts';

/** The CLI's entry file. */
export const CLI_BIN = resolve(REPO_ROOT, 'apps/trainer/bin/coinsphere.js');

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment with `env` applied (an undefined value removes the variable). */
function withEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete out[k];
  return out;
}

/** Starts `coinsphere <args>` in `cwd` (default: the repository root) with `env` applied to the environment. */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}, cwd = REPO_ROOT): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI_BIN, ...args], { cwd, env: withEnv(env) });
}

/** Runs `coinsphere <args>` to completion in `cwd` (default: the repository root) with `env` applied. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd = REPO_ROOT): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawnCli(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Sets (or, for undefined, deletes) each variable of `vars` in process.env. */
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/**
 * Runs `coinsphere <args>` inside this test process: the real program (runCli of cli/program.ts), with what it
 * writes to stdout and stderr captured, `cwd` as the working directory and `env` added to process.env (both
 * restored after). No process start and no tsx compile: for every case but the one spawn smoke test per command.
 * Calls must not overlap (the streams and the cwd are the process's).
 */
export async function runInProcess(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult & { code: number }> {
  const { runCli: run } = await import('../../apps/trainer/src/cli/program.ts');
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const cwd = process.cwd();
  const saved = Object.fromEntries(Object.keys(opts.env ?? {}).map((k) => [k, process.env[k]]));
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  setEnv(opts.env ?? {});
  try {
    process.chdir(opts.cwd ?? REPO_ROOT);
    const code = await run(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.chdir(cwd);
    setEnv(saved);
  }
}
