// Prediction queries over the `predictions` table, shared by both drivers: upsert a batch in one transaction,
// the latest per symbol at one horizon (one statement, one snapshot), history, and stats for health checks.
// Node only via the Orm it is given; must not import a driver.
import { and, asc, count, eq, gte, inArray, lte, max, sql } from 'drizzle-orm';
import type { Database, Orm } from '../database.ts';
import { predictions, type ClassProbabilities, type PredictionAttributionsRecord, type PredictionBand, type PredictionMonitoringRecord } from '../schema.ts';

/** One prediction as code sees it. `asOf` is the UTC day `YYYY-MM-DD` whose close the prediction uses. */
export interface PredictionRecord {
  symbol: string;
  horizonDays: number;
  asOf: string;
  probabilities: ClassProbabilities;
  class: 'bearish' | 'neutral' | 'bullish';
  confidence: number;
  modelVersion: string;
  /** Feature names that were placeholders when this prediction was computed. */
  placeholders: string[];
  /** 'none' = "no clear signal" (below the model's abstention threshold). */
  signal: 'clear' | 'none';
  /** The neutral band on the as-of day; null for rows published before it was recorded. */
  band: PredictionBand | null;
  /** Out-of-distribution flag, model age and expiry; null (or absent) for rows published before them. */
  monitoring?: PredictionMonitoringRecord | null;
  /** The features' attributions ("why this call"); null (or absent) for rows published before them. */
  attributions?: PredictionAttributionsRecord | null;
  createdAtMs: number;
}

type PredictionRow = typeof predictions.$inferSelect;

/** A row of `predictions` as code sees it. */
export function toPredictionRecord(r: PredictionRow): PredictionRecord {
  return {
    symbol: r.symbol,
    horizonDays: r.horizonDays,
    asOf: r.asOf,
    probabilities: r.probabilities,
    class: r.class as PredictionRecord['class'],
    confidence: r.confidence,
    modelVersion: r.modelVersion,
    placeholders: r.placeholders,
    signal: r.signal,
    band: r.band ?? null,
    monitoring: r.monitoring ?? null,
    attributions: r.attributions ?? null,
    createdAtMs: r.createdAt.getTime(),
  };
}

/**
 * Writes a batch in one transaction: all rows or none. A row with the same symbol + horizon + asOf + model
 * version replaces the stored one (keeping its createdAt when the output is unchanged). Throws (and writes nothing) when any row breaks a constraint.
 */
export async function savePredictions(db: Database, batch: readonly PredictionRecord[]): Promise<void> {
  if (batch.length === 0) return;
  const values = batch.map((p) => ({
    symbol: p.symbol,
    horizonDays: p.horizonDays,
    asOf: p.asOf,
    probabilities: p.probabilities,
    class: p.class,
    confidence: p.confidence,
    modelVersion: p.modelVersion,
    placeholders: p.placeholders,
    signal: p.signal,
    band: p.band,
    monitoring: p.monitoring ?? null,
    attributions: p.attributions ?? null,
    createdAt: new Date(p.createdAtMs),
  }));
  await db.orm.transaction(async (tx) => {
    for (let i = 0; i < values.length; i += 1000) {
      await tx
        .insert(predictions)
        .values(values.slice(i, i + 1000))
        .onConflictDoUpdate({
          target: [predictions.symbol, predictions.horizonDays, predictions.asOf, predictions.modelVersion],
          set: {
            probabilities: sql`excluded.probabilities`,
            class: sql`excluded.class`,
            confidence: sql`excluded.confidence`,
            placeholders: sql`excluded.placeholders`,
            signal: sql`excluded.signal`,
            band: sql`excluded.band`,
            monitoring: sql`excluded.monitoring`, // the model's age moves on; not a change of the prediction itself
            attributions: sql`excluded.attributions`, // a function of the same window and model: no change of its own
            // a recomputation with the same output keeps its first time, so publish sees no change
            createdAt: sql`case when (${predictions.probabilities}, ${predictions.class}, ${predictions.confidence}, ${predictions.placeholders}, ${predictions.signal}, ${predictions.band})
              is distinct from (excluded.probabilities, excluded.class, excluded.confidence, excluded.placeholders, excluded.signal, excluded.band)
              then excluded.created_at else ${predictions.createdAt} end`,
          },
        });
    }
  });
}

/** The latest prediction (newest asOf, then newest createdAt) of each of `symbols` at `horizonDays`, in one
 *  statement. Symbols without a prediction are absent from the result. */
export async function latestPredictions(orm: Orm, symbols: readonly string[], horizonDays: number): Promise<PredictionRecord[]> {
  if (symbols.length === 0) return [];
  const rows = await orm
    .selectDistinctOn([predictions.symbol])
    .from(predictions)
    .where(and(inArray(predictions.symbol, [...symbols]), eq(predictions.horizonDays, horizonDays)))
    .orderBy(predictions.symbol, sql`${predictions.asOf} desc`, sql`${predictions.createdAt} desc`);
  return rows.map(toPredictionRecord);
}

/** Stored predictions of one symbol and horizon with asOf in [fromDay, toDay], oldest first. */
export async function predictionHistory(orm: Orm, symbol: string, horizonDays: number, fromDay: string, toDay: string): Promise<PredictionRecord[]> {
  const rows = await orm
    .select()
    .from(predictions)
    .where(and(eq(predictions.symbol, symbol), eq(predictions.horizonDays, horizonDays), gte(predictions.asOf, fromDay), lte(predictions.asOf, toDay)))
    .orderBy(asc(predictions.asOf), asc(predictions.createdAt));
  return rows.map(toPredictionRecord);
}

/** How many predictions are stored and when the newest was created (epoch ms, null when none). */
export async function predictionStats(orm: Orm): Promise<{ count: number; newestCreatedAtMs: number | null }> {
  const [row] = await orm.select({ n: count(), newest: max(predictions.createdAt) }).from(predictions);
  return { count: Number(row?.n ?? 0), newestCreatedAtMs: row?.newest ? new Date(row.newest).getTime() : null };
}
