// Monitoring summary queries over `monitoring_summaries` (issue #16), shared by both drivers: replace a batch in one
// transaction, read one asset and horizon, list them all. The summary is opaque jsonb here (its shape is
// @coinsphere/serving's MonitoringSummary, which parses it). Must not import a driver.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Orm } from '../database.ts';
import { monitoringSummaries } from '../schema.ts';

/** One stored summary: `summary` is the wire object, `computedAtMs` when publish computed it. */
export interface MonitoringSummaryRecord {
  symbol: string;
  horizonDays: number;
  summary: Record<string, unknown>;
  computedAtMs: number;
}

const toRecord = (r: typeof monitoringSummaries.$inferSelect): MonitoringSummaryRecord => ({ symbol: r.symbol, horizonDays: r.horizonDays, summary: r.summary, computedAtMs: r.computedAt.getTime() });

/** Upserts `batch` (keyed by symbol + horizon) in one transaction: all rows or none. */
export async function saveMonitoringSummaries(db: Database, batch: readonly MonitoringSummaryRecord[]): Promise<void> {
  if (batch.length === 0) return;
  const values = batch.map((r) => ({ symbol: r.symbol, horizonDays: r.horizonDays, summary: r.summary, computedAt: new Date(r.computedAtMs) }));
  await db.orm.transaction(async (tx) => {
    await tx
      .insert(monitoringSummaries)
      .values(values)
      .onConflictDoUpdate({ target: [monitoringSummaries.symbol, monitoringSummaries.horizonDays], set: { summary: sql`excluded.summary`, computedAt: sql`excluded.computed_at` } });
  });
}

/** The stored summary of `symbol` at `horizonDays`, or null before any publish stored one. */
export async function readMonitoringSummary(orm: Orm, symbol: string, horizonDays: number): Promise<MonitoringSummaryRecord | null> {
  const rows = await orm.select().from(monitoringSummaries).where(and(eq(monitoringSummaries.symbol, symbol), eq(monitoringSummaries.horizonDays, horizonDays))).limit(1);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Every stored summary, by symbol then horizon. */
export async function listMonitoringSummaries(orm: Orm): Promise<MonitoringSummaryRecord[]> {
  const rows = await orm.select().from(monitoringSummaries).orderBy(asc(monitoringSummaries.symbol), asc(monitoringSummaries.horizonDays));
  return rows.map(toRecord);
}
