// A walk-forward fold as a queue job (issue #17): the job carries the fold's definition and, per asset, which
// candles it trains on (series, day range and their digest) instead of the candles themselves, so any worker with
// the database URL can run it. The worker reads the candles, refuses them if they changed since the fold was
// planned, trains (fold-task.ts, the same code as before the queue) and stores the outcome under the job's key
// (fold_results: once, whatever the number of finishes). Must not import a command.
import { readCandles, readFoldResults, saveFoldResult, storedFoldKeys, type Database } from '@coinsphere/data';
import { toIsoDay, type Candle } from '@coinsphere/model/core';
import { hostname } from 'node:os';
import { encodeOutcome, seriesDigest } from '../evaluation/fold-cache.ts';
import { runFoldTask, type FoldTask } from '../evaluation/fold-task.ts';

/** Candles named instead of carried: a series and the stretch of it a fold was planned on. */
export interface CandleRef {
  symbol: string;
  source: string;
  firstDayMs: number;
  lastDayMs: number;
  /** seriesDigest of those candles when the fold was planned. */
  candlesDigest: string;
}

/** The CandleRef of `candles` (oldest first) of `symbol` from `source`. */
export function candleRef(symbol: string, source: string, candles: readonly Candle[]): CandleRef {
  return { symbol, source, firstDayMs: candles[0]!.openTimeMs, lastDayMs: candles.at(-1)!.openTimeMs, candlesDigest: seriesDigest(candles as Candle[]) };
}

/** One asset of a fold job: its candles and its fold. */
export interface FoldJobAsset extends CandleRef {
  fold: FoldTask['assets'][number]['fold'];
}

/** What a fold job carries. */
export interface FoldJobData {
  /** Where its outcome is stored (fold_results.key): one key per fold of one evaluate run. */
  kind?: 'asset';
  key: string;
  /** The evaluate run that queued it (shown by `coinsphere jobs`). */
  run?: string;
  task: Omit<FoldTask, 'assets'> & { assets: FoldJobAsset[] };
}

/** The job of `task` whose candles come from `sources` (symbol → series source), stored under `key`. */
export function foldJobData(task: FoldTask, key: string, sources: ReadonlyMap<string, string>): FoldJobData {
  const assets = task.assets.map(({ candles, symbol, fold }) => ({ ...candleRef(symbol, sources.get(symbol) ?? '', candles), fold }));
  return { key, task: { ...task, assets } };
}

/** Candle series a worker has read, by series and range (folds of one run share them). */
export type CandleMemo = Map<string, Promise<Candle[]>>;

/** The candles `a` names, read from `db` (through `memo`). Throws when they are missing or changed. */
export async function readCandleRef(db: Database, a: CandleRef, memo: CandleMemo): Promise<Candle[]> {
  const id = `${a.symbol}/${a.source}/${a.firstDayMs}/${a.lastDayMs}`;
  let read = memo.get(id);
  if (!read) {
    read = readCandles(db, { symbol: a.symbol, interval: '1d', source: a.source, fromMs: a.firstDayMs, toMs: a.lastDayMs }).then((r) => r.candles);
    memo.set(id, read);
    if (memo.size > 64) memo.delete(memo.keys().next().value!); // a worker lives for many runs
  }
  const candles = await read;
  if (candles.length === 0) {
    memo.delete(id);
    throw new Error(`No 1d candles of ${a.symbol} from "${a.source}" between ${toIsoDay(a.firstDayMs)} and ${toIsoDay(a.lastDayMs)} in this database: a worker's --db must be the database the fold was queued in.`);
  }
  if (seriesDigest(candles) !== a.candlesDigest) {
    memo.delete(id);
    throw new Error(`The ${a.symbol} candles from "${a.source}" changed since this fold was planned (ingested or edited since); run \`coinsphere evaluate\` again.`);
  }
  return candles;
}

/** The FoldTask of a job, its candles read from `db`. Throws when they differ from the planned ones. */
export async function hydrateFoldTask(db: Database, data: FoldJobData, memo: CandleMemo): Promise<FoldTask> {
  const assets = await Promise.all(data.task.assets.map(async (a) => ({ symbol: a.symbol, fold: a.fold, candles: await readCandleRef(db, a, memo) })));
  return { ...data.task, assets };
}

/** This worker's name in fold_results and the job list: hostname:pid. */
export const WORKER_NAME = `${hostname()}:${process.pid}`;

/**
 * Runs one fold job: trains it unless its outcome is stored already (an earlier attempt finished, then lost its
 * job), and stores the outcome. Returns how the job ended: 'trained', or 'stored-already'.
 */
export async function workFoldJob(db: Database, data: FoldJobData, memo: CandleMemo): Promise<'trained' | 'stored-already'> {
  if ((await storedFoldKeys(db.orm, [data.key])).size > 0) return 'stored-already';
  const outcome = await runFoldTask(await hydrateFoldTask(db, data, memo));
  await saveFoldResult(db.orm, { key: data.key, taskId: data.task.id, outcome: encodeOutcome(outcome) as unknown as Record<string, unknown>, worker: WORKER_NAME });
  return 'trained';
}

/** The stored outcomes among `keys`, decoded by `decode`, by key. */
export async function readStoredOutcomes<O>(db: Database, keys: readonly string[], decode: (stored: unknown) => O): Promise<Map<string, O>> {
  const rows = await readFoldResults(db.orm, keys);
  return new Map(rows.map((r) => [r.key, decode(r.outcome)]));
}
