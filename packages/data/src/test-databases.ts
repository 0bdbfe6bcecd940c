// Test helper: the two drivers every data-layer suite runs against, each with a throwaway target.
// Only tests import this file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempDatabase } from '../../../tests/support/postgres.ts';

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
