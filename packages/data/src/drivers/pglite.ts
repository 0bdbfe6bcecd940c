// PGlite driver: embedded PostgreSQL (WASM) in a folder, opened by one process at a time (see pglite-lock.ts). The
// owner may share it (pglite-share.ts): then it and every other process on the machine reach it through node-postgres
// on its socket, and a second opener connects there instead of meeting "database locked". Node only.
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Database, Orm } from '../database.ts';
import { DataError } from '../errors.ts';
import { MIGRATIONS_FOLDER } from '../migrate.ts';
import { isNewPgliteFolder, seedFromTemplate } from './pglite-template.ts';
import { acquirePgliteLock, liveLockOwner } from '../pglite-lock.ts';
import { SHARE_PORT, shareDirFor, sharePathFor, sharePglite } from './pglite-share.ts';
import { poolDatabase } from './postgres.ts';
import * as schema from '../schema.ts';

/** How long a second opener waits for a sharing owner that is still starting (initdb, migrations) to open its socket. */
const SHARE_WAIT_MS = 60_000;

function sharePool(location: string): pg.Pool {
  const pool = new pg.Pool({ host: shareDirFor(location), port: SHARE_PORT, user: 'postgres', database: 'postgres', max: 4 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing
  return pool;
}

/** How often a connection through a share checks that its owner is still running. */
const OWNER_CHECK_MS = 1000;

/** A Database over the share of the live owner `pid`, whose `lost` resolves once that process is gone. */
function shareClient(pool: pg.Pool, location: string, pid: number): Database {
  const db = poolDatabase(pool, { kind: 'pglite', location, timescale: false });
  let timer: NodeJS.Timeout | undefined;
  const lost = new Promise<Error>((resolve) => {
    timer = setInterval(() => {
      if (liveLockOwner(location)?.pid === pid) return;
      clearInterval(timer);
      resolve(new DataError('database', `Process ${pid}, which shared the embedded database ${location} with this one, has stopped, so the connection to it is gone. Run the command again: it then opens the folder itself.`));
    }, OWNER_CHECK_MS);
    timer.unref();
  });
  return { ...db, lost, close: async () => (clearInterval(timer), db.close()) };
}

/** The sharing owner's database through its socket, once it answers; null when the owner stopped or never shared. */
async function connectToShare(location: string): Promise<Database | null> {
  const deadline = Date.now() + SHARE_WAIT_MS;
  for (let owner = liveLockOwner(location); owner?.shared; owner = liveLockOwner(location)) {
    if (existsSync(sharePathFor(location))) {
      const pool = sharePool(location);
      try {
        await pool.query('select 1');
        return shareClient(pool, location, owner.pid);
      } catch {
        await pool.end();
      }
    }
    if (Date.now() > deadline) return null;
    await sleep(100);
  }
  return null;
}

/** Options of openPglite. */
export interface PgliteOptions {
  skipMigrations?: boolean;
  /** Serve the folder to other processes while it is open (long-running owners: serve, worker). */
  share?: boolean;
}

/** The owner's handle on an open PGlite: direct, or (share) through its own socket like everyone else's. */
async function ownerDatabase(opened: PGlite, location: string, share: boolean | undefined, release: () => void): Promise<Database> {
  if (share) {
    const served = await sharePglite(opened, location);
    const shared = poolDatabase(sharePool(location), { kind: 'pglite', location, timescale: false });
    const close = async () => {
      try {
        await shared.close();
        await served.close();
        await opened.close();
      } finally {
        release();
      }
    };
    return { ...shared, close };
  }
  return {
    orm: drizzle({ client: opened, schema }) as unknown as Orm,
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
}

/**
 * Opens (creating it if needed, from the migrated template: pglite-template.ts) and migrates the embedded database in
 * `folder`; when a sharing process holds it, connects to that one instead (its owner has migrated it).
 */
export async function openPglite(folder: string, opts: PgliteOptions = {}): Promise<Database> {
  const location = resolve(folder);
  mkdirSync(dirname(location), { recursive: true });
  let release: () => void;
  try {
    release = acquirePgliteLock(location, { shared: opts.share });
  } catch (error) {
    const shared = error instanceof DataError && error.kind === 'locked' ? await connectToShare(location) : null;
    if (shared) return shared;
    throw error;
  }
  let client: PGlite | undefined;
  try {
    if (!opts.skipMigrations && isNewPgliteFolder(location)) await seedFromTemplate(location); // initdb once per machine, not per folder
    client = new PGlite(location);
    await client.waitReady;
    if (!opts.skipMigrations) {
      await client.exec('set client_min_messages = warning');
      await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    }
    return await ownerDatabase(client, location, opts.share, release);
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
