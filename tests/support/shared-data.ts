// Where the real data in ../shared/data lives, and a describe() that runs only when it is there and says so
// when it skips. Tests never copy those files into the repo.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'vitest';
import { REPO_ROOT } from './repo-root.ts';

/** The repository root (re-exported for the tests that read shared data). */
export { REPO_ROOT };

/** ../shared/data beside the checkout, or COINSPHERE_SHARED_DATA. */
export const SHARED_DATA_DIR = process.env.COINSPHERE_SHARED_DATA ?? resolve(REPO_ROOT, '../shared/data');

/** True when the real data folder is present (it is in CI). */
export const HAS_SHARED_DATA = existsSync(SHARED_DATA_DIR);

/** A path inside the shared data folder. */
export function sharedData(...parts: string[]): string {
  return resolve(SHARED_DATA_DIR, ...parts);
}

/**
 * describe() over the real files: runs when they exist, otherwise skips with one line saying why. The skipped
 * suite's body is never called: vitest runs the body of a `describe.skip` to collect its tests, and these bodies
 * read the files (`.ci/run` collects every suite with the folder pointed elsewhere to keep it that way).
 */
export const describeWithSharedData: typeof describe = HAS_SHARED_DATA
  ? describe
  : ((name: string) => {
      console.warn(`[skip] "${name}": ${SHARED_DATA_DIR} is not here, so the tests over real data are skipped.`);
      describe.skip(name, () => {
        it.skip(`needs the real data in ${SHARED_DATA_DIR}`, () => {});
      });
    }) as typeof describe;
