// Public surface of @coinsphere/data: the schema, openDatabase (PostgreSQL or PGlite), candle queries and
// ingest sources. Node only; apps import this, packages/model and packages/engine never do.
export * from './schema.ts';
export * from './database.ts';
export * from './errors.ts';
export { openDatabase, DEFAULT_PGLITE_FOLDER } from './open-database.ts';
export { migrationState, MIGRATIONS_FOLDER } from './migrate.ts';
export { lockPathFor } from './pglite-lock.ts';
export * from './candles.ts';
export * from './queries/predictions.ts';
export * from './queries/models.ts';
