// The `--db <postgres-url | folder>` option every command takes, and opening the database it names:
// --db > DATABASE_URL > `.coinsphere/db` under the working directory. Opening migrates the schema and brings
// registry rows from before relative locations and digests up to date against the artifacts root (upgradeModelRows).
import { openDatabase, upgradeModelRows, type Database, type OpenDatabaseOptions } from '@coinsphere/data';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { readArtifactsRoot, readCliEnv } from './env.ts';

/** Options object of a command that took addDbOption. */
export interface DbOption {
  db?: string;
}

/** Adds `--db` to a command. */
export function addDbOption(command: Command): Command {
  return command.option('--db <postgres-url|folder>', 'PostgreSQL URL, or a folder for the embedded database (default: $DATABASE_URL, else .coinsphere/db)');
}

/** The database target: --db, else DATABASE_URL, else `.coinsphere/db` under the cwd. */
export function resolveDbTarget(opts: DbOption): string {
  return opts.db?.trim() || readCliEnv().databaseUrl || resolve('.coinsphere/db');
}

/** How a command opens the database: `share` for long-running owners of an embedded folder (serve, worker, start). */
export type OpenHow = Pick<OpenDatabaseOptions, 'share'>;

/**
 * Opens and migrates the database of `opts`, then upgrades its model rows against the artifacts root `artifactsRoot`
 * (absolute locations under it made relative, digests recorded for unchanged artifacts). Closes it on failure.
 */
export async function openProjectDatabase(opts: DbOption, artifactsRoot = readArtifactsRoot(), how: OpenHow = {}): Promise<Database> {
  const db = await openDatabase(resolveDbTarget(opts), how);
  try {
    await upgradeModelRows(db.orm, artifactsRoot);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** How long a failed command waits to learn whether the process sharing its database stopped (it checks every second). */
const LOST_GRACE_MS = 1500;

/**
 * Opens the database (openProjectDatabase), runs `fn`, and always closes it. When `fn` fails because the process that
 * shared the embedded database with this one stopped (serve was stopped mid-command), the error says that and how to
 * go on, instead of the driver's "Connection terminated".
 */
export async function withDatabase<T>(opts: DbOption, fn: (db: Database) => Promise<T>, how: OpenHow = {}): Promise<T> {
  const db = await openProjectDatabase(opts, readArtifactsRoot(), how);
  try {
    return await fn(db);
  } catch (error) {
    const lost = db.lost && (await Promise.race([db.lost, new Promise<null>((r) => setTimeout(() => r(null), LOST_GRACE_MS).unref())]));
    if (lost) throw Object.assign(lost, { cause: error });
    throw error;
  } finally {
    await db.close();
  }
}
