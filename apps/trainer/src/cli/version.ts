// What `coinsphere --version` prints: the CLI package's version and the git commit of the code that runs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { currentGitCommit } from '../git-commit.ts';

const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** `coinsphere 0.1.0 (commit <sha>[-dirty])`, or `(commit unknown: not a git checkout)`. */
export function versionLine(): string {
  const { version } = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')));
  const commit = currentGitCommit(fileURLToPath(new URL('.', import.meta.url)));
  return `coinsphere ${version} (commit ${commit ?? 'unknown: not a git checkout'})`;
}
