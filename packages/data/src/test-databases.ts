// Test helper: the two drivers every data-layer suite runs against, each with a throwaway target.
// Only tests import this file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTempDatabase } from '../../../tests/support/postgres.ts';
import type { Database } from './database.ts';
import { openDatabase } from './open-database.ts';

/** A named driver and a function giving a fresh target (URL or folder) and its cleanup. */
export interface TestDriver {
  name: 'postgres' | 'pglite';
  create: () => Promise<{ target: string; cleanup: () => Promise<void> }>;
}

/** Real PostgreSQL (a temp database on 127.0.0.1) and PGlite (a temp folder). */
export const TEST_DRIVERS: TestDriver[] = [
  {
    name: 'postgres',
    create: async () => {
      const temp = await createTempDatabase('cs_data');
      return { target: temp.url, cleanup: temp.drop };
    },
  },
  {
    name: 'pglite',
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cs-data-'));
      return { target: join(dir, 'db'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];

/**
 * Opens a fresh migrated database of `driver` before the suite's tests and closes and removes it after them.
 * Call inside a describe(); read the handle through the returned getter.
 */
export function useTestDatabase(driver: TestDriver): () => Database {
  let db: Database | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const opened = await driver.create();
    cleanup = opened.cleanup;
    db = await openDatabase(opened.target);
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });
  return () => {
    if (!db) throw new Error('The test database is not open yet: use it inside a test, not at collection time.');
    return db;
  };
}
