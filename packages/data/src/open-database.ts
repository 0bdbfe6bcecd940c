// openDatabase: picks the driver from the target (a postgres:// URL or a folder) and returns a migrated
// Database. Does not read the environment: apps resolve `--db` > DATABASE_URL > default folder and pass it in.
import { resolve } from 'node:path';
import { isPostgresUrl, type Database, type OpenDatabaseOptions } from './database.ts';
import { openPglite } from './drivers/pglite.ts';
import { openPostgres } from './drivers/postgres.ts';

/** The default embedded-database folder, relative to the working directory. */
export const DEFAULT_PGLITE_FOLDER = '.coinsphere/db';

/**
 * Opens a database and applies pending migrations. `target` is `postgres://…` (node-postgres) or a folder
 * (PGlite, created if missing); without one, `opts.defaultFolder` or `.coinsphere/db` under the cwd.
 * Throws DataError: 'database' when it cannot connect, 'locked' when another process holds a PGlite folder.
 */
export async function openDatabase(target?: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const chosen = target?.trim() || opts.defaultFolder || resolve(DEFAULT_PGLITE_FOLDER);
  if (isPostgresUrl(chosen)) return openPostgres(chosen, opts);
  return openPglite(chosen, opts);
}
