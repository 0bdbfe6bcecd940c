// Degen Risk Score queries over `risk_scores` and `risk_models` (issue #15), shared by both drivers: upsert a batch
// in one transaction, the newest days of one symbol, and the frozen model of a day. Must not import a driver.
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { toIsoDay, type RiskAssessment, type RiskComponents, type RiskModel, type RiskReason } from '@coinsphere/model/core';
import type { Database, Orm } from '../database.ts';
import { riskModels, riskScores } from '../schema.ts';

/** One stored assessment. `day` is the UTC day `YYYY-MM-DD` whose candle it uses; `score` is null exactly when
 *  `reason` (and its `reasonMessage`) say why there is none. */
export interface RiskScoreRecord {
  symbol: string;
  day: string;
  score: number | null;
  reason: RiskReason | null;
  reasonMessage: string | null;
  components: RiskComponents;
  methodVersion: string;
  createdAtMs: number;
}

/** The row of the risk module's assessment `a`, made by method `methodVersion` at `createdAtMs`: its score, or no
 *  score and the reason. */
export function toRiskScoreRecord(a: RiskAssessment, methodVersion: string, createdAtMs: number): RiskScoreRecord {
  const base = { symbol: a.symbol, day: toIsoDay(a.dayMs), components: a.components, methodVersion, createdAtMs };
  return a.score.ok ? { ...base, score: a.score.value, reason: null, reasonMessage: null } : { ...base, score: null, reason: a.score.reason, reasonMessage: a.score.detail };
}

/** A stored risk model: the frozen model of one day and, per asset, the daily series the panel read. */
export interface RiskModelRecord {
  day: string;
  model: RiskModel;
  series: Record<string, { source: string; firstDay: string }>;
  methodVersion: string;
}

type RiskScoreRow = typeof riskScores.$inferSelect;

const toRecord = (r: RiskScoreRow): RiskScoreRecord => ({
  symbol: r.symbol,
  day: r.day,
  score: r.score,
  reason: r.reason,
  reasonMessage: r.reasonMessage,
  components: r.components,
  methodVersion: r.methodVersion,
  createdAtMs: r.createdAt.getTime(),
});

/**
 * Writes a batch, and the models its days were scored with, in one transaction: all rows or none, so a reader never
 * sees a day's scores without its model. A row with the same symbol + day replaces the stored one, keeping its
 * createdAt when nothing else changed (so a republish of the same candles changes no ETag); a day's model replaces
 * that day's. Throws, and writes nothing, when a row breaks a constraint (a score outside 0-100, a score beside a
 * reason, neither).
 */
export async function saveRiskScores(db: Database, batch: readonly RiskScoreRecord[], models: readonly RiskModelRecord[] = []): Promise<void> {
  if (batch.length === 0 && models.length === 0) return;
  const values = batch.map((r) => ({ ...r, createdAt: new Date(r.createdAtMs) }));
  await db.orm.transaction(async (tx) => {
    for (const m of models) {
      await tx
        .insert(riskModels)
        .values({ ...m, createdAt: new Date() })
        .onConflictDoUpdate({ target: riskModels.day, set: { model: sql`excluded.model`, series: sql`excluded.series`, methodVersion: sql`excluded.method_version`, createdAt: sql`excluded.created_at` } });
    }
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insert(riskScores)
        .values(values.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [riskScores.symbol, riskScores.day],
          set: {
            score: sql`excluded.score`,
            reason: sql`excluded.reason`,
            reasonMessage: sql`excluded.reason_message`,
            components: sql`excluded.components`,
            methodVersion: sql`excluded.method_version`,
            createdAt: sql`case when (${riskScores.score}, ${riskScores.reason}, ${riskScores.reasonMessage}, ${riskScores.components}, ${riskScores.methodVersion})
              is distinct from (excluded.score, excluded.reason, excluded.reason_message, excluded.components, excluded.method_version)
              then excluded.created_at else ${riskScores.createdAt} end`,
          },
        });
    }
  });
}

/** The stored assessments of `symbol` on its newest `days` days (counted back from its newest stored day, that day
 *  included), oldest first; empty when it has none. */
export async function riskScoreHistory(orm: Orm, symbol: string, days: number): Promise<RiskScoreRecord[]> {
  const newest = sql`(select max(${riskScores.day}) from ${riskScores} where ${riskScores.symbol} = ${symbol})`;
  const rows = await orm
    .select()
    .from(riskScores)
    .where(and(eq(riskScores.symbol, symbol), gte(riskScores.day, sql`${newest} - ${Math.max(1, Math.floor(days)) - 1}::int`)))
    .orderBy(asc(riskScores.day));
  return rows.map(toRecord);
}

/** The stored model of `day` with the series of `symbol`, or null when publish stored no model of that day or it
 *  did not read that symbol. */
export async function riskModelFor(orm: Orm, symbol: string, day: string): Promise<{ model: RiskModel; source: string; firstDay: string } | null> {
  const [row] = await orm.select().from(riskModels).where(eq(riskModels.day, day));
  const series = row?.series[symbol];
  return row && series ? { model: row.model, ...series } : null;
}
