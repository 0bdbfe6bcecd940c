// A fold of the served recipe's walk-forward (run-pooled-evaluation.ts) as a queue job (issue #17): the job names
// every asset's candles (CandleRef), the recipe, the plan, the horizon and the fold's index; the worker reads the
// candles, lays out the same folds (pooledFolds), checks it found the planned test block, trains it (runPooledFold,
// the code that ran in the evaluate process before) and stores the outcome once under the job's key.
// Must not import a command.
import { saveFoldResult, storedFoldKeys, type Database } from '@coinsphere/data';
import { toIsoDay, type PooledRecipe } from '@coinsphere/model/core';
import { runPooledFold, type PooledFoldOutcome } from '../evaluation/pooled-fold.ts';
import { pooledFolds, type PooledPlan } from '../evaluation/run-pooled-evaluation.ts';
import { readCandleRef, WORKER_NAME, type CandleMemo, type CandleRef } from './fold-job.ts';

/** What a served-recipe fold job carries. */
export interface PooledFoldJobData {
  kind: 'pooled';
  key: string;
  run?: string;
  task: { id: string; horizonDays: number; foldIndex: number; testStartDayMs: number; recipe: PooledRecipe; plan: PooledPlan; threads: number; assets: CandleRef[] };
}

type Stored = Omit<PooledFoldOutcome, 'probs' | 'val'> & { probs: Record<string, number[]>; val: { y: number[]; probs: Record<string, number[]> } };
const toArrays = (p: Record<string, Float32Array>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Array.from(v)]));
const toFloats = (p: Record<string, number[]>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Float32Array.from(v)]));

/** `o` as plain JSON (each float32 survives exactly). */
export function encodePooledOutcome(o: PooledFoldOutcome): Stored {
  return { ...o, probs: toArrays(o.probs), val: { y: o.val.y, probs: toArrays(o.val.probs) } };
}

/** The PooledFoldOutcome encodePooledOutcome stored. */
export function decodePooledOutcome(stored: unknown): PooledFoldOutcome {
  const s = stored as Stored;
  return { ...s, probs: toFloats(s.probs), val: { y: s.val.y, probs: toFloats(s.val.probs) } };
}

/** Trains the fold of `data` unless its outcome is stored already, and stores it. */
export async function workPooledFoldJob(db: Database, data: PooledFoldJobData, memo: CandleMemo): Promise<'trained' | 'stored-already'> {
  if ((await storedFoldKeys(db.orm, [data.key])).size > 0) return 'stored-already';
  const t = data.task;
  const series = await Promise.all(t.assets.map(async (a) => ({ symbol: a.symbol, source: a.source, candles: await readCandleRef(db, a, memo) })));
  const { frames, folds, data: recipe } = pooledFolds(series, t.recipe, t.horizonDays, t.plan);
  const fold = folds[t.foldIndex];
  if (fold?.testStartDayMs !== t.testStartDayMs) throw new Error(`Fold ${t.id} should test from ${toIsoDay(t.testStartDayMs)}, but this worker laid it out ${fold ? `from ${toIsoDay(fold.testStartDayMs)}` : 'nowhere'}: it runs other code than the evaluate that queued it.`);
  const outcome = await runPooledFold(frames, fold, recipe, t.threads);
  await saveFoldResult(db.orm, { key: data.key, taskId: t.id, outcome: encodePooledOutcome(outcome) as unknown as Record<string, unknown>, worker: WORKER_NAME });
  return 'trained';
}
