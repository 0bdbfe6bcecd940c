// One process at a time for a PGlite folder: a lock file beside the folder holds the owner's pid. A live owner
// makes a second opener fail with a clear message; a lock left by a dead process is taken over. Node only.
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { DataError } from './errors.ts';

/** Path of the lock file guarding a PGlite folder (`<folder>.lock`, outside the data directory). */
export function lockPathFor(folder: string): string {
  return `${folder.replace(/[\\/]+$/, '')}.lock`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readOwner(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock for `folder`, or throws DataError('locked') naming the pid that holds it and that
 * `--db postgres://…` lifts the one-process limit. Returns a release function (idempotent), also run on exit.
 */
export function acquirePgliteLock(folder: string): () => void {
  const lockPath = lockPathFor(folder);
  const tmp = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(tmp, lockPath); // atomic: fails with EEXIST when someone holds it
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(lockPath);
        if (owner !== null && isAlive(owner)) {
          const who = owner === process.pid ? 'this same process' : `process ${owner}`;
          throw new DataError(
            'locked',
            `The embedded database ${folder} is in use by ${who} (lock ${lockPath}); PGlite serves one process at a time. ` +
              `Stop that process, or use a PostgreSQL server with --db postgres://… to lift the limit.`,
          );
        }
        unlinkSync(lockPath); // stale: its owner is gone
        if (attempt === 2) throw new DataError('locked', `Could not take the lock ${lockPath}; try again.`);
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readOwner(lockPath) === process.pid) {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return release;
}
