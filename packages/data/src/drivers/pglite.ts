// PGlite driver: embedded PostgreSQL (WASM) in a folder, one process at a time (see pglite-lock.ts). Node only.
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Database, Orm } from '../database.ts';
import { DataError } from '../errors.ts';
import { MIGRATIONS_FOLDER } from '../migrate.ts';
import { isNewPgliteFolder, seedFromTemplate } from './pglite-template.ts';
import { acquirePgliteLock } from '../pglite-lock.ts';
import * as schema from '../schema.ts';

/** Opens (creating it if needed, from the migrated template: pglite-template.ts) and migrates the embedded database in `folder`. */
export async function openPglite(folder: string, opts: { skipMigrations?: boolean } = {}): Promise<Database> {
  const location = resolve(folder);
  mkdirSync(dirname(location), { recursive: true });
  const release = acquirePgliteLock(location);
  let client: PGlite | undefined;
  try {
    if (!opts.skipMigrations && isNewPgliteFolder(location)) await seedFromTemplate(location); // initdb once per machine, not per folder
    client = new PGlite(location);
    await client.waitReady;
    const db = drizzle({ client, schema });
    if (!opts.skipMigrations) {
      await client.exec('set client_min_messages = warning');
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    }
    const opened = client;
    return {
      orm: db as unknown as Orm,
      kind: 'pglite',
      location,
      timescale: false, // TimescaleDB is not available in PGlite
      executeSql: async (text, values) => {
        // PGlite's query() takes one statement; exec() takes several but no parameters (pg-boss sends both kinds).
        if (values && values.length > 0) return opened.query(text, values);
        const results = await opened.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
      close: async () => {
        try {
          await opened.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    await client?.close().catch(() => undefined);
    release();
    if (error instanceof DataError) throw error;
    throw new DataError(
      'database',
      `Cannot open the embedded database in ${location}: ${(error as Error).message}. Check the folder, or pass --db postgres://… to use a server.`,
      { cause: error },
    );
  }
}
