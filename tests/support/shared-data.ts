// Where the real data in ../shared/data lives, and a describe() that runs only when it is there and says so
// when it skips. Tests never copy those files into the repo.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The repository root (this file is tests/support/shared-data.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** ../shared/data beside the checkout, or COINSPHERE_SHARED_DATA. */
export const SHARED_DATA_DIR = process.env.COINSPHERE_SHARED_DATA ?? resolve(REPO_ROOT, '../shared/data');

/** True when the real data folder is present (it is in CI). */
export const HAS_SHARED_DATA = existsSync(SHARED_DATA_DIR);

/** A path inside the shared data folder. */
export function sharedData(...parts: string[]): string {
  return resolve(SHARED_DATA_DIR, ...parts);
}

/** describe() over the real files: runs when they exist, otherwise skips with a line saying why. */
export const describeWithSharedData: typeof describe = HAS_SHARED_DATA
  ? describe
  : ((name: string, ...rest: unknown[]) => {
      console.warn(`[skip] "${name}": ${SHARED_DATA_DIR} is not here, so the tests over real data are skipped.`);
      return (describe.skip as (...a: unknown[]) => void)(name, ...rest);
    }) as typeof describe;
