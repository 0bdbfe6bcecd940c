// The Database handle both drivers return: one drizzle type over one schema, so queries never know which
// driver runs them. Node only (drivers are picked here); the schema itself lives in schema.ts.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

/** The drizzle database typed with our schema; the same type for node-postgres and PGlite. */
export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Which engine holds the data. */
export type DatabaseKind = 'postgres' | 'pglite';

/** An open, migrated database. */
export interface Database {
  orm: Orm;
  kind: DatabaseKind;
  /** Postgres URL with the password redacted, or the PGlite folder (absolute). */
  location: string;
  /** True when `candles` is a TimescaleDB hypertable; false for plain tables with indexes. */
  timescale: boolean;
  /**
   * Runs raw SQL on the driver's own connection (the job queue's `db` adapter, pg-boss's `executeSql`): with
   * `values`, one parameterised statement; without, any number of statements (their last result's rows).
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * Set when this handle reaches an embedded folder through another process's share (drivers/pglite-share.ts):
   * resolves, with the reason and the way out, once that process has stopped and the connection is gone.
   */
  lost?: Promise<Error>;
  close(): Promise<void>;
}

/** Options for openDatabase. */
export interface OpenDatabaseOptions {
  /** Used when no target is given: the PGlite folder (default `.coinsphere/db` under the cwd). */
  defaultFolder?: string;
  /** Skip running migrations (only for `db migrate`, which reports them itself). Default false. */
  skipMigrations?: boolean;
  /**
   * For a PGlite folder: serve it to the other processes of this machine while it is open, so that their commands
   * connect here instead of meeting "database locked" (long-running owners: serve, worker). A server needs nothing.
   */
  share?: boolean;
}

/** True when the target is a PostgreSQL connection URL rather than a folder. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The URL with its password replaced by `***`, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]+):[^@]*@/, '://$1:***@');
  }
}
