// Test helper: runs the real `coinsphere` binary (bin/coinsphere.js, tsx-registered) as a child process and
// returns its exit code and output. Only tests import this file.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the CLI entry. */
export const CLI_BIN = fileURLToPath(new URL('../../bin/coinsphere.js', import.meta.url));

/** Exit code, stdout and stderr of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `coinsphere <args>` in `cwd` with DATABASE_URL unset unless `env` sets it. */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (!opts.env?.DATABASE_URL) delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_BIN, ...args], { cwd: opts.cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
