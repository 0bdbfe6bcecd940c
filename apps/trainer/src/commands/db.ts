// `coinsphere db migrate`: applies the committed migrations to the database named by --db (every other
// command also migrates on first use) and says where it is and whether candles is a hypertable.
import { migrationState } from '@coinsphere/data';
import type { Command } from 'commander';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action } from '../cli/errors.ts';

/** Registers `db` and its subcommands. */
export function register(program: Command): void {
  const db = program.command('db').description('Database tasks: apply migrations (PostgreSQL or the embedded PGlite)');
  addDbOption(db.command('migrate').description('Apply pending migrations and report the schema version')).action(
    action(async (opts: DbOption) => {
      await withDatabase(opts, async (opened) => {
        const state = await migrationState(opened.orm);
        const table = opened.timescale ? 'candles is a TimescaleDB hypertable' : 'candles is a plain table with indexes (TimescaleDB not available)';
        process.stdout.write(`Migrated ${opened.kind} database ${opened.location}: ${state.applied}/${state.shipped} migrations applied; ${table}.\n`);
      });
    }),
  );
}
