// node-postgres driver: a pool against a real PostgreSQL, migrated under an advisory lock so two processes
// starting at once do not race. Node only.
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { redactUrl, type Database, type Orm } from '../database.ts';
import { DataError } from '../errors.ts';
import { ensureTimescale, MIGRATIONS_FOLDER } from '../migrate.ts';
import * as schema from '../schema.ts';

const MIGRATION_LOCK_ID = 7_240_221; // arbitrary advisory-lock key for "coinsphere migrations"

function connectError(url: string, error: unknown): DataError {
  const reason = (error as Error).message || String(error);
  return new DataError(
    'database',
    `Cannot connect to ${redactUrl(url)}: ${reason}. Start PostgreSQL or check the URL, or pass --db <folder> to use the embedded database.`,
    { cause: error },
  );
}

/** Runs the committed migrations on `url` (idempotent), holding an advisory lock for the duration. */
async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw connectError(url, error);
  }
  try {
    await client.query('set client_min_messages = warning'); // hide "schema already exists" notices
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end();
  }
}

/** Opens (and migrates, unless told not to) a PostgreSQL database at `url`. */
export async function openPostgres(url: string, opts: { skipMigrations?: boolean } = {}): Promise<Database> {
  if (!opts.skipMigrations) await migratePostgres(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing
  let timescale: boolean;
  try {
    timescale = opts.skipMigrations ? false : await ensureTimescale(drizzle(pool, { schema }) as unknown as Orm);
  } catch (error) {
    await pool.end();
    throw connectError(url, error);
  }
  return poolDatabase(pool, { kind: 'postgres', location: redactUrl(url), timescale });
}

/** A Database over a node-postgres pool (a PostgreSQL server, or a shared PGlite's socket: pglite-share.ts); close() ends the pool. */
export function poolDatabase(pool: pg.Pool, about: Pick<Database, 'kind' | 'location' | 'timescale'>): Database {
  return {
    orm: drizzle(pool, { schema }) as unknown as Orm,
    ...about,
    executeSql: async (text, values) => {
      const result = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[]; // an array for several statements
      return { rows: Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows };
    },
    close: async () => {
      await pool.end();
    },
  };
}
