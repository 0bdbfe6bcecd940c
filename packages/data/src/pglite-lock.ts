// One process at a time for a PGlite folder: a lock file beside the folder holds the owner's pid, and `shared` on a
// second line when the owner serves the folder to other processes (drivers/pglite-share.ts). A live owner that does
// not share makes a second opener fail with a clear message; a lock left by a dead process is taken over. Node only.
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

/** Who holds a lock file: its pid, and whether it shares the folder. */
export interface LockOwner {
  pid: number;
  shared: boolean;
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const [first, second] = readFileSync(lockPath, 'utf8').split('\n');
    const pid = Number.parseInt(first!.trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? { pid, shared: second?.trim() === 'shared' } : null;
  } catch {
    return null;
  }
}

/** The live process holding `folder`'s lock, or null when none does (no lock, or its owner is gone). */
export function liveLockOwner(folder: string): LockOwner | null {
  const owner = readOwner(lockPathFor(folder));
  return owner && isAlive(owner.pid) ? owner : null;
}

/**
 * Takes the lock for `folder` (`shared`: this process will serve it to others), or throws DataError('locked')
 * naming the pid that holds it and the ways out. Returns a release function (idempotent), also run on exit.
 */
export function acquirePgliteLock(folder: string, opts: { shared?: boolean } = {}): () => void {
  const lockPath = lockPathFor(folder);
  const tmp = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, `${process.pid}\n${opts.shared ? 'shared\n' : ''}`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(tmp, lockPath); // atomic: fails with EEXIST when someone holds it
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(lockPath);
        if (owner !== null && isAlive(owner.pid)) {
          const who = owner.pid === process.pid ? 'this same process' : `process ${owner.pid}`;
          throw new DataError(
            'locked',
            `The embedded database ${folder} is in use by ${who} (lock ${lockPath}), which does not share it. ` +
              `Wait for it to finish or stop it; \`coinsphere serve\` and \`coinsphere worker\` share the folder with other commands while they run, ` +
              `and --db postgres://… lifts the limit altogether.`,
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
    if (readOwner(lockPath)?.pid === process.pid) {
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
