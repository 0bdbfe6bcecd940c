// Walk-forward fold outcomes in `fold_results` (issue #17): a queue worker stores each fold it trained, the
// `evaluate` that queued the folds reads them back. Stored once per key: a second finish of the same fold (a job
// that expired while its worker was still training, then ran again) keeps the first outcome and is counted.
// Shared by both drivers; must not import a driver.
import { inArray, sql } from 'drizzle-orm';
import type { Orm } from '../database.ts';
import { foldResults } from '../schema.ts';

/** One stored fold outcome. */
export interface FoldResultRecord {
  key: string;
  taskId: string;
  outcome: Record<string, unknown>;
  completions: number;
  worker: string;
  finishedAtMs: number;
}

/**
 * Stores the outcome of the fold `key` unless one is stored already, in which case only its `completions` grows.
 * Returns the completions count after this call (1: this was the first).
 */
export async function saveFoldResult(orm: Orm, r: { key: string; taskId: string; outcome: Record<string, unknown>; worker: string }): Promise<number> {
  const [row] = await orm
    .insert(foldResults)
    .values(r)
    .onConflictDoUpdate({ target: foldResults.key, set: { completions: sql`${foldResults.completions} + 1` } })
    .returning({ completions: foldResults.completions });
  return row!.completions;
}

/** The stored outcomes among `keys` (any order; missing keys are simply absent). */
export async function readFoldResults(orm: Orm, keys: readonly string[]): Promise<FoldResultRecord[]> {
  if (keys.length === 0) return [];
  const rows = await orm.select().from(foldResults).where(inArray(foldResults.key, [...keys]));
  return rows.map((r) => ({ key: r.key, taskId: r.taskId, outcome: r.outcome, completions: r.completions, worker: r.worker, finishedAtMs: r.finishedAt.getTime() }));
}

/** Which of `keys` have a stored outcome (without reading the outcomes). */
export async function storedFoldKeys(orm: Orm, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await orm.select({ key: foldResults.key }).from(foldResults).where(inArray(foldResults.key, [...keys]));
  return new Set(rows.map((r) => r.key));
}
