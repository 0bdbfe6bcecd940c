// Runs the `coinsphere` CLI as a user would, in a child process, without blocking the test worker's event loop
// (a blocked worker misses vitest's heartbeats).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './shared-data.ts';

/** The CLI's entry file. */
export const CLI_BIN = resolve(REPO_ROOT, 'apps/trainer/bin/coinsphere.js');

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `coinsphere <args>` from the repository root with `env` added to the environment. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
