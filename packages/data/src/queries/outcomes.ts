// Track-record queries (issue #16) over `prediction_baselines` and `prediction_outcomes`, shared by both drivers:
// record the baselines' calls beside a published batch, list the predictions still waiting for their outcome,
// record outcomes once (never updated), and read a symbol's predictions with their outcome and baselines.
// Must not import a driver.
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database, Orm } from '../database.ts';
import { predictionBaselines, predictionOutcomes, predictions, type BaselineCalls } from '../schema.ts';
import { toPredictionRecord, type PredictionRecord } from './predictions.ts';

/** Which prediction a baseline or outcome row belongs to: the predictions table's key. */
export interface PredictionKey {
  symbol: string;
  horizonDays: number;
  asOf: string;
  modelVersion: string;
}

/** The baselines' calls for one prediction. */
export type BaselineRecord = PredictionKey & { baselines: BaselineCalls };

/** The realised outcome of one prediction: closes at asOf and at endDay (asOf + horizon), and the class it fell in. */
export type OutcomeRecord = PredictionKey & { endDay: string; closeAtAsOf: number; closeAtEnd: number; realisedClass: 'bearish' | 'neutral' | 'bullish' };

/** A stored prediction with its outcome (null while pending) and the baselines recorded with it (null when none were). */
export interface TrackedPrediction {
  prediction: PredictionRecord;
  outcome: OutcomeRecord | null;
  baselines: BaselineCalls | null;
}

/** Writes the baselines of a batch in one transaction; a row of the same key replaces the stored one. */
export async function saveBaselines(db: Database, rows: readonly BaselineRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await db.orm.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) {
      await tx
        .insert(predictionBaselines)
        .values(rows.slice(i, i + 1000).map((r) => ({ ...r })))
        // created_at moves with a rewrite, so trackRecordVersion sees it
        .onConflictDoUpdate({ target: [predictionBaselines.symbol, predictionBaselines.horizonDays, predictionBaselines.asOf, predictionBaselines.modelVersion], set: { baselines: sql`excluded.baselines`, createdAt: sql`now()` } });
    }
  });
}

/** Stored predictions with a band and no outcome yet, oldest first (the ones `coinsphere outcomes` tries). */
export async function unresolvedPredictions(orm: Orm): Promise<PredictionRecord[]> {
  const rows = await orm
    .select({ p: predictions })
    .from(predictions)
    .leftJoin(predictionOutcomes, keyJoin(predictionOutcomes))
    .where(and(isNotNull(predictions.band), isNull(predictionOutcomes.symbol)))
    .orderBy(asc(predictions.asOf), asc(predictions.symbol), asc(predictions.horizonDays));
  return rows.map(({ p }) => toPredictionRecord(p));
}

/** Stored predictions with a band and no baselines recorded (published before baselines were), oldest first. */
export async function predictionsWithoutBaselines(orm: Orm): Promise<PredictionRecord[]> {
  const rows = await orm
    .select({ p: predictions })
    .from(predictions)
    .leftJoin(predictionBaselines, keyJoin(predictionBaselines))
    .where(and(isNotNull(predictions.band), isNull(predictionBaselines.symbol)))
    .orderBy(asc(predictions.asOf), asc(predictions.symbol), asc(predictions.horizonDays));
  return rows.map(({ p }) => toPredictionRecord(p));
}

/** Stored predictions with a band whose baselines were recorded without `name` (before that baseline was added, or
 *  when it could not be computed), oldest first: what `coinsphere outcomes` tries to complete. */
export async function predictionsWithoutBaseline(orm: Orm, name: string): Promise<PredictionRecord[]> {
  const rows = await orm
    .select({ p: predictions })
    .from(predictions)
    .innerJoin(predictionBaselines, keyJoin(predictionBaselines))
    .where(and(isNotNull(predictions.band), sql`(${predictionBaselines.baselines} -> ${name}) is null`))
    .orderBy(asc(predictions.asOf), asc(predictions.symbol), asc(predictions.horizonDays));
  return rows.map(({ p }) => toPredictionRecord(p));
}

/** Records outcomes in one transaction; one already stored is kept as it is. Returns how many were new. */
export async function saveOutcomes(db: Database, rows: readonly OutcomeRecord[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.orm.transaction(async (tx) => {
    let added = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      const inserted = await tx.insert(predictionOutcomes).values(rows.slice(i, i + 1000).map((r) => ({ ...r }))).onConflictDoNothing().returning({ symbol: predictionOutcomes.symbol });
      added += inserted.length;
    }
    return added;
  });
}

/** How many predictions have an outcome stored. */
export async function outcomeCount(orm: Orm): Promise<number> {
  const [row] = await orm.select({ n: sql<number>`count(*)::int` }).from(predictionOutcomes);
  return Number(row?.n ?? 0);
}

/** Every stored prediction of `symbol` at `horizonDays` with its outcome and baselines, oldest first. */
export async function trackedPredictions(orm: Orm, symbol: string, horizonDays: number): Promise<TrackedPrediction[]> {
  const rows = await orm
    .select()
    .from(predictions)
    .leftJoin(predictionOutcomes, keyJoin(predictionOutcomes))
    .leftJoin(predictionBaselines, keyJoin(predictionBaselines))
    .where(and(eq(predictions.symbol, symbol), eq(predictions.horizonDays, horizonDays)))
    .orderBy(asc(predictions.asOf), asc(predictions.modelVersion));
  return rows.map((r) => {
    const p = r.predictions;
    const o = r.prediction_outcomes;
    return {
      prediction: toPredictionRecord(p),
      outcome: o ? { symbol: o.symbol, horizonDays: o.horizonDays, asOf: o.asOf, modelVersion: o.modelVersion, endDay: o.endDay, closeAtAsOf: o.closeAtAsOf, closeAtEnd: o.closeAtEnd, realisedClass: o.realisedClass } : null,
      baselines: r.prediction_baselines?.baselines ?? null,
    };
  });
}

/**
 * A token that changes whenever what the live record of `symbol` at `horizonDays` reads changes: the count and newest
 * write time of its predictions (whose created_at moves when a call changes), outcomes and baselines (whose created_at
 * moves when rewritten). Three index-backed aggregates, far cheaper than computing the record: its cache key.
 */
export async function trackRecordVersion(orm: Orm, symbol: string, horizonDays: number): Promise<string> {
  const part = async (t: typeof predictions | typeof predictionOutcomes | typeof predictionBaselines, at: AnyPgColumn) => {
    const [row] = await orm.select({ n: sql<number>`count(*)::int`, at: sql<string | null>`max(${at})::text` }).from(t).where(and(eq(t.symbol, symbol), eq(t.horizonDays, horizonDays)));
    return `${Number(row?.n ?? 0)}@${row?.at ?? ''}`;
  };
  const parts = await Promise.all([part(predictions, predictions.createdAt), part(predictionOutcomes, predictionOutcomes.resolvedAt), part(predictionBaselines, predictionBaselines.createdAt)]);
  return parts.join(' ');
}

/** The join of a key-sharing table onto `predictions`. */
function keyJoin(t: typeof predictionOutcomes | typeof predictionBaselines) {
  return and(eq(t.symbol, predictions.symbol), eq(t.horizonDays, predictions.horizonDays), eq(t.asOf, predictions.asOf), eq(t.modelVersion, predictions.modelVersion));
}

/** Every (symbol, horizon) with a stored prediction, by symbol then horizon. */
export async function trackedSeries(orm: Orm): Promise<Array<{ symbol: string; horizonDays: number }>> {
  return orm.selectDistinct({ symbol: predictions.symbol, horizonDays: predictions.horizonDays }).from(predictions).orderBy(asc(predictions.symbol), asc(predictions.horizonDays));
}
