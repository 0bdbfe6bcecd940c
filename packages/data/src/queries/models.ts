// Model registry queries over the `models` table, shared by both drivers: register a version, list them, find
// the latest of a symbol and horizon. Node only via the Orm it is given; must not import a driver.
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Orm } from '../database.ts';
import { models } from '../schema.ts';

/** A registered model version. `location` is the artifact folder `artifacts/<SYMBOL>/<h>d/<version>`. */
export interface ModelRecord {
  symbol: string;
  horizonDays: number;
  version: string;
  location: string;
  metrics: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAtMs: number;
}

type ModelRow = typeof models.$inferSelect;

function toRecord(r: ModelRow): ModelRecord {
  return {
    symbol: r.symbol,
    horizonDays: r.horizonDays,
    version: r.version,
    location: r.location,
    metrics: r.metrics,
    metadata: r.metadata,
    createdAtMs: r.createdAt.getTime(),
  };
}

/** Registers a model version, or updates its location, metrics and metadata when it already exists. */
export async function registerModel(orm: Orm, model: Omit<ModelRecord, 'createdAtMs'> & { createdAtMs?: number }): Promise<void> {
  await orm
    .insert(models)
    .values({ ...model, createdAt: new Date(model.createdAtMs ?? Date.now()) })
    .onConflictDoUpdate({
      target: [models.symbol, models.horizonDays, models.version],
      set: { location: sql`excluded.location`, metrics: sql`excluded.metrics`, metadata: sql`excluded.metadata` },
    });
}

/** Every registered model, newest first. */
export async function listModels(orm: Orm): Promise<ModelRecord[]> {
  const rows = await orm.select().from(models).orderBy(desc(models.createdAt), models.symbol, models.horizonDays);
  return rows.map(toRecord);
}

/** The newest model of `symbol` at `horizonDays`, or null. */
export async function latestModel(orm: Orm, symbol: string, horizonDays: number): Promise<ModelRecord | null> {
  const [row] = await orm
    .select()
    .from(models)
    .where(and(eq(models.symbol, symbol), eq(models.horizonDays, horizonDays)))
    .orderBy(desc(models.createdAt), desc(models.version))
    .limit(1);
  return row ? toRecord(row) : null;
}

/** Number of registered model versions. */
export async function countModels(orm: Orm): Promise<number> {
  const [row] = await orm.select({ n: count() }).from(models);
  return Number(row?.n ?? 0);
}
