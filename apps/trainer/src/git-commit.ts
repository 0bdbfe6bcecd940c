// The git commit the trainer runs from, stored with every run so a model can be traced to its code.
import { execFileSync } from 'node:child_process';

/** The current HEAD commit (with `-dirty` when the tree has changes), or null outside a git checkout. */
export function currentGitCommit(cwd = process.cwd()): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}
