// Walk-forward evaluation records in `evaluations`: `coinsphere evaluate` saves each result, the API reads the
// newest one that covered a symbol at a horizon. Shared by both drivers; must not import a driver.
import { and, arrayContains, desc } from 'drizzle-orm';
import type { Orm } from '../database.ts';
import { evaluations } from '../schema.ts';

/** A stored evaluation; `report` is the whole result object (report.json). */
export interface EvaluationRecord {
  id: number;
  symbols: string[];
  horizons: number[];
  config: Record<string, unknown>;
  report: Record<string, unknown>;
  createdAtMs: number;
}

type EvaluationRow = typeof evaluations.$inferSelect;

const toRecord = (r: EvaluationRow): EvaluationRecord => ({
  id: r.id,
  symbols: r.symbols,
  horizons: r.horizons,
  config: r.config,
  report: r.report,
  createdAtMs: r.createdAt.getTime(),
});

/**
 * Saves one evaluation and returns its id. Symbols are stored upper-cased. Throws when `symbols` or `horizons`
 * is empty (an evaluation of nothing cannot be looked up).
 */
export async function saveEvaluation(
  orm: Orm,
  e: { symbols: readonly string[]; horizons: readonly number[]; config: Record<string, unknown>; report: Record<string, unknown>; createdAtMs?: number },
): Promise<number> {
  if (e.symbols.length === 0 || e.horizons.length === 0) {
    throw new Error(`An evaluation needs at least one symbol and one horizon; got symbols [${e.symbols.join(', ')}] and horizons [${e.horizons.join(', ')}].`);
  }
  const [row] = await orm
    .insert(evaluations)
    .values({
      symbols: e.symbols.map((s) => s.toUpperCase()),
      horizons: [...e.horizons],
      config: e.config,
      report: e.report,
      ...(e.createdAtMs === undefined ? {} : { createdAt: new Date(e.createdAtMs) }),
    })
    .returning({ id: evaluations.id });
  return row!.id;
}

/** The newest evaluation that covered `symbol` at `horizonDays` (newest createdAt, then highest id), or null. */
export async function latestEvaluation(orm: Orm, symbol: string, horizonDays: number): Promise<EvaluationRecord | null> {
  const [row] = await orm
    .select()
    .from(evaluations)
    .where(and(arrayContains(evaluations.symbols, [symbol.toUpperCase()]), arrayContains(evaluations.horizons, [horizonDays])))
    .orderBy(desc(evaluations.createdAt), desc(evaluations.id))
    .limit(1);
  return row ? toRecord(row) : null;
}
